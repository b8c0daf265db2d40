// Incremental state, run history and metrics end to end on the real `sqlflow` binary: runs of a
// pipeline with an incremental CSV source store a watermark that `state list/show` print and
// `state reset` deletes; `pipeline history` lists the runs; `--metrics-file` writes the
// Prometheus text. Both homes of the state are covered: target/state.duckdb (memory engine)
// and the engine's own database (persistent engine), including one locked by another process.

#include <filesystem>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/locked_duckdb_file.h"
#include "tests/support/sqlflow_binary.h"
#include <nlohmann/json.hpp>

namespace {

namespace fs = std::filesystem;
using ::sqlflow::testing::LockedDuckDbFile;
using ::sqlflow::testing::ProcessResult;
using ::sqlflow::testing::ReadFile;
using ::sqlflow::testing::WriteFile;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr const char* kOrdersPipeline =
    "SOURCE orders_src TYPE CSV PARAMS {\"path\": \"data/orders.csv\", \"sync_mode\": "
    "\"incremental\", \"cursor_field\": \"updated_at\", \"primary_key\": \"id\"};\n"
    "LOAD orders FROM orders_src MODE APPEND;\n";

constexpr const char* kFirstOrders =
    "id,amount,updated_at\n1,10,2026-01-01 00:00:00\n2,20,2026-01-02 00:00:00\n"
    "3,30,2026-01-03 00:00:00\n";
constexpr const char* kMoreOrders = "4,40,2026-01-03 00:00:00\n5,50,2026-01-04 12:30:00\n";

class StateCliTest : public sqlflow::testing::SqlflowBinaryTest {
 protected:
  StateCliTest() : SqlflowBinaryTest("sqlflow-state-cli") {}
  void SetUp() override {
    SqlflowBinaryTest::SetUp();
    WriteFile(dir_ / "profiles/dev.yml", "engines:\n  duckdb:\n    mode: memory\n");
    WriteFile(dir_ / "profiles/prod.yml",
              "engines:\n  duckdb:\n    mode: persistent\n    path: target/prod.duckdb\n");
    WriteFile(dir_ / "pipelines/orders.sf", kOrdersPipeline);
    WriteFile(dir_ / "data/orders.csv", kFirstOrders);
  }

  /// `sqlflow ARGS --project-dir DIR` from the project directory.
  ProcessResult InProject(std::vector<std::string> args) const {
    args.push_back("--project-dir");
    args.push_back(dir_.path().string());
    return Run(args, {.cwd = dir_.path()});
  }

  /// Run the pipeline with --json under `profile`; the rows its LOAD loaded (-1 on failure).
  int64_t LoadedRows(const std::string& profile) const {
    ProcessResult run = InProject({"pipeline", "run", "orders", "--json", "-p", profile});
    EXPECT_EQ(run.exit_code, 0) << run.err;
    if (run.exit_code != 0) return -1;
    return nlohmann::json::parse(run.out)["steps"][0]["rows"].get<int64_t>();
  }

  /// Two runs (the second after two more rows arrive) and the watermark they leave.
  void RunTwiceAndCheckTheWatermark(const std::string& profile) {
    EXPECT_EQ(LoadedRows(profile), 3);
    WriteFile(dir_ / "data/orders.csv", std::string(kFirstOrders) + kMoreOrders);
    EXPECT_EQ(LoadedRows(profile), 2);  // Only the new rows, id 4 at the old boundary included.

    ProcessResult show =
        InProject({"state", "show", "orders", "orders_src", "--json", "-p", profile});
    ASSERT_EQ(show.exit_code, 0) << show.err;
    nlohmann::json watermarks = nlohmann::json::parse(show.out);
    ASSERT_EQ(watermarks.size(), 1u);
    EXPECT_EQ(watermarks[0]["object"], "data/orders.csv");
    EXPECT_EQ(watermarks[0]["cursor_field"], "updated_at");
    EXPECT_EQ(watermarks[0]["value"], "2026-01-04 12:30:00");
    EXPECT_EQ(watermarks[0]["boundary_rows"], 1);
  }
};

TEST_F(StateCliTest, MemoryProfileKeepsItsStateInTheStateFile) {
  RunTwiceAndCheckTheWatermark("dev");
  EXPECT_TRUE(fs::exists(dir_ / "target/state.duckdb"));

  ProcessResult list = InProject({"state", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_THAT(list.out, StartsWith("Watermarks (profile dev, state: target/state.duckdb):\n"
                                   "  PIPELINE  SOURCE      OBJECT           CURSOR_FIELD  VALUE"));
  EXPECT_THAT(list.out, HasSubstr("  orders    orders_src  data/orders.csv  updated_at    "
                                  "2026-01-04 12:30:00  TIMESTAMP  1 "));

  ProcessResult reset = InProject({"state", "reset", "orders"});
  ASSERT_EQ(reset.exit_code, 0) << reset.err;
  EXPECT_EQ(reset.out,
            "Reset 1 watermark of pipeline 'orders' (profile dev, state: target/state.duckdb): "
            "the next run is a full refresh for it\n");
  EXPECT_EQ(LoadedRows("dev"), 5);  // A full refresh.
}

TEST_F(StateCliTest, PersistentProfileKeepsItsStateInTheEngineDatabase) {
  RunTwiceAndCheckTheWatermark("prod");
  EXPECT_FALSE(fs::exists(dir_ / "target/state.duckdb"));
  ProcessResult missing = InProject({"state", "show", "orders", "order_src", "-p", "prod"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.err,
            "error: no watermark is stored for source 'order_src' of pipeline 'orders' (profile "
            "prod, state: target/prod.duckdb) (did you mean 'orders_src'?); sources with "
            "watermarks in pipeline orders: orders_src\n");
  ProcessResult reset = InProject({"state", "reset", "orders", "orders_src", "-p", "prod"});
  EXPECT_EQ(reset.exit_code, 0) << reset.err;
  EXPECT_THAT(reset.out, StartsWith("Reset 1 watermark of source 'orders_src'"));
  EXPECT_EQ(LoadedRows("prod"), 5);
}

TEST_F(StateCliTest, HistoryListsTheRunsNewestFirstWithTheirSteps) {
  EXPECT_EQ(LoadedRows("dev"), 3);
  fs::remove(dir_ / "data/orders.csv");
  ProcessResult failed = InProject({"pipeline", "run", "orders"});
  EXPECT_EQ(failed.exit_code, 1);

  ProcessResult history = InProject({"pipeline", "history", "orders", "--json"});
  ASSERT_EQ(history.exit_code, 0) << history.err;
  nlohmann::json runs = nlohmann::json::parse(history.out);
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0]["status"], "failed");
  EXPECT_EQ(runs[0]["steps"][0]["step_id"], "load_orders");
  EXPECT_EQ(runs[0]["steps"][0]["status"], "failed");
  EXPECT_THAT(runs[0]["steps"][0]["error"].get<std::string>(), HasSubstr("orders.csv"));
  EXPECT_EQ(runs[1]["status"], "success");
  EXPECT_EQ(runs[1]["steps"][0]["rows"], 3);

  ProcessResult text = InProject({"pipeline", "history", "--limit", "1"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, StartsWith("  RUN "));
  EXPECT_THAT(text.out, HasSubstr("  orders    dev      failed  "));
  EXPECT_THAT(text.out, HasSubstr("\n  load_orders  failed  0"));
  EXPECT_THAT(text.out, ::testing::Not(HasSubstr("success")));
}

TEST_F(StateCliTest, MetricsFileIsRelativeToTheCurrentDirectory) {
  fs::create_directories(dir_ / "elsewhere");
  ProcessResult run = Run({"pipeline", "run", "orders", "--metrics-file", "run.prom",
                           "--project-dir", dir_.path().string()},
                          {.cwd = dir_ / "elsewhere"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("\nMetrics: run.prom\n"));
  std::string text = ReadFile(dir_ / "elsewhere/run.prom");
  EXPECT_THAT(text, HasSubstr("# TYPE sqlflow_connector_rows_transferred gauge\n"
                              "sqlflow_connector_rows_transferred{pipeline=\"orders\",run_id=\""));
  EXPECT_THAT(text, HasSubstr("step=\"load_orders\",connector=\"orders_src\",type=\"CSV\","
                              "role=\"source\"} 3\n"));
  EXPECT_FALSE(fs::exists(dir_ / "run.prom"));
}

TEST_F(StateCliTest, ALockedDatabaseIsAClearError) {
  EXPECT_EQ(LoadedRows("prod"), 3);
  const std::string path = (dir_ / "target/prod.duckdb").string();
  // This process has opened no DuckDB and runs no threads: the child of fork() is safe.
  ProcessResult list;
  ProcessResult history;
  {
    LockedDuckDbFile lock(path);
    ASSERT_TRUE(lock.locked());
    list = InProject({"state", "list", "-p", "prod"});
    history = InProject({"pipeline", "history", "-p", "prod"});
  }
  EXPECT_EQ(list.exit_code, 1);
  EXPECT_THAT(list.err, StartsWith("error: cannot open the state of profile prod "
                                   "(target/prod.duckdb): "));
  EXPECT_THAT(list.err, HasSubstr("is locked by another process (another sqlflow run"));
  EXPECT_EQ(history.exit_code, 1);
  EXPECT_THAT(history.err, HasSubstr("is locked by another process"));
}

TEST_F(StateCliTest, ConnectTestPrintsTheHealthReport) {
  WriteFile(dir_ / "profiles/dev.yml",
            "connections:\n  orders:\n    type: csv\n    path: data/orders.csv\n"
            // Not even writable: a file in a missing directory is unhealthy both ways.
            "  gone:\n    type: csv\n    path: /nonexistent-sqlflow-dir/gone.csv\n"
            "  bad:\n    type: csv\n    path: data/orders.csv\n    has_header: maybe\n");
  ProcessResult healthy = InProject({"connect", "test", "orders", "--json"});
  EXPECT_EQ(healthy.exit_code, 0) << healthy.err;
  nlohmann::json report = nlohmann::json::parse(healthy.out);
  for (const char* field :
       {"status", "connected", "response_time_ms", "last_check", "capabilities"}) {
    EXPECT_TRUE(report.contains(field)) << field;
  }
  EXPECT_EQ(report["status"], "healthy");
  EXPECT_EQ(report["connected"], true);

  ProcessResult unhealthy = InProject({"connect", "test", "gone", "--json"});
  EXPECT_EQ(unhealthy.exit_code, 1);
  report = nlohmann::json::parse(unhealthy.out);
  EXPECT_EQ(report["status"], "unhealthy");
  EXPECT_EQ(report["connected"], false);
  EXPECT_THAT(report["error"].get<std::string>(), HasSubstr("gone.csv"));

  ProcessResult invalid = InProject({"connect", "test", "bad", "--json"});
  EXPECT_EQ(invalid.exit_code, 2);
  EXPECT_THAT(invalid.err, HasSubstr("'has_header'"));
}

}  // namespace
