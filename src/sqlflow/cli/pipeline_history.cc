// `pipeline history`: the runs recorded in the profile's state, newest first.

#include <fmt/format.h>

#include "sqlflow/cli/pipeline_command.h"
#include "sqlflow/cli/progress.h"
#include "sqlflow/cli/table.h"
#include "sqlflow/common/strings.h"

namespace sqlflow::cli {

namespace {

std::string OrDash(const std::string& text) { return text.empty() ? "-" : text; }

// "2/3": the steps of `run` that succeeded, of all its steps.
std::string StepsDone(const state::RunRecord& run) {
  size_t succeeded = 0;
  for (const state::StepRecord& step : run.steps) succeeded += step.status == "success" ? 1 : 0;
  return fmt::format("{}/{}", succeeded, run.steps.size());
}

// The header line of one run's steps: "Run ID (pipeline, profile dev): failed: error".
std::string RunHeading(const state::RunRecord& run) {
  std::string line =
      fmt::format("Run {} ({}, profile {}): {}", run.run_id, run.pipeline, run.profile, run.status);
  if (!run.error.empty()) line += ": " + run.error;
  return line + "\n";
}

// The steps of one run as a table; the ERROR column only when a step has an error.
std::string StepsTable(const state::RunRecord& run) {
  if (run.steps.empty()) return "  (no steps recorded)\n";
  bool any_error = false;
  for (const state::StepRecord& step : run.steps) any_error = any_error || !step.error.empty();
  std::vector<std::vector<std::string>> rows = {
      {"STEP", "STATUS", "ROWS", "BYTES", "STARTED", "FINISHED"}};
  if (any_error) rows[0].push_back("ERROR");
  for (const state::StepRecord& step : run.steps) {
    rows.push_back({step.step_id, step.status, FormatCount(step.rows),
                    step.bytes > 0 ? FormatBytes(static_cast<double>(step.bytes)) : "-",
                    OrDash(step.started_at), OrDash(step.finished_at)});
    if (any_error) rows.back().push_back(OrDash(step.error));
  }
  return FormatTable(rows);
}

// What to say when nothing is recorded.
std::string NoRunsText(const Project& project, const pipeline::Profile& profile,
                       const std::string& name) {
  std::string what = name.empty() ? "No runs" : fmt::format("No runs of pipeline {}", name);
  return fmt::format("{} recorded for profile {} (state: {})\n", what, profile.name,
                     project.Display(project.StatePath(profile)));
}

}  // namespace

std::string HistoryText(const std::vector<state::RunRecord>& runs) {
  std::vector<std::vector<std::string>> rows = {
      {"RUN", "PIPELINE", "PROFILE", "STATUS", "STARTED", "FINISHED", "STEPS"}};
  for (const state::RunRecord& run : runs) {
    rows.push_back({run.run_id, run.pipeline, run.profile, run.status, OrDash(run.started_at),
                    OrDash(run.finished_at), StepsDone(run)});
  }
  std::string out = FormatTable(rows);
  for (const state::RunRecord& run : runs) out += "\n" + RunHeading(run) + StepsTable(run);
  return out;
}

ExitCode PipelineHistory(const ProjectFlags& flags, const std::string& name, int64_t limit,
                         const CliEnv& env) {
  Project project = Project::Open(flags.project_dir);
  pipeline::Profile profile = LoadResolvedProfile(project, flags, ParseVarsFlag(flags.vars), env);
  std::vector<state::RunRecord> runs;
  if (std::unique_ptr<ProfileState> opened = project.OpenState(profile)) {
    runs = opened->store->History(name, limit);
  }
  // A name that is neither in the history nor a pipeline of the project is a typo: say so
  // (with a "did you mean") instead of "no runs". A deleted pipeline keeps its history.
  if (runs.empty() && !name.empty()) project.FindPipeline(name);
  if (flags.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const state::RunRecord& run : runs) list.push_back(run.ToJson());
    env.out << JsonOutput(list);
  } else if (runs.empty()) {
    env.out << NoRunsText(project, profile, name);
  } else {
    env.out << HistoryText(runs);
  }
  return ExitCode::kSuccess;
}

}  // namespace sqlflow::cli
