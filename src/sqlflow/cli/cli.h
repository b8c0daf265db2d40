#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "sqlflow/cli/exit_code.h"
#include "sqlflow/common/clock.h"
#include "sqlflow/connectors/registry.h"
#include "sqlflow/params/parameter_validator.h"

namespace sqlflow::cli {

/// The world a CLI run sees. main() fills it with the real one; tests with string streams,
/// a registry of fakes and a FakeClock.
struct CliEnv {
  std::ostream& out;                  ///< Results: tables, JSON, summaries.
  std::ostream& err;                  ///< Errors, warnings and the progress line.
  const ConnectorRegistry& registry;  ///< The connector types the commands can use.
  std::shared_ptr<Clock> clock = SystemClock::Instance();
  bool err_is_terminal = false;         ///< Draw progress lines (only on a terminal).
  EnvLookup env_lookup = ProcessEnv();  ///< Resolves ${VAR} in connector parameters.
};

/// Flags every command understands.
struct GlobalOptions {
  bool verbose = false;  ///< Log level debug.
  bool quiet = false;    ///< Errors only: no progress, no summary, no warnings.
};

/// A command chosen by the parser; runs after parsing. Returns the exit code, or throws (the
/// exception is mapped by DescribeFailure()).
using CommandFn = std::function<ExitCode()>;

/// Run the `sqlflow` command line `argv` (argv[0] is the program name) and return the exit
/// code. Never throws: every failure is printed to env.err and mapped to an exit code.
int RunCli(int argc, const char* const* argv, const CliEnv& env);
/// Same, with the arguments after the program name as strings (tests).
int RunCli(const std::vector<std::string>& args, const CliEnv& env);

/// The version string printed by --version: "sqlflow 0.1.0".
std::string VersionString();

}  // namespace sqlflow::cli
