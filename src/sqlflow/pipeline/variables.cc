#include "sqlflow/pipeline/variables.h"

#include <algorithm>
#include <set>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "sqlflow/common/error.h"
#include "sqlflow/common/log.h"
#include "sqlflow/common/strings.h"

#include <nlohmann/json.hpp>

namespace sqlflow::pipeline {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

size_t SkipSpaces(std::string_view text, size_t pos) {
  while (pos < text.size() && IsSpace(text[pos])) ++pos;
  return pos;
}

// ---- ${...} references ---------------------------------------------------------------------

using Reference = VariableReference;
using ReferenceStatus = VariableReference::Status;

/// The syntax is that of SubstituteEnv plus the Python SQLFlow's tolerance of white space
/// around the name and an unquoted default ("${ region | eu }"). Pinned by
/// VariablesSubstituteTest.*.
Reference ParseReference(std::string_view text, size_t begin) {
  return ParseVariableReference(text, begin, /*lenient=*/true);
}

/// The diagnostic for a reference that cannot be substituted, or nullopt.
std::optional<Diagnostic> ReferenceProblem(const Reference& ref, std::string_view text,
                                           const VariableScope& scope, const Location& where) {
  switch (ref.status) {
    case ReferenceStatus::kUnterminated:
      return Diagnostic{where, "unterminated variable reference: '${' without a closing '}'",
                        "write ${name} or ${name|default}"};
    case ReferenceStatus::kBadName:
      return Diagnostic{
          where,
          fmt::format("invalid variable name '{}' in '{}'", ref.name,
                      text.substr(ref.begin, ref.end - ref.begin)),
          "a variable name is letters, digits and underscores and does not start with a digit"};
    case ReferenceStatus::kOk:
      break;
  }
  if (ref.fallback || scope.Lookup(ref.name)) return std::nullopt;
  std::string near = ClosestMatch(ref.name, scope.KnownNames());
  std::string suggestion = near.empty()
                               ? fmt::format(
                                     "set it with --vars {0}=..., SET {0} = ...; or the profile's "
                                     "variables",
                                     ref.name)
                               : fmt::format("did you mean '{}'?", near);
  return Diagnostic{where, fmt::format("variable '{}' is not set", ref.name), suggestion};
}

// ---- --vars --------------------------------------------------------------------------------

/// Render a JSON value of --vars as text: strings unquoted, numbers and booleans as JSON.
std::string VarValueText(const std::string& name, const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number() || value.is_boolean()) return value.dump();
  const char* got = value.is_object() ? "an object" : value.is_array() ? "an array" : "null";
  throw ConfigError(
      fmt::format("--vars: '{}' must be a string, number or boolean, got {}", name, got));
}

void CheckVarName(const std::string& name, std::string_view entry) {
  if (name.empty()) throw ConfigError(fmt::format("--vars: '{}' has no variable name", entry));
  if (!IsVariableName(name)) {
    throw ConfigError(fmt::format(
        "--vars: '{}' is not a valid variable name (letters, digits and underscores, not "
        "starting with a digit)",
        name));
  }
}

std::map<std::string, std::string> ParseVarsJson(const std::string& text) {
  nlohmann::json parsed;
  try {
    parsed = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // e.what() starts with "[json.exception.parse_error.101] "; the rest is the useful part.
    std::string_view what = e.what();
    size_t bracket = what.find("] ");
    if (bracket != std::string_view::npos) what.remove_prefix(bracket + 2);
    throw ConfigError(fmt::format("--vars: invalid JSON: {}", what));
  }
  if (!parsed.is_object()) throw ConfigError("--vars: JSON must be an object");
  std::map<std::string, std::string> out;
  for (const auto& [name, value] : parsed.items()) {
    CheckVarName(name, name);
    out[name] = VarValueText(name, value);
  }
  return out;
}

/// Parse the value of a k=v entry starting at `pos` (after '='): a "quoted" or 'quoted'
/// value, or everything up to the next comma. Leaves `*pos` at the comma or the end.
std::string ParseKvValue(const std::string& text, size_t* pos, const std::string& name) {
  size_t start = SkipSpaces(text, *pos);
  if (start < text.size() && (text[start] == '"' || text[start] == '\'')) {
    size_t close = text.find(text[start], start + 1);
    if (close == std::string::npos) {
      throw ConfigError(fmt::format("--vars: the value of '{}' has no closing {}", name,
                                    text[start] == '"' ? "double quote" : "quote"));
    }
    size_t after = SkipSpaces(text, close + 1);
    if (after < text.size() && text[after] != ',') {
      throw ConfigError(fmt::format(
          "--vars: unexpected text after the quoted value of '{}'; separate entries with ','",
          name));
    }
    *pos = after;
    return text.substr(start + 1, close - start - 1);
  }
  const std::string_view all = text;
  size_t comma = std::min(all.find(',', start), all.size());
  *pos = comma;
  return std::string(Trim(all.substr(start, comma - start)));
}

std::map<std::string, std::string> ParseVarsList(const std::string& text) {
  std::map<std::string, std::string> out;
  const std::string_view all = text;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t entry_end = std::min(text.find(',', pos), text.size());
    size_t eq = text.find('=', pos);
    std::string_view entry = Trim(all.substr(pos, entry_end - pos));
    if (eq == std::string::npos || eq > entry_end) {
      if (!entry.empty()) {
        throw ConfigError(fmt::format("--vars: '{}' is not name=value", entry));
      }
      pos = entry_end + 1;  // An empty entry (a trailing comma) is ignored.
      continue;
    }
    std::string name(Trim(all.substr(pos, eq - pos)));
    CheckVarName(name, entry);
    pos = eq + 1;
    out[name] = ParseKvValue(text, &pos, name);
    ++pos;  // Past the comma.
  }
  return out;
}

}  // namespace

std::map<std::string, std::string> ParseVarsArgument(const std::string& text) {
  std::string_view trimmed = Trim(text);
  if (trimmed.empty()) return {};
  if (trimmed.front() == '{') return ParseVarsJson(std::string(trimmed));
  return ParseVarsList(text);
}

// ---- VariableScope ---------------------------------------------------------------------------

VariableScope::VariableScope(std::map<std::string, std::string> cli_vars,
                             std::map<std::string, std::string> profile_vars, EnvLookup env)
    : cli_(std::move(cli_vars)), profile_(std::move(profile_vars)), env_(std::move(env)) {}

void VariableScope::Set(const std::string& name, std::string value) {
  set_[name] = std::move(value);
}

std::optional<std::string> VariableScope::Lookup(const std::string& name) const {
  for (const auto* layer : {&cli_, &set_, &profile_}) {
    auto it = layer->find(name);
    if (it != layer->end()) return it->second;
  }
  if (env_) return env_(name);
  return std::nullopt;
}

std::optional<std::string> VariableScope::SourceOf(const std::string& name) const {
  if (cli_.count(name) != 0) return "--vars";
  if (set_.count(name) != 0) return "SET";
  if (profile_.count(name) != 0) return "profile";
  if (env_ && env_(name)) return "environment";
  return std::nullopt;
}

std::vector<std::string> VariableScope::KnownNames() const {
  std::set<std::string> names;
  for (const auto* layer : {&cli_, &set_, &profile_}) {
    for (const auto& [name, value] : *layer) names.insert(name);
  }
  return {names.begin(), names.end()};
}

// The lookup holds a copy of the scope: it may outlive this object (ParameterValidator keeps
// nothing, but a plan step might), and a copy taken after the SETs sees them.
EnvLookup VariableScope::AsEnvLookup() const {
  return [scope = *this](const std::string& name) { return scope.Lookup(name); };
}

// ---- Substitution ----------------------------------------------------------------------------

// A value is inserted as it is and never scanned again, so a value holding "${x}" stays as
// written (like SubstituteEnv). A set but empty value yields "" rather than the default.
std::string Substitute(const Text& text, const VariableScope& scope, DiagnosticList* problems) {
  const std::string& in = text.text;
  std::string out;
  size_t pos = 0;
  for (size_t begin = in.find("${"); begin != std::string::npos; begin = in.find("${", pos)) {
    Reference ref = ParseReference(in, begin);
    size_t length = ref.status == ReferenceStatus::kUnterminated ? 2 : ref.end - begin;
    Location where{text.location.file, text.location.offset + text.text_offset + begin, length};
    std::optional<Diagnostic> problem = ReferenceProblem(ref, in, scope, where);
    if (ref.status == ReferenceStatus::kUnterminated) {
      if (problems != nullptr) problems->Add(std::move(*problem));
      break;
    }
    out.append(in, pos, begin - pos);
    if (problem) {
      if (problems != nullptr) problems->Add(std::move(*problem));
      out.append(in, begin, ref.end - begin);
    } else {
      out += scope.Lookup(ref.name).value_or(ref.fallback.value_or(""));
    }
    pos = ref.end;
  }
  out.append(in, pos);
  return out;
}

std::vector<std::string> ReferencedVariables(const std::string& text) {
  std::vector<std::string> names;
  size_t pos = 0;
  for (size_t begin = text.find("${"); begin != std::string::npos; begin = text.find("${", pos)) {
    Reference ref = ParseReference(text, begin);
    if (ref.status == ReferenceStatus::kUnterminated) break;
    if (ref.status == ReferenceStatus::kOk &&
        std::find(names.begin(), names.end(), ref.name) == names.end()) {
      names.push_back(ref.name);
    }
    pos = ref.end;
  }
  return names;
}

void ResolveProfileSettings(Profile* profile, const VariableScope& scope) {
  EnvLookup lookup = scope.AsEnvLookup();
  auto resolve = [&](const std::string& setting, std::string* value) {
    std::vector<std::string> missing;
    std::string resolved = SubstituteEnv(*value, lookup, &missing);
    if (!missing.empty()) {
      throw ConfigError(fmt::format("{}: {} '{}' uses variable '{}', which is not set",
                                    profile->path, setting, *value, missing.front()),
                        fmt::format("set it with --vars {}=..., in the profile's variables or "
                                    "in the environment",
                                    missing.front()));
    }
    *value = resolved;
  };
  resolve("engines.duckdb.memory_limit", &profile->engine.memory_limit);
  resolve("engines.duckdb.path", &profile->engine.path);
  resolve("engines.duckdb.temp_directory", &profile->engine.temp_directory);
  resolve("log_level", &profile->log_level);
  log::Level level;
  if (!log::ParseLevel(profile->log_level, &level)) {
    throw ConfigError(
        fmt::format("{}: log_level '{}' is not a level", profile->path, profile->log_level),
        "use debug, info, warning or error");
  }
}

}  // namespace sqlflow::pipeline
