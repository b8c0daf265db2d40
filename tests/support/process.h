// Child processes for the integration tests: run a program to completion and capture what it
// printed and how it exited.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace sqlflow::testing {

/// How a finished child process exited and what it printed.
struct ProcessResult {
  /// The exit status; 128 + N when signal N ended the process; -1 when it did not start.
  int exit_code = -1;
  std::string out;  ///< Everything it wrote to stdout.
  std::string err;  ///< Everything it wrote to stderr.
};

/// Where and with which environment a child process runs.
struct ProcessOptions {
  /// The working directory; empty (the default): the caller's.
  std::filesystem::path cwd;
  /// The whole environment as NAME=value entries; std::nullopt (the default): the caller's.
  std::optional<std::vector<std::string>> env;
};

/// Run `argv` to completion (argv[0] is the program's path; PATH is not searched). stdin is
/// /dev/null and stdout and stderr go to files, so the child never writes to a terminal (the
/// `sqlflow` binary then draws no progress line). A program that cannot start is a test
/// failure and gives exit code -1.
ProcessResult RunProcess(const std::vector<std::string>& argv, const ProcessOptions& options = {});

/// Return the caller's environment as NAME=value entries, without the variables in `names`.
std::vector<std::string> EnvironmentWithout(const std::vector<std::string>& names);

/// Return the value of the environment variable `name`, or `fallback` when it is unset or
/// empty.
std::string EnvOr(const char* name, const std::string& fallback);

}  // namespace sqlflow::testing
