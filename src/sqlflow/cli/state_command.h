#pragma once

#include <string>
#include <vector>

#include "sqlflow/cli/cli.h"
#include "sqlflow/cli/project.h"
#include "sqlflow/state/state_store.h"

namespace CLI {
class App;
}

/// `sqlflow state ...`: the incremental state (watermarks) of a profile, read and reset where
/// Project::OpenState() finds it: the engine's database for a persistent profile, else
/// target/state.duckdb. Nothing is created when there is no state yet.
namespace sqlflow::cli {

/// Add `state list|show|reset` with the project flags to `app`; the parsed command is stored
/// in `*chosen`.
void AddStateCommand(CLI::App& app, const CliEnv& env, CommandFn* chosen);

/// `state list [--pipeline P]`: every stored watermark (of pipeline `pipeline`; "" = all) as a
/// table, or a JSON list of Watermark::ToJson().
ExitCode ListState(const ProjectFlags& flags, const std::string& pipeline, const CliEnv& env);

/// `state show PIPELINE SOURCE`: the watermarks of one SOURCE (every object and cursor field)
/// in detail. kFailure with a clear message, and a "did you mean" when a stored source or
/// pipeline is close, when it has none.
ExitCode ShowState(const ProjectFlags& flags, const std::string& pipeline,
                   const std::string& source, const CliEnv& env);

/// `state reset PIPELINE [SOURCE]`: delete the watermarks of a pipeline (of one SOURCE when
/// `source` is not empty), so that its next run is a full refresh. Resetting nothing is not
/// an error; the output says so.
ExitCode ResetState(const ProjectFlags& flags, const std::string& pipeline,
                    const std::string& source, const CliEnv& env);

/// The table of `state list`: pipeline, source, object, cursor field, value, type, boundary
/// rows, updated_at, run_id; an empty object (the connector's default) shows as "-".
std::string WatermarksTable(const std::vector<state::Watermark>& watermarks);

/// The detail of one watermark for `state show`: a "name: value" line per field, with the
/// identities of the boundary rows (the first 10).
std::string WatermarkDetail(const state::Watermark& watermark);

}  // namespace sqlflow::cli
