#include "sqlflow/params/parameter_validator.h"

#include <algorithm>
#include <stdexcept>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "sqlflow/common/log.h"
#include "sqlflow/common/strings.h"
#include "sqlflow/params/param_value_internal.h"

namespace sqlflow {
namespace {

using nlohmann::json;
using NameIndex = std::map<std::string, size_t, std::less<>>;

[[noreturn]] void SpecBug(const std::string& connector, const std::string& what) {
  throw std::logic_error(fmt::format("{} parameter spec: {}", connector, what));
}

void AddName(const std::string& connector, const std::string& name, size_t index,
             NameIndex* names) {
  if (name.empty()) SpecBug(connector, "a parameter name is empty");
  auto [it, inserted] = names->emplace(name, index);
  if (!inserted && it->second != index) {
    SpecBug(connector, fmt::format("name '{}' is declared twice", name));
  }
}

void IndexSpec(const std::string& connector, const ParamSpec& spec, size_t index,
               NameIndex* names) {
  if (spec.secret && spec.default_value) {
    SpecBug(connector, fmt::format("secret '{}' must not have a default", spec.name));
  }
  AddName(connector, spec.name, index, names);
  for (const std::string& alias : spec.aliases) AddName(connector, alias, index, names);
  for (const std::string& old : spec.deprecated_names) AddName(connector, old, index, names);
}

void CheckConstraintSpec(const std::string& connector, const ParamConstraint& constraint,
                         const std::vector<ParamSpec>& specs, const NameIndex& names) {
  if (constraint.names.size() < 2) SpecBug(connector, "a constraint needs at least two names");
  for (const std::string& name : constraint.names) {
    auto it = names.find(name);
    if (it == names.end() || specs[it->second].name != name) {
      SpecBug(connector, fmt::format("constraint names '{}', which is not a parameter", name));
    }
  }
}

/// Quote and join names: "'a'", "'a' or 'b'", "'a', 'b' or 'c'".
std::string QuoteList(const std::vector<std::string>& names, std::string_view last_sep) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? fmt::format(" {} ", last_sep) : ", ";
    out += fmt::format("'{}'", names[i]);
  }
  return out;
}

bool Contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

/// One call of Validate: the problems and values found so far.
class Validation {
 public:
  Validation(const ParameterValidator& validator, const NameIndex& names, const EnvLookup& env)
      : connector_(validator.connector()),
        specs_(validator.specs()),
        names_(names),
        env_(env),
        used_(specs_.size()) {}

  ParameterSet Run(const json& params, const std::vector<ParamConstraint>& constraints);

 private:
  void ChooseNames(const json& params);
  void CheckGiven(const std::string& name, const json& value);
  void CheckValue(const std::string& name, const ParamSpec& spec, const json& value);
  ParameterProblem Unknown(const std::string& name) const;
  void CheckAbsent(const ParamSpec& spec);
  void CheckConstraint(const ParamConstraint& constraint);
  void CheckRequires(const ParamConstraint& constraint);
  bool Given(const std::string& canonical) const { return !used_[names_.at(canonical)].empty(); }
  void Add(std::string parameter, std::string message, std::string suggestion = "") {
    problems_.push_back({std::move(parameter), std::move(message), std::move(suggestion)});
  }

  const std::string& connector_;
  const std::vector<ParamSpec>& specs_;
  const NameIndex& names_;
  const EnvLookup& env_;
  std::vector<std::string> used_;  ///< Per spec: the given name whose value is used, or "".
  std::vector<ParameterProblem> problems_;
  json values_ = json::object();
};

ParameterSet Validation::Run(const json& params, const std::vector<ParamConstraint>& constraints) {
  ChooseNames(params);
  for (const auto& item : params.items()) CheckGiven(item.key(), item.value());
  for (const ParamSpec& spec : specs_) CheckAbsent(spec);
  for (const ParamConstraint& constraint : constraints) CheckConstraint(constraint);
  if (!problems_.empty()) throw ParameterError(connector_, std::move(problems_));
  std::vector<std::string> secrets;
  for (const ParamSpec& spec : specs_) {
    if (spec.secret) secrets.push_back(spec.name);
  }
  return ParameterSet(std::move(values_), std::move(secrets));
}

// When a parameter is given under several names, the canonical name wins, else the first
// alias in alphabetical order; the others are reported (ValidatorNamesTest.AliasAndNameBothGiven).
void Validation::ChooseNames(const json& params) {
  for (const auto& item : params.items()) {
    auto it = names_.find(item.key());
    if (item.value().is_null() || it == names_.end()) continue;
    std::string& used = used_[it->second];
    if (used.empty() || item.key() == specs_[it->second].name) used = item.key();
  }
}

void Validation::CheckGiven(const std::string& name, const json& value) {
  auto it = names_.find(name);
  if (it == names_.end()) {
    problems_.push_back(Unknown(name));
    return;
  }
  const ParamSpec& spec = specs_[it->second];
  const std::string& used = used_[it->second];
  if (value.is_null()) return;
  if (name != used) {
    std::string also =
        used == spec.name ? "which is also given" : fmt::format("already given as '{}'", used);
    Add(name, fmt::format("is another name for '{}', {}; give only one", spec.name, also));
    return;
  }
  if (Contains(spec.deprecated_names, name)) {
    std::string prefix = connector_.empty() ? "" : connector_ + ": ";
    log::Warning("{}parameter '{}' is deprecated; use '{}'", prefix, name, spec.name);
  }
  CheckValue(name, spec, value);
}

void Validation::CheckValue(const std::string& name, const ParamSpec& spec, const json& value) {
  std::vector<std::string> missing;
  json resolved = params_internal::SubstituteEnvInValue(value, env_, &missing);
  for (const std::string& variable : missing) {
    Add(name, fmt::format("environment variable '{}' is not set", variable));
  }
  if (!missing.empty()) return;
  ParameterProblem problem{name, "", ""};
  if (std::optional<json> out = params_internal::CheckValue(spec, resolved, &problem)) {
    values_[spec.name] = std::move(*out);
  } else {
    problems_.push_back(std::move(problem));
  }
}

ParameterProblem Validation::Unknown(const std::string& name) const {
  std::vector<std::string> candidates;
  std::vector<std::string> canonical;
  for (const ParamSpec& spec : specs_) {
    canonical.push_back(spec.name);
    candidates.push_back(spec.name);
    candidates.insert(candidates.end(), spec.aliases.begin(), spec.aliases.end());
  }
  std::string near = ClosestMatch(name, candidates);
  if (!near.empty()) return {name, "unknown parameter", fmt::format("did you mean '{}'?", near)};
  if (canonical.empty()) return {name, "unknown parameter", "this connector takes no parameters"};
  return {name, "unknown parameter", fmt::format("valid parameters: {}", Join(canonical, ", "))};
}

void Validation::CheckAbsent(const ParamSpec& spec) {
  if (Given(spec.name)) return;
  if (spec.required) {
    Add(spec.name, spec.description.empty() ? "is required"
                                            : fmt::format("is required ({})", spec.description));
  } else if (spec.default_value) {
    values_[spec.name] = *spec.default_value;
  }
}

void Validation::CheckConstraint(const ParamConstraint& constraint) {
  std::vector<std::string> given;
  for (const std::string& name : constraint.names) {
    if (Given(name)) given.push_back(name);
  }
  switch (constraint.kind) {
    case ParamConstraint::Kind::kExactlyOneOf:
      if (given.empty()) {
        Add("", fmt::format("give exactly one of {}", QuoteList(constraint.names, "or")));
      } else if (given.size() == 2) {
        Add("", fmt::format("'{}' and '{}' cannot both be given", given[0], given[1]));
      } else if (given.size() > 2) {
        Add("", fmt::format("{} cannot be given together; give only one", QuoteList(given, "and")));
      }
      break;
    case ParamConstraint::Kind::kAtLeastOneOf:
      if (given.empty()) {
        Add("", fmt::format("give at least one of {}", QuoteList(constraint.names, "or")));
      }
      break;
    case ParamConstraint::Kind::kRequires:
      CheckRequires(constraint);
      break;
  }
}

void Validation::CheckRequires(const ParamConstraint& constraint) {
  const std::string& trigger = constraint.names[0];
  if (!Given(trigger)) return;
  for (size_t i = 1; i < constraint.names.size(); ++i) {
    if (!Given(constraint.names[i])) {
      Add(constraint.names[i], fmt::format("is required when '{}' is given", trigger));
    }
  }
}

}  // namespace

ParameterValidator::ParameterValidator(std::string connector, std::vector<ParamSpec> specs,
                                       std::vector<ParamConstraint> constraints)
    : connector_(std::move(connector)),
      specs_(std::move(specs)),
      constraints_(std::move(constraints)) {
  for (size_t i = 0; i < specs_.size(); ++i) IndexSpec(connector_, specs_[i], i, &names_);
  for (const ParamConstraint& constraint : constraints_) {
    CheckConstraintSpec(connector_, constraint, specs_, names_);
  }
}

ParameterSet ParameterValidator::Validate(const json& params, const EnvLookup& env) const {
  if (!params.is_object()) {
    throw ParameterError(
        connector_, "",
        fmt::format("parameters must be a JSON object, got {}", params.type_name()));
  }
  return Validation(*this, names_, env).Run(params, constraints_);
}

}  // namespace sqlflow
