#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "sqlflow/cli/cli.h"
#include "sqlflow/common/clock.h"
#include "sqlflow/engine/engine.h"
#include "sqlflow/pipeline/ast.h"
#include "sqlflow/pipeline/profile.h"
#include "sqlflow/runner/plan.h"
#include "sqlflow/state/run_state.h"
#include "sqlflow/state/state_store.h"

namespace CLI {
class App;
}

/// What the project commands (`pipeline ...`, `connect ...`) share: the project directory,
/// its pipelines and profiles, and the way from a pipeline name to a validated plan.
namespace sqlflow::cli {

/// The flags every project command understands (PIPELINE_LANGUAGE.md, CLI section).
struct ProjectFlags {
  std::string profile = "dev";  ///< --profile/-p: profiles/<name>.yml.
  std::string vars;             ///< --vars: JSON object or k=v,k2=v2; "" = none.
  std::string project_dir;      ///< --project-dir; "" = the current directory.
  bool json = false;            ///< --json: machine-readable output.
};

/// Add --profile/-p, --vars, --project-dir and --json to `app` (a command group: the flags are
/// accepted before and after its commands).
void AddProjectFlags(CLI::App& app, ProjectFlags* flags);

/// A pipeline file of a project.
struct PipelineFile {
  std::string name;            ///< File name without ".sf".
  std::filesystem::path path;  ///< Absolute path.
  std::string display_path;    ///< Relative to the project: "pipelines/daily.sf".
};

/// The incremental state and run history of a profile, opened by Project::OpenState() for the
/// `state` and `pipeline history` commands. Members are destroyed store first, engine last.
struct ProfileState {
  std::filesystem::path path;  ///< The DuckDB file that holds the state (absolute).
  std::unique_ptr<engine::Engine> engine;
  std::unique_ptr<engine::Session> session;
  std::unique_ptr<state::StateStore> store;
};

/// A project directory, made absolute. Cheap: nothing is read until asked.
class Project {
 public:
  /// Open the project at `dir` ("" = the current directory). Throws InvalidInput when the
  /// directory does not exist or is not a directory.
  static Project Open(const std::string& dir);

  const std::filesystem::path& dir() const { return dir_; }
  /// `path` relative to the project when it is inside it, else as given: for messages.
  std::string Display(const std::filesystem::path& path) const;
  /// `path` made absolute against the project directory (absolute paths are kept).
  std::filesystem::path Resolve(const std::filesystem::path& path) const;

  /// Every pipelines/*.sf, sorted by name. Empty when there is no pipelines/ directory.
  std::vector<PipelineFile> Pipelines() const;
  /// The pipeline called `name`. Throws InvalidInput naming the pipelines found, with a
  /// "did you mean" when a name is close.
  PipelineFile FindPipeline(const std::string& name) const;

  /// Load profiles/<name>.yml. A missing profile or a bad value is InvalidInput (exit 2);
  /// YAML problems stay PipelineDiagnostics (shown with line, column and caret).
  pipeline::Profile LoadProfile(const std::string& name) const;
  /// The engine options of `profile`: paths made absolute against the project, the memory
  /// limit normalised (InvalidInput when it is not a size).
  engine::EngineOptions EngineOptionsOf(const pipeline::Profile& profile) const;
  /// Whether `profile` keeps a database file and that file exists (it may hold tables a
  /// pipeline reads).
  bool HasDatabase(const pipeline::Profile& profile) const;
  /// Open the engine of `profile` (a persistent database file and its directory are created).
  std::unique_ptr<engine::Engine> OpenEngine(const pipeline::Profile& profile) const;

  /// The DuckDB file that holds the incremental state and run history of `profile`: the
  /// engine's database when it is persistent, else target/state.duckdb (state::kStateFile).
  std::filesystem::path StatePath(const pipeline::Profile& profile) const;
  /// Open the state of `profile` to read or reset it: StatePath() opened as a DuckDB database
  /// of its own. Null when there is no state yet (no such file, or a database without the
  /// state tables); nothing is created. Throws sqlflow::Error naming the file when it cannot be
  /// opened (e.g. a running pipeline holds its lock).
  std::unique_ptr<ProfileState> OpenState(const pipeline::Profile& profile) const;
  /// The state of a run of `pipeline` on `engine`, the engine of `profile`: in the engine's own
  /// database when it is persistent (state::OpenEngineRunState), else in target/state.duckdb
  /// (state::OpenFileRunState). `engine` must outlive the result.
  std::unique_ptr<state::RunState> OpenRunState(const pipeline::Profile& profile,
                                                engine::Engine& engine, const std::string& pipeline,
                                                std::shared_ptr<Clock> clock) const;

 private:
  explicit Project(std::filesystem::path dir) : dir_(std::move(dir)) {}
  std::filesystem::path dir_;
};

/// Parse --vars (JSON or k=v,k2=v2); a malformed value is InvalidInput.
std::map<std::string, std::string> ParseVarsFlag(const std::string& text);

/// Load the profile --profile names with `${VAR}` in its engine settings and log level
/// resolved (`cli_vars`, the profile's variables, the environment).
pipeline::Profile LoadResolvedProfile(const Project& project, const ProjectFlags& flags,
                                      const std::map<std::string, std::string>& cli_vars,
                                      const CliEnv& env);

/// The tables and views of `engine` (null: none), so a pipeline may read them.
std::set<std::string> ExistingTables(engine::Engine* engine);

/// Parse `file` (with its INCLUDEs) and build its plan under `profile`. `existing_tables` are
/// the tables of a persistent engine. Throws PipelineDiagnostics for every problem found.
runner::Plan PlanPipeline(const Project& project, const PipelineFile& file,
                          const pipeline::Profile& profile, const CliEnv& env,
                          const std::map<std::string, std::string>& cli_vars,
                          const std::set<std::string>& existing_tables,
                          engine::SqlAnalyzer* analyzer = nullptr);

/// The --json output of a project command: `json` indented by 2, invalid UTF-8 replaced, and
/// a final newline.
std::string JsonOutput(const nlohmann::json& json);

/// "pipelines/daily.sf:12" for a location (or "" when it has no file).
std::string LineOf(const pipeline::Location& location);

}  // namespace sqlflow::cli
