#include "sqlflow/cli/project.h"

#include <algorithm>
#include <system_error>

#include <fmt/format.h>

#include "sqlflow/common/strings.h"
#include "sqlflow/pipeline/parser.h"
#include "sqlflow/pipeline/variables.h"
#include "sqlflow/runner/planner.h"

#include <CLI/CLI.hpp>

namespace sqlflow::cli {

namespace fs = std::filesystem;

namespace {

constexpr const char* kPipelineExtension = ".sf";

// Run `fn`; the ConfigError it throws (a missing profile, a bad --vars entry or memory limit)
// becomes InvalidInput: a problem of the command line or the project, exit code 2.
template <typename Fn>
auto AsInvalidInput(Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const ConfigError& e) {
    throw InvalidInput(e.what());
  }
}

}  // namespace

void AddProjectFlags(CLI::App& app, ProjectFlags* flags) {
  app.fallthrough();
  app.add_option("-p,--profile", flags->profile, "Profile: profiles/<NAME>.yml")
      ->type_name("NAME")
      ->capture_default_str();
  app.add_option("--vars", flags->vars, R"(Variables: {"k": "v"} or k=v,k2=v2)")->type_name("VARS");
  app.add_option("--project-dir", flags->project_dir, "Project directory (default: current)")
      ->type_name("DIR");
  app.add_flag("--json", flags->json, "Print JSON");
}

Project Project::Open(const std::string& dir) {
  std::error_code ec;
  fs::path path = dir.empty() ? fs::current_path(ec) : fs::absolute(dir, ec);
  if (ec) throw InvalidInput(fmt::format("cannot resolve the project directory: {}", ec.message()));
  if (!fs::exists(path, ec)) {
    throw InvalidInput(fmt::format("project directory '{}' does not exist", path.string()));
  }
  if (!fs::is_directory(path, ec)) {
    throw InvalidInput(fmt::format("project directory '{}' is not a directory", path.string()));
  }
  return Project(path.lexically_normal());
}

std::string Project::Display(const fs::path& path) const {
  fs::path relative = path.lexically_relative(dir_);
  if (relative.empty() || *relative.begin() == "..") return path.string();
  return relative.string();
}

fs::path Project::Resolve(const fs::path& path) const {
  return path.is_absolute() ? path : (dir_ / path).lexically_normal();
}

std::vector<PipelineFile> Project::Pipelines() const {
  std::vector<PipelineFile> files;
  std::error_code ec;
  fs::directory_iterator it(dir_ / "pipelines", ec);
  if (ec) return files;
  for (const fs::directory_entry& entry : it) {
    const fs::path& path = entry.path();
    if (path.extension() != kPipelineExtension || !entry.is_regular_file(ec)) continue;
    files.push_back({path.stem().string(), path, Display(path)});
  }
  std::sort(files.begin(), files.end(),
            [](const PipelineFile& a, const PipelineFile& b) { return a.name < b.name; });
  return files;
}

PipelineFile Project::FindPipeline(const std::string& name) const {
  std::vector<PipelineFile> files = Pipelines();
  std::vector<std::string> names;
  for (const PipelineFile& file : files) {
    if (file.name == name) return file;
    names.push_back(file.name);
  }
  std::string message =
      fmt::format("pipeline '{}' not found in {}", name, (dir_ / "pipelines").string());
  if (names.empty()) {
    throw InvalidInput(message +
                       " (there are no pipelines: is --project-dir the project directory?)");
  }
  std::string suggestion = ClosestMatch(name, names);
  if (!suggestion.empty()) message += fmt::format(" (did you mean '{}'?)", suggestion);
  throw InvalidInput(message + "; pipelines found: " + Join(names, ", "));
}

pipeline::Profile Project::LoadProfile(const std::string& name) const {
  return AsInvalidInput([&] { return pipeline::LoadProfile(dir_, name); });
}

engine::EngineOptions Project::EngineOptionsOf(const pipeline::Profile& profile) const {
  const pipeline::EngineConfig& config = profile.engine;
  engine::EngineOptions options;
  if (config.persistent) {
    options.path = Resolve(config.path.empty() ? "target/sqlflow.duckdb" : config.path).string();
  }
  if (!config.memory_limit.empty()) {
    options.memory_limit =
        AsInvalidInput([&] { return engine::NormalizeMemoryLimit(config.memory_limit); });
  }
  options.threads = config.threads;
  if (!config.temp_directory.empty()) {
    options.temp_directory = Resolve(config.temp_directory).string();
  }
  return options;
}

bool Project::HasDatabase(const pipeline::Profile& profile) const {
  if (!profile.engine.persistent) return false;
  std::error_code ec;
  return fs::exists(EngineOptionsOf(profile).path, ec);
}

std::unique_ptr<engine::Engine> Project::OpenEngine(const pipeline::Profile& profile) const {
  engine::EngineOptions options = EngineOptionsOf(profile);
  return AsInvalidInput([&] { return engine::OpenDuckDbEngine(options); });
}

fs::path Project::StatePath(const pipeline::Profile& profile) const {
  if (profile.engine.persistent) return EngineOptionsOf(profile).path;
  return dir_ / state::kStateFile;
}

std::unique_ptr<ProfileState> Project::OpenState(const pipeline::Profile& profile) const {
  fs::path path = StatePath(profile);
  std::error_code ec;
  if (!fs::exists(path, ec)) return nullptr;
  engine::EngineOptions options =
      profile.engine.persistent ? EngineOptionsOf(profile) : engine::EngineOptions{};
  options.path = path.string();
  auto opened = std::make_unique<ProfileState>();
  opened->path = path;
  try {
    opened->engine = engine::OpenDuckDbEngine(options);
    opened->session = opened->engine->Connect();
  } catch (const ConfigError& e) {
    throw InvalidInput(e.what());
  } catch (const Error& e) {
    throw Error(fmt::format("cannot open the state of profile {} ({}): {}", profile.name,
                            Display(path), e.what()),
                e.error_class());
  }
  opened->store = std::make_unique<state::StateStore>(*opened->session);
  if (!opened->store->HasSchema()) return nullptr;
  return opened;
}

std::unique_ptr<state::RunState> Project::OpenRunState(const pipeline::Profile& profile,
                                                       engine::Engine& engine,
                                                       const std::string& pipeline,
                                                       std::shared_ptr<Clock> clock) const {
  if (profile.engine.persistent) return state::OpenEngineRunState(engine, std::move(clock));
  return state::OpenFileRunState(engine, dir_ / state::kStateFile, pipeline, std::move(clock));
}

std::map<std::string, std::string> ParseVarsFlag(const std::string& text) {
  if (Trim(text).empty()) return {};
  return AsInvalidInput([&] { return pipeline::ParseVarsArgument(text); });
}

pipeline::Profile LoadResolvedProfile(const Project& project, const ProjectFlags& flags,
                                      const std::map<std::string, std::string>& cli_vars,
                                      const CliEnv& env) {
  pipeline::Profile profile = project.LoadProfile(flags.profile);
  pipeline::VariableScope scope(cli_vars, profile.variables, env.env_lookup);
  pipeline::ResolveProfileSettings(&profile, scope);
  return profile;
}

std::set<std::string> ExistingTables(engine::Engine* engine) {
  if (engine == nullptr) return {};
  std::vector<std::string> tables = engine->Connect()->Tables();
  return {tables.begin(), tables.end()};
}

runner::Plan PlanPipeline(const Project& project, const PipelineFile& file,
                          const pipeline::Profile& profile, const CliEnv& env,
                          const std::map<std::string, std::string>& cli_vars,
                          const std::set<std::string>& existing_tables,
                          engine::SqlAnalyzer* analyzer) {
  pipeline::PipelineAst ast =
      AsInvalidInput([&] { return pipeline::LoadPipelineFile(file.path, project.dir()); });
  runner::PlanInputs inputs;
  inputs.cli_vars = cli_vars;
  inputs.env = env.env_lookup;
  inputs.existing_tables = existing_tables;
  inputs.project_dir = project.dir();
  inputs.analyzer = analyzer;
  return runner::BuildPlan(ast, profile, env.registry, inputs);
}

std::string JsonOutput(const nlohmann::json& json) {
  return json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string LineOf(const pipeline::Location& location) {
  if (!location.file) return "";
  return fmt::format("{}:{}", location.file->path,
                     location.file->LineColumn(location.offset).first);
}

}  // namespace sqlflow::cli
