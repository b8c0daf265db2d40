#include <limits>
#include <stdexcept>
#include <string_view>

#include <fmt/format.h>

#include "sqlflow/common/strings.h"
#include "sqlflow/params/parameter_validator.h"

namespace sqlflow {
namespace {

using nlohmann::json;

/// Getters fail with std::logic_error: a connector asked for something its spec does not
/// guarantee. The message names the parameter, never its value (it may be a secret).
[[noreturn]] void Fail(const std::string& name, std::string_view what) {
  throw std::logic_error(fmt::format("parameter '{}' {}", name, what));
}

}  // namespace

const char* ParamTypeName(ParamType type) {
  switch (type) {
    case ParamType::kString:
      return "string";
    case ParamType::kInteger:
      return "integer";
    case ParamType::kNumber:
      return "number";
    case ParamType::kBoolean:
      return "boolean";
    case ParamType::kStringList:
      return "string list";
    case ParamType::kObject:
      return "object";
    case ParamType::kArray:
      return "array";
    case ParamType::kAny:
      return "any";
  }
  return "unknown";
}

bool ParameterSet::Has(const std::string& name) const { return values_.contains(name); }

const json& ParameterSet::Get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) {
    Fail(name, "is not set and has no default (make it required or give it a default)");
  }
  return *it;
}

std::string ParameterSet::GetString(const std::string& name) const {
  const json& value = Get(name);
  if (!value.is_string()) Fail(name, "is not a string");
  return value.get<std::string>();
}

int64_t ParameterSet::GetInt(const std::string& name) const {
  const json& value = Get(name);
  if (value.is_number_unsigned() &&
      value.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    Fail(name, "does not fit in a 64-bit integer");
  }
  if (!value.is_number_integer()) Fail(name, "is not an integer");
  return value.get<int64_t>();
}

double ParameterSet::GetDouble(const std::string& name) const {
  const json& value = Get(name);
  if (!value.is_number()) Fail(name, "is not a number");
  return value.get<double>();
}

bool ParameterSet::GetBool(const std::string& name) const {
  const json& value = Get(name);
  if (!value.is_boolean()) Fail(name, "is not a boolean");
  return value.get<bool>();
}

std::vector<std::string> ParameterSet::GetStringList(const std::string& name) const {
  const json& value = Get(name);
  if (value.is_string()) return {value.get<std::string>()};
  if (!value.is_array()) Fail(name, "is not a string list");
  std::vector<std::string> out;
  out.reserve(value.size());
  for (const json& item : value) {
    if (!item.is_string()) Fail(name, "is not a string list");
    out.push_back(item.get<std::string>());
  }
  return out;
}

std::optional<std::string> ParameterSet::GetOptionalString(const std::string& name) const {
  if (!Has(name)) return std::nullopt;
  return GetString(name);
}

namespace {

/// Replace, in the objects of `value` (recursively), the values of members whose names look
/// secret: the headers and query parameters of a REST source.
void RedactSecretMembers(json& value) {
  if (value.is_array()) {
    for (json& item : value) RedactSecretMembers(item);
    return;
  }
  if (!value.is_object()) return;
  for (auto& [key, member] : value.items()) {
    if (LooksLikeSecretName(key)) {
      member = "***";
    } else {
      RedactSecretMembers(member);
    }
  }
}

}  // namespace

bool LooksLikeSecretName(std::string_view name) {
  const std::string lower = ToLower(name);
  for (const char* word : {"key", "token", "secret", "password", "passwd", "signature",
                           "credential", "cookie", "session", "authorization"}) {
    if (lower.find(word) != std::string::npos) return true;
  }
  for (const char* word : {"sig", "auth", "pass", "pwd"}) {
    if (lower == word) return true;
  }
  return false;
}

std::vector<ParameterProblem> ProblemsUnder(const std::string& path,
                                            std::vector<ParameterProblem> problems) {
  for (ParameterProblem& problem : problems) {
    problem.parameter = problem.parameter.empty() ? path : path + "." + problem.parameter;
  }
  return problems;
}

json ParameterSet::Redacted() const {
  json out = values_;
  if (!out.is_object()) return out;
  for (const std::string& name : secret_names_) {
    if (out.contains(name)) out[name] = "***";
  }
  for (auto& [name, value] : out.items()) {
    if (value.is_object() || value.is_array()) RedactSecretMembers(value);
  }
  return out;
}

}  // namespace sqlflow
