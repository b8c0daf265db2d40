// Incremental LOADs across runs: exactly the rows past the watermark, boundary ties, NULL
// cursors, precision, failures, and both homes of the state (engine and file).

#include <iostream>
#include <memory>
#include <string>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqlflow/runner/executor.h"
#include "sqlflow/runner/runner_testing.h"
#include "sqlflow/state/run_state.h"

namespace sqlflow::runner {
namespace {

using testing::BuiltinRegistry;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::PlanText;
using testing::TempProject;

/// A project whose runs keep their state like the CLI does: a persistent engine with its state
/// in the database, or an in-memory engine per run with its state in target/state.duckdb.
class IncrementalProject {
 public:
  explicit IncrementalProject(bool persistent) : persistent_(persistent) {
    if (persistent_) {
      profile_.engine.persistent = true;
      profile_.engine.path = "target/db.duckdb";
    }
  }
  TempProject& files() { return project_; }

  /// Run `text` as a new process would: a fresh engine (the same file when persistent).
  RunResult Run(const std::string& text) {
    Plan plan = PlanText(text, project_, {}, profile_);
    engine_.reset();
    engine_ = engine::OpenDuckDbEngine(
        {persistent_ ? (project_.dir() / "target/db.duckdb").string() : ""});
    std::unique_ptr<state::RunState> state =
        persistent_
            ? state::OpenEngineRunState(*engine_)
            : state::OpenFileRunState(*engine_, project_.dir() / state::kStateFile, plan.pipeline);
    ExecutorOptions options;
    options.project_dir = project_.dir();
    options.state = state.get();
    RunResult run = Executor(plan, *engine_, BuiltinRegistry(), options).Run();
    for (const StepResult& step : run.steps) {
      if (!step.error.empty()) std::cerr << step.id << ": " << step.error << "\n";
    }
    return run;
  }

  /// One query's rows, one line each ("a|b"), on the engine of the last run.
  std::string Query(const std::string& sql) {
    std::unique_ptr<engine::Session> session = engine_->Connect();
    std::unique_ptr<ChunkStream> stream =
        session->Query("SELECT COLUMNS(*)::VARCHAR FROM (" + sql + ")", 1000);
    std::string out;
    while (std::optional<DataChunk> chunk = stream->Next()) {
      for (int64_t i = 0; i < chunk->num_rows(); ++i) {
        for (size_t c = 0; c < chunk->num_columns(); ++c) {
          if (c > 0) out += "|";
          out += chunk->column(c).IsNull(i) ? "NULL" : std::string(chunk->column(c).StringAt(i));
        }
        out += "\n";
      }
    }
    return out;
  }

  /// The stored watermark of a source ("value type boundary-count"), read as `state list` does.
  std::string Watermark(const std::string& source) {
    std::unique_ptr<engine::Engine> engine;
    engine::Engine* reader = engine_.get();
    if (!persistent_) {
      engine_.reset();
      engine = engine::OpenDuckDbEngine({(project_.dir() / state::kStateFile).string()});
      reader = engine.get();
    }
    std::unique_ptr<engine::Session> session = reader->Connect();
    state::StateStore store(*session);
    store.EnsureSchema();
    for (const state::Watermark& w : store.ListWatermarks("test")) {
      if (w.key.source == source) {
        return fmt::format("{} {} {}", w.value, w.type, w.boundary.size());
      }
    }
    return "none";
  }

 private:
  bool persistent_;
  TempProject project_;
  pipeline::Profile profile_;
  std::unique_ptr<engine::Engine> engine_;
};

constexpr const char* kCsvPipeline =
    "SOURCE src TYPE CSV PARAMS {\"path\": \"data/events.csv\", \"sync_mode\": \"incremental\", "
    "\"cursor_field\": \"ts\"};\n"
    "LOAD events FROM src MODE APPEND;\n";

class IncrementalLoadTest : public ::testing::TestWithParam<bool> {};

TEST_P(IncrementalLoadTest, AppendedRowsAreLoadedOnceAcrossThreeRuns) {
  IncrementalProject p(GetParam());
  p.files().Write("data/events.csv", "id,ts\n1,2026-01-01 10:00:00\n2,2026-01-02 10:00:00\n");
  RunResult first = p.Run(kCsvPipeline);
  ASSERT_TRUE(first.success) << first.error;
  EXPECT_EQ(first.steps[0].rows, 2);
  EXPECT_EQ(p.Watermark("src"), "2026-01-02 10:00:00 TIMESTAMP 1");

  p.files().Write("data/events.csv",
                  "id,ts\n1,2026-01-01 10:00:00\n2,2026-01-02 10:00:00\n3,2026-01-03 09:00:00\n");
  RunResult second = p.Run(kCsvPipeline);
  ASSERT_TRUE(second.success) << second.error;
  EXPECT_EQ(second.steps[0].rows, 1);

  RunResult third = p.Run(kCsvPipeline);
  ASSERT_TRUE(third.success) << third.error;
  EXPECT_EQ(third.steps[0].rows, 0);
  EXPECT_EQ(p.Watermark("src"), "2026-01-03 09:00:00 TIMESTAMP 1");
  if (GetParam()) {
    EXPECT_EQ(p.Query("SELECT id FROM events ORDER BY id"), "1\n2\n3\n");
  }
}

TEST_P(IncrementalLoadTest, RowsAtTheWatermarkNotLoadedYetComeNextAndLoadedOnesDoNot) {
  IncrementalProject p(GetParam());
  p.files().Write("data/events.csv", "id,ts\n1,2026-01-01 10:00:00\n2,2026-01-02 10:00:00\n");
  ASSERT_TRUE(p.Run(kCsvPipeline).success);
  // Row 3 has the watermark's value but was committed at the source after the first read.
  p.files().Write("data/events.csv",
                  "id,ts\n1,2026-01-01 10:00:00\n2,2026-01-02 10:00:00\n3,2026-01-02 10:00:00\n"
                  "4,2026-01-02 11:00:00\n");
  RunResult second = p.Run(kCsvPipeline);
  ASSERT_TRUE(second.success) << second.error;
  EXPECT_EQ(second.steps[0].rows, 2);  // 3 and 4; not 2 again
  p.files().Write("data/events.csv",
                  "id,ts\n1,2026-01-01 10:00:00\n2,2026-01-02 10:00:00\n3,2026-01-02 10:00:00\n"
                  "4,2026-01-02 11:00:00\n5,2026-01-02 11:00:00\n");
  RunResult third = p.Run(kCsvPipeline);
  ASSERT_TRUE(third.success) << third.error;
  EXPECT_EQ(third.steps[0].rows, 1);  // 5 only
  EXPECT_EQ(p.Watermark("src"), "2026-01-02 11:00:00 TIMESTAMP 2");
  if (GetParam()) {
    EXPECT_EQ(p.Query("SELECT id FROM events ORDER BY id"), "1\n2\n3\n4\n5\n");
  }
}

TEST_P(IncrementalLoadTest, PrimaryKeyTellsBoundaryRowsApart) {
  IncrementalProject p(GetParam());
  std::string text =
      "SOURCE src TYPE CSV PARAMS {\"path\": \"data/e.csv\", \"sync_mode\": \"incremental\", "
      "\"cursor_field\": \"day\", \"primary_key\": [\"id\"]};\n"
      "LOAD events FROM src MODE UPSERT KEY id;\n";
  p.files().Write("data/e.csv", "id,day,v\n1,2026-01-01,a\n2,2026-01-02,b\n");
  ASSERT_TRUE(p.Run(text).success);
  EXPECT_EQ(p.Watermark("src"), "2026-01-02 DATE 1");
  // Same day: row 2 is the same row (by key), row 3 is new.
  p.files().Write("data/e.csv", "id,day,v\n1,2026-01-01,a\n2,2026-01-02,b\n3,2026-01-02,c\n");
  RunResult second = p.Run(text);
  ASSERT_TRUE(second.success) << second.error;
  EXPECT_EQ(second.steps[0].rows, 1);
  EXPECT_EQ(p.Watermark("src"), "2026-01-02 DATE 2");
  if (GetParam()) {
    EXPECT_EQ(p.Query("SELECT id, v FROM events ORDER BY id"), "1|a\n2|b\n3|c\n");
  }
}

TEST_P(IncrementalLoadTest, NullCursorsAreLoadedByTheFullReadOnlyAndReported) {
  IncrementalProject p(GetParam());
  p.files().Write("data/events.csv", "id,ts\n1,2026-01-01 10:00:00\n2,\n");
  RunResult first = p.Run(kCsvPipeline);
  ASSERT_TRUE(first.success) << first.error;
  EXPECT_EQ(first.steps[0].rows, 2);
  ASSERT_EQ(first.steps[0].warnings.size(), 1u);
  EXPECT_THAT(first.steps[0].warnings[0], HasSubstr("1 rows of src have a NULL cursor 'ts'"));
  p.files().Write("data/events.csv",
                  "id,ts\n1,2026-01-01 10:00:00\n2,\n3,\n4,2026-01-05 00:00:00\n");
  RunResult second = p.Run(kCsvPipeline);
  ASSERT_TRUE(second.success) << second.error;
  EXPECT_EQ(second.steps[0].rows, 1);  // 4; the NULL cursors are skipped
  ASSERT_EQ(second.steps[0].warnings.size(), 1u);
  EXPECT_THAT(second.steps[0].warnings[0], HasSubstr("2 rows of src have a NULL cursor 'ts' and "
                                                     "were skipped"));
  if (GetParam()) {
    EXPECT_EQ(p.Query("SELECT id FROM events ORDER BY id"), "1\n2\n4\n");
  }
}

TEST_P(IncrementalLoadTest, ParquetTimestampsKeepMicrosecondsAndZone) {
  IncrementalProject p(GetParam());
  auto write_parquet = [&](const std::string& values) {
    auto engine = engine::OpenDuckDbEngine({});
    auto session = engine->Connect();
    session->Execute("SET TimeZone = 'UTC'");
    session->Execute(
        fmt::format("COPY (SELECT * FROM (VALUES {}) v(id, ts)) TO '{}' (FORMAT parquet)", values,
                    (p.files().dir() / "data/e.parquet").string()));
  };
  std::string text =
      "SOURCE src TYPE PARQUET PARAMS {\"path\": \"data/e.parquet\", \"sync_mode\": "
      "\"incremental\", \"cursor_field\": \"ts\"};\nLOAD events FROM src MODE APPEND;\n";
  write_parquet(
      "(1, TIMESTAMPTZ '2026-01-01 10:00:00.123456+00'), "
      "(2, TIMESTAMPTZ '2026-01-01 10:00:00.123455+00')");
  ASSERT_TRUE(p.Run(text).success);
  std::string watermark = p.Watermark("src");
  EXPECT_THAT(watermark, HasSubstr("10:00:00.123456"));
  EXPECT_THAT(watermark, HasSubstr("TIMESTAMPTZ 1"));
  // Nothing new: nothing is read again (a truncated watermark would reload row 1 forever).
  RunResult again = p.Run(text);
  ASSERT_TRUE(again.success) << again.error;
  EXPECT_EQ(again.steps[0].rows, 0);
  write_parquet(
      "(1, TIMESTAMPTZ '2026-01-01 10:00:00.123456+00'), "
      "(2, TIMESTAMPTZ '2026-01-01 10:00:00.123455+00'), "
      "(3, TIMESTAMPTZ '2026-01-01 10:00:00.123457+00')");
  RunResult third = p.Run(text);
  ASSERT_TRUE(third.success) << third.error;
  EXPECT_EQ(third.steps[0].rows, 1);
}

TEST_P(IncrementalLoadTest, AFailedLoadLeavesTableAndWatermarkAsTheyWere) {
  IncrementalProject p(GetParam());
  std::string text =
      "SOURCE src TYPE CSV PARAMS {\"path\": \"data/events.csv\", \"sync_mode\": "
      "\"incremental\", \"cursor_field\": \"ts\", \"column_types\": {\"id\": \"INTEGER\", "
      "\"ts\": \"TIMESTAMP\"}};\n"
      "LOAD events FROM src MODE APPEND;\n";
  p.files().Write("data/events.csv", "id,ts\n1,2026-01-01 10:00:00\n");
  ASSERT_TRUE(p.Run(text).success);
  p.files().Write("data/events.csv",
                  "id,ts\n1,2026-01-01 10:00:00\n2,2026-01-02 10:00:00\nnot-a-number,2026-01-03 "
                  "10:00:00\n");
  RunResult failed = p.Run(text);
  ASSERT_FALSE(failed.success);
  EXPECT_EQ(p.Watermark("src"), "2026-01-01 10:00:00 TIMESTAMP 1");
  if (GetParam()) {
    EXPECT_EQ(p.Query("SELECT id FROM events ORDER BY id"), "1\n");
  }
  p.files().Write("data/events.csv",
                  "id,ts\n1,2026-01-01 10:00:00\n2,2026-01-02 10:00:00\n3,2026-01-03 10:00:00\n");
  RunResult fixed = p.Run(text);
  ASSERT_TRUE(fixed.success) << fixed.error;
  EXPECT_EQ(fixed.steps[0].rows, 2);
  if (GetParam()) {
    EXPECT_EQ(p.Query("SELECT id FROM events ORDER BY id"), "1\n2\n3\n");
  }
}

TEST_P(IncrementalLoadTest, InitialValueStartsTheFirstRun) {
  IncrementalProject p(GetParam());
  std::string text =
      "SOURCE src TYPE CSV PARAMS {\"path\": \"data/events.csv\", \"sync_mode\": "
      "\"incremental\", \"cursor_field\": \"id\", \"initial_value\": \"2\"};\n"
      "LOAD events FROM src MODE APPEND;\n";
  p.files().Write("data/events.csv", "id\n1\n2\n3\n");
  RunResult run = p.Run(text);
  ASSERT_TRUE(run.success) << run.error;
  EXPECT_EQ(run.steps[0].rows, 2);
  EXPECT_EQ(p.Watermark("src"), "3 BIGINT 1");
}

TEST_P(IncrementalLoadTest, TwoSourcesLoadedAtOnceKeepTheirOwnWatermarks) {
  // The two LOADs run in parallel, each committing its watermark with its rows.
  IncrementalProject p(GetParam());
  std::string text =
      "SOURCE a TYPE CSV PARAMS {\"path\": \"data/a.csv\", \"sync_mode\": \"incremental\", "
      "\"cursor_field\": \"n\"};\n"
      "SOURCE b TYPE CSV PARAMS {\"path\": \"data/b.csv\", \"sync_mode\": \"incremental\", "
      "\"cursor_field\": \"n\"};\n"
      "LOAD ta FROM a MODE APPEND;\nLOAD tb FROM b MODE APPEND;\n";
  std::string a = "n\n1\n";
  std::string b = "n\n100\n";
  for (int run = 0; run < 3; ++run) {
    a += std::to_string(2 + run) + "\n";
    b += std::to_string(1000 * (run + 1)) + "\n" + std::to_string(1000 * (run + 1) + 1) + "\n";
    p.files().Write("data/a.csv", a);
    p.files().Write("data/b.csv", b);
    RunResult result = p.Run(text);
    ASSERT_TRUE(result.success) << result.error;
    EXPECT_EQ(result.steps[0].rows, run == 0 ? 2 : 1);
    EXPECT_EQ(result.steps[1].rows, run == 0 ? 3 : 2);
  }
  EXPECT_EQ(p.Watermark("a"), "4 BIGINT 1");
  EXPECT_EQ(p.Watermark("b"), "3001 BIGINT 1");
}

TEST_P(IncrementalLoadTest, AConnectorWithoutPushdownReadsThroughReadIncremental) {
  // MEMORY is not scanned by DuckDB: the rows come from its read_incremental() (cursor >=
  // watermark), and the boundary rows already loaded are dropped as for files.
  IncrementalProject p(GetParam());
  std::string table = std::string("incremental_memory_") + (GetParam() ? "p" : "m");
  auto fill = [&](const std::string& values) {
    TempProject scratch;
    Plan plan = PlanText(fmt::format("CREATE TABLE t AS SELECT * FROM (VALUES {}) v(id, c);\n"
                                     "EXPORT SELECT * FROM t TO \"{}\" TYPE MEMORY;\n",
                                     values, table),
                         scratch);
    auto engine = engine::OpenDuckDbEngine({});
    ASSERT_TRUE(Executor(plan, *engine, BuiltinRegistry(), {}).Run().success);
  };
  std::string text = fmt::format(
      "SOURCE src TYPE MEMORY PARAMS {{\"table\": \"{}\", \"sync_mode\": \"incremental\", "
      "\"cursor_field\": \"c\"}};\nLOAD t FROM src MODE APPEND;\n",
      table);
  fill("(1, 10), (2, 20), (3, 20)");
  RunResult first = p.Run(text);
  ASSERT_TRUE(first.success) << first.error;
  EXPECT_EQ(first.steps[0].rows, 3);
  EXPECT_EQ(p.Watermark("src"), "20 INTEGER 2");
  fill("(1, 10), (2, 20), (3, 20), (4, 20), (5, 30)");
  RunResult second = p.Run(text);
  ASSERT_TRUE(second.success) << second.error;
  EXPECT_EQ(second.steps[0].rows, 2);
  EXPECT_EQ(p.Watermark("src"), "30 INTEGER 1");
}

TEST_P(IncrementalLoadTest, IncrementalTransformWindowStartsAtTheStoredWatermarkMinusLookback) {
  // Run 2 processes (stored end - 1 day, newest day]: the late event of the 2nd and the 3rd.
  // Persistent: the window's days are replaced in the kept table. Memory: the table of the
  // run holds the window only.
  IncrementalProject p(GetParam());
  std::string text =
      "SOURCE e TYPE CSV PARAMS {\"path\": \"data/events.csv\"};\nLOAD events FROM e;\n"
      "CREATE TABLE daily MODE INCREMENTAL BY day LOOKBACK '1 day' AS\n"
      "  SELECT day, count(*) AS n FROM events\n"
      "  WHERE day > @start_date AND day <= @end_date GROUP BY day;\n"
      "EXPORT SELECT * FROM daily ORDER BY day TO \"output/daily.csv\" TYPE CSV;\n";
  p.files().Write("data/events.csv", "day\n2026-01-01\n2026-01-02\n2026-01-02\n");
  ASSERT_TRUE(p.Run(text).success);
  EXPECT_EQ(p.files().Read("output/daily.csv"), "day,n\n2026-01-01,1\n2026-01-02,2\n");
  EXPECT_EQ(p.Watermark("daily"), "2026-01-02 00:00:00 TIMESTAMP 0");
  p.files().Write("data/events.csv",
                  "day\n2026-01-01\n2026-01-02\n2026-01-02\n2026-01-02\n2026-01-03\n");
  RunResult second = p.Run(text);
  ASSERT_TRUE(second.success) << second.error;
  EXPECT_EQ(second.steps[1].rows, 2);
  EXPECT_EQ(p.files().Read("output/daily.csv"),
            GetParam() ? "day,n\n2026-01-01,1\n2026-01-02,3\n2026-01-03,1\n"
                       : "day,n\n2026-01-02,3\n2026-01-03,1\n");
  EXPECT_EQ(p.Watermark("daily"), "2026-01-03 00:00:00 TIMESTAMP 0");
}

TEST(IncrementalLoadPlanTest, AnIncrementalSourceIsLoadedOnceAndItsKeyColumnsExist) {
  TempProject project;
  project.Write("data/e.csv", "id,n\n1,1\n");
  std::vector<std::string> errors = testing::PlanErrors(
      "SOURCE src TYPE CSV PARAMS {\"path\": \"data/e.csv\", \"sync_mode\": \"incremental\", "
      "\"cursor_field\": \"n\", \"primary_key\": [\"idd\"]};\n"
      "LOAD a FROM src MODE APPEND;\nLOAD b FROM src MODE APPEND;\n",
      project);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0],
            "1:28: primary_key column 'idd' of source 'src' is not a column of its data [did you "
            "mean 'id'?]");
  EXPECT_THAT(errors[1],
              HasSubstr("3:13: incremental source 'src' is loaded twice (into a and b)"));
}

TEST_P(IncrementalLoadTest, ATransformOverNoRowsStoresNoWatermark) {
  // Its window ended "now"; storing that would skip every row dated before now that arrives.
  IncrementalProject p(GetParam());
  std::string text =
      "SOURCE e TYPE CSV PARAMS {\"path\": \"data/e.csv\", \"column_types\": {\"d\": "
      "\"DATE\"}};\nLOAD events FROM e;\n"
      "CREATE TABLE daily MODE INCREMENTAL BY d AS SELECT d, count(*) AS n FROM events\n"
      "  WHERE d > @start_date AND d <= @end_date GROUP BY d;\n";
  p.files().Write("data/e.csv", "d\n");
  ASSERT_TRUE(p.Run(text).success);
  EXPECT_EQ(p.Watermark("daily"), "none");
  p.files().Write("data/e.csv", "d\n2026-01-01\n");
  RunResult second = p.Run(text);
  ASSERT_TRUE(second.success) << second.error;
  EXPECT_EQ(second.steps[1].rows, 1);
}

INSTANTIATE_TEST_SUITE_P(Modes, IncrementalLoadTest, ::testing::Values(true, false),
                         [](const ::testing::TestParamInfo<bool>& mode) {
                           return mode.param ? "Persistent" : "Memory";
                         });

TEST(IncrementalLoadFileStateTest, AFailedRunLeavesTheStateFileUnchanged) {
  // Memory mode: the watermark is stored when the whole run succeeds, so rows whose EXPORT
  // failed are read again by the next run.
  IncrementalProject p(false);
  std::string text = std::string(kCsvPipeline) +
                     "EXPORT SELECT * FROM events ORDER BY id TO \"${out}\" TYPE CSV;\n";
  p.files().Write("data/events.csv", "id,ts\n1,2026-01-01 10:00:00\n");
  ASSERT_TRUE(p.Run("SET out = \"output/a.csv\";\n" + text).success);
  p.files().Write("data/events.csv", "id,ts\n1,2026-01-01 10:00:00\n2,2026-01-02 10:00:00\n");
  p.files().Write("blocked", "a file where a directory should be");
  RunResult failed = p.Run("SET out = \"blocked/b.csv\";\n" + text);
  ASSERT_FALSE(failed.success);
  EXPECT_EQ(p.Watermark("src"), "2026-01-01 10:00:00 TIMESTAMP 1");
  RunResult again = p.Run("SET out = \"output/c.csv\";\n" + text);
  ASSERT_TRUE(again.success) << again.error;
  EXPECT_EQ(again.steps[0].rows, 1);
  EXPECT_EQ(p.files().Read("output/c.csv"), "id,ts\n2,2026-01-02 10:00:00\n");
}

TEST(IncrementalLoadPlanTest, CursorFieldMustBeAColumnOfTheData) {
  TempProject project;
  project.Write("data/e.csv", "id,updated_at\n1,2026-01-01\n");
  EXPECT_THAT(
      testing::PlanErrors("SOURCE src TYPE CSV PARAMS {\"path\": \"data/e.csv\", \"sync_mode\": "
                          "\"incremental\", \"cursor_field\": \"updated\"};\nLOAD e FROM src;\n",
                          project),
      ElementsAre("1:28: cursor_field 'updated' of source 'src' is not a column of its "
                  "data [did you mean 'updated_at'?]"));
}

TEST(IncrementalLoadPlanTest, PersistentReplaceOfAnIncrementalSourceIsRefused) {
  TempProject project;
  project.Write("data/e.csv", "id\n1\n");
  pipeline::Profile profile;
  profile.engine.persistent = true;
  std::vector<std::string> errors = testing::PlanErrors(
      "SOURCE src TYPE CSV PARAMS {\"path\": \"data/e.csv\", \"sync_mode\": \"incremental\", "
      "\"cursor_field\": \"id\"};\nLOAD e FROM src;\n",
      project, {}, profile);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0], HasSubstr("2:6: LOAD e FROM src would replace the table"));
  EXPECT_THAT(errors[0], HasSubstr("[write MODE APPEND"));
}

}  // namespace
}  // namespace sqlflow::runner
