// Ctrl-C during `sqlflow pipeline run`: the real binary, a real SIGINT, a statement that would
// otherwise run for hours. The test waits for the first step's progress line (no sleeps),
// interrupts, and checks the exit code and the run report.

#include <chrono>
#include <filesystem>
#include <string>

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/support/sqlflow_binary.h"
#include <nlohmann/json.hpp>

extern char** environ;

namespace {

namespace fs = std::filesystem;
using ::sqlflow::testing::ReadFile;
using ::sqlflow::testing::WriteFile;
using ::testing::HasSubstr;

class InterruptCliTest : public sqlflow::testing::SqlflowBinaryTest {
 protected:
  InterruptCliTest() : SqlflowBinaryTest("sqlflow-interrupt") {}

  /// Start `sqlflow ARGS` with stderr on a pipe; returns the pid and the pipe's read end.
  std::pair<pid_t, int> Start(const std::vector<std::string>& args) {
    int fds[2];
    EXPECT_EQ(pipe(fds), 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    std::vector<std::string> argv = {bin_};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> raw;
    for (std::string& a : argv) raw.push_back(a.data());
    raw.push_back(nullptr);
    pid_t pid = -1;
    EXPECT_EQ(posix_spawn(&pid, bin_.c_str(), &actions, nullptr, raw.data(), environ), 0);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    return {pid, fds[0]};
  }
};

/// Read `fd` until `needle` appears (empty: until the stream ends) or 60 s pass without it
/// (a guard so a broken build fails instead of hanging; *timed_out says which).
std::string ReadUntil(int fd, const std::string& needle, bool* timed_out) {
  std::string text;
  char buffer[4096];
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  *timed_out = false;
  while (needle.empty() || text.find(needle) == std::string::npos) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd p{fd, POLLIN, 0};
    if (left.count() <= 0 || poll(&p, 1, static_cast<int>(left.count())) == 0) {
      *timed_out = true;
      break;
    }
    ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n <= 0) break;
    text.append(buffer, static_cast<size_t>(n));
  }
  return text;
}

TEST_F(InterruptCliTest, CtrlCStopsTheRunningStatementAndExits130) {
  WriteFile(dir_.path() / "data/a.csv", "x\n1\n2\n");
  WriteFile(dir_.path() / "pipelines/slow.sf",
            "SOURCE s TYPE CSV PARAMS {\"path\": \"data/a.csv\"};\n"
            "LOAD a FROM s;\n"
            "-- Hours of work unless interrupted.\n"
            "CREATE TABLE slow AS SELECT count(*) AS n FROM a, range(100000000000000) r "
            "WHERE r.range % 7 = a.x;\n");
  auto [pid, err_fd] =
      Start({"pipeline", "run", "slow", "--project-dir", dir_.path().string(), "--verbose"});
  ASSERT_GT(pid, 0);
  bool timed_out = false;
  // Interrupt once the slow step is running (--verbose logs each step's start): a SIGINT
  // between the two steps would rightly skip the second instead.
  std::string err = ReadUntil(err_fd, "step transform_slow started", &timed_out);
  ASSERT_THAT(err, HasSubstr("[1/2] LOAD a FROM s"));
  ASSERT_THAT(err, HasSubstr("step transform_slow started"));
  ASSERT_EQ(kill(pid, SIGINT), 0);
  err += ReadUntil(err_fd, "", &timed_out);  // stderr closes when the process exits
  close(err_fd);
  if (timed_out) kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_FALSE(timed_out) << "sqlflow did not stop within 60 s of SIGINT:\n" << err;
  ASSERT_TRUE(WIFEXITED(status)) << err;
  EXPECT_EQ(WEXITSTATUS(status), 130) << err;
  // The run report says so, and the interrupted step did not write its table.
  fs::path runs = dir_.path() / "target/runs";
  ASSERT_TRUE(fs::exists(runs)) << err;
  auto it = fs::directory_iterator(runs);
  ASSERT_NE(it, fs::directory_iterator());
  nlohmann::json report = nlohmann::json::parse(ReadFile(it->path()));
  EXPECT_EQ(report["status"], "interrupted");
  EXPECT_EQ(report["steps"][0]["status"], "success");
  EXPECT_EQ(report["steps"][1]["id"], "transform_slow");
  EXPECT_EQ(report["steps"][1]["status"], "interrupted");
  EXPECT_EQ(report["steps"][1]["error"], "interrupted");
  EXPECT_THAT(err, HasSubstr("[2/2] CREATE TABLE slow ... interrupted after"));
}

}  // namespace
