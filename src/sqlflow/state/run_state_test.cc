#include "sqlflow/state/run_state.h"

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "sqlflow/common/clock.h"
#include "sqlflow/common/error.h"
#include "sqlflow/engine/engine.h"
#include "sqlflow/state/state_store.h"

#include "tests/support/files.h"
#include "tests/support/locked_duckdb_file.h"

namespace sqlflow::state {
namespace {

constexpr const char* kPipeline = "sales";

WatermarkKey Key(const std::string& source) {
  return WatermarkKey{kPipeline, source, "orders.csv", "id"};
}

Watermark MakeWatermark(const std::string& source, const std::string& value) {
  Watermark watermark;
  watermark.key = Key(source);
  watermark.value = value;
  watermark.type = "BIGINT";
  watermark.boundary = {"id=" + value};
  watermark.run_id = "run-1";
  return watermark;
}

RunRecord MakeRun(const std::string& run_id, const std::string& status) {
  RunRecord run{run_id, kPipeline, "dev", status, "", "", "", {}};
  run.steps.push_back(StepRecord{"", "load_orders", status, 3, 300, "2026-01-01T00:00:01.000Z",
                                 "2026-01-01T00:00:02.000Z", status == "failed" ? "boom" : ""});
  return run;
}

/// Load three rows into `table` on `session`, putting `watermark` from the load's before_commit
/// hook as the runner does; the load fails after the Put when `fail` is set.
void LoadWithWatermark(engine::Session& session, RunState& state, const std::string& table,
                       const Watermark& watermark, bool fail = false) {
  engine::LoadOptions options;
  options.before_commit = [&](engine::Session& load_session) {
    state.Put(watermark, load_session);
    if (fail) throw Error("the step failed after its Put", ErrorClass::kPermanent);
  };
  session.LoadRelation(table, "(SELECT * FROM range(3) t(id))", options);
}

std::string Value(const std::optional<Watermark>& watermark) {
  return watermark ? watermark->value : "(none)";
}

std::unique_ptr<engine::Engine> InMemoryEngine() {
  engine::EngineOptions options;
  options.threads = 1;  // No worker threads: LockedDuckDbFile forks.
  return engine::OpenDuckDbEngine(options);
}

/// The history of the state file `path`, read on a fresh engine.
std::vector<RunRecord> FileHistory(const std::filesystem::path& path) {
  std::unique_ptr<engine::Engine> engine = engine::OpenDuckDbEngine({.path = path.string()});
  std::unique_ptr<engine::Session> session = engine->Connect();
  return StateStore(*session).History();
}

// Engine mode.

class EngineRunStateTest : public ::testing::Test {
 protected:
  EngineRunStateTest()
      : engine_(engine::OpenDuckDbEngine({.path = (dir_ / "sqlflow.duckdb").string()})),
        clock_(std::make_shared<FakeClock>()),
        state_(OpenEngineRunState(*engine_, clock_)),
        session_(engine_->Connect()) {}

  sqlflow::testing::TempDir dir_{"sqlflow-run-state"};
  std::unique_ptr<engine::Engine> engine_;
  std::shared_ptr<FakeClock> clock_;
  std::unique_ptr<RunState> state_;
  std::unique_ptr<engine::Session> session_;
};

TEST_F(EngineRunStateTest, OpeningCreatesTheStateTablesInTheEnginesDatabase) {
  EXPECT_EQ(session_->Tables(),
            (std::vector<std::string>{"sqlflow_run_steps", "sqlflow_runs", "sqlflow_watermarks"}));
  EXPECT_EQ(state_->Get(Key("orders"), *session_), std::nullopt);
}

TEST_F(EngineRunStateTest, APutCommitsWithItsLoadOrRollsBackWithIt) {
  LoadWithWatermark(*session_, *state_, "orders", MakeWatermark("orders", "2"));
  EXPECT_EQ(Value(state_->Get(Key("orders"), *session_)), "2");

  EXPECT_THROW(LoadWithWatermark(*session_, *state_, "orders", MakeWatermark("orders", "5"),
                                 /*fail=*/true),
               Error);
  std::optional<Watermark> got = state_->Get(Key("orders"), *session_);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->value, "2");
  EXPECT_EQ(got->boundary, std::vector<std::string>{"id=2"});
  EXPECT_EQ(got->updated_at, "2023-11-14T22:13:20.000Z");  // Stamped by the FakeClock.
  std::unique_ptr<engine::Session> other = engine_->Connect();
  EXPECT_EQ(Value(state_->Get(Key("orders"), *other)), "2");
}

TEST_F(EngineRunStateTest, APutThatDoesNotReadBackExactlyThrowsIncrementalError) {
  Watermark watermark = MakeWatermark("orders", "2024-01-02 03:04:05.1234567");
  watermark.type = "TIMESTAMP";
  EXPECT_THROW(state_->Put(watermark, *session_), IncrementalError);
  EXPECT_EQ(state_->Get(Key("orders"), *session_), std::nullopt);
}

TEST_F(EngineRunStateTest, StartRecordsARunningRunAtOnceAndFinishItsEnd) {
  RunRecord run = MakeRun("run-1", "");
  run.steps.clear();
  state_->Start(run);
  std::vector<RunRecord> history = StateStore(*session_).History();
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].status, "running");
  EXPECT_EQ(history[0].started_at, "2023-11-14T22:13:20.000Z");

  clock_->Advance(std::chrono::seconds(2));
  state_->Finish(MakeRun("run-1", "success"));
  history = StateStore(*session_).History();
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].status, "success");
  EXPECT_EQ(history[0].started_at, "2023-11-14T22:13:20.000Z");
  EXPECT_EQ(history[0].finished_at, "2023-11-14T22:13:22.000Z");
  ASSERT_EQ(history[0].steps.size(), 1u);
  EXPECT_EQ(history[0].steps[0].step_id, "load_orders");
}

// Steps run on threads of their own, each with its own session, and store each watermark once
// a run, like the runner; every third one is first tried by a load that fails after its Put (a
// retried step). Storing the same key twice while another transaction that overlapped the first
// store is still open fails DuckDB 1.4.4's COMMIT with a write-write conflict (the VARCHAR[]
// column turns the replace into a delete and an insert), so this test does not do that.
TEST_F(EngineRunStateTest, StepsOnTwoThreadsGetAndPutConcurrently) {
  constexpr int kLoads = 12;
  std::vector<std::string> failures(2);
  auto step = [&](int thread) {
    try {
      std::unique_ptr<engine::Session> session = engine_->Connect();
      for (int i = 1; i <= kLoads; ++i) {
        std::string source = fmt::format("source_{}_{}", thread, i);
        std::string table = fmt::format("orders_{}", thread);
        if (i % 3 == 0) {
          EXPECT_THROW(LoadWithWatermark(*session, *state_, table, MakeWatermark(source, "99"),
                                         /*fail=*/true),
                       Error);
          if (state_->Get(Key(source), *session)) failures[thread] += source + " stored; ";
        }
        LoadWithWatermark(*session, *state_, table, MakeWatermark(source, std::to_string(i)));
        std::string got = Value(state_->Get(Key(source), *session));
        if (got != std::to_string(i)) failures[thread] += source + " = " + got + "; ";
      }
    } catch (const std::exception& e) {
      failures[thread] += e.what();
    }
  };
  std::thread first(step, 0);
  std::thread second(step, 1);
  first.join();
  second.join();
  EXPECT_EQ(failures, (std::vector<std::string>{"", ""}));
  EXPECT_EQ(session_->CountRows("sqlflow_watermarks"), 2 * kLoads);
  EXPECT_EQ(Value(state_->Get(Key("source_1_12"), *session_)), "12");
}

// File mode.

class FileRunStateTest : public ::testing::Test {
 protected:
  FileRunStateTest() : engine_(InMemoryEngine()), session_(engine_->Connect()) {}

  std::unique_ptr<RunState> Open() { return OpenFileRunState(*engine_, path_, kPipeline, clock_); }
  /// Run a whole run on a fresh in-memory engine: one load putting `watermark`, then Finish
  /// with `status`.
  void Run(const std::string& run_id, const Watermark& watermark, const std::string& status) {
    std::unique_ptr<engine::Engine> engine = InMemoryEngine();
    std::unique_ptr<engine::Session> session = engine->Connect();
    std::unique_ptr<RunState> state = OpenFileRunState(*engine, path_, kPipeline, clock_);
    state->Start(MakeRun(run_id, "running"));
    LoadWithWatermark(*session, *state, "orders", watermark);
    state->Finish(MakeRun(run_id, status));
  }

  sqlflow::testing::TempDir dir_{"sqlflow-run-state"};
  std::filesystem::path path_ = dir_ / "target" / "state.duckdb";
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
  std::unique_ptr<engine::Engine> engine_;
  std::unique_ptr<engine::Session> session_;
};

TEST_F(FileRunStateTest, AMissingFileMeansNoWatermarksAndOpeningCreatesNothing) {
  std::unique_ptr<RunState> state = Open();
  EXPECT_EQ(state->Get(Key("orders"), *session_), std::nullopt);
  state->Start(MakeRun("run-1", "running"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "target"));
  EXPECT_EQ(session_->Tables(), std::vector<std::string>{});
}

TEST_F(FileRunStateTest, ASuccessfulRunWritesItsWatermarksAndHistoryForTheNextRun) {
  Watermark watermark = MakeWatermark("orders", "2");
  watermark.updated_at = "2026-01-02T03:04:05.678Z";
  Run("run-1", watermark, "success");

  std::unique_ptr<RunState> next = Open();
  std::optional<Watermark> got = next->Get(Key("orders"), *session_);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->value, "2");
  EXPECT_EQ(got->type, "BIGINT");
  EXPECT_EQ(got->boundary, std::vector<std::string>{"id=2"});
  EXPECT_EQ(got->updated_at, "2026-01-02T03:04:05.678Z");
  EXPECT_EQ(got->run_id, "run-1");
  // The file is attached only while it is read or written.
  EXPECT_EQ(session_->QueryScalar("SELECT count(*) FROM duckdb_databases() WHERE "
                                  "database_name = 'sqlflow_state'"),
            "0");
  EXPECT_EQ(session_->Tables(), std::vector<std::string>{});

  std::vector<RunRecord> history = FileHistory(path_);
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].run_id, "run-1");
  EXPECT_EQ(history[0].status, "success");
  EXPECT_EQ(history[0].started_at, "2023-11-14T22:13:20.000Z");  // Remembered by Start.
  ASSERT_EQ(history[0].steps.size(), 1u);
  EXPECT_EQ(history[0].steps[0].rows, 3);
}

TEST_F(FileRunStateTest, AFailedRunWritesItsHistoryButNotItsWatermarks) {
  Run("run-1", MakeWatermark("orders", "2"), "success");
  clock_->Advance(std::chrono::seconds(1));
  Run("run-2", MakeWatermark("orders", "5"), "failed");

  EXPECT_EQ(Value(Open()->Get(Key("orders"), *session_)), "2");
  std::vector<RunRecord> history = FileHistory(path_);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].run_id, "run-2");
  EXPECT_EQ(history[0].status, "failed");
  EXPECT_EQ(history[0].steps[0].error, "boom");
  EXPECT_EQ(history[1].run_id, "run-1");
}

TEST_F(FileRunStateTest, TheWalThatEveryOpeningReplaysStaysBounded) {
  // Writes stay in the WAL (no checkpoint at DETACH) until it passes 64 KiB; then a write
  // folds it into the file. Many runs keep it bounded and lose nothing.
  std::unique_ptr<RunState> state = Open();
  RunRecord run = MakeRun("run-0", "success");
  run.error = std::string(4000, 'x');  // ~4 KB per run: the threshold is passed within 70 runs
  std::uintmax_t largest = 0;
  for (int i = 0; i < 120; ++i) {
    run.run_id = "run-" + std::to_string(i);
    state->Finish(run);
    std::error_code error;
    std::uintmax_t wal = std::filesystem::file_size(path_.string() + ".wal", error);
    if (!error) largest = std::max(largest, wal);  // a checkpoint removes the WAL
  }
  EXPECT_GT(largest, 0u);
  EXPECT_LT(largest, 2u * 64 * 1024);
  std::error_code error;
  std::uintmax_t last = std::filesystem::file_size(path_.string() + ".wal", error);
  EXPECT_TRUE(error || last < largest);  // it was checkpointed at least once
  std::unique_ptr<engine::Engine> engine = engine::OpenDuckDbEngine({.path = path_.string()});
  std::unique_ptr<engine::Session> session = engine->Connect();
  EXPECT_EQ(StateStore(*session).History("", 0).size(), 120u);
}

TEST_F(FileRunStateTest, GetSeesThisRunsOwnPutsWhichOtherRunsSeeOnlyAfterFinish) {
  Run("run-1", MakeWatermark("orders", "2"), "success");
  std::unique_ptr<RunState> state = Open();
  LoadWithWatermark(*session_, *state, "orders", MakeWatermark("orders", "7"));
  EXPECT_EQ(Value(state->Get(Key("orders"), *session_)), "7");
  EXPECT_EQ(Value(Open()->Get(Key("orders"), *session_)), "2");
  state->Finish(MakeRun("run-2", "success"));
  EXPECT_EQ(Value(Open()->Get(Key("orders"), *session_)), "7");
}

TEST_F(FileRunStateTest, OnlyTheWatermarksOfThePipelineAreRead) {
  Watermark other = MakeWatermark("orders", "9");
  other.key.pipeline = "billing";
  Run("run-1", other, "success");
  std::unique_ptr<RunState> state = Open();
  EXPECT_EQ(state->Get(Key("orders"), *session_), std::nullopt);
  EXPECT_EQ(Value(OpenFileRunState(*engine_, path_, "billing", clock_)->Get(other.key, *session_)),
            "9");
}

TEST_F(FileRunStateTest, APutThatDoesNotReadBackExactlyThrowsIncrementalErrorAndIsNotHeld) {
  std::unique_ptr<RunState> state = Open();
  Watermark watermark = MakeWatermark("orders", "2024-01-02 03:04:05.1234567");
  watermark.type = "TIMESTAMP";
  EXPECT_THROW(state->Put(watermark, *session_), IncrementalError);
  watermark.key.source = "";
  watermark.value = "2024-01-02 03:04:05.123456";
  EXPECT_THROW(state->Put(watermark, *session_), IncrementalError);
  EXPECT_EQ(state->Get(Key("orders"), *session_), std::nullopt);
  state->Finish(MakeRun("run-1", "success"));
  EXPECT_EQ(Open()->Get(Key("orders"), *session_), std::nullopt);
  EXPECT_EQ(FileHistory(path_).size(), 1u);
}

TEST_F(FileRunStateTest, AFileThatIsNotADuckDbDatabaseGivesAnErrorNamingIt) {
  sqlflow::testing::WriteFile(path_, "not a database");
  try {
    Open()->Get(Key("orders"), *session_);
    FAIL() << "no error";
  } catch (const QueryError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(
                  "state read: cannot read the state file '" + path_.string() + "': ", 0),
              0u)
        << e.what();
  }
}

TEST_F(FileRunStateTest, AFileLockedByAnotherProcessGivesAnErrorNamingThePath) {
  Run("run-1", MakeWatermark("orders", "2"), "success");
  std::unique_ptr<RunState> state = Open();
  LoadWithWatermark(*session_, *state, "orders", MakeWatermark("orders", "7"));
  const std::string expected = "cannot {} the state file '" + path_.string() +
                               "' (it is locked by another process: another sqlflow run or "
                               "DuckDB client has it open; wait for it to finish or stop it): ";
  {
    sqlflow::testing::LockedDuckDbFile lock(path_.string());
    ASSERT_TRUE(lock.locked());
    try {
      Open()->Get(Key("orders"), *session_);
      FAIL() << "no error";
    } catch (const QueryError& e) {
      EXPECT_EQ(e.message().rfind(fmt::format(fmt::runtime(expected), "read"), 0), 0u)
          << e.message();
    }
    try {
      state->Finish(MakeRun("run-2", "success"));
      FAIL() << "no error";
    } catch (const QueryError& e) {
      EXPECT_EQ(e.message().rfind(fmt::format(fmt::runtime(expected), "write"), 0), 0u)
          << e.message();
      EXPECT_EQ(e.error_class(), ErrorClass::kPermanent);
    }
  }
  EXPECT_EQ(Value(Open()->Get(Key("orders"), *session_)), "2");  // Nothing was written.
  state->Finish(MakeRun("run-2", "success"));                    // Once released, it can be.
  EXPECT_EQ(Value(Open()->Get(Key("orders"), *session_)), "7");
}

}  // namespace
}  // namespace sqlflow::state
