#pragma once

#include <filesystem>
#include <map>
#include <set>
#include <string>

#include "sqlflow/connectors/registry.h"
#include "sqlflow/pipeline/ast.h"
#include "sqlflow/pipeline/profile.h"
#include "sqlflow/runner/plan.h"

namespace sqlflow::runner {

struct PlanInputs {
  std::map<std::string, std::string> cli_vars;  ///< --vars
  EnvLookup env = ProcessEnv();                 ///< The environment (lowest precedence).
  /// Tables that already exist in the engine (persistent mode), so a transform may read them.
  std::set<std::string> existing_tables;
  /// Directory that relative file paths in SOURCE/EXPORT parameters are resolved against
  /// (the project directory). Paths are made absolute in the plan.
  std::filesystem::path project_dir;
  /// Finds the tables each SQL body reads; null = a private one (opens an in-memory DuckDB).
  /// Pass one made on the run's engine (SqlAnalyzer(engine)) to avoid opening a second database.
  engine::SqlAnalyzer* analyzer = nullptr;
};

/// Make a relative local `path` parameter (by its canonical name or an alias) absolute under
/// `project_dir`, so a pipeline's files do not depend on the current directory. URIs
/// ("s3://..."), absolute paths and values still holding `${` are left alone; nothing
/// happens when `project_dir` is empty. The planner applies it to every SOURCE and EXPORT;
/// `sqlflow connect test` to the connection it checks.
void ResolveProjectPath(const ConnectorSpec& spec, const std::filesystem::path& project_dir,
                        nlohmann::json* params);

/// Build the plan of `ast` under `profile`: resolve IF branches, SET and variables; resolve
/// sources (TYPE or profile connection), tables and destinations; validate every connector's
/// parameters through its ParameterValidator; find each SQL body's table dependencies from
/// DuckDB's parser; order the steps. Throws PipelineDiagnostics holding every problem found
/// (unknown source, table, connector type or connection; bad parameters; UPSERT without KEY;
/// missing variables; a dependency cycle), each with file, line, column and a suggestion
/// when a known name is near.
Plan BuildPlan(const pipeline::PipelineAst& ast, const pipeline::Profile& profile,
               const ConnectorRegistry& registry, const PlanInputs& inputs);

}  // namespace sqlflow::runner
