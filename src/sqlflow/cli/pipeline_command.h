#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sqlflow/cli/cli.h"
#include "sqlflow/cli/project.h"
#include "sqlflow/runner/executor.h"
#include "sqlflow/runner/plan.h"
#include "sqlflow/state/state_store.h"

#include <nlohmann/json.hpp>

namespace CLI {
class App;
}

namespace sqlflow::cli {

/// Add `pipeline list|validate|compile|run|history` with the project flags to `app`; the parsed
/// command is stored in `*chosen`.
void AddPipelineCommand(CLI::App& app, const CliEnv& env, const GlobalOptions& global,
                        CommandFn* chosen);

/// `pipeline list`: every pipelines/*.sf with its path.
ExitCode ListPipelines(const ProjectFlags& flags, const CliEnv& env);
/// `pipeline validate [NAME]`: parse and plan `name` ("" = every pipeline), touching no data.
/// Prints "✓ NAME: N steps" or the diagnostics of each; kInvalidInput when any is invalid.
ExitCode ValidatePipelines(const ProjectFlags& flags, const std::string& name, const CliEnv& env);
/// `pipeline compile NAME`: write target/compiled/NAME.json, .mmd and .dot and print the
/// steps, their dependencies and the IF branches taken.
ExitCode CompilePipeline(const ProjectFlags& flags, const std::string& name, const CliEnv& env);
/// The flags of `pipeline run` beyond the project flags.
struct RunOptions {
  /// --metrics-file: where the run's Prometheus metrics go (runner/metrics.h), relative to the
  /// current directory; written for failed runs too. "" = none.
  std::string metrics_file;
};

/// `pipeline run NAME`: plan, open the profile's engine and state (Project::OpenRunState) and
/// run every step, with a progress line per step on env.err and a summary table on env.out.
/// kFailure when a step failed or the metrics file could not be written, kInterrupted after
/// Ctrl-C.
ExitCode RunPipeline(const ProjectFlags& flags, const std::string& name, const RunOptions& options,
                     const GlobalOptions& global, const CliEnv& env);

/// `pipeline history [NAME]`: the runs recorded in the profile's state (of pipeline `name`;
/// "" = every pipeline), newest first, at most `limit` (<= 0: all), each with its steps.
ExitCode PipelineHistory(const ProjectFlags& flags, const std::string& name, int64_t limit,
                         const CliEnv& env);

/// The human form of `pipeline history`: a table of the runs, then the steps of each run.
std::string HistoryText(const std::vector<state::RunRecord>& runs);

/// The human form of `pipeline compile`: the steps in order with their dependencies, then
/// the IF branches taken.
std::string CompileText(const runner::Plan& plan);

/// One progress line: "[2/5] LOAD orders FROM orders_src (CSV) ... 5,000 rows in 0.05 s".
std::string StepLineText(size_t position, size_t total, const runner::StepResult& step);

/// The summary after a run: an aligned table (step, status, rows, seconds, rows/s) and a
/// closing line with the total time.
std::string RunSummaryText(const runner::RunResult& result);

}  // namespace sqlflow::cli
