#include "sqlflow/runner/planner.h"

#include <map>

#include <fmt/format.h>

#include "sqlflow/common/strings.h"
#include "sqlflow/engine/engine.h"
#include "sqlflow/pipeline/condition.h"
#include "sqlflow/pipeline/variables.h"
#include "sqlflow/runner/planner_internal.h"

namespace sqlflow::runner {

using internal::PendingStep;
using pipeline::Location;
using pipeline::Text;

namespace {

/// Walks the statements in order (SET and IF are resolved as they come) and collects sources
/// and steps; every problem goes to `problems_`, so all are reported together.
class PlanBuilder {
 public:
  PlanBuilder(const pipeline::Profile& profile, const ConnectorRegistry& registry,
              const PlanInputs& inputs)
      : profile_(profile),
        registry_(registry),
        inputs_(inputs),
        scope_(inputs.cli_vars, profile.variables, inputs.env),
        analyzer_(inputs.analyzer) {}

  Plan Build(const pipeline::PipelineAst& ast);

 private:
  void Walk(const pipeline::Block& block);
  void OnSet(const pipeline::SetStmt& stmt);
  void OnIf(const pipeline::IfStmt& stmt, const Location& location);
  void OnSource(const pipeline::SourceStmt& stmt, const Location& location);
  void OnLoad(const pipeline::LoadStmt& stmt, const Location& location);
  void OnCreate(const pipeline::CreateTableStmt& stmt, const Location& location);
  void OnExport(const pipeline::ExportStmt& stmt, const Location& location);
  void CheckLoadSources();
  void CheckCursorField(const SourceDef& def, const Location& where);
  void CheckIncrementalLoadMode(const pipeline::LoadStmt& stmt, const Step& step);
  void CheckIncrementalLoadedOnce(const pipeline::LoadStmt& stmt, const Step& step,
                                  std::map<std::string, std::string>* loads);

  /// Substitute variables in `text`, recording the variables used.
  std::string Sub(const Text& text);
  /// Substitute and parse a JSON object; nullopt (with a diagnostic) when it is not one.
  std::optional<nlohmann::json> JsonObject(const std::optional<Text>& text);
  /// Params of a profile connection merged with OPTIONS; nullopt when the name is unknown.
  const pipeline::ConnectionConfig* FindConnection(const Text& name, const std::string& what);
  /// Validate `params` for a connector; diagnostics point at `json` (or `fallback`).
  template <typename Registry>
  std::optional<ParameterSet> Validate(const Registry& registry, const std::string& type,
                                       const nlohmann::json& params, const std::string& who,
                                       const std::optional<Text>& json, const Location& fallback);
  /// The tables `sql` reads, from DuckDB's parser; diagnostics at `body` on a parse error.
  std::vector<std::string> ReadsOf(const std::string& sql, const Text& body);
  std::string UniqueId(const std::string& base);
  void AddStep(Step step, const Text& sql_body);

  const pipeline::Profile& profile_;
  const ConnectorRegistry& registry_;
  const PlanInputs& inputs_;
  pipeline::VariableScope scope_;
  pipeline::DiagnosticList problems_;
  std::unique_ptr<engine::SqlAnalyzer> own_analyzer_;  ///< When PlanInputs has none.
  engine::SqlAnalyzer* analyzer_ = nullptr;
  Plan plan_;
  std::vector<PendingStep> pending_;
  std::map<std::string, int> id_counts_;
  std::set<std::string> used_variables_;
  std::vector<std::pair<const pipeline::LoadStmt*, size_t>> loads_;  ///< LOAD, pending index
  /// Every SOURCE written, valid or not, by lower-case name: its name as written and where.
  /// Valid ones are also in plan_.sources; a LOAD of an invalid one is not reported again.
  std::map<std::string, std::pair<std::string, Location>> written_sources_;
};

Location At(const Text& text) {
  Location loc = text.location;
  if (loc.length == 0) loc.length = 1;
  return loc;
}

std::string PlanBuilder::Sub(const Text& text) {
  for (const std::string& name : pipeline::ReferencedVariables(text.text)) {
    used_variables_.insert(name);
  }
  return pipeline::Substitute(text, scope_, &problems_);
}

std::optional<nlohmann::json> PlanBuilder::JsonObject(const std::optional<Text>& text) {
  if (!text) return nlohmann::json::object();
  size_t before = problems_.size();
  std::string substituted = Sub(*text);
  if (problems_.size() != before) return std::nullopt;
  nlohmann::json parsed;
  Location where = At(*text);
  std::string problem;
  try {
    parsed = nlohmann::json::parse(substituted);
    if (!parsed.is_object()) problem = "expected a JSON object {...}";
  } catch (const nlohmann::json::parse_error& e) {
    problem = e.what();
    size_t cut = problem.find("] ");
    if (cut != std::string::npos) problem = problem.substr(cut + 2);
    problem = "invalid JSON: " + problem;
    // Point at the byte nlohmann stopped at when no substitution moved the text.
    if (substituted == text->text && e.byte >= 1 && e.byte - 1 < text->text.size()) {
      where.offset += text->text_offset + e.byte - 1;
      where.length = 1;
    }
  }
  if (!problem.empty()) {
    problems_.Add(where, problem);
    return std::nullopt;
  }
  return parsed;
}

const pipeline::ConnectionConfig* PlanBuilder::FindConnection(const Text& name,
                                                              const std::string& what) {
  std::string key = Sub(name);
  auto it = profile_.connections.find(key);
  if (it != profile_.connections.end()) return &it->second;
  std::vector<std::string> names;
  for (const auto& [n, c] : profile_.connections) names.push_back(n);
  std::string near = ClosestMatch(key, names);
  problems_.Add(At(name),
                fmt::format("unknown connection '{}' in {}: profile '{}' ({}) has {}", key, what,
                            profile_.name, profile_.path,
                            names.empty() ? "no connections" : "connections " + Join(names, ", ")),
                near.empty() ? "" : fmt::format("did you mean '{}'?", near));
  return nullptr;
}

/// The offset of `"name"` inside a raw JSON text, or npos.
size_t FindKey(const std::string& json, const std::string& name) {
  return json.find("\"" + name + "\"");
}

template <typename Registry>
std::optional<ParameterSet> PlanBuilder::Validate(const Registry& registry, const std::string& type,
                                                  const nlohmann::json& params,
                                                  const std::string& who,
                                                  const std::optional<Text>& json,
                                                  const Location& fallback) {
  auto connector = registry.Create(type);
  connector->set_name(who);
  try {
    ParameterSet validated = connector->ValidateParams(params, scope_.AsEnvLookup());
    if (validated.Has("sync_mode") && validated.Get("sync_mode").is_string() &&
        EqualsIgnoreCase(validated.GetString("sync_mode"), "incremental")) {
      connector->ValidateIncrementalParams(validated);
    }
    return validated;
  } catch (const ParameterError& e) {
    for (const ParameterProblem& p : e.problems()) {
      Location loc = json ? At(*json) : fallback;
      // A nested field ("resilience.retry.max_atempts") is pointed at by its own key, else by
      // the parameter holding it.
      const std::string& path = p.parameter;
      for (const std::string& name :
           {path, path.substr(path.rfind('.') + 1), path.substr(0, path.find('.'))}) {
        size_t key = json && !name.empty() ? FindKey(json->text, name) : std::string::npos;
        if (key == std::string::npos) continue;
        loc.offset += json->text_offset + key;
        loc.length = name.size() + 2;
        break;
      }
      std::string name = p.parameter.empty() ? "" : fmt::format(" '{}'", p.parameter);
      problems_.Add(loc,
                    fmt::format("invalid parameter{} for {} ({}): {}", name, who,
                                connector->type_name(), p.message),
                    p.suggestion);
    }
  }
  return std::nullopt;
}

std::vector<std::string> PlanBuilder::ReadsOf(const std::string& sql, const Text& body) {
  // Time macros are not SQL; give the parser literals in their place.
  std::string parsable =
      internal::ExpandTimeMacros(sql, "2000-01-01T00:00:00", "2000-01-01T00:00:00");
  try {
    std::vector<std::string> reads;
    if (analyzer_ == nullptr) {
      own_analyzer_ = std::make_unique<engine::SqlAnalyzer>();
      analyzer_ = own_analyzer_.get();
    }
    for (const std::string& table : analyzer_->ReferencedTables(parsable)) {
      if (!internal::IsExternalReference(table)) reads.push_back(table);
    }
    return reads;
  } catch (const Error& e) {
    std::string message = e.message();
    size_t newline = message.find('\n');
    if (newline != std::string::npos) message = message.substr(0, newline);
    problems_.Add(At(body), "SQL does not parse: " + message);
    return {};
  }
}

std::string PlanBuilder::UniqueId(const std::string& base) {
  int n = ++id_counts_[base];
  return n == 1 ? base : fmt::format("{}_{}", base, n);
}

void PlanBuilder::AddStep(Step step, const Text& sql_body) {
  PendingStep pending;
  pending.step = std::move(step);
  pending.sql_location = At(sql_body);
  pending.sql_location.offset += sql_body.text_offset;
  pending.sql_text = sql_body.text;
  pending_.push_back(std::move(pending));
}

void PlanBuilder::Walk(const pipeline::Block& block) {
  for (const pipeline::Statement& statement : block) {
    std::visit(
        [&](const auto& node) {
          using T = std::decay_t<decltype(node)>;
          if constexpr (std::is_same_v<T, pipeline::SetStmt>) {
            OnSet(node);
          } else if constexpr (std::is_same_v<T, pipeline::IfStmt>) {
            OnIf(node, statement.location);
          } else if constexpr (std::is_same_v<T, pipeline::IncludeStmt>) {
            Walk(node.body);
          } else if constexpr (std::is_same_v<T, pipeline::SourceStmt>) {
            OnSource(node, statement.location);
          } else if constexpr (std::is_same_v<T, pipeline::LoadStmt>) {
            OnLoad(node, statement.location);
          } else if constexpr (std::is_same_v<T, pipeline::CreateTableStmt>) {
            OnCreate(node, statement.location);
          } else if constexpr (std::is_same_v<T, pipeline::ExportStmt>) {
            OnExport(node, statement.location);
          }
        },
        statement.node);
  }
}

void PlanBuilder::OnSet(const pipeline::SetStmt& stmt) {
  std::string name = Sub(stmt.name);
  size_t before = problems_.size();
  std::string value = Sub(stmt.value);
  // A value with a missing variable is reported here once; later uses see "" instead of
  // reporting the same variable again.
  scope_.Set(name, problems_.size() == before ? value : "");
}

/// `${VAR}` in the string values of profile connection parameters, resolved through the
/// scope so relative paths can be made absolute; unset ones stay for the validator to report.
nlohmann::json ResolveStrings(const nlohmann::json& value, const EnvLookup& lookup) {
  if (value.is_string()) {
    std::vector<std::string> missing;
    return SubstituteEnv(value.get<std::string>(), lookup, &missing);
  }
  if (!value.is_object() && !value.is_array()) return value;
  nlohmann::json out = value;
  for (auto& item : out) item = ResolveStrings(item, lookup);
  return out;
}

void PlanBuilder::OnIf(const pipeline::IfStmt& stmt, const Location& location) {
  BranchChoice choice;
  choice.location = location;
  choice.has_else = stmt.else_body.has_value();
  for (size_t i = 0; i < stmt.branches.size(); ++i) {
    const auto& branch = stmt.branches[i];
    size_t before = problems_.size();
    std::string condition = Sub(branch.condition);
    choice.conditions.push_back(condition);
    if (problems_.size() != before) return;  // a missing variable: no branch can be chosen
    bool taken = false;
    try {
      taken = pipeline::EvaluateCondition(condition, branch.condition);
    } catch (const pipeline::PipelineDiagnostics& e) {
      for (const auto& d : e.diagnostics()) problems_.Add(d);
      return;
    }
    if (taken) {
      choice.taken = static_cast<int>(i);
      plan_.branches.push_back(choice);
      Walk(branch.body);
      return;
    }
  }
  plan_.branches.push_back(choice);
  if (stmt.else_body) Walk(*stmt.else_body);
}

void PlanBuilder::OnSource(const pipeline::SourceStmt& stmt, const Location& location) {
  SourceDef def;
  def.name = Sub(stmt.name);
  def.location = location;
  auto [written, inserted] =
      written_sources_.emplace(ToLower(def.name), std::make_pair(def.name, location));
  if (!inserted) {
    const Location& first = written->second.second;
    problems_.Add(At(stmt.name), fmt::format("source '{}' is defined twice", def.name),
                  fmt::format("the first definition is at {}:{}", first.file->path,
                              first.file->LineColumn(first.offset).first));
    return;
  }
  std::optional<nlohmann::json> options = JsonObject(stmt.json);
  nlohmann::json params = nlohmann::json::object();
  Location type_location = location;
  if (stmt.connection) {
    const pipeline::ConnectionConfig* conn = FindConnection(*stmt.connection, "SOURCE " + def.name);
    if (conn == nullptr) return;
    def.connection = conn->name;
    def.type = conn->type;
    params = conn->params.is_object() ? ResolveStrings(conn->params, scope_.AsEnvLookup())
                                      : nlohmann::json::object();
    type_location = At(*stmt.connection);
  } else if (stmt.type) {
    def.type = Sub(*stmt.type);
    type_location = At(*stmt.type);
  }
  if (!options) return;
  for (auto& [key, value] : options->items()) params[key] = value;
  if (!registry_.sources().Contains(def.type)) {
    std::string near = ClosestMatch(def.type, registry_.sources().Types());
    problems_.Add(type_location, fmt::format("unknown source connector type '{}'", def.type),
                  near.empty() ? "known types: " + Join(registry_.sources().Types(), ", ")
                               : fmt::format("did you mean '{}'?", near));
    return;
  }
  const ConnectorSpec& spec = registry_.sources().Spec(def.type);
  def.type = spec.type;
  ResolveProjectPath(spec, inputs_.project_dir, &params);
  auto validated = Validate(registry_.sources(), def.type, params, "source '" + def.name + "'",
                            stmt.connection ? std::nullopt : stmt.json, type_location);
  if (!validated) return;
  def.validated = *validated;
  def.incremental = def.validated.Has("sync_mode") && def.validated.Get("sync_mode").is_string() &&
                    EqualsIgnoreCase(def.validated.GetString("sync_mode"), "incremental");
  if (def.incremental) CheckCursorField(def, stmt.json ? At(*stmt.json) : location);
  plan_.sources[def.name] = std::move(def);
}

/// An incremental source's cursor_field must be an orderable column of the data. Checked on
/// the schema the source reports now; a source that cannot be read yet (a file that a step
/// creates) is checked when it is read.
void PlanBuilder::CheckCursorField(const SourceDef& def, const Location& where) {
  Schema schema;
  try {
    std::unique_ptr<SourceConnector> connector = registry_.sources().Create(def.type);
    connector->set_name(def.name);
    connector->Configure(def.validated.values(),
                         [](const std::string&) { return std::optional<std::string>(); });
    if (!connector->SchemaIsCheap()) return;
    schema = connector->GetSchema("");
  } catch (const std::exception&) {
    return;
  }
  if (def.validated.Has("primary_key")) {
    for (const std::string& key : def.validated.GetStringList("primary_key")) {
      if (schema.FieldIndex(key) >= 0) continue;
      std::string near = ClosestMatch(key, schema.names());
      problems_.Add(where,
                    fmt::format("primary_key column '{}' of source '{}' is not a column of its "
                                "data",
                                key, def.name),
                    near.empty() ? "columns: " + Join(schema.names(), ", ")
                                 : fmt::format("did you mean '{}'?", near));
    }
  }
  std::string cursor = def.validated.GetString("cursor_field");
  int index = schema.FieldIndex(cursor);
  if (index < 0) {
    std::string near = ClosestMatch(cursor, schema.names());
    problems_.Add(where,
                  fmt::format("cursor_field '{}' of source '{}' is not a column of its data",
                              cursor, def.name),
                  near.empty() ? "columns: " + Join(schema.names(), ", ")
                               : fmt::format("did you mean '{}'?", near));
    return;
  }
  const DataType& type = schema.field(static_cast<size_t>(index)).type;
  if (!type.is_orderable()) {
    problems_.Add(where,
                  fmt::format("cursor_field '{}' of source '{}' has type {}, which has no order "
                              "usable as a cursor",
                              cursor, def.name, type.ToSql()),
                  "use a column that grows with each change: a timestamp, a date, a number");
  }
}

/// LOAD and CREATE TABLE modes share their names (INCREMENTAL is handled on its own).
template <typename Mode>
engine::TableMode ToTableMode(Mode mode) {
  if (mode == Mode::kAppend) return engine::TableMode::kAppend;
  if (mode == Mode::kUpsert) return engine::TableMode::kUpsert;
  return engine::TableMode::kReplace;
}

void PlanBuilder::OnLoad(const pipeline::LoadStmt& stmt, const Location& location) {
  Step step;
  step.kind = StepKind::kLoad;
  step.location = location;
  step.table = Sub(stmt.table);
  step.source = Sub(stmt.source);
  step.mode = ToTableMode(stmt.mode);
  for (const Text& key : stmt.keys) step.keys.push_back(Sub(key));
  step.id = UniqueId("load_" + internal::IdWord(step.table));
  loads_.emplace_back(&stmt, pending_.size());
  AddStep(std::move(step), stmt.table);
}

/// After the walk: every LOAD's source must be defined (before it, by convention).
void PlanBuilder::CheckLoadSources() {
  std::map<std::string, std::string> incremental_loads;  // source → table of its first LOAD
  for (auto& [stmt, index] : loads_) {
    Step& step = pending_[index].step;
    auto it = written_sources_.find(ToLower(step.source));
    if (it != written_sources_.end()) {
      step.source = it->second.first;  // as written at its SOURCE; if invalid, reported there
      CheckIncrementalLoadMode(*stmt, step);
      CheckIncrementalLoadedOnce(*stmt, step, &incremental_loads);
      continue;
    }
    std::vector<std::string> names;
    for (const auto& [lower, written] : written_sources_) names.push_back(written.first);
    std::string near = ClosestMatch(step.source, names);
    problems_.Add(At(stmt->source), fmt::format("unknown source '{}'", step.source),
                  near.empty() ? (names.empty() ? "define it first: SOURCE " + step.source +
                                                      " TYPE CSV PARAMS {\"path\": \"...\"};"
                                                : "sources defined: " + Join(names, ", "))
                               : fmt::format("did you mean '{}'?", near));
  }
}

/// A persistent table loaded from an incremental source with MODE REPLACE would be replaced by
/// only the new rows of each run: refuse it before anything runs.
void PlanBuilder::CheckIncrementalLoadMode(const pipeline::LoadStmt& stmt, const Step& step) {
  auto source = plan_.sources.find(step.source);
  if (source == plan_.sources.end() || !source->second.incremental) return;
  if (step.mode != engine::TableMode::kReplace || !profile_.engine.persistent) return;
  problems_.Add(stmt.mode_location ? *stmt.mode_location : At(stmt.table),
                fmt::format("LOAD {} FROM {} would replace the table with only the rows past the "
                            "watermark: source '{}' is incremental",
                            step.table, step.source, step.source),
                "write MODE APPEND, or MODE UPSERT KEY (...) when rows can change");
}

/// An incremental source has one watermark (pipeline, source, object, cursor_field): a second
/// LOAD of it would find the rows the first one loaded already past it.
void PlanBuilder::CheckIncrementalLoadedOnce(const pipeline::LoadStmt& stmt, const Step& step,
                                             std::map<std::string, std::string>* loads) {
  auto source = plan_.sources.find(step.source);
  if (source == plan_.sources.end() || !source->second.incremental) return;
  auto [first, inserted] = loads->emplace(step.source, step.table);
  if (inserted) return;
  problems_.Add(At(stmt.source),
                fmt::format("incremental source '{}' is loaded twice (into {} and {}): its "
                            "watermark advances once per run",
                            step.source, first->second, step.table),
                "LOAD it once and copy the table with CREATE TABLE ... AS, or define a second "
                "SOURCE");
}

void PlanBuilder::OnCreate(const pipeline::CreateTableStmt& stmt, const Location& location) {
  Step step;
  step.kind = StepKind::kTransform;
  step.location = location;
  step.table = Sub(stmt.table);
  step.mode = ToTableMode(stmt.mode);
  if (stmt.or_replace && stmt.mode != pipeline::TransformMode::kReplace) {
    problems_.Add(stmt.mode_location ? *stmt.mode_location : location,
                  "CREATE OR REPLACE contradicts this MODE",
                  "write CREATE TABLE ... MODE ..., or CREATE OR REPLACE TABLE without MODE");
  }
  for (const Text& key : stmt.keys) step.keys.push_back(Sub(key));
  step.sql = Sub(stmt.query);
  if (stmt.mode == pipeline::TransformMode::kIncremental && stmt.incremental_by) {
    step.incremental = true;
    step.incremental_column = Sub(*stmt.incremental_by);
    if (stmt.lookback) {
      auto parsed = internal::ParseLookback(Sub(*stmt.lookback));
      if (!parsed) {
        problems_.Add(At(*stmt.lookback), fmt::format("invalid LOOKBACK '{}'", stmt.lookback->text),
                      "write a number and a unit: LOOKBACK '2 days' (seconds, minutes, hours, "
                      "days, weeks)");
      } else {
        step.lookback = parsed->first;
        step.lookback_micros = parsed->second;
      }
    }
  }
  step.reads = ReadsOf(step.sql, stmt.query);
  step.id = UniqueId("transform_" + internal::IdWord(step.table));
  AddStep(std::move(step), stmt.query);
}

/// Move "mode" and "keys" (also "key", "upsert_keys") out of EXPORT OPTIONS into `out`.
void TakeWriteOptions(nlohmann::json* options, const Location& where, WriteOptions* out,
                      pipeline::DiagnosticList* problems) {
  if (auto it = options->find("mode"); it != options->end()) {
    if (!it->is_string() || !ParseWriteMode(it->get<std::string>(), &out->mode)) {
      problems->Add(where, fmt::format("invalid EXPORT mode {}", it->dump()),
                    "use \"replace\", \"append\" or \"upsert\"");
    }
    options->erase(it);
  }
  for (const char* name : {"keys", "key", "upsert_keys"}) {
    auto it = options->find(name);
    if (it == options->end()) continue;
    if (it->is_string()) {
      out->keys.push_back(it->get<std::string>());
    } else if (it->is_array()) {
      for (const auto& k : *it) {
        if (k.is_string()) out->keys.push_back(k.get<std::string>());
      }
    }
    options->erase(it);
  }
  if (out->mode == WriteMode::kUpsert && out->keys.empty()) {
    problems->Add(where, "EXPORT with mode \"upsert\" needs keys",
                  "add \"keys\": [\"id\"] to OPTIONS");
  }
}

bool SpecHas(const ConnectorSpec& spec, const std::string& name) {
  for (const ParamSpec& p : spec.params) {
    if (p.name == name) return true;
  }
  return false;
}

void PlanBuilder::OnExport(const pipeline::ExportStmt& stmt, const Location& location) {
  Step step;
  step.kind = StepKind::kExport;
  step.location = location;
  if (stmt.is_table) {
    step.table = Sub(stmt.query);
    step.sql = "SELECT * FROM " + internal::QuoteTableName(step.table);
    step.reads = {step.table};
  } else {
    step.sql = Sub(stmt.query);
    step.reads = ReadsOf(step.sql, stmt.query);
  }
  std::optional<nlohmann::json> options = JsonObject(stmt.options);
  nlohmann::json params = nlohmann::json::object();
  std::string type;
  Location type_location = At(stmt.target);
  if (stmt.to_connection) {
    const pipeline::ConnectionConfig* conn = FindConnection(stmt.target, "EXPORT");
    if (conn == nullptr) return;
    step.connection = step.destination = conn->name;
    type = conn->type;
    if (conn->params.is_object()) params = ResolveStrings(conn->params, scope_.AsEnvLookup());
  } else {
    size_t before = problems_.size();
    step.destination = Sub(stmt.target);
    if (problems_.size() != before) return;  // a missing variable: reported once
    if (!stmt.type) return;                  // the parser reports it
    type = Sub(*stmt.type);
    type_location = At(*stmt.type);
  }
  if (!options) return;
  TakeWriteOptions(&*options, stmt.options ? At(*stmt.options) : location, &step.write_options,
                   &problems_);
  for (auto& [key, value] : options->items()) params[key] = value;
  if (!registry_.destinations().Contains(type)) {
    std::string near = ClosestMatch(type, registry_.destinations().Types());
    problems_.Add(type_location, fmt::format("unknown destination connector type '{}'", type),
                  near.empty() ? "known types: " + Join(registry_.destinations().Types(), ", ")
                               : fmt::format("did you mean '{}'?", near));
    return;
  }
  const ConnectorSpec& spec = registry_.destinations().Spec(type);
  step.destination_type = spec.type;
  if (!stmt.to_connection) {
    if (SpecHas(spec, "path")) {
      params["path"] = step.destination;
    } else if (SpecHas(spec, "table")) {
      params["table"] = step.destination;
    } else {
      step.write_object = step.destination;
    }
  }
  ResolveProjectPath(spec, inputs_.project_dir, &params);
  std::string base = !step.table.empty()  ? step.table
                     : stmt.to_connection ? step.destination
                                          : std::filesystem::path(step.destination).stem().string();
  step.id = UniqueId("export_" + internal::IdWord(base));
  auto validated = Validate(registry_.destinations(), step.destination_type, params,
                            "EXPORT to '" + step.destination + "'", stmt.options, type_location);
  if (validated) step.destination_validated = *validated;
  AddStep(std::move(step), stmt.query);
}

/// Values of secret parameters, so variables holding them are never shown.
std::set<std::string> SecretValues(const Plan& plan) {
  std::set<std::string> out;
  auto collect = [&](const ParameterSet& set) {
    for (const std::string& name : set.secret_names()) {
      if (set.values().contains(name) && set.values()[name].is_string()) {
        out.insert(set.values()[name].get<std::string>());
      }
    }
  };
  for (const auto& [name, source] : plan.sources) collect(source.validated);
  for (const Step& step : plan.steps) collect(step.destination_validated);
  out.erase("");
  return out;
}

Plan PlanBuilder::Build(const pipeline::PipelineAst& ast) {
  plan_.pipeline = ast.name;
  plan_.pipeline_path = ast.file ? ast.file->path : "";
  plan_.profile = profile_.name;
  plan_.engine = profile_.engine;
  if (plan_.engine.persistent && !inputs_.project_dir.empty() &&
      std::filesystem::path(plan_.engine.path).is_relative()) {
    plan_.engine.path = (inputs_.project_dir / plan_.engine.path).lexically_normal().string();
  }
  plan_.allow_schema_evolution = profile_.allow_schema_evolution;
  Walk(ast.statements);
  CheckLoadSources();
  std::set<std::string> existing;
  for (const std::string& t : inputs_.existing_tables) existing.insert(internal::NormalizeTable(t));
  plan_.steps = internal::LinkSteps(std::move(pending_), existing, &problems_);
  std::set<std::string> secrets = SecretValues(plan_);
  for (const std::string& name : used_variables_) {
    std::optional<std::string> value = scope_.Lookup(name);
    if (!value) continue;
    plan_.variables[name] = secrets.count(*value) ? "***" : *value;
  }
  problems_.Check();
  return std::move(plan_);
}

}  // namespace

void ResolveProjectPath(const ConnectorSpec& spec, const std::filesystem::path& project_dir,
                        nlohmann::json* params) {
  if (project_dir.empty() || !params->is_object()) return;
  for (const ParamSpec& p : spec.params) {
    if (p.name != "path") continue;
    std::vector<std::string> names = p.aliases;
    names.insert(names.begin(), p.name);
    for (const std::string& n : names) {
      auto it = params->find(n);
      if (it == params->end() || !it->is_string()) continue;
      std::string value = it->get<std::string>();
      if (value.empty() || value.find("://") != std::string::npos || value[0] == '/' ||
          value.find("${") != std::string::npos) {
        continue;
      }
      *it = (project_dir / value).lexically_normal().string();
    }
  }
}

Plan BuildPlan(const pipeline::PipelineAst& ast, const pipeline::Profile& profile,
               const ConnectorRegistry& registry, const PlanInputs& inputs) {
  PlanBuilder builder(profile, registry, inputs);
  return builder.Build(ast);
}

}  // namespace sqlflow::runner
