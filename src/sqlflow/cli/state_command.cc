#include "sqlflow/cli/state_command.h"

#include <algorithm>
#include <memory>
#include <optional>

#include <fmt/format.h>

#include "sqlflow/cli/table.h"
#include "sqlflow/common/error.h"
#include "sqlflow/common/strings.h"

#include <CLI/CLI.hpp>

namespace sqlflow::cli {

namespace {

/// Boundary identities shown by `state show`; a run may hold thousands.
constexpr size_t kBoundaryShown = 10;

/// The profile of the command and its state (null: none stored yet), opened once.
struct Opened {
  Project project;
  pipeline::Profile profile;
  std::unique_ptr<ProfileState> state;

  /// "profile dev, state: target/state.duckdb": where the command looked.
  std::string Where() const {
    return fmt::format("profile {}, state: {}", profile.name,
                       project.Display(project.StatePath(profile)));
  }
  /// Every stored watermark (of `pipeline`; "" = all).
  std::vector<state::Watermark> Watermarks(const std::string& pipeline = "") const {
    return state ? state->store->ListWatermarks(pipeline) : std::vector<state::Watermark>{};
  }
};

Opened OpenProfileState(const ProjectFlags& flags, const CliEnv& env) {
  Project project = Project::Open(flags.project_dir);
  pipeline::Profile profile = LoadResolvedProfile(project, flags, ParseVarsFlag(flags.vars), env);
  std::unique_ptr<ProfileState> opened = project.OpenState(profile);
  return Opened{std::move(project), std::move(profile), std::move(opened)};
}

// The distinct values `field` takes in `watermarks`, in order.
template <typename Field>
std::vector<std::string> Distinct(const std::vector<state::Watermark>& watermarks, Field field) {
  std::vector<std::string> out;
  for (const state::Watermark& w : watermarks) {
    const std::string& value = field(w.key);
    if (std::find(out.begin(), out.end(), value) == out.end()) out.push_back(value);
  }
  return out;
}

std::vector<std::string> PipelinesOf(const std::vector<state::Watermark>& watermarks) {
  return Distinct(watermarks,
                  [](const state::WatermarkKey& k) -> const std::string& { return k.pipeline; });
}

// "; sources with watermarks in pipeline daily: a, b" (or the pipelines that have some, with a
// "did you mean" for `pipeline`): what the user may have meant instead of `pipeline`/`source`.
std::string Hint(const std::vector<state::Watermark>& all, const std::string& pipeline,
                 const std::string& source) {
  std::vector<state::Watermark> of_pipeline;
  std::copy_if(all.begin(), all.end(), std::back_inserter(of_pipeline),
               [&](const state::Watermark& w) { return w.key.pipeline == pipeline; });
  std::string hint;
  if (!source.empty() && !of_pipeline.empty()) {
    std::vector<std::string> sources = Distinct(
        of_pipeline, [](const state::WatermarkKey& k) -> const std::string& { return k.source; });
    std::string close = ClosestMatch(source, sources);
    if (!close.empty()) hint += fmt::format(" (did you mean '{}'?)", close);
    return hint + fmt::format("; sources with watermarks in pipeline {}: {}", pipeline,
                              Join(sources, ", "));
  }
  std::vector<std::string> pipelines = PipelinesOf(all);
  if (pipelines.empty()) return "; no watermarks are stored";
  std::string close = ClosestMatch(pipeline, pipelines);
  if (!close.empty()) hint += fmt::format(" (did you mean '{}'?)", close);
  return hint + "; pipelines with watermarks: " + Join(pipelines, ", ");
}

// "source 'orders_src' of pipeline 'daily'" or "pipeline 'daily'".
std::string Subject(const std::string& pipeline, const std::string& source) {
  if (source.empty()) return fmt::format("pipeline '{}'", pipeline);
  return fmt::format("source '{}' of pipeline '{}'", source, pipeline);
}

}  // namespace

std::string WatermarksTable(const std::vector<state::Watermark>& watermarks) {
  std::vector<std::vector<std::string>> rows = {{"PIPELINE", "SOURCE", "OBJECT", "CURSOR_FIELD",
                                                 "VALUE", "TYPE", "BOUNDARY_ROWS", "UPDATED_AT",
                                                 "RUN_ID"}};
  for (const state::Watermark& w : watermarks) {
    rows.push_back({w.key.pipeline, w.key.source, w.key.object.empty() ? "-" : w.key.object,
                    w.key.cursor_field, w.value, w.type, std::to_string(w.boundary.size()),
                    w.updated_at, w.run_id});
  }
  return FormatTable(rows);
}

std::string WatermarkDetail(const state::Watermark& watermark) {
  const state::WatermarkKey& key = watermark.key;
  std::vector<std::vector<std::string>> rows = {
      {"object:", key.object.empty() ? "(the connector's default)" : key.object},
      {"cursor_field:", key.cursor_field},
      {"value:", watermark.value},
      {"type:", watermark.type},
      {"boundary rows:", std::to_string(watermark.boundary.size())}};
  if (!watermark.boundary.empty()) {
    size_t shown = std::min(watermark.boundary.size(), kBoundaryShown);
    std::vector<std::string> ids(watermark.boundary.begin(), watermark.boundary.begin() + shown);
    std::string text = TruncateForMessage(Join(ids, ", "), 400);
    if (shown < watermark.boundary.size()) {
      text += fmt::format(" (and {} more)", watermark.boundary.size() - shown);
    }
    rows.push_back({"boundary:", text});
  }
  rows.push_back({"updated_at:", watermark.updated_at});
  rows.push_back({"run_id:", watermark.run_id});
  return FormatTable(rows);
}

ExitCode ListState(const ProjectFlags& flags, const std::string& pipeline, const CliEnv& env) {
  Opened opened = OpenProfileState(flags, env);
  std::vector<state::Watermark> watermarks = opened.Watermarks(pipeline);
  if (flags.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const state::Watermark& w : watermarks) list.push_back(w.ToJson());
    env.out << JsonOutput(list);
  } else if (watermarks.empty()) {
    std::string what = pipeline.empty()
                           ? "No watermarks are stored"
                           : fmt::format("No watermarks are stored for pipeline {}", pipeline);
    std::string hint = pipeline.empty() ? "" : Hint(opened.Watermarks(), pipeline, "");
    env.out << fmt::format("{} ({}){}\n", what, opened.Where(), hint);
  } else {
    env.out << fmt::format("Watermarks ({}):\n", opened.Where()) << WatermarksTable(watermarks);
  }
  return ExitCode::kSuccess;
}

ExitCode ShowState(const ProjectFlags& flags, const std::string& pipeline,
                   const std::string& source, const CliEnv& env) {
  Opened opened = OpenProfileState(flags, env);
  std::vector<state::Watermark> watermarks;
  for (state::Watermark& w : opened.Watermarks(pipeline)) {
    if (w.key.source == source) watermarks.push_back(std::move(w));
  }
  if (watermarks.empty()) {
    env.err << fmt::format("error: no watermark is stored for {} ({}){}\n",
                           Subject(pipeline, source), opened.Where(),
                           Hint(opened.Watermarks(), pipeline, source));
    return ExitCode::kFailure;
  }
  if (flags.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const state::Watermark& w : watermarks) list.push_back(w.ToJson());
    env.out << JsonOutput(list);
    return ExitCode::kSuccess;
  }
  env.out << fmt::format("Watermarks of {} ({}):\n", Subject(pipeline, source), opened.Where());
  for (const state::Watermark& w : watermarks) env.out << "\n" << WatermarkDetail(w);
  return ExitCode::kSuccess;
}

ExitCode ResetState(const ProjectFlags& flags, const std::string& pipeline,
                    const std::string& source, const CliEnv& env) {
  Opened opened = OpenProfileState(flags, env);
  int64_t reset = opened.state ? opened.state->store->ResetWatermarks(pipeline, source) : 0;
  if (flags.json) {
    env.out << JsonOutput(
        {{"pipeline", pipeline},
         {"source", source.empty() ? nlohmann::json(nullptr) : nlohmann::json(source)},
         {"reset", reset}});
  } else if (reset == 0) {
    env.out << fmt::format("No watermarks to reset for {} ({}){}; nothing changed\n",
                           Subject(pipeline, source), opened.Where(),
                           // Nothing was deleted: the stored watermarks are as before.
                           Hint(opened.Watermarks(), pipeline, source));
  } else {
    env.out << fmt::format("Reset {} {} of {} ({}): the next run is a full refresh for {}\n", reset,
                           reset == 1 ? "watermark" : "watermarks", Subject(pipeline, source),
                           opened.Where(), reset == 1 ? "it" : "them");
  }
  return ExitCode::kSuccess;
}

void AddStateCommand(CLI::App& app, const CliEnv& env, CommandFn* chosen) {
  struct State {
    ProjectFlags flags;
    std::string pipeline;
    std::string source;
  };
  auto state = std::make_shared<State>();
  CLI::App* group =
      app.add_subcommand("state", "Show and reset the incremental state (watermarks)");
  AddProjectFlags(*group, &state->flags);

  CLI::App* list = group->add_subcommand("list", "List the stored watermarks");
  list->add_option("--pipeline", state->pipeline, "Only the watermarks of this pipeline")
      ->type_name("NAME");
  list->callback([&env, chosen, state] {
    *chosen = [&env, state] { return ListState(state->flags, state->pipeline, env); };
  });

  CLI::App* show = group->add_subcommand("show", "Show the watermarks of one SOURCE in detail");
  show->add_option("PIPELINE", state->pipeline, "Pipeline name")->required();
  show->add_option("SOURCE", state->source, "SOURCE name in the pipeline")->required();
  show->callback([&env, chosen, state] {
    *chosen = [&env, state] {
      return ShowState(state->flags, state->pipeline, state->source, env);
    };
  });

  CLI::App* reset = group->add_subcommand(
      "reset",
      "Delete the watermarks of a pipeline (or of one SOURCE): the next run is a full "
      "refresh");
  reset->add_option("PIPELINE", state->pipeline, "Pipeline name")->required();
  reset->add_option("SOURCE", state->source, "SOURCE name (default: every source)");
  reset->callback([&env, chosen, state] {
    *chosen = [&env, state] {
      return ResetState(state->flags, state->pipeline, state->source, env);
    };
  });
}

}  // namespace sqlflow::cli
