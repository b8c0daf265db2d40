#include "sqlflow/cli/pipeline_command.h"

#include <fstream>
#include <system_error>

#include <fmt/format.h>

#include "sqlflow/cli/table.h"
#include "sqlflow/common/log.h"
#include "sqlflow/common/strings.h"
#include "sqlflow/pipeline/diagnostics.h"
#include "sqlflow/pipeline/variables.h"

#include <CLI/CLI.hpp>

namespace sqlflow::cli {

namespace fs = std::filesystem;

namespace {

// {"file", "line", "column", "message", "suggestion"} of one diagnostic.
nlohmann::json DiagnosticJson(const pipeline::Diagnostic& d) {
  nlohmann::json json = {{"message", d.message}};
  if (d.location.file) {
    auto [line, column] = d.location.file->LineColumn(d.location.offset);
    json["file"] = d.location.file->path;
    json["line"] = line;
    json["column"] = column;
  }
  if (!d.suggestion.empty()) json["suggestion"] = d.suggestion;
  return json;
}

// The tables of a persistent database the pipelines may read. Validation goes on without
// them when the database cannot be opened (another run may hold its lock).
std::set<std::string> TablesForValidation(const Project& project,
                                          const pipeline::Profile& profile) {
  if (!project.HasDatabase(profile)) return {};
  try {
    std::unique_ptr<engine::Engine> engine = project.OpenEngine(profile);
    return ExistingTables(engine.get());
  } catch (const Error& e) {
    log::Warning("cannot read the tables of the profile's database: {}", e.what());
    return {};
  }
}

// Validate one pipeline: print "✓ NAME: N steps" or its problems; return its JSON entry.
nlohmann::json ValidateOne(const Project& project, const PipelineFile& file,
                           const pipeline::Profile& profile,
                           const std::map<std::string, std::string>& cli_vars,
                           const std::set<std::string>& tables, const ProjectFlags& flags,
                           const CliEnv& env) {
  nlohmann::json entry = {{"name", file.name}, {"path", file.display_path}};
  nlohmann::json errors = nlohmann::json::array();
  try {
    runner::Plan plan = PlanPipeline(project, file, profile, env, cli_vars, tables);
    entry["valid"] = true;
    entry["steps"] = plan.steps.size();
    if (!flags.json) {
      env.out << fmt::format("\u2713 {}: {} {}\n", file.name, plan.steps.size(),
                             plan.steps.size() == 1 ? "step" : "steps");
    }
    return entry;
  } catch (const pipeline::PipelineDiagnostics& e) {
    for (const pipeline::Diagnostic& d : e.diagnostics()) errors.push_back(DiagnosticJson(d));
    env.err << FormatDiagnostics(e);
  } catch (const InvalidInput& e) {
    for (const std::string& p : e.problems()) errors.push_back({{"message", p}});
    env.err << DescribeFailure(std::current_exception()).text;
  } catch (const Error& e) {
    errors.push_back({{"message", e.what()}});
    env.err << DescribeFailure(std::current_exception()).text;
  }
  entry["valid"] = false;
  entry["errors"] = errors;
  if (!flags.json) {
    env.out << fmt::format("\u2717 {}: {} {}\n", file.name, errors.size(),
                           errors.size() == 1 ? "error" : "errors");
  }
  return entry;
}

// "IF env == 'prod' (false), ELSE taken": how an IF was resolved.
std::string BranchText(const runner::BranchChoice& branch) {
  std::vector<std::string> parts;
  for (size_t i = 0; i < branch.conditions.size(); ++i) {
    std::string keyword = i == 0 ? "IF" : "ELSE IF";
    if (static_cast<int>(i) == branch.taken) {
      parts.push_back(fmt::format("{} {} \u2192 taken", keyword, branch.conditions[i]));
      break;
    }
    parts.push_back(fmt::format("{} {} (false)", keyword, branch.conditions[i]));
  }
  if (branch.taken < 0) parts.push_back(branch.has_else ? "ELSE \u2192 taken" : "nothing taken");
  return Join(parts, ", ");
}

void WriteTextFile(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) throw Error(fmt::format("cannot write '{}'", path.string()), ErrorClass::kPermanent);
}

}  // namespace

ExitCode ListPipelines(const ProjectFlags& flags, const CliEnv& env) {
  Project project = Project::Open(flags.project_dir);
  std::vector<PipelineFile> files = project.Pipelines();
  if (flags.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const PipelineFile& f : files)
      list.push_back({{"name", f.name}, {"path", f.display_path}});
    env.out << JsonOutput({{"project", project.dir().string()}, {"pipelines", list}});
    return ExitCode::kSuccess;
  }
  if (files.empty()) {
    env.out << fmt::format("No pipelines in {}\n", (project.dir() / "pipelines").string());
    return ExitCode::kSuccess;
  }
  std::vector<std::vector<std::string>> rows = {{"NAME", "PATH"}};
  for (const PipelineFile& f : files) rows.push_back({f.name, f.display_path});
  env.out << FormatTable(rows);
  return ExitCode::kSuccess;
}

ExitCode ValidatePipelines(const ProjectFlags& flags, const std::string& name, const CliEnv& env) {
  Project project = Project::Open(flags.project_dir);
  std::map<std::string, std::string> cli_vars = ParseVarsFlag(flags.vars);
  pipeline::Profile profile = LoadResolvedProfile(project, flags, cli_vars, env);
  std::vector<PipelineFile> files;
  if (name.empty()) {
    files = project.Pipelines();
    if (files.empty()) {
      throw InvalidInput(
          fmt::format("no pipelines to validate in {}", (project.dir() / "pipelines").string()));
    }
  } else {
    files.push_back(project.FindPipeline(name));
  }
  std::set<std::string> tables = TablesForValidation(project, profile);
  nlohmann::json entries = nlohmann::json::array();
  bool valid = true;
  for (const PipelineFile& file : files) {
    entries.push_back(ValidateOne(project, file, profile, cli_vars, tables, flags, env));
    valid = valid && entries.back()["valid"].get<bool>();
  }
  if (flags.json) env.out << JsonOutput({{"valid", valid}, {"pipelines", entries}});
  return valid ? ExitCode::kSuccess : ExitCode::kInvalidInput;
}

std::string CompileText(const runner::Plan& plan) {
  std::string out =
      fmt::format("Pipeline {} ({}), profile {}: {} {}\n", plan.pipeline, plan.pipeline_path,
                  plan.profile, plan.steps.size(), plan.steps.size() == 1 ? "step" : "steps");
  std::vector<std::vector<std::string>> rows = {{"#", "STEP", "DESCRIPTION", "AFTER"}};
  for (size_t i = 0; i < plan.steps.size(); ++i) {
    const runner::Step& step = plan.steps[i];
    rows.push_back({std::to_string(i + 1), step.id, step.Describe(),
                    step.depends_on.empty() ? "-" : Join(step.depends_on, ", ")});
  }
  out += FormatTable(rows);
  if (!plan.branches.empty()) {
    out += "\nBranches:\n";
    std::vector<std::vector<std::string>> branch_rows;
    for (const runner::BranchChoice& b : plan.branches) {
      branch_rows.push_back({LineOf(b.location), BranchText(b)});
    }
    out += FormatTable(branch_rows);
  }
  return out;
}

ExitCode CompilePipeline(const ProjectFlags& flags, const std::string& name, const CliEnv& env) {
  Project project = Project::Open(flags.project_dir);
  std::map<std::string, std::string> cli_vars = ParseVarsFlag(flags.vars);
  pipeline::Profile profile = LoadResolvedProfile(project, flags, cli_vars, env);
  PipelineFile file = project.FindPipeline(name);
  runner::Plan plan =
      PlanPipeline(project, file, profile, env, cli_vars, TablesForValidation(project, profile));
  fs::path dir = project.dir() / "target" / "compiled";
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    throw Error(fmt::format("cannot create '{}': {}", dir.string(), ec.message()),
                ErrorClass::kPermanent);
  }
  nlohmann::json json = plan.ToJson();
  WriteTextFile(dir / (file.name + ".json"), JsonOutput(json));
  WriteTextFile(dir / (file.name + ".mmd"), plan.ToMermaid());
  WriteTextFile(dir / (file.name + ".dot"), plan.ToDot());
  if (flags.json) {
    env.out << JsonOutput(json);
    return ExitCode::kSuccess;
  }
  env.out << CompileText(plan);
  env.out << fmt::format("\nWrote {}.json, .mmd and .dot\n", project.Display(dir / file.name));
  return ExitCode::kSuccess;
}

void AddPipelineCommand(CLI::App& app, const CliEnv& env, const GlobalOptions& global,
                        CommandFn* chosen) {
  struct State {
    ProjectFlags flags;
    std::string name;
    RunOptions run;
    int64_t limit = 20;
  };
  auto state = std::make_shared<State>();
  CLI::App* group = app.add_subcommand(
      "pipeline", "List, validate, compile and run pipelines; show their run history");
  AddProjectFlags(*group, &state->flags);

  group->add_subcommand("list", "List the pipelines of the project")
      ->callback([&env, chosen, state] {
        *chosen = [&env, state] { return ListPipelines(state->flags, env); };
      });

  CLI::App* validate = group->add_subcommand(
      "validate", "Parse and plan a pipeline (default: every pipeline); no data is touched");
  validate->add_option("NAME", state->name, "Pipeline name (pipelines/NAME.sf)");
  validate->callback([&env, chosen, state] {
    *chosen = [&env, state] { return ValidatePipelines(state->flags, state->name, env); };
  });

  CLI::App* compile = group->add_subcommand(
      "compile", "Write the plan to target/compiled/NAME.json (and .mmd, .dot)");
  compile->add_option("NAME", state->name, "Pipeline name")->required();
  compile->callback([&env, chosen, state] {
    *chosen = [&env, state] { return CompilePipeline(state->flags, state->name, env); };
  });

  CLI::App* run = group->add_subcommand("run", "Run a pipeline");
  run->add_option("NAME", state->name, "Pipeline name")->required();
  run->add_option("--metrics-file", state->run.metrics_file,
                  "Write the run's connector metrics to FILE in the Prometheus text format "
                  "(relative to the current directory; written for failed runs too)")
      ->type_name("FILE");
  run->callback([&env, &global, chosen, state] {
    *chosen = [&env, &global, state] {
      return RunPipeline(state->flags, state->name, state->run, global, env);
    };
  });

  CLI::App* history = group->add_subcommand(
      "history", "Show the recorded runs, newest first (default: of every pipeline)");
  history->add_option("NAME", state->name, "Pipeline name");
  history->add_option("--limit", state->limit, "Show at most N runs (0: all)")
      ->type_name("N")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  history->callback([&env, chosen, state] {
    *chosen = [&env, state] {
      return PipelineHistory(state->flags, state->name, state->limit, env);
    };
  });
}

}  // namespace sqlflow::cli
