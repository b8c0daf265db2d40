#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqlflow/cli/pipeline_command.h"
#include "sqlflow/cli/test_fakes.h"
#include "sqlflow/engine/engine.h"

namespace sqlflow::cli {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::StartsWith;

state::StepRecord Step(std::string id, std::string status, int64_t rows, int64_t bytes,
                       std::string error = "") {
  state::StepRecord step;
  step.step_id = std::move(id);
  step.status = std::move(status);
  step.rows = rows;
  step.bytes = bytes;
  if (step.status != "skipped") {
    step.started_at = "2026-01-02T03:04:05.000Z";
    step.finished_at = "2026-01-02T03:04:06.500Z";
  }
  step.error = std::move(error);
  return step;
}

state::RunRecord MakeRun(std::string run_id, std::string pipeline, std::string status,
                         std::string started_at) {
  state::RunRecord run;
  run.run_id = std::move(run_id);
  run.pipeline = std::move(pipeline);
  run.profile = "dev";
  run.status = std::move(status);
  run.started_at = std::move(started_at);
  return run;
}

// Two runs of `sales` (the newer failed) and one of `other`, as a run records them.
std::vector<state::RunRecord> SampleRuns() {
  state::RunRecord ok = MakeRun("r1", "sales", "success", "2026-01-01T00:00:00.000Z");
  ok.finished_at = "2026-01-01T00:00:02.000Z";
  ok.steps = {Step("load_sales", "success", 3000, 45000), Step("totals", "success", 2, 0)};
  state::RunRecord failed = MakeRun("r2", "sales", "failed", "2026-01-02T03:04:05.000Z");
  failed.finished_at = "2026-01-02T03:04:07.000Z";
  failed.error = "step 'load_sales' failed";
  failed.steps = {Step("load_sales", "failed", 0, 0, "CSV read: file 'sales.csv' not found"),
                  Step("totals", "skipped", 0, 0)};
  state::RunRecord other = MakeRun("r3", "other", "success", "2026-01-01T12:00:00.000Z");
  other.finished_at = "2026-01-01T12:00:01.000Z";
  return {ok, failed, other};
}

TEST(CliHistoryTextTest, RunsThenTheStepsOfEach) {
  std::vector<state::RunRecord> runs = SampleRuns();
  EXPECT_EQ(HistoryText({runs[1], runs[0]}),
            "  RUN  PIPELINE  PROFILE  STATUS   STARTED                   FINISHED              "
            "    STEPS\n"
            "  r2   sales     dev      failed   2026-01-02T03:04:05.000Z  2026-01-02T03:04:07.000Z"
            "  0/2\n"
            "  r1   sales     dev      success  2026-01-01T00:00:00.000Z  2026-01-01T00:00:02.000Z"
            "  2/2\n"
            "\n"
            "Run r2 (sales, profile dev): failed: step 'load_sales' failed\n"
            "  STEP        STATUS   ROWS  BYTES  STARTED                   FINISHED              "
            "    ERROR\n"
            "  load_sales  failed   0     -      2026-01-02T03:04:05.000Z  2026-01-02T03:04:06.500Z"
            "  CSV read: file 'sales.csv' not found\n"
            "  totals      skipped  0     -      -                         -                       "
            "  -\n"
            "\n"
            "Run r1 (sales, profile dev): success\n"
            "  STEP        STATUS   ROWS   BYTES    STARTED                   FINISHED\n"
            "  load_sales  success  3,000  45.0 KB  2026-01-02T03:04:05.000Z  "
            "2026-01-02T03:04:06.500Z\n"
            "  totals      success  2      -        2026-01-02T03:04:05.000Z  "
            "2026-01-02T03:04:06.500Z\n");
}

TEST(CliHistoryTextTest, ARunStillRunningHasNoFinishOrSteps) {
  state::RunRecord running = MakeRun("r9", "sales", "running", "2026-01-01T00:00:00.000Z");
  EXPECT_EQ(HistoryText({running}),
            "  RUN  PIPELINE  PROFILE  STATUS   STARTED                   FINISHED  STEPS\n"
            "  r9   sales     dev      running  2026-01-01T00:00:00.000Z  -         0/0\n"
            "\n"
            "Run r9 (sales, profile dev): running\n"
            "  (no steps recorded)\n");
}

class CliHistoryCommandTest : public testing::CliCommandTest {
 protected:
  CliHistoryCommandTest() : CliCommandTest("sqlflow-history") {}
  void SetUp() override {
    CliCommandTest::SetUp();
    Write("profiles/dev.yml", "engines:\n  duckdb:\n    mode: memory\n");
    Write("pipelines/sales.sf", "");
  }
  int RunCommand(std::vector<std::string> args) { return RunInProject(std::move(args)); }

  // Record SampleRuns() in target/state.duckdb as runs record them.
  void RecordSampleRuns() const {
    std::unique_ptr<engine::Engine> engine =
        engine::OpenDuckDbEngine({.path = (dir_ / "target" / "state.duckdb").string()});
    std::unique_ptr<engine::Session> session = engine->Connect();
    state::StateStore store(*session);
    store.EnsureSchema();
    for (const state::RunRecord& run : SampleRuns()) store.RecordRunEnd(run);
  }
};

TEST_F(CliHistoryCommandTest, NothingRecordedCreatesNothing) {
  EXPECT_EQ(RunCommand({"pipeline", "history"}), 0) << err_.str();
  EXPECT_EQ(out_.str(), "No runs recorded for profile dev (state: target/state.duckdb)\n");
  EXPECT_EQ(RunCommand({"pipeline", "history", "sales", "--json"}), 0);
  EXPECT_EQ(out_.str(), "[]\n");
  EXPECT_FALSE(fs::exists(dir_ / "target"));
}

TEST_F(CliHistoryCommandTest, NewestFirstWithLimitAndPipeline) {
  RecordSampleRuns();
  EXPECT_EQ(RunCommand({"pipeline", "history"}), 0) << err_.str();
  EXPECT_THAT(out_.str(), StartsWith("  RUN  PIPELINE  PROFILE  STATUS "));
  EXPECT_THAT(out_.str(), HasSubstr("\n  r2   sales  "));
  EXPECT_LT(out_.str().find("\n  r2 "), out_.str().find("\n  r3 "));
  EXPECT_LT(out_.str().find("\n  r3 "), out_.str().find("\n  r1 "));

  EXPECT_EQ(RunCommand({"pipeline", "history", "sales", "--limit", "1", "--json"}), 0);
  nlohmann::json json = nlohmann::json::parse(out_.str());
  ASSERT_EQ(json.size(), 1u);
  EXPECT_EQ(json[0], SampleRuns()[1].ToJson());

  EXPECT_EQ(RunCommand({"pipeline", "history", "--limit", "0", "--json"}), 0);
  EXPECT_EQ(nlohmann::json::parse(out_.str()).size(), 3u);
}

TEST_F(CliHistoryCommandTest, AnUnknownPipelineIsInvalidUnlessItHasHistory) {
  RecordSampleRuns();
  // `other` has no file any more, but its runs are still shown.
  EXPECT_EQ(RunCommand({"pipeline", "history", "other"}), 0) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("Run r3 (other, profile dev): success\n"));
  EXPECT_EQ(RunCommand({"pipeline", "history", "sale"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("pipeline 'sale' not found"));
  EXPECT_THAT(err_.str(), HasSubstr("(did you mean 'sales'?)"));
  EXPECT_EQ(RunCommand({"pipeline", "history", "--limit", "-1"}), 2);
}

}  // namespace
}  // namespace sqlflow::cli
