#include "sqlflow/cli/pipeline_command.h"

#include <condition_variable>
#include <fstream>
#include <mutex>
#include <system_error>
#include <thread>

#include <fmt/format.h>

#include "sqlflow/cli/interrupt.h"
#include "sqlflow/cli/progress.h"
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

// Shows steps as they run: one line per finished step, numbered in the order steps finish
// (independent loads run at the same time); on a terminal the last step started is drawn in
// place until a step finishes. Events come from the executor's threads.
class StepReporter {
 public:
  StepReporter(const runner::Plan& plan, std::ostream& err, bool enabled, bool terminal)
      : err_(err), enabled_(enabled), terminal_(terminal), total_(plan.steps.size()) {}

  void OnEvent(const runner::StepEvent& event) {
    if (!enabled_ || event.step == nullptr) return;
    std::lock_guard<std::mutex> lock(mu_);
    const runner::StepResult& step = *event.step;
    if (event.type == runner::StepEvent::Type::kFinished) {
      if (drawn_) err_ << "\r\x1b[K";
      err_ << StepLineText(++finished_, total_, step) << "\n";
      drawn_ = false;
      std::erase_if(running_, [&step](const auto& r) { return r.first == step.id; });
      // Another step may still be running: show it again.
      if (!running_.empty()) Draw(running_.back().second, -1);
      err_ << std::flush;
      return;
    }
    if (event.type == runner::StepEvent::Type::kStarted) {
      running_.emplace_back(step.id, step.description);
    }
    Draw(step.description, event.type == runner::StepEvent::Type::kProgress ? event.fraction : -1);
    err_ << std::flush;
  }

  // Erase a line drawn in place, before the summary or an error is printed.
  void Clear() {
    std::lock_guard<std::mutex> lock(mu_);
    if (drawn_) err_ << "\r\x1b[K" << std::flush;
    drawn_ = false;
  }

 private:
  // On a terminal, draw the running step `description` in place ("... 45%" when known).
  void Draw(const std::string& description, double fraction) {
    if (!terminal_) return;
    std::string line = fmt::format("[{}/{}] {} ...", finished_ + 1, total_, description);
    if (fraction >= 0) line += fmt::format(" {:.0f}%", std::min(fraction, 1.0) * 100);
    err_ << "\r\x1b[K" << line;
    drawn_ = true;
  }

  std::ostream& err_;
  const bool enabled_;
  const bool terminal_;
  const size_t total_;
  std::mutex mu_;
  std::vector<std::pair<std::string, std::string>> running_;  // Step id, description.
  size_t finished_ = 0;
  bool drawn_ = false;
};

// Turns Ctrl-C (the flag of interrupt.h) into Executor::Interrupt() while a run is going on.
class InterruptWatcher {
 public:
  explicit InterruptWatcher(runner::Executor& executor)
      : thread_([this, &executor] { Watch(executor); }) {}
  ~InterruptWatcher() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }
  InterruptWatcher(const InterruptWatcher&) = delete;
  InterruptWatcher& operator=(const InterruptWatcher&) = delete;

 private:
  void Watch(runner::Executor& executor) {
    std::unique_lock<std::mutex> lock(mu_);
    while (!done_) {
      if (InterruptRequested()) {
        executor.Interrupt();
        return;
      }
      wake_.wait_for(lock, std::chrono::milliseconds(20));
    }
  }

  std::mutex mu_;
  std::condition_variable wake_;
  bool done_ = false;
  std::thread thread_;  // Last: starts once the members it uses exist.
};

// The profile's log_level applies unless --verbose or --quiet chose one.
void ApplyLogLevel(const pipeline::Profile& profile, const GlobalOptions& global) {
  if (global.verbose || global.quiet) return;
  log::Level level;
  if (log::ParseLevel(profile.log_level, &level)) log::SetLevel(level);
}

runner::RunResult Execute(const runner::Plan& plan, engine::Engine& engine, const Project& project,
                          const GlobalOptions& global, const CliEnv& env) {
  StepReporter reporter(plan, env.err, !global.quiet, env.err_is_terminal);
  runner::ExecutorOptions options;
  options.on_event = [&reporter](const runner::StepEvent& event) { reporter.OnEvent(event); };
  options.project_dir = project.dir();
  options.clock = env.clock;
  runner::Executor executor(plan, engine, env.registry, std::move(options));
  runner::RunResult result;
  try {
    InterruptWatcher watcher(executor);
    result = executor.Run();
  } catch (...) {
    reporter.Clear();
    throw;
  }
  reporter.Clear();
  return result;
}

std::string FailureText(const runner::RunResult& result) {
  for (const runner::StepResult& step : result.steps) {
    if (step.status != runner::StepStatus::kFailed) continue;
    return fmt::format("error: step '{}' failed: {}\n", step.id,
                       step.error.empty() ? result.error : step.error);
  }
  return fmt::format("error: {}\n", result.error.empty() ? "the run failed" : result.error);
}

ExitCode Report(const runner::RunResult& result, const Project& project, const ProjectFlags& flags,
                const GlobalOptions& global, const CliEnv& env) {
  if (flags.json) {
    env.out << JsonOutput(result.ToJson());
  } else if (!global.quiet) {
    env.out << RunSummaryText(result);
    if (!result.report_path.empty()) {
      env.out << "Run report: " << project.Display(result.report_path) << "\n";
    }
  }
  env.out.flush();
  if (result.interrupted || (!result.success && InterruptRequested())) {
    env.err << "interrupted\n";
    return ExitCode::kInterrupted;
  }
  if (!result.success) {
    env.err << FailureText(result);
    return ExitCode::kFailure;
  }
  return ExitCode::kSuccess;
}

/// The profile with `${VAR}` in its engine settings and log level resolved (--vars, profile
/// variables, environment).
pipeline::Profile LoadResolvedProfile(const Project& project, const ProjectFlags& flags,
                                      const std::map<std::string, std::string>& cli_vars,
                                      const CliEnv& env) {
  pipeline::Profile profile = project.LoadProfile(flags.profile);
  pipeline::VariableScope scope(cli_vars, profile.variables, env.env_lookup);
  pipeline::ResolveProfileSettings(&profile, scope);
  return profile;
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

std::string StepLineText(size_t position, size_t total, const runner::StepResult& step) {
  std::string head = fmt::format("[{}/{}] {} ...", position, total, step.description);
  switch (step.status) {
    case runner::StepStatus::kSuccess:
      return fmt::format("{} {} {} in {:.2f} s", head, FormatCount(step.rows),
                         step.rows == 1 ? "row" : "rows", step.seconds);
    case runner::StepStatus::kFailed:
      return fmt::format("{} failed after {:.2f} s", head, step.seconds);
    case runner::StepStatus::kInterrupted:
      return fmt::format("{} interrupted after {:.2f} s", head, step.seconds);
    default:
      return fmt::format("{} {}", head, runner::StepStatusName(step.status));
  }
}

std::string RunSummaryText(const runner::RunResult& result) {
  std::vector<std::vector<std::string>> rows = {{"STEP", "STATUS", "ROWS", "SECONDS", "ROWS/S"}};
  size_t succeeded = 0;
  for (const runner::StepResult& step : result.steps) {
    bool ran = step.status == runner::StepStatus::kSuccess ||
               step.status == runner::StepStatus::kFailed ||
               step.status == runner::StepStatus::kInterrupted;
    if (step.status == runner::StepStatus::kSuccess) ++succeeded;
    std::string rate = "-";
    if (step.status == runner::StepStatus::kSuccess && step.seconds > 0) {
      rate = FormatCount(static_cast<int64_t>(step.RowsPerSecond()));
    }
    rows.push_back({step.id, runner::StepStatusName(step.status),
                    ran ? FormatCount(step.rows) : "-",
                    ran ? fmt::format("{:.2f}", step.seconds) : "-", rate});
  }
  const char* outcome = result.interrupted ? "was interrupted"
                        : result.success   ? "succeeded"
                                           : "failed";
  return FormatTable(rows) +
         fmt::format("\nPipeline {} {} in {:.2f} s ({} of {} steps succeeded, profile {})\n",
                     result.pipeline, outcome, result.seconds, succeeded, result.steps.size(),
                     result.profile);
}

ExitCode RunPipeline(const ProjectFlags& flags, const std::string& name,
                     const GlobalOptions& global, const CliEnv& env) {
  Project project = Project::Open(flags.project_dir);
  std::map<std::string, std::string> cli_vars = ParseVarsFlag(flags.vars);
  pipeline::Profile profile = LoadResolvedProfile(project, flags, cli_vars, env);
  ApplyLogLevel(profile, global);
  PipelineFile file = project.FindPipeline(name);
  // Open the engine first: a persistent database may hold tables the pipeline reads, and
  // planning parses SQL on the engine instead of opening a second database.
  std::unique_ptr<engine::Engine> engine = project.OpenEngine(profile);
  engine::SqlAnalyzer analyzer(*engine);
  runner::Plan plan =
      PlanPipeline(project, file, profile, env, cli_vars, ExistingTables(engine.get()), &analyzer);
  ThrowIfInterrupted();
  runner::RunResult result = Execute(plan, *engine, project, global, env);
  return Report(result, project, flags, global, env);
}

void AddPipelineCommand(CLI::App& app, const CliEnv& env, const GlobalOptions& global,
                        CommandFn* chosen) {
  struct State {
    ProjectFlags flags;
    std::string name;
  };
  auto state = std::make_shared<State>();
  CLI::App* group = app.add_subcommand("pipeline", "List, validate, compile and run pipelines");
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
  run->callback([&env, &global, chosen, state] {
    *chosen = [&env, &global, state] {
      return RunPipeline(state->flags, state->name, global, env);
    };
  });
}

}  // namespace sqlflow::cli
