#include "sqlflow/cli/cli.h"

#include "sqlflow/cli/connect_command.h"
#include "sqlflow/cli/connectors_command.h"
#include "sqlflow/cli/copy_command.h"
#include "sqlflow/cli/init_command.h"
#include "sqlflow/cli/interrupt.h"
#include "sqlflow/cli/pipeline_command.h"
#include "sqlflow/cli/state_command.h"
#include "sqlflow/common/log.h"

#include <CLI/CLI.hpp>

#ifndef SQLFLOW_VERSION
#define SQLFLOW_VERSION "unknown"
#endif

namespace sqlflow::cli {

namespace {

// Restores the log level when a run ends, so runs in one process (tests) do not leak it.
class LogLevelScope {
 public:
  LogLevelScope() : saved_(log::GetLevel()) {}
  ~LogLevelScope() { log::SetLevel(saved_); }
  LogLevelScope(const LogLevelScope&) = delete;
  LogLevelScope& operator=(const LogLevelScope&) = delete;

 private:
  log::Level saved_;
};

int RunChosen(const CommandFn& chosen, const CliEnv& env) {
  try {
    int code = ToInt(chosen());
    env.out.flush();
    return code;
  } catch (...) {
    env.out.flush();
    Failure failure = DescribeFailure(std::current_exception());
    // A connector may wrap the Interrupted it saw into its own error: the flag decides.
    if (InterruptRequested() && failure.code != ExitCode::kInvalidInput) {
      failure = {ExitCode::kInterrupted, "interrupted\n"};
    }
    env.err << failure.text << std::flush;
    return ToInt(failure.code);
  }
}

}  // namespace

std::string VersionString() { return std::string("sqlflow ") + SQLFLOW_VERSION; }

int RunCli(int argc, const char* const* argv, const CliEnv& env) {
  CLI::App app{"SQLFlow: move and transform data with SQL pipelines.", "sqlflow"};
  app.set_version_flag("--version", VersionString(), "Print the version and exit");
  // Global flags are accepted after the command too: `sqlflow copy ... --verbose`.
  app.fallthrough();
  GlobalOptions global;
  app.add_flag("-v,--verbose", global.verbose, "Log debug details");
  app.add_flag("-q,--quiet", global.quiet, "Print errors only (no progress or summary)");

  CommandFn chosen;
  AddInitCommand(app, env, global, &chosen);
  AddPipelineCommand(app, env, global, &chosen);
  AddStateCommand(app, env, &chosen);
  AddConnectCommand(app, env, &chosen);
  AddConnectorsCommand(app, env, &chosen);
  AddCopyCommand(app, env, global, &chosen);

  if (argc <= 1) {
    env.err << app.help();
    return ToInt(ExitCode::kInvalidInput);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e, env.out, env.err);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e, env.out, env.err);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e, env.out, env.err);
  } catch (const CLI::ParseError& e) {
    env.err << "error: " << e.what() << "\nRun 'sqlflow --help' for usage.\n";
    return ToInt(ExitCode::kInvalidInput);
  }
  if (global.verbose && global.quiet) {
    env.err << "error: --verbose and --quiet cannot be used together\n";
    return ToInt(ExitCode::kInvalidInput);
  }
  if (!chosen) {
    // A command group without its command (`sqlflow connectors`): show what it offers.
    env.err << app.help();
    return ToInt(ExitCode::kInvalidInput);
  }

  LogLevelScope log_level;
  if (global.verbose) log::SetLevel(log::Level::kDebug);
  if (global.quiet) log::SetLevel(log::Level::kError);
  return RunChosen(chosen, env);
}

int RunCli(const std::vector<std::string>& args, const CliEnv& env) {
  std::vector<const char*> argv = {"sqlflow"};
  for (const std::string& a : args) argv.push_back(a.c_str());
  return RunCli(static_cast<int>(argv.size()), argv.data(), env);
}

}  // namespace sqlflow::cli
