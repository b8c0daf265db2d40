#include "sqlflow/connectors/file/atomic_file.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sqlflow/common/error.h"
#include "sqlflow/common/log.h"
#include "sqlflow/common/strings.h"
#include "sqlflow/connectors/file/file_testing.h"

namespace sqlflow::file {
namespace {

using testing::ReadFileBytes;
using testing::TempDir;

TEST(AtomicFile, TempFileSitsBesideTheTargetWithItsPidInTheName) {
  TempDir dir;
  AtomicFile file("CSV", dir.Path("out.csv"));
  std::string prefix = dir.Path(".out.csv.sqlflow-tmp-" + std::to_string(::getpid()) + "-");
  EXPECT_TRUE(StartsWith(file.temp_path(), prefix)) << file.temp_path();
  EXPECT_EQ(TempPrefixFor(dir.Path("out.csv")), ".out.csv.sqlflow-tmp-");
}

TEST(AtomicFile, CommitReplacesTheTarget) {
  TempDir dir;
  std::string target = dir.Write("out.csv", "old\n");
  {
    AtomicFile file("CSV", target);
    dir.Write(std::filesystem::path(file.temp_path()).filename().string(), "new contents\n");
    EXPECT_EQ(ReadFileBytes(target), "old\n");
    EXPECT_EQ(file.Commit(), 13);
  }
  EXPECT_EQ(ReadFileBytes(target), "new contents\n");
  EXPECT_EQ(dir.List(), std::vector<std::string>{"out.csv"});
}

TEST(AtomicFile, AbandonedWriteLeavesTheTargetAndNoTempFile) {
  TempDir dir;
  std::string target = dir.Write("out.csv", "old\n");
  {
    AtomicFile file("CSV", target);
    dir.Write(std::filesystem::path(file.temp_path()).filename().string(), "half");
  }
  EXPECT_EQ(ReadFileBytes(target), "old\n");
  EXPECT_EQ(dir.List(), std::vector<std::string>{"out.csv"});
}

TEST(AtomicFile, CommitWithoutATempFileFailsAndKeepsTheTarget) {
  TempDir dir;
  std::string target = dir.Write("out.csv", "old\n");
  AtomicFile file("CSV", target);
  EXPECT_THROW(file.Commit(), ConnectorError);
  EXPECT_EQ(ReadFileBytes(target), "old\n");
}

TEST(RemoveStaleTempFiles, RemovesFilesOfDeadProcessesOnly) {
  TempDir dir;
  std::string target = dir.Path("out.csv");
  // A process that has exited: its pid is free once reaped.
  pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ::waitpid(child, nullptr, 0);
  dir.Write(".out.csv.sqlflow-tmp-" + std::to_string(child) + "-0", "stale");
  dir.Write(".out.csv.sqlflow-tmp-" + std::to_string(::getpid()) + "-99", "ours");
  dir.Write(".other.csv.sqlflow-tmp-" + std::to_string(child) + "-0", "not this target");
  log::SetSink([](log::Level, std::string_view) {});
  EXPECT_EQ(RemoveStaleTempFiles(target), 1);
  log::ResetSink();
  EXPECT_EQ(dir.List(), (std::vector<std::string>{
                            ".other.csv.sqlflow-tmp-" + std::to_string(child) + "-0",
                            ".out.csv.sqlflow-tmp-" + std::to_string(::getpid()) + "-99"}));
}

}  // namespace
}  // namespace sqlflow::file
