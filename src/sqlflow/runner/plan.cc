#include "sqlflow/runner/plan.h"

#include <fmt/format.h>

#include "sqlflow/common/strings.h"

namespace sqlflow::runner {

const char* StepKindName(StepKind kind) {
  switch (kind) {
    case StepKind::kLoad:
      return "load";
    case StepKind::kTransform:
      return "transform";
    case StepKind::kExport:
      return "export";
  }
  return "unknown";
}

namespace {

int LineOf(const pipeline::Location& location) {
  if (!location.file) return 0;
  return location.file->LineColumn(location.offset).first;
}

std::string ModeText(const Step& step) {
  if (step.kind == StepKind::kTransform && step.incremental) return "incremental";
  return engine::TableModeName(step.mode);
}

nlohmann::json StepJson(const Step& step) {
  nlohmann::json j = {{"id", step.id},
                      {"kind", StepKindName(step.kind)},
                      {"line", LineOf(step.location)},
                      {"depends_on", step.depends_on},
                      {"description", step.Describe()}};
  switch (step.kind) {
    case StepKind::kLoad:
      j["table"] = step.table;
      j["source"] = step.source;
      j["mode"] = ModeText(step);
      if (!step.keys.empty()) j["keys"] = step.keys;
      break;
    case StepKind::kTransform:
      j["table"] = step.table;
      j["mode"] = ModeText(step);
      if (!step.keys.empty()) j["keys"] = step.keys;
      if (step.incremental) {
        j["incremental_by"] = step.incremental_column;
        if (!step.lookback.empty()) j["lookback"] = step.lookback;
      }
      j["reads"] = step.reads;
      j["sql"] = step.sql;
      break;
    case StepKind::kExport:
      if (!step.table.empty()) j["table"] = step.table;
      j["reads"] = step.reads;
      j["sql"] = step.sql;
      j["destination"] = step.destination;
      j["type"] = step.destination_type;
      if (!step.connection.empty()) j["connection"] = step.connection;
      j["mode"] = WriteModeName(step.write_options.mode);
      if (!step.write_options.keys.empty()) j["keys"] = step.write_options.keys;
      j["options"] = step.destination_validated.Redacted();
      break;
  }
  return j;
}

/// A label safe inside a Mermaid "..." or a DOT "..." string.
std::string Label(const Step& step) {
  std::string text = step.Describe();
  std::string out;
  for (char c : text) {
    if (c == '"') {
      out += "'";
    } else if (c == '\\') {
      out += "/";
    } else if (c != '\n' && c != '\r') {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string Step::Describe() const {
  switch (kind) {
    case StepKind::kLoad:
      return fmt::format("LOAD {} FROM {}{}", table, source,
                         mode == engine::TableMode::kReplace
                             ? ""
                             : fmt::format(" MODE {}", ToUpper(engine::TableModeName(mode))));
    case StepKind::kTransform:
      return fmt::format("CREATE TABLE {}{}", table,
                         incremental ? fmt::format(" INCREMENTAL BY {}", incremental_column)
                         : mode == engine::TableMode::kReplace
                             ? ""
                             : fmt::format(" MODE {}", ToUpper(engine::TableModeName(mode))));
    case StepKind::kExport:
      return fmt::format("EXPORT {} TO {} ({})", table.empty() ? "query" : table, destination,
                         destination_type);
  }
  return id;
}

const Step* Plan::FindStep(const std::string& id) const {
  for (const Step& step : steps) {
    if (step.id == id) return &step;
  }
  return nullptr;
}

namespace {

/// Collect the strings of `value` that Redacted() hides: compare the redacted form with the
/// real one and keep what differs.
void CollectHidden(const nlohmann::json& real, const nlohmann::json& redacted,
                   std::vector<std::string>* out) {
  if (real.is_string()) {
    if (real != redacted) out->push_back(real.get<std::string>());
    return;
  }
  if (real.is_object() && redacted.is_object()) {
    for (const auto& [key, member] : real.items()) {
      if (redacted.contains(key)) CollectHidden(member, redacted[key], out);
    }
    return;
  }
  if (real != redacted) out->push_back(real.dump());
}

/// The variables with the values of secret ones replaced by "***": a variable whose name
/// looks secret, or whose value went into a secret parameter (`${API_SECRET}` in an auth).
std::map<std::string, std::string> RedactedVariables(const Plan& plan) {
  std::vector<std::string> hidden;
  for (const auto& [name, source] : plan.sources) {
    CollectHidden(source.validated.values(), source.validated.Redacted(), &hidden);
  }
  for (const Step& step : plan.steps) {
    CollectHidden(step.destination_validated.values(), step.destination_validated.Redacted(),
                  &hidden);
  }
  std::map<std::string, std::string> out = plan.variables;
  for (auto& [name, value] : out) {
    bool secret = LooksLikeSecretName(name);
    for (const std::string& text : hidden) {
      secret = secret || (!value.empty() && text.find(value) != std::string::npos);
    }
    if (secret) value = "***";
  }
  return out;
}

}  // namespace

nlohmann::json Plan::ToJson() const {
  nlohmann::json j;
  j["pipeline"] = pipeline;
  j["file"] = pipeline_path;
  j["profile"] = profile;
  j["engine"] = {{"type", "duckdb"},
                 {"mode", engine.persistent ? "persistent" : "memory"},
                 {"path", engine.persistent ? nlohmann::json(engine.path) : nlohmann::json()},
                 {"memory_limit", engine.memory_limit},
                 {"threads", engine.threads}};
  j["variables"] = RedactedVariables(*this);
  nlohmann::json sources_json = nlohmann::json::array();
  for (const auto& [name, source] : this->sources) {
    nlohmann::json s = {{"name", name},
                        {"type", source.type},
                        {"line", LineOf(source.location)},
                        {"params", source.validated.Redacted()},
                        {"incremental", source.incremental}};
    if (!source.connection.empty()) s["connection"] = source.connection;
    sources_json.push_back(std::move(s));
  }
  j["sources"] = std::move(sources_json);
  nlohmann::json steps_json = nlohmann::json::array();
  for (const Step& step : steps) steps_json.push_back(StepJson(step));
  j["steps"] = std::move(steps_json);
  nlohmann::json branches_json = nlohmann::json::array();
  for (const BranchChoice& choice : branches) {
    branches_json.push_back({{"line", LineOf(choice.location)},
                             {"conditions", choice.conditions},
                             {"taken", choice.taken >= 0 ? nlohmann::json(choice.taken)
                                       : choice.has_else ? nlohmann::json("else")
                                                         : nlohmann::json()}});
  }
  j["branches"] = std::move(branches_json);
  return j;
}

std::string Plan::ToMermaid() const {
  std::string out = "flowchart TD\n";
  for (const Step& step : steps) {
    const char* open = step.kind == StepKind::kLoad     ? "[/"
                       : step.kind == StepKind::kExport ? "[\\"
                                                        : "[";
    const char* close = step.kind == StepKind::kLoad     ? "/]"
                        : step.kind == StepKind::kExport ? "\\]"
                                                         : "]";
    out += fmt::format("    {}{}\"{}\"{}\n", step.id, open, Label(step), close);
  }
  for (const Step& step : steps) {
    for (const std::string& dep : step.depends_on)
      out += fmt::format("    {} --> {}\n", dep, step.id);
  }
  return out;
}

std::string Plan::ToDot() const {
  std::string out = fmt::format("digraph pipeline {{\n  label=\"{}\";\n  rankdir=LR;\n", pipeline);
  for (const Step& step : steps) {
    const char* shape = step.kind == StepKind::kLoad     ? "cylinder"
                        : step.kind == StepKind::kExport ? "note"
                                                         : "box";
    out += fmt::format("  \"{}\" [label=\"{}\", shape={}];\n", step.id, Label(step), shape);
  }
  for (const Step& step : steps) {
    for (const std::string& dep : step.depends_on) {
      out += fmt::format("  \"{}\" -> \"{}\";\n", dep, step.id);
    }
  }
  out += "}\n";
  return out;
}

}  // namespace sqlflow::runner
