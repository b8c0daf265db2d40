// SIGKILL in the middle of an incremental LOAD (docs/incremental.md, "Guarantees"): the real
// `sqlflow` binary loads a CSV file of millions of rows and is killed while it reads the file
// (the LOAD stages its rows) and again while it writes them into the database (before the
// commit). After each kill the table and the watermark must be exactly as before the run;
// after a run to completion the table must equal, row for row, the table of one clean run in
// another project, and the watermark must be the largest cursor. With an in-memory engine a
// kill must leave target/state.duckdb byte for byte, so the next run reads the same rows.
//
// The kills wait for real progress of the child, read from /proc/<pid>/io: bytes read (half
// the CSV file: the scan is under way) or bytes written (2 MiB: only the LOAD writes that
// much). A run that ends before its kill point is retried once with twice the rows, then the
// test fails saying so.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sqlflow/engine/engine.h"

#include "tests/support/sqlflow_binary.h"
#include <nlohmann/json.hpp>

extern char** environ;

namespace {

namespace fs = std::filesystem;
using ::sqlflow::testing::ProcessResult;
using ::sqlflow::testing::ReadFile;
using ::sqlflow::testing::WriteFile;

constexpr int64_t kMiB = int64_t{1} << 20;
/// Rows of the first batch and of the grown file; the cursor `ts` advances one second every 7
/// rows, so both files end inside a group of rows sharing the largest cursor (the boundary).
constexpr int64_t kFirstRows = 1'500'003;
constexpr int64_t kAllRows = 3'000'001;

/// Where a run is killed.
enum class KillPoint {
  kScan,   ///< It has read half of the CSV file: the LOAD is staging the rows.
  kWrite,  ///< It has written 2 MiB: the LOAD is writing its rows, before the commit.
};

const char* KillPointName(KillPoint point) {
  return point == KillPoint::kScan ? "while reading the CSV file" : "while writing the table";
}

/// The child's I/O counters (/proc/<pid>/io): bytes passed to read and write system calls.
struct IoCounters {
  int64_t read = 0;
  int64_t written = 0;
};

std::optional<IoCounters> ReadIo(pid_t pid) {
  std::ifstream in(fmt::format("/proc/{}/io", pid));
  if (!in) return std::nullopt;
  IoCounters io;
  int found = 0;
  std::string name;
  int64_t value = 0;
  while (in >> name >> value) {
    if (name == "rchar:") {
      io.read = value;
      ++found;
    } else if (name == "wchar:") {
      io.written = value;
      ++found;
    }
  }
  if (found != 2) return std::nullopt;
  return io;
}

/// One project: the pipeline below, a profile with a persistent or an in-memory engine, and
/// data/events.csv.
class Project {
 public:
  Project(fs::path dir, bool persistent, bool primary_key) : dir_(std::move(dir)) {
    WriteFile(dir_ / "profiles/dev.yml",
              persistent ? "engines:\n  duckdb:\n    mode: persistent\n    path: "
                           "target/db.duckdb\n    threads: 2\nlog_level: warning\n"
                         : "engines:\n  duckdb:\n    mode: memory\n    threads: 2\n"
                           "log_level: warning\n");
    WriteFile(dir_ / "pipelines/events.sf",
              fmt::format("SOURCE events_src TYPE CSV PARAMS {{\"path\": \"data/events.csv\", "
                          "\"sync_mode\": \"incremental\", \"cursor_field\": \"ts\", {}"
                          "\"column_types\": {{\"amount\": \"DECIMAL(10,2)\", \"ts\": "
                          "\"TIMESTAMP\"}}}};\n"
                          "LOAD events FROM events_src MODE APPEND;\n"
                          "EXPORT SELECT count(*) AS n, min(id) AS min_id, max(id) AS max_id "
                          "FROM events TO \"output/summary.csv\" TYPE CSV;\n",
                          primary_key ? "\"primary_key\": [\"id\"], " : ""));
  }

  const fs::path& dir() const { return dir_; }
  fs::path csv() const { return dir_ / "data/events.csv"; }
  fs::path database() const { return dir_ / "target/db.duckdb"; }
  fs::path state_file() const { return dir_ / "target/state.duckdb"; }

  /// Write data/events.csv with the rows of ids 0 .. rows-1 (a file that grows keeps its
  /// first rows as they were).
  void WriteEvents(int64_t rows) const {
    fs::create_directories(csv().parent_path());
    std::unique_ptr<sqlflow::engine::Engine> engine = sqlflow::engine::OpenDuckDbEngine({});
    std::unique_ptr<sqlflow::engine::Session> session = engine->Connect();
    session->Execute(
        fmt::format("COPY (SELECT i AS id, 'c' || (i % 997) AS customer, "
                    "CAST((i * 37) % 10000 AS DECIMAL(10,2)) / 100 AS amount, "
                    "TIMESTAMP '2026-01-01 00:00:00' + to_seconds(i // 7) AS ts "
                    "FROM range({}) t(i) ORDER BY i) TO '{}' (FORMAT csv, HEADER)",
                    rows, csv().string()));
  }

 private:
  fs::path dir_;
};

/// What a persistent database holds for the test's pipeline.
struct DatabaseState {
  std::optional<int64_t> rows;  ///< Rows of table events; nullopt when it does not exist.
  std::string watermark;        ///< "value type [boundary...]", or "" when none is stored.
  int64_t running_runs = 0;     ///< Runs whose history still says "running" (killed runs).

  bool operator==(const DatabaseState&) const = default;
};

std::ostream& operator<<(std::ostream& out, const DatabaseState& state) {
  return out << "{rows: " << (state.rows ? std::to_string(*state.rows) : "no table")
             << ", watermark: '" << state.watermark << "', running runs: " << state.running_runs
             << "}";
}

/// Open `database` (after every process using it has exited) and read what it holds.
DatabaseState ReadDatabase(const fs::path& database) {
  std::unique_ptr<sqlflow::engine::Engine> engine =
      sqlflow::engine::OpenDuckDbEngine({database.string()});
  std::unique_ptr<sqlflow::engine::Session> session = engine->Connect();
  DatabaseState state;
  if (session->TableSchema("events")) state.rows = session->CountRows("events");
  if (session->TableSchema("sqlflow_watermarks")) {
    state.watermark = session
                          ->QueryScalar(
                              "SELECT value || ' ' || type || ' ' || CAST(list_sort(boundary) AS "
                              "VARCHAR) FROM sqlflow_watermarks WHERE pipeline = 'events' AND "
                              "source = 'events_src'")
                          .value_or("");
  }
  if (session->TableSchema("sqlflow_runs")) {
    state.running_runs = std::stoll(
        session->QueryScalar("SELECT count(*) FROM sqlflow_runs WHERE status = 'running'")
            .value_or("0"));
  }
  return state;
}

/// The CSV's largest cursor as DuckDB renders a TIMESTAMP, computed from the row count.
std::string LargestCursor(int64_t rows) {
  std::unique_ptr<sqlflow::engine::Engine> engine = sqlflow::engine::OpenDuckDbEngine({});
  std::unique_ptr<sqlflow::engine::Session> session = engine->Connect();
  return session
      ->QueryScalar(fmt::format(
          "SELECT CAST(TIMESTAMP '2026-01-01 00:00:00' + to_seconds({} // 7) AS VARCHAR)",
          rows - 1))
      .value_or("");
}

/// How a run that was to be killed ended.
struct KillResult {
  bool killed = false;  ///< SIGKILL ended it; false: it exited first.
  std::string how;      ///< For messages: the exit status and what it printed.
};

class IncrementalCrashTest : public sqlflow::testing::SqlflowBinaryTest {
 protected:
  IncrementalCrashTest() : SqlflowBinaryTest("sqlflow-incremental-crash") {}

  void SetUp() override {
    SqlflowBinaryTest::SetUp();
    if (HasFatalFailure()) return;
    if (!ReadIo(getpid())) GTEST_SKIP() << "/proc/<pid>/io is not readable here";
  }

  /// Run the pipeline of `project` to completion; returns the rows its LOAD loaded.
  int64_t RunToCompletion(const Project& project) const {
    ProcessResult r =
        Run({"pipeline", "run", "events", "--json", "--project-dir", project.dir().string()});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    nlohmann::json report = nlohmann::json::parse(r.out, nullptr, /*allow_exceptions=*/false);
    if (report.is_object() && report.contains("steps")) {
      for (const nlohmann::json& step : report["steps"]) {
        if (step["id"] == "load_events") return step["rows"].get<int64_t>();
      }
    }
    ADD_FAILURE() << "no rows for load_events in the report:\n" << r.out << r.err;
    return -1;
  }

  /// Start the pipeline of `project` and SIGKILL it at `point`.
  KillResult RunAndKill(const Project& project, KillPoint point) {
    int64_t csv_bytes = static_cast<int64_t>(fs::file_size(project.csv()));
    fs::path log = dir_ / fmt::format("run-{}.log", ++runs_);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    std::vector<std::string> args = {
        bin_, "pipeline", "run", "events", "-q", "--project-dir", project.dir().string()};
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    pid_t pid = -1;
    int spawned = posix_spawn(&pid, bin_.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0) {
      ADD_FAILURE() << "cannot start " << bin_;
      return {};
    }
    // Poll the child's counters until the kill point (a guard of 120 s turns a hang into a
    // failure). The LOAD's phases each take a second or more at these sizes.
    auto started = std::chrono::steady_clock::now();
    auto deadline = started + std::chrono::seconds(120);
    while (true) {
      int status = 0;
      if (waitpid(pid, &status, WNOHANG) == pid) {
        return {false, fmt::format("it exited first, status {}: {}", status, ReadFile(log))};
      }
      std::optional<IoCounters> io = ReadIo(pid);
      bool reached =
          io && (point == KillPoint::kScan ? io->read >= csv_bytes / 2 : io->written >= 2 * kMiB);
      bool late = std::chrono::steady_clock::now() > deadline;
      if (reached || late) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        if (late) ADD_FAILURE() << "the run did not reach its kill point in 120 s";
        bool killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
        if (killed && io) {
          std::cerr << fmt::format(
              "killed {} after {:.2f} s, {} bytes read, {} written\n", KillPointName(point),
              std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(),
              io->read, io->written);
        }
        return {killed, fmt::format("status {}: {}", status, ReadFile(log))};
      }
      std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
  }

  /// The table and watermark of a project's single clean run and of the crashed project are
  /// the same rows (EXCEPT ALL both ways), and the watermark is the largest cursor.
  void ExpectSameAsCleanRun(const Project& crashed, int64_t rows) {
    Project clean(dir_ / "clean", /*persistent=*/true, /*primary_key=*/true);
    fs::create_directories(clean.csv().parent_path());
    fs::copy_file(crashed.csv(), clean.csv());
    EXPECT_EQ(RunToCompletion(clean), rows);

    std::unique_ptr<sqlflow::engine::Engine> engine =
        sqlflow::engine::OpenDuckDbEngine({crashed.database().string()});
    std::unique_ptr<sqlflow::engine::Session> s = engine->Connect();
    s->Execute(fmt::format("ATTACH '{}' AS clean (READ_ONLY)", clean.database().string()));
    auto scalar = [&s](const std::string& sql) { return s->QueryScalar(sql).value_or("NULL"); };
    EXPECT_EQ(scalar("SELECT count(*) FROM events"), std::to_string(rows));
    EXPECT_EQ(scalar("SELECT count(*) FROM clean.events"), std::to_string(rows));
    EXPECT_EQ(scalar("SELECT count(*) - count(DISTINCT id) FROM events"), "0");
    EXPECT_EQ(scalar("SELECT count(*) FROM (FROM events EXCEPT ALL FROM clean.events)"), "0");
    EXPECT_EQ(scalar("SELECT count(*) FROM (FROM clean.events EXCEPT ALL FROM events)"), "0");
    auto watermark = [](const char* catalog) {
      return fmt::format(
          "SELECT value || ' ' || type || ' ' || CAST(list_sort(boundary) AS VARCHAR) FROM "
          "{}sqlflow_watermarks WHERE pipeline = 'events' AND source = 'events_src'",
          catalog);
    };
    EXPECT_EQ(scalar(watermark("")), scalar(watermark("clean.")));
    EXPECT_EQ(scalar("SELECT value FROM sqlflow_watermarks WHERE source = 'events_src'"),
              LargestCursor(rows));
    EXPECT_EQ(scalar("SELECT CAST(max(ts) AS VARCHAR) FROM events"), LargestCursor(rows));
    EXPECT_EQ(scalar("SELECT len(boundary) FROM sqlflow_watermarks WHERE source = 'events_src'"),
              scalar("SELECT count(*) FROM events WHERE ts = (SELECT max(ts) FROM events)"));
  }

  /// Kill a persistent run at each point in turn. Returns false when a run ended (or
  /// committed) before its kill point: the files are too small for this machine.
  bool KillAtEachPoint(const Project& project, DatabaseState before, int64_t all_rows) {
    for (KillPoint point : {KillPoint::kScan, KillPoint::kWrite}) {
      SCOPED_TRACE(KillPointName(point));
      KillResult kill = RunAndKill(project, point);
      if (HasFailure()) return true;
      if (!kill.killed) {
        std::cerr << "not killed " << KillPointName(point) << ": " << kill.how << "\n";
        return false;
      }
      DatabaseState after = ReadDatabase(project.database());
      ++before.running_runs;  // The killed run's history row stays "running".
      if (after.rows == all_rows && after.watermark != before.watermark) {
        std::cerr << "killed after the commit " << KillPointName(point) << ": " << after << "\n";
        return false;
      }
      EXPECT_EQ(after, before) << "a kill " << KillPointName(point) << " changed the database";
    }
    return true;
  }

  /// A persistent project whose first run is killed twice, then completed.
  bool FirstRunKilled(int64_t rows) {
    Project project(dir_ / "crashed", /*persistent=*/true, /*primary_key=*/true);
    project.WriteEvents(rows);
    if (!KillAtEachPoint(project, DatabaseState{std::nullopt, "", 0}, rows)) return false;
    EXPECT_EQ(RunToCompletion(project), rows);
    ExpectSameAsCleanRun(project, rows);
    return true;
  }

  /// A persistent project whose first run completes, and whose second run, after the file
  /// grew, is killed twice, then completed.
  bool SecondRunKilled(int64_t first_rows, int64_t all_rows) {
    Project project(dir_ / "crashed", /*persistent=*/true, /*primary_key=*/true);
    project.WriteEvents(first_rows);
    EXPECT_EQ(RunToCompletion(project), first_rows);
    DatabaseState before = ReadDatabase(project.database());
    EXPECT_EQ(before.rows, first_rows);
    EXPECT_THAT(before.watermark, ::testing::StartsWith(LargestCursor(first_rows) + " TIMESTAMP"));
    project.WriteEvents(all_rows);
    if (!KillAtEachPoint(project, before, all_rows)) return false;
    EXPECT_EQ(RunToCompletion(project), all_rows - first_rows);
    ExpectSameAsCleanRun(project, all_rows);
    return true;
  }

  /// In-memory engine, state in target/state.duckdb, boundary rows told apart by their hash:
  /// the second run, after the file grew, is killed while it reads; the state file is left
  /// byte for byte, so the next run reads the same rows and produces the same output.
  bool MemoryRunKilled(int64_t first_rows, int64_t all_rows) {
    Project project(dir_ / "crashed", /*persistent=*/false, /*primary_key=*/false);
    project.WriteEvents(first_rows);
    EXPECT_EQ(RunToCompletion(project), first_rows);
    fs::path summary = project.dir() / "output/summary.csv";
    EXPECT_EQ(ReadFile(summary),
              fmt::format("n,min_id,max_id\n{},0,{}\n", first_rows, first_rows - 1));
    // The state file and its write-ahead log, which a run may leave beside it.
    auto read_state = [&project] {
      fs::path wal = project.state_file().string() + ".wal";
      return ReadFile(project.state_file()) + "|wal|" + (fs::exists(wal) ? ReadFile(wal) : "-");
    };
    std::string state = read_state();
    EXPECT_TRUE(fs::is_regular_file(project.state_file()));
    project.WriteEvents(all_rows);
    KillResult kill = RunAndKill(project, KillPoint::kScan);
    if (HasFailure()) return true;
    if (!kill.killed) {
      std::cerr << "not killed while reading: " << kill.how << "\n";
      return false;
    }
    EXPECT_TRUE(read_state() == state) << "the kill changed the state file or its log";
    EXPECT_EQ(ReadFile(summary),
              fmt::format("n,min_id,max_id\n{},0,{}\n", first_rows, first_rows - 1));

    EXPECT_EQ(RunToCompletion(project), all_rows - first_rows);
    EXPECT_EQ(ReadFile(summary), fmt::format("n,min_id,max_id\n{},{},{}\n", all_rows - first_rows,
                                             first_rows, all_rows - 1));
    std::unique_ptr<sqlflow::engine::Engine> engine =
        sqlflow::engine::OpenDuckDbEngine({project.state_file().string()});
    EXPECT_EQ(engine->Connect()->QueryScalar(
                  "SELECT value || ' ' || type || ' ' || len(boundary) FROM sqlflow_watermarks"),
              fmt::format("{} TIMESTAMP {}", LargestCursor(all_rows), (all_rows - 1) % 7 + 1));
    return true;
  }

  int runs_ = 0;
};

TEST_F(IncrementalCrashTest, PersistentFirstRunKilledDuringTheLoadCommitsNothing) {
  for (int64_t scale : {1, 2}) {
    if (FirstRunKilled(kAllRows * scale)) return;
    fs::remove_all(dir_ / "crashed");
  }
  FAIL() << "the runs ended before they could be killed, even with " << 2 * kAllRows
         << " rows: this machine needs a larger file for this test";
}

TEST_F(IncrementalCrashTest, PersistentSecondRunKilledAfterTheFileGrewLoadsOnlyTheNewRowsOnce) {
  for (int64_t scale : {1, 2}) {
    if (SecondRunKilled(kFirstRows * scale, kAllRows * scale)) return;
    fs::remove_all(dir_ / "crashed");
  }
  FAIL() << "the runs ended before they could be killed, even with " << 2 * kAllRows
         << " rows: this machine needs a larger file for this test";
}

TEST_F(IncrementalCrashTest, MemoryRunKilledLeavesTheStateFileAndTheNextRunReadsTheSameRows) {
  for (int64_t scale : {1, 2}) {
    if (MemoryRunKilled(kFirstRows * scale, kAllRows * scale)) return;
    fs::remove_all(dir_ / "crashed");
  }
  FAIL() << "the runs ended before they could be killed, even with " << 2 * kAllRows
         << " rows: this machine needs a larger file for this test";
}

}  // namespace
