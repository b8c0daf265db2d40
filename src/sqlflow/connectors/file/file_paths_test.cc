#include "sqlflow/connectors/file/file_paths.h"

#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sqlflow/common/error.h"
#include "sqlflow/common/log.h"
#include "sqlflow/connectors/file/file_testing.h"

namespace sqlflow::file {
namespace {

using testing::TempDir;

/// The what() of the exception `fn` throws as E, or "" when it throws nothing.
template <typename E, typename Fn>
std::string ErrorOf(Fn fn) {
  try {
    fn();
  } catch (const E& e) {
    return e.what();
  }
  return "";
}

TEST(HasGlobChars, DetectsWildcards) {
  EXPECT_TRUE(HasGlobChars("data/*.csv"));
  EXPECT_TRUE(HasGlobChars("data/a?.csv"));
  EXPECT_TRUE(HasGlobChars("data/[ab].csv"));
  EXPECT_FALSE(HasGlobChars("data/a.csv"));
}

TEST(ResolveFiles, SingleFile) {
  TempDir dir;
  std::string p = dir.Write("a.csv", "id\n1\n");
  ResolvedFiles r = ResolveFiles("CSV", "read", p, "csv");
  ASSERT_EQ(r.files.size(), 1u);
  EXPECT_EQ(r.files[0].path, p);
  EXPECT_EQ(r.files[0].size, 5);
  EXPECT_EQ(r.total_bytes, 5);
  EXPECT_TRUE(r.skipped_empty.empty());
}

TEST(ResolveFiles, MissingFile) {
  TempDir dir;
  std::string p = dir.Path("nope.csv");
  EXPECT_EQ(ErrorOf<ConnectorError>([&] { ResolveFiles("CSV", "read", p, "csv"); }),
            "CSV read: file '" + p + "' does not exist");
}

TEST(ResolveFiles, DirectoryGetsAGlobHint) {
  TempDir dir;
  std::filesystem::create_directory(dir.Path("data"));
  std::string p = dir.Path("data") + "/";
  EXPECT_EQ(ErrorOf<ConnectorError>([&] { ResolveFiles("CSV", "read", p, "csv"); }),
            "CSV read: '" + p + "' is a directory: give a file or a glob such as '" + p + "*.csv'");
  std::string q = dir.Path("data");
  EXPECT_EQ(ErrorOf<ConnectorError>([&] { ResolveFiles("PARQUET", "read", q, "parquet"); }),
            "PARQUET read: '" + q + "' is a directory: give a file or a glob such as '" + q +
                "/*.parquet'");
}

TEST(ResolveFiles, GlobWithoutMatch) {
  TempDir dir;
  std::string p = dir.Path("*.csv");
  EXPECT_EQ(ErrorOf<ConnectorError>([&] { ResolveFiles("CSV", "read", p, "csv"); }),
            "CSV read: no file matches '" + p + "'");
}

TEST(ResolveFiles, EmptySingleFileIsADataError) {
  TempDir dir;
  std::string p = dir.Write("empty.csv", "");
  try {
    ResolveFiles("CSV", "read", p, "csv");
    FAIL() << "no error";
  } catch (const DataError& e) {
    EXPECT_EQ(e.location().object, p);
    EXPECT_EQ(std::string(e.what()), "CSV read: " + p + ": file is empty (0 bytes)");
  }
}

TEST(ResolveFiles, GlobSortsSkipsDirectoriesAndWarnsAboutEmptyFiles) {
  TempDir dir;
  dir.Write("b.csv", "x\n2\n");
  dir.Write("a.csv", "x\n1\n");
  dir.Write("c.csv", "");
  std::filesystem::create_directory(dir.Path("d.csv"));
  std::vector<std::string> lines;
  std::mutex mu;
  log::SetSink([&](log::Level, std::string_view line) {
    std::lock_guard lock(mu);
    lines.emplace_back(line);
  });
  ResolvedFiles r = ResolveFiles("CSV", "read", dir.Path("*.csv"), "csv");
  log::ResetSink();
  EXPECT_EQ(r.paths(), (std::vector<std::string>{dir.Path("a.csv"), dir.Path("b.csv")}));
  EXPECT_EQ(r.skipped_empty, std::vector<std::string>{dir.Path("c.csv")});
  EXPECT_EQ(r.total_bytes, 8);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], "CSV read: skipped empty file '" + dir.Path("c.csv") +
                          "' (0 bytes) matched by '" + dir.Path("*.csv") + "'");
}

TEST(ResolveFiles, GlobOfOnlyEmptyFiles) {
  TempDir dir;
  dir.Write("a.csv", "");
  log::SetSink([](log::Level, std::string_view) {});
  try {
    ResolveFiles("CSV", "read", dir.Path("*.csv"), "csv");
    FAIL() << "no error";
  } catch (const DataError& e) {
    EXPECT_EQ(e.location().object, dir.Path("*.csv"));
    EXPECT_EQ(e.message(),
              dir.Path("*.csv") +
                  ": every file matching the glob is empty (0 bytes): " + dir.Path("a.csv"));
  }
  log::ResetSink();
}

TEST(ResolveFiles, PermissionDenied) {
  TempDir dir;
  std::string p = dir.Write("secret.csv", "a\n1\n");
  ::chmod(p.c_str(), 0);
  const std::string expected = "CSV read: cannot read '" + p + "': permission denied";
  if (::geteuid() != 0) {
    EXPECT_EQ(ErrorOf<ConnectorError>([&] { ResolveFiles("CSV", "read", p, "csv"); }), expected);
    return;
  }
  // Root reads every file: check in a child that drops to an unprivileged user (nobody).
  ::chmod(dir.Path("").c_str(), 0755);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(2);
    std::string got;
    try {
      ResolveFiles("CSV", "read", p, "csv");
    } catch (const ConnectorError& e) {
      got = e.what();
    }
    ::_exit(got == expected ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1: the unprivileged read did not fail with '" << expected
                                    << "'; 2: could not drop privileges";
}

TEST(CheckWritableTarget, MissingParentDirectoryIsNamed) {
  TempDir dir;
  std::string target = dir.Path("missing/out.csv");
  EXPECT_EQ(ErrorOf<ConnectorError>([&] { CheckWritableTarget("CSV", "write", target); }),
            "CSV write: directory '" + dir.Path("missing") +
                "' does not exist: create it before writing '" + target + "'");
}

TEST(CheckWritableTarget, TargetIsADirectory) {
  TempDir dir;
  std::filesystem::create_directory(dir.Path("out"));
  EXPECT_EQ(ErrorOf<ConnectorError>([&] { CheckWritableTarget("CSV", "write", dir.Path("out")); }),
            "CSV write: '" + dir.Path("out") + "' is a directory: give a file path to write");
}

TEST(CheckWritableTarget, AcceptsANewFileInAnExistingDirectory) {
  TempDir dir;
  EXPECT_NO_THROW(CheckWritableTarget("CSV", "write", dir.Path("new.csv")));
}

TEST(ParentDirectory, BareNameIsTheWorkingDirectory) {
  EXPECT_EQ(ParentDirectory("out.csv"), ".");
  EXPECT_EQ(ParentDirectory("a/b/out.csv"), "a/b");
}

}  // namespace
}  // namespace sqlflow::file
