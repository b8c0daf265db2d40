#pragma once

#include <string>

#include "sqlflow/cli/cli.h"
#include "sqlflow/cli/init_template.h"

namespace CLI {
class App;
}

namespace sqlflow::cli {

/// Add `init NAME` to `app`; the parsed command is stored in `*chosen`.
void AddInitCommand(CLI::App& app, const CliEnv& env, const GlobalOptions& global,
                    CommandFn* chosen);

/// Create the project directory `target` (a name or a path) with the files of
/// ProjectTemplate() and an empty output/, and print what was made and the next steps.
/// Refuses (InvalidInput) when `target` is a file or a directory that is not empty; on a
/// failure while writing, removes what it made.
ExitCode InitProject(const std::string& target, const GlobalOptions& global, const CliEnv& env,
                     const SampleDataOptions& options = {});

}  // namespace sqlflow::cli
