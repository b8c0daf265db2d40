#include "sqlflow/cli/state_command.h"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqlflow/cli/test_fakes.h"
#include "sqlflow/engine/engine.h"

namespace sqlflow::cli {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

state::Watermark MakeWatermark(std::string pipeline, std::string source, std::string object,
                               std::string value, std::vector<std::string> boundary) {
  state::Watermark w;
  w.key = {std::move(pipeline), std::move(source), std::move(object), "updated_at"};
  w.value = std::move(value);
  w.type = "TIMESTAMP";
  w.boundary = std::move(boundary);
  w.updated_at = "2026-01-03T10:05:00.000Z";
  w.run_id = "run-1";
  return w;
}

// Write `watermarks` into the DuckDB file `path` (created) through the state store.
void PutWatermarks(const fs::path& path, const std::vector<state::Watermark>& watermarks) {
  std::unique_ptr<engine::Engine> engine = engine::OpenDuckDbEngine({.path = path.string()});
  std::unique_ptr<engine::Session> session = engine->Connect();
  state::StateStore store(*session);
  store.EnsureSchema();
  for (const state::Watermark& w : watermarks) store.PutWatermark(w);
}

std::vector<state::Watermark> SampleWatermarks() {
  return {MakeWatermark("daily", "orders_src", "", "2026-01-03 10:00:00", {"17", "18"}),
          MakeWatermark("daily", "events_src", "events.csv", "2026-01-02 08:30:00", {}),
          MakeWatermark("weekly", "orders_src", "", "2026-01-01 00:00:00", {"1"})};
}

class CliStateCommandTest : public testing::CliCommandTest {
 protected:
  CliStateCommandTest() : CliCommandTest("sqlflow-state") {}
  void SetUp() override {
    CliCommandTest::SetUp();
    Write("profiles/dev.yml", "engines:\n  duckdb:\n    mode: memory\n");
    Write("profiles/prod.yml",
          "engines:\n  duckdb:\n    mode: persistent\n    path: target/prod.duckdb\n");
  }
  int Run(std::vector<std::string> args) { return RunInProject(std::move(args)); }
  fs::path StateFile() const { return dir_ / "target" / "state.duckdb"; }
};

TEST_F(CliStateCommandTest, NoStateIsNotAnErrorAndCreatesNothing) {
  EXPECT_EQ(Run({"state", "list"}), 0) << err_.str();
  EXPECT_EQ(out_.str(), "No watermarks are stored (profile dev, state: target/state.duckdb)\n");
  EXPECT_EQ(Run({"state", "list", "--json"}), 0);
  EXPECT_EQ(out_.str(), "[]\n");
  EXPECT_EQ(Run({"state", "reset", "daily"}), 0);
  EXPECT_EQ(out_.str(),
            "No watermarks to reset for pipeline 'daily' (profile dev, state: "
            "target/state.duckdb); no watermarks are stored; nothing changed\n");
  EXPECT_EQ(Run({"state", "list", "--profile", "prod"}), 0);
  EXPECT_EQ(out_.str(), "No watermarks are stored (profile prod, state: target/prod.duckdb)\n");
  EXPECT_FALSE(fs::exists(dir_ / "target"));
}

TEST_F(CliStateCommandTest, ListShowsEveryWatermarkOfTheStateFile) {
  PutWatermarks(StateFile(), SampleWatermarks());
  EXPECT_EQ(Run({"state", "list"}), 0) << err_.str();
  EXPECT_EQ(out_.str(),
            "Watermarks (profile dev, state: target/state.duckdb):\n"
            "  PIPELINE  SOURCE      OBJECT      CURSOR_FIELD  VALUE                TYPE       "
            "BOUNDARY_ROWS  UPDATED_AT                RUN_ID\n"
            "  daily     events_src  events.csv  updated_at    2026-01-02 08:30:00  TIMESTAMP  "
            "0              2026-01-03T10:05:00.000Z  run-1\n"
            "  daily     orders_src  -           updated_at    2026-01-03 10:00:00  TIMESTAMP  "
            "2              2026-01-03T10:05:00.000Z  run-1\n"
            "  weekly    orders_src  -           updated_at    2026-01-01 00:00:00  TIMESTAMP  "
            "1              2026-01-03T10:05:00.000Z  run-1\n");
  EXPECT_EQ(err_.str(), "");

  EXPECT_EQ(Run({"state", "list", "--pipeline", "weekly", "--json"}), 0);
  EXPECT_EQ(nlohmann::json::parse(out_.str()),
            nlohmann::json::parse(R"([{"pipeline": "weekly", "source": "orders_src",
              "object": "", "cursor_field": "updated_at", "value": "2026-01-01 00:00:00",
              "type": "TIMESTAMP", "boundary_rows": 1, "updated_at": "2026-01-03T10:05:00.000Z",
              "run_id": "run-1"}])"));
  EXPECT_EQ(Run({"state", "list", "--pipeline", "dayly"}), 0);
  EXPECT_EQ(out_.str(),
            "No watermarks are stored for pipeline dayly (profile dev, state: "
            "target/state.duckdb) (did you mean 'daily'?); pipelines with watermarks: daily, "
            "weekly\n");
}

TEST_F(CliStateCommandTest, ShowPrintsOneSourceInDetail) {
  PutWatermarks(StateFile(), SampleWatermarks());
  EXPECT_EQ(Run({"state", "show", "daily", "orders_src"}), 0) << err_.str();
  EXPECT_EQ(out_.str(),
            "Watermarks of source 'orders_src' of pipeline 'daily' (profile dev, state: "
            "target/state.duckdb):\n"
            "\n"
            "  object:         (the connector's default)\n"
            "  cursor_field:   updated_at\n"
            "  value:          2026-01-03 10:00:00\n"
            "  type:           TIMESTAMP\n"
            "  boundary rows:  2\n"
            "  boundary:       17, 18\n"
            "  updated_at:     2026-01-03T10:05:00.000Z\n"
            "  run_id:         run-1\n");
  EXPECT_EQ(Run({"state", "show", "daily", "orders_src", "--json"}), 0);
  nlohmann::json json = nlohmann::json::parse(out_.str());
  ASSERT_EQ(json.size(), 1u);
  EXPECT_EQ(json[0]["value"], "2026-01-03 10:00:00");
  EXPECT_EQ(json[0]["boundary_rows"], 2);
}

TEST_F(CliStateCommandTest, ShowOfAnUnknownSourceExitsOneWithASuggestion) {
  PutWatermarks(StateFile(), SampleWatermarks());
  EXPECT_EQ(Run({"state", "show", "daily", "order_src"}), 1);
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(err_.str(),
            "error: no watermark is stored for source 'order_src' of pipeline 'daily' (profile "
            "dev, state: target/state.duckdb) (did you mean 'orders_src'?); sources with "
            "watermarks in pipeline daily: events_src, orders_src\n");
  EXPECT_EQ(Run({"state", "show", "weakly", "orders_src"}), 1);
  EXPECT_THAT(err_.str(), HasSubstr("(did you mean 'weekly'?); pipelines with watermarks: "
                                    "daily, weekly\n"));
  fs::remove(StateFile());
  EXPECT_EQ(Run({"state", "show", "daily", "orders_src"}), 1);
  EXPECT_THAT(err_.str(), HasSubstr("; no watermarks are stored\n"));
  EXPECT_FALSE(fs::exists(StateFile()));
}

TEST_F(CliStateCommandTest, ResetOneSourceThenAPipeline) {
  PutWatermarks(StateFile(), SampleWatermarks());
  EXPECT_EQ(Run({"state", "reset", "daily", "orders_src"}), 0) << err_.str();
  EXPECT_EQ(out_.str(),
            "Reset 1 watermark of source 'orders_src' of pipeline 'daily' (profile dev, state: "
            "target/state.duckdb): the next run is a full refresh for it\n");
  EXPECT_EQ(Run({"state", "reset", "daily", "orders_src"}), 0);
  EXPECT_EQ(out_.str(),
            "No watermarks to reset for source 'orders_src' of pipeline 'daily' (profile dev, "
            "state: target/state.duckdb); sources with watermarks in pipeline daily: "
            "events_src; nothing changed\n");
  EXPECT_EQ(Run({"state", "reset", "weekly", "--json"}), 0);
  EXPECT_EQ(nlohmann::json::parse(out_.str()),
            (nlohmann::json{{"pipeline", "weekly"}, {"source", nullptr}, {"reset", 1}}));
  EXPECT_EQ(Run({"state", "list", "--json"}), 0);
  nlohmann::json left = nlohmann::json::parse(out_.str());
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0]["source"], "events_src");
}

TEST_F(CliStateCommandTest, PersistentProfileReadsTheEngineDatabase) {
  PutWatermarks(dir_ / "target" / "prod.duckdb", {SampleWatermarks()[0]});
  EXPECT_EQ(Run({"state", "list", "--profile", "prod"}), 0) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("(profile prod, state: target/prod.duckdb):\n"));
  EXPECT_THAT(out_.str(), HasSubstr("  daily     orders_src  -       updated_at"));
  EXPECT_EQ(Run({"state", "reset", "daily", "--profile", "prod"}), 0);
  EXPECT_THAT(out_.str(), HasSubstr("Reset 1 watermark of pipeline 'daily'"));
  // The memory profile's state is another file.
  EXPECT_EQ(Run({"state", "list"}), 0);
  EXPECT_THAT(out_.str(), HasSubstr("No watermarks are stored"));
}

TEST_F(CliStateCommandTest, ADatabaseWithoutStateTablesHasNoState) {
  {
    std::unique_ptr<engine::Engine> engine =
        engine::OpenDuckDbEngine({.path = (dir_ / "target" / "prod.duckdb").string()});
    engine->Connect()->Execute("CREATE TABLE orders AS SELECT 1 AS id");
  }
  EXPECT_EQ(Run({"state", "reset", "daily", "--profile", "prod"}), 0) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("No watermarks to reset"));
  std::unique_ptr<engine::Engine> engine =
      engine::OpenDuckDbEngine({.path = (dir_ / "target" / "prod.duckdb").string()});
  EXPECT_EQ(engine->Connect()->Tables(), std::vector<std::string>{"orders"});  // None added.
}

TEST_F(CliStateCommandTest, AFileThatIsNotADatabaseIsAClearError) {
  Write("target/state.duckdb", "not a database");
  EXPECT_EQ(Run({"state", "list"}), 1);
  EXPECT_THAT(err_.str(), ::testing::StartsWith("error: cannot open the state of profile dev "
                                                "(target/state.duckdb): "));
}

TEST(CliStateTextTest, BoundaryIsCutAfterTenIdentities) {
  std::vector<std::string> ids = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"};
  std::string text = WatermarkDetail(MakeWatermark("p", "s", "o.csv", "1", ids));
  EXPECT_THAT(text, HasSubstr("  object:         o.csv\n"));
  EXPECT_THAT(text, HasSubstr("  boundary rows:  12\n"));
  EXPECT_THAT(text, HasSubstr("  boundary:       0, 1, 2, 3, 4, 5, 6, 7, 8, 9 (and 2 more)\n"));
}

}  // namespace
}  // namespace sqlflow::cli
