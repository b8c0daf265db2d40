#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sqlflow/common/clock.h"
#include "sqlflow/common/error.h"
#include "sqlflow/engine/engine.h"
#include "sqlflow/state/state_store.h"

namespace sqlflow::state {
namespace {

RunRecord MakeRun(const std::string& run_id, const std::string& pipeline,
                  const std::string& started_at) {
  return RunRecord{run_id, pipeline, "dev", "running", started_at, "", "", {}};
}

StepRecord MakeStep(const std::string& step_id, const std::string& status, int64_t rows) {
  return StepRecord{"",
                    step_id,
                    status,
                    rows,
                    rows * 100,
                    "2026-01-01T00:00:01.000Z",
                    "2026-01-01T00:00:02.000Z",
                    status == "failed" ? "boom: it's broken" : ""};
}

std::vector<std::string> RunIds(const std::vector<RunRecord>& runs) {
  std::vector<std::string> ids;
  ids.reserve(runs.size());
  for (const RunRecord& run : runs) ids.push_back(run.run_id);
  return ids;
}

std::vector<std::string> StepIds(const RunRecord& run) {
  std::vector<std::string> ids;
  ids.reserve(run.steps.size());
  for (const StepRecord& step : run.steps) ids.push_back(step.step_id);
  return ids;
}

class RunHistoryTest : public ::testing::Test {
 protected:
  RunHistoryTest()
      : engine_(engine::OpenDuckDbEngine({})), session_(engine_->Connect()), store_(*session_) {
    store_.EnsureSchema();
  }

  std::unique_ptr<engine::Engine> engine_;
  std::unique_ptr<engine::Session> session_;
  StateStore store_;
};

TEST_F(RunHistoryTest, RecordRunStartStoresARunningRunWithoutSteps) {
  RunRecord run = MakeRun("r1", "sales", "2026-01-01T00:00:00.000Z");
  run.status = "";
  store_.RecordRunStart(run);
  std::vector<RunRecord> history = store_.History();
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].run_id, "r1");
  EXPECT_EQ(history[0].pipeline, "sales");
  EXPECT_EQ(history[0].profile, "dev");
  EXPECT_EQ(history[0].status, "running");
  EXPECT_EQ(history[0].started_at, "2026-01-01T00:00:00.000Z");
  EXPECT_EQ(history[0].finished_at, "");
  EXPECT_EQ(history[0].error, "");
  EXPECT_TRUE(history[0].steps.empty());
  EXPECT_EQ(session_->QueryScalar("SELECT finished_at IS NULL AND error IS NULL FROM "
                                  "sqlflow_runs"),
            "true");
}

TEST_F(RunHistoryTest, RecordRunEndUpdatesTheRunAndReplacesItsSteps) {
  store_.RecordRunStart(MakeRun("r1", "sales", "2026-01-01T00:00:00.000Z"));
  RunRecord end = MakeRun("r1", "sales", "2026-01-01T00:00:00.000Z");
  end.status = "failed";
  end.finished_at = "2026-01-01T00:00:09.000Z";
  end.error = "step load_orders failed";
  end.steps = {MakeStep("load_orders", "failed", 0), MakeStep("report", "skipped", 0)};
  store_.RecordRunEnd(end);
  end.steps = {MakeStep("zeta_load", "success", 7), MakeStep("alpha_transform", "success", 3),
               MakeStep("mid_export", "failed", 1)};
  store_.RecordRunEnd(end);

  std::vector<RunRecord> history = store_.History();
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].status, "failed");
  EXPECT_EQ(history[0].finished_at, "2026-01-01T00:00:09.000Z");
  EXPECT_EQ(history[0].error, "step load_orders failed");
  EXPECT_EQ(StepIds(history[0]),
            (std::vector<std::string>{"zeta_load", "alpha_transform", "mid_export"}));
  const StepRecord& step = history[0].steps[2];
  EXPECT_EQ(step.run_id, "r1");
  EXPECT_EQ(step.status, "failed");
  EXPECT_EQ(step.rows, 1);
  EXPECT_EQ(step.bytes, 100);
  EXPECT_EQ(step.started_at, "2026-01-01T00:00:01.000Z");
  EXPECT_EQ(step.finished_at, "2026-01-01T00:00:02.000Z");
  EXPECT_EQ(step.error, "boom: it's broken");
  EXPECT_EQ(session_->CountRows("sqlflow_run_steps"), 3);
  EXPECT_EQ(session_->CountRows("sqlflow_runs"), 1);
}

TEST_F(RunHistoryTest, RecordRunEndWithoutAStartInsertsTheRun) {
  RunRecord run = MakeRun("r1", "sales", "2026-01-01T00:00:00.000Z");
  run.status = "success";
  run.finished_at = "2026-01-01T00:00:01.000Z";
  run.steps = {MakeStep("load", "success", 9223372036854775807 / 100)};
  store_.RecordRunEnd(run);
  std::vector<RunRecord> history = store_.History();
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].ToJson(), run.ToJson());
  EXPECT_EQ(history[0].steps[0].bytes, 9223372036854775800);
}

TEST_F(RunHistoryTest, HistoryIsNewestFirstByStartThenRunIdWithLimitAndPipelineFilter) {
  store_.RecordRunStart(MakeRun("r-b", "sales", "2026-01-02T00:00:00.000Z"));
  store_.RecordRunStart(MakeRun("r-a", "sales", "2026-01-02T00:00:00.000Z"));
  store_.RecordRunStart(MakeRun("r-old", "sales", "2026-01-01T00:00:00.000Z"));
  store_.RecordRunStart(MakeRun("r-new", "billing", "2026-01-03T00:00:00.000Z"));
  RunRecord end = MakeRun("r-a", "sales", "2026-01-02T00:00:00.000Z");
  end.steps = {MakeStep("s2", "success", 2), MakeStep("s1", "success", 1)};
  store_.RecordRunEnd(end);

  EXPECT_EQ(RunIds(store_.History()), (std::vector<std::string>{"r-new", "r-b", "r-a", "r-old"}));
  EXPECT_EQ(RunIds(store_.History("", 2)), (std::vector<std::string>{"r-new", "r-b"}));
  EXPECT_EQ(RunIds(store_.History("sales")), (std::vector<std::string>{"r-b", "r-a", "r-old"}));
  EXPECT_EQ(RunIds(store_.History("sales", 1)), (std::vector<std::string>{"r-b"}));
  EXPECT_EQ(RunIds(store_.History("", 0)).size(), 4u);
  EXPECT_TRUE(store_.History("nobody").empty());
  std::vector<RunRecord> sales = store_.History("sales");
  EXPECT_TRUE(sales[0].steps.empty());
  EXPECT_EQ(StepIds(sales[1]), (std::vector<std::string>{"s2", "s1"}));
  EXPECT_TRUE(sales[2].steps.empty());
}

TEST_F(RunHistoryTest, AFailedRecordRunEndLeavesTheRunAsItWas) {
  store_.RecordRunStart(MakeRun("r1", "sales", "2026-01-01T00:00:00.000Z"));
  RunRecord end = MakeRun("r1", "sales", "2026-01-01T00:00:00.000Z");
  end.status = "success";
  end.steps = {MakeStep("load", "success", 1), MakeStep("load", "success", 2)};
  try {
    store_.RecordRunEnd(end);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.message(), "run 'r1' lists step 'load' twice: a run records each step once");
  }
  // A statement failing after the run's row was replaced rolls that row back too.
  session_->Execute("ALTER TABLE sqlflow_run_steps RENAME TO steps_away");
  end.steps = {MakeStep("load", "success", 1)};
  EXPECT_THROW(store_.RecordRunEnd(end), Error);
  session_->Execute("ALTER TABLE steps_away RENAME TO sqlflow_run_steps");
  std::vector<RunRecord> history = store_.History();
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].status, "running");
  EXPECT_TRUE(history[0].steps.empty());
  // The session is usable afterwards: no transaction was left open.
  store_.RecordRunEnd(end);
  EXPECT_EQ(store_.History()[0].status, "success");
}

TEST_F(RunHistoryTest, RunWritesJoinTheCallersTransaction) {
  store_.RecordRunStart(MakeRun("r1", "sales", "2026-01-01T00:00:00.000Z"));
  RunRecord end = MakeRun("r1", "sales", "2026-01-01T00:00:00.000Z");
  end.status = "success";
  end.steps = {MakeStep("load", "success", 1)};
  session_->Execute("BEGIN TRANSACTION");
  store_.RecordRunEnd(end);
  EXPECT_EQ(store_.History()[0].status, "success");
  session_->Execute("ROLLBACK");
  EXPECT_EQ(store_.History()[0].status, "running");
  EXPECT_EQ(session_->CountRows("sqlflow_run_steps"), 0);

  session_->Execute("BEGIN TRANSACTION");
  store_.RecordRunEnd(end);
  session_->Execute("COMMIT");  // Fails if RecordRunEnd had ended the caller's transaction.
  EXPECT_EQ(store_.History()[0].status, "success");
  EXPECT_EQ(session_->CountRows("sqlflow_run_steps"), 1);
}

TEST_F(RunHistoryTest, TimesLeftEmptyAreStampedByTheClockOrKept) {
  auto clock = std::make_shared<FakeClock>();  // 2023-11-14T22:13:20Z.
  StateStore store(*session_, clock);
  store.RecordRunStart(MakeRun("r1", "sales", ""));
  clock->Advance(std::chrono::milliseconds(1500));
  RunRecord end = MakeRun("r1", "sales", "");
  end.status = "success";
  store.RecordRunEnd(end);
  std::vector<RunRecord> history = store.History();
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].started_at, "2023-11-14T22:13:20.000Z");
  EXPECT_EQ(history[0].finished_at, "2023-11-14T22:13:21.500Z");
}

TEST(RunRecord, ToJsonHasTheDocumentedShape) {
  RunRecord run{"r1",
                "sales",
                "prod",
                "failed",
                "2026-01-01T00:00:00.000Z",
                "2026-01-01T00:00:03.000Z",
                "step load failed",
                {}};
  run.steps = {MakeStep("load", "failed", 0), MakeStep("export", "skipped", 0)};
  run.steps[1].started_at = "";
  run.steps[1].finished_at = "";
  EXPECT_EQ(run.ToJson(), nlohmann::json::parse(R"({
    "run_id": "r1", "pipeline": "sales", "profile": "prod", "status": "failed",
    "started_at": "2026-01-01T00:00:00.000Z", "finished_at": "2026-01-01T00:00:03.000Z",
    "error": "step load failed",
    "steps": [
      {"step_id": "load", "status": "failed", "rows": 0, "bytes": 0,
       "started_at": "2026-01-01T00:00:01.000Z", "finished_at": "2026-01-01T00:00:02.000Z",
       "error": "boom: it's broken"},
      {"step_id": "export", "status": "skipped", "rows": 0, "bytes": 0,
       "started_at": null, "finished_at": null, "error": null}]})"));
  RunRecord running{"r2", "sales", "dev", "running", "2026-01-01T00:00:00.000Z", "", "", {}};
  EXPECT_EQ(running.ToJson(), nlohmann::json::parse(R"({
    "run_id": "r2", "pipeline": "sales", "profile": "dev", "status": "running",
    "started_at": "2026-01-01T00:00:00.000Z", "finished_at": null, "error": null,
    "steps": []})"));
}

}  // namespace
}  // namespace sqlflow::state
