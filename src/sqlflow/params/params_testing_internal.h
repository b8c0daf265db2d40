#pragma once

#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sqlflow/params/parameter_validator.h"

/// Test helpers shared by the params/ tests.
namespace sqlflow::params_testing {

/// An environment holding exactly `vars`.
inline EnvLookup FakeEnv(std::map<std::string, std::string> vars = {}) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

/// Render a problem as ParameterError::what() lists it: "'port': message (suggestion)".
inline std::string Render(const ParameterProblem& problem) {
  std::string out = problem.parameter.empty() ? "" : "'" + problem.parameter + "': ";
  out += problem.message;
  if (!problem.suggestion.empty()) out += " (" + problem.suggestion + ")";
  return out;
}

/// Validate `params`, expecting a ParameterError; return its what().
inline std::string ErrorText(const ParameterValidator& validator, const nlohmann::json& params,
                             const EnvLookup& env = FakeEnv()) {
  try {
    validator.Validate(params, env);
  } catch (const ParameterError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected a ParameterError for " << params.dump();
  return "";
}

/// Validate `params`, expecting a ParameterError; return its problems rendered.
inline std::vector<std::string> Problems(const ParameterValidator& validator,
                                         const nlohmann::json& params,
                                         const EnvLookup& env = FakeEnv()) {
  try {
    validator.Validate(params, env);
  } catch (const ParameterError& e) {
    std::vector<std::string> out;
    for (const ParameterProblem& problem : e.problems()) out.push_back(Render(problem));
    return out;
  }
  ADD_FAILURE() << "expected a ParameterError for " << params.dump();
  return {};
}

/// A spec with a name and a type; tests set the other fields.
inline ParamSpec Spec(std::string name, ParamType type = ParamType::kString) {
  ParamSpec spec;
  spec.name = std::move(name);
  spec.type = type;
  return spec;
}

/// A validator with one parameter.
inline ParameterValidator One(ParamSpec spec) {
  return ParameterValidator("TEST", std::vector<ParamSpec>{std::move(spec)});
}

/// A validator shaped like the PostgreSQL source's.
inline ParameterValidator PostgresLike() {
  ParamSpec host = StandardParam("host");
  host.required = true;
  ParamSpec port = StandardParam("port");
  port.default_value = 5432;
  ParamSpec database = StandardParam("database");
  database.aliases = {"dbname"};
  ParamSpec ssl_mode = Spec("ssl_mode");
  ssl_mode.default_value = "prefer";
  ssl_mode.allowed = {"disable", "allow", "prefer", "require"};
  ssl_mode.aliases = {"sslmode"};
  return ParameterValidator(
      "POSTGRES",
      {host, port, database, StandardParam("username"), StandardParam("password"), ssl_mode,
       StandardParam("table"), StandardParam("query")},
      {{ParamConstraint::Kind::kExactlyOneOf, {"table", "query"}}});
}

}  // namespace sqlflow::params_testing
