#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "sqlflow/pipeline/ast.h"

#include <nlohmann/json.hpp>

namespace sqlflow::pipeline {

/// engines.duckdb of a profile.
struct EngineConfig {
  bool persistent = false;     ///< mode: memory (default) | persistent.
  std::string path;            ///< Database file for persistent mode, relative to the
                               ///< project (default "target/sqlflow.duckdb").
  std::string memory_limit;    ///< As written ("2GB", "512MB", "1073741824", "75%"); "" = default.
  int threads = 0;             ///< 0 = DuckDB's default (all cores).
  std::string temp_directory;  ///< "" = DuckDB's default.
};

/// A named connection of a profile: `connections: {name: {type: X, ...params}}` or the
/// Python form `connectors: {name: {type: X, params: {...}}}`.
struct ConnectionConfig {
  std::string name;
  std::string type;       ///< Connector type as written ("postgres").
  nlohmann::json params;  ///< Parameters as written (`${VAR}` not yet resolved).
  Location location;      ///< The connection's key in the YAML file.
};

struct Profile {
  std::string name;  ///< "dev"
  std::string path;  ///< Display path of the YAML file ("profiles/dev.yml").
  EngineConfig engine;
  std::string log_level = "info";                ///< debug | info | warning | error
  std::map<std::string, std::string> variables;  ///< Scalars rendered as text.
  std::map<std::string, ConnectionConfig> connections;
  /// `schema_evolution: true`: LOAD APPEND/UPSERT add incoming columns the target lacks
  /// (default false: a new column is an error naming it).
  bool allow_schema_evolution = false;
  /// Location of every top-level key and of engine keys, for messages (may be empty).
  std::shared_ptr<const SourceFile> file;
};

/// Profile names found in `project_dir/profiles` (*.yml and *.yaml, without extension), sorted.
std::vector<std::string> ListProfiles(const std::filesystem::path& project_dir);

/// Load `profiles/<name>.yml` (or .yaml) of the project. Throws:
///  - ConfigError "profile 'prod' not found in <dir>/profiles; profiles found: dev, test"
///    (with a "did you mean" when a name is close);
///  - PipelineDiagnostics with the YAML line and column for malformed YAML, unknown top-level
///    or engine keys (with suggestions), a bad mode, threads, memory_limit or log_level, an
///    empty path, a connection without `type`. A persistent engine without `path` uses
///    target/sqlflow.duckdb. Python SQLFlow forms are accepted: the profile wrapped in its
///    own name (`dev: {engines: ...}`), `max_memory` for memory_limit, and `log_file` /
///    `logging` (ignored: SQLFlow logs to standard error).
/// An absent profile directory with name "dev" yields the default profile (memory engine).
Profile LoadProfile(const std::filesystem::path& project_dir, const std::string& name);

/// Parse profile YAML text (tests). `display_path` is used in messages.
Profile ParseProfile(const std::string& name, const std::string& display_path,
                     const std::string& yaml_text);

}  // namespace sqlflow::pipeline
