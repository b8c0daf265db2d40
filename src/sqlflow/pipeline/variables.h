#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "sqlflow/params/parameter_validator.h"
#include "sqlflow/pipeline/ast.h"
#include "sqlflow/pipeline/diagnostics.h"
#include "sqlflow/pipeline/profile.h"

namespace sqlflow::pipeline {

/// Parse `--vars`: a JSON object ({"a": 1, "b": "x"}; values rendered as text, strings
/// unquoted) or `k=v,k2=v2` (whitespace around names trimmed; a value may be "quoted" to hold
/// commas). Throws ConfigError naming the bad entry.
std::map<std::string, std::string> ParseVarsArgument(const std::string& text);

/// Variables with the precedence of PIPELINE_LANGUAGE.md, highest first: --vars, SET in the
/// pipeline, the profile's `variables`, the environment.
class VariableScope {
 public:
  VariableScope(std::map<std::string, std::string> cli_vars,
                std::map<std::string, std::string> profile_vars, EnvLookup env);

  /// Record `SET name = value` (a later SET replaces an earlier one).
  void Set(const std::string& name, std::string value);
  /// The value of `name` by precedence, or nullopt.
  std::optional<std::string> Lookup(const std::string& name) const;
  /// Where each known variable's value came from: "--vars", "SET", "profile", "environment".
  std::optional<std::string> SourceOf(const std::string& name) const;
  /// Every name set by --vars, SET or the profile (not the environment), for suggestions.
  std::vector<std::string> KnownNames() const;
  /// An EnvLookup that resolves through this scope (for ParameterValidator: `${X}` in
  /// profile connection parameters sees --vars, SET, profile variables and the environment).
  EnvLookup AsEnvLookup() const;

 private:
  std::map<std::string, std::string> cli_;
  std::map<std::string, std::string> set_;
  std::map<std::string, std::string> profile_;
  EnvLookup env_;
};

/// Replace every `${name}` and `${name|default}` in `text.text` (default may be "quoted" or
/// 'quoted'; its quotes are removed). Substitution is textual and exact: no quoting is added.
/// `$${` is not special; a `${` without `}` is an error. A variable with no value and no
/// default adds a diagnostic at the `${` ("variable 'region' is not set", suggesting a near
/// known name or "pass it with --vars region=..."); the reference is then left as is.
std::string Substitute(const Text& text, const VariableScope& scope, DiagnosticList* problems);

/// Resolve `${VAR}` in a profile's engine settings (memory_limit, path, temp_directory) and
/// log_level through `scope`. The engine opens before a pipeline is planned, so only --vars,
/// the profile's variables and the environment apply (not SET). Throws ConfigError naming
/// the setting and the variable when a variable is not set, or when log_level is not a level.
void ResolveProfileSettings(Profile* profile, const VariableScope& scope);

/// Names referenced by `${...}` in `text` (in order, duplicates kept once).
std::vector<std::string> ReferencedVariables(const std::string& text);

}  // namespace sqlflow::pipeline
