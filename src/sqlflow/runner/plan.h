#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sqlflow/connectors/connector.h"
#include "sqlflow/engine/engine.h"
#include "sqlflow/params/parameter_validator.h"
#include "sqlflow/pipeline/ast.h"
#include "sqlflow/pipeline/profile.h"

#include <nlohmann/json.hpp>

/// The plan of a pipeline: every name resolved, every variable substituted, every connector's
/// parameters validated, and the steps in a dependency order.
namespace sqlflow::runner {

/// A SOURCE, resolved.
struct SourceDef {
  std::string name;
  std::string type;        ///< Canonical registered type ("CSV").
  std::string connection;  ///< Profile connection it came from, or "".
  ParameterSet validated;  ///< What the connector's validator made of them.
  pipeline::Location location;
  bool incremental = false;  ///< sync_mode: incremental.
};

enum class StepKind { kLoad, kTransform, kExport };
const char* StepKindName(StepKind kind);  ///< "load", "transform", "export"

/// One step of the DAG.
struct Step {
  std::string id;  ///< Unique: "load_orders", "transform_daily", "export_daily_csv"(_2 ...).
  StepKind kind = StepKind::kLoad;
  pipeline::Location location;
  std::vector<std::string> depends_on;  ///< Step ids that must finish first.
  std::string table;  ///< load/transform: the table written; export: "" or the table exported.
  std::vector<std::string> reads;  ///< Tables this step reads (transform, export).

  // load
  std::string source;                                    ///< SOURCE name.
  engine::TableMode mode = engine::TableMode::kReplace;  ///< load and transform
  std::vector<std::string> keys;

  // transform
  std::string sql;  ///< The query (variables substituted), byte for byte otherwise.
  bool incremental = false;
  std::string incremental_column;
  std::string lookback;         ///< As written ("2 days"); "" for none.
  int64_t lookback_micros = 0;  ///< Parsed lookback.

  // export
  std::string destination_type;  ///< Canonical registered destination type ("CSV").
  std::string destination;       ///< URI or connection name, as shown to the user.
  std::string connection;        ///< Profile connection used, or "".
  ParameterSet destination_validated;
  std::string write_object;    ///< Object passed to Write() ("" = the configured one).
  WriteOptions write_options;  ///< From OPTIONS "mode" and "keys" (default replace).

  /// One line for progress and the summary: "LOAD orders FROM orders_src (CSV)".
  std::string Describe() const;
};

/// An IF resolved at planning time: which branch was taken (for `pipeline compile`).
struct BranchChoice {
  pipeline::Location location;
  std::vector<std::string> conditions;  ///< Each branch's condition after substitution.
  int taken = -1;                       ///< Index of the branch taken; -1 = ELSE or none.
  bool has_else = false;
};

struct Plan {
  std::string pipeline;       ///< Pipeline name.
  std::string pipeline_path;  ///< Display path of its file.
  std::string profile;        ///< Profile name.
  pipeline::EngineConfig engine;
  bool allow_schema_evolution = false;
  std::map<std::string, SourceDef> sources;  ///< By name as written.
  std::vector<Step> steps;                   ///< In a valid execution order.
  /// Referenced variables and their values (ToJson hides the secret ones).
  std::map<std::string, std::string> variables;
  std::vector<BranchChoice> branches;

  const Step* FindStep(const std::string& id) const;

  /// The plan as JSON (written by `pipeline compile` to target/compiled/NAME.json):
  /// {"pipeline", "profile", "engine": {...}, "variables": {...},
  ///  "sources": [{"name", "type", "connection", "params" (secrets "***"), "line"}],
  ///  "steps": [{"id", "kind", "line", "depends_on", "table", "source", "mode", "keys",
  ///             "sql", "incremental_by", "lookback", "destination", "type", "options"}],
  ///  "branches": [{"line", "conditions", "taken"}]}. Secrets never appear.
  nlohmann::json ToJson() const;
  /// The DAG as a Mermaid flowchart ("flowchart TD" with one node per step).
  std::string ToMermaid() const;
  /// The DAG as Graphviz DOT ("digraph pipeline { ... }").
  std::string ToDot() const;
};

}  // namespace sqlflow::runner
