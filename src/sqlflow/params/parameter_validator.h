#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sqlflow/common/error.h"

#include <nlohmann/json.hpp>

namespace sqlflow {

/// The JSON type of a parameter. Strings that spell a value of the wanted type ("5432",
/// "true") are accepted for integer, number and boolean parameters, because `${ENV}` values
/// and YAML scalars arrive as strings.
enum class ParamType {
  kString,
  kInteger,
  kNumber,
  kBoolean,
  kStringList,  ///< A string or a list of strings ("id" or ["id", "region"]).
  kObject,
  kArray,
  kAny,
};

/// Return "string", "integer", ... for messages and specs.
const char* ParamTypeName(ParamType type);

/// One parameter a connector accepts.
struct ParamSpec {
  std::string name;  ///< Canonical name, e.g. "username".
  ParamType type = ParamType::kString;
  bool required = false;
  std::optional<nlohmann::json> default_value;  ///< Filled in when absent (never for secrets).
  std::string description;                      ///< One line for specs and README tables.
  std::optional<double> minimum;                ///< Inclusive bounds for integer/number.
  std::optional<double> maximum;
  std::vector<std::string> allowed;           ///< Enumeration (case-insensitive match; the
                                              ///< canonical spelling is stored).
  std::vector<std::string> aliases;           ///< Other accepted names ("user", "dbname").
  std::vector<std::string> deprecated_names;  ///< Accepted with a warning naming the new name.
  bool secret = false;                        ///< Never printed: redacted as "***".
};

/// A rule across parameters.
struct ParamConstraint {
  enum class Kind {
    kExactlyOneOf,  ///< Exactly one of `names` must be given ("table" or "query").
    kAtLeastOneOf,  ///< At least one of `names`.
    kRequires,      ///< If names[0] is given, every other name in `names` must be too.
  };
  Kind kind;
  std::vector<std::string> names;
};

/// Validated, normalised parameters: canonical names only, defaults filled, `${ENV}`
/// resolved, values converted to their declared types.
class ParameterSet {
 public:
  ParameterSet() = default;
  ParameterSet(nlohmann::json values, std::vector<std::string> secret_names)
      : values_(std::move(values)), secret_names_(std::move(secret_names)) {}

  bool Has(const std::string& name) const;
  /// Getters throw std::logic_error when the parameter is absent and has no default (a
  /// connector bug: the spec should have made it required or given a default).
  std::string GetString(const std::string& name) const;
  int64_t GetInt(const std::string& name) const;
  double GetDouble(const std::string& name) const;
  bool GetBool(const std::string& name) const;
  std::vector<std::string> GetStringList(const std::string& name) const;
  const nlohmann::json& Get(const std::string& name) const;
  std::optional<std::string> GetOptionalString(const std::string& name) const;

  /// All values, secrets included (for the connector's own use only).
  const nlohmann::json& values() const { return values_; }
  /// All values with secrets replaced by "***": the only form that may be logged or shown.
  /// Inside object values (a REST source's headers and query parameters), members whose
  /// names look secret (LooksLikeSecretName) are replaced too.
  nlohmann::json Redacted() const;
  const std::vector<std::string>& secret_names() const { return secret_names_; }

 private:
  nlohmann::json values_ = nlohmann::json::object();
  std::vector<std::string> secret_names_;
};

/// Whether a parameter, header or query parameter named `name` carries a secret by its name
/// alone (case-insensitive): one containing key, token, secret, password, passwd, signature,
/// credential, cookie, session or authorization, or one named sig, auth, pass or pwd. Errs on
/// the side of hiding ("monkey" is hidden too).
bool LooksLikeSecretName(std::string_view name);

/// `problems` of an object parameter's fields, named by their full path: "token_url" under
/// "auth" becomes "auth.token_url", and a problem of the object itself ("") becomes "auth".
std::vector<ParameterProblem> ProblemsUnder(const std::string& path,
                                            std::vector<ParameterProblem> problems);

/// Look up an environment variable; nullopt when unset. Injectable for tests.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
/// The process environment.
EnvLookup ProcessEnv();

/// Validates a connector's parameters against its specs (CONNECTORS.md): required names,
/// defaults, types, ranges, enumerations, aliases, deprecated names, secrets, `${ENV}` values
/// and cross-parameter constraints. Every problem is collected and reported at once in one
/// ParameterError; an unknown name gets a "did you mean" suggestion. Secret values never
/// appear in a message.
class ParameterValidator {
 public:
  /// Throws std::logic_error for a broken spec (a connector bug): a name declared twice, a
  /// secret with a default, a constraint naming an unknown parameter or fewer than two.
  ParameterValidator(std::string connector, std::vector<ParamSpec> specs,
                     std::vector<ParamConstraint> constraints = {});

  /// Validate `params` (a JSON object). Throws ParameterError listing every problem, in this
  /// order: the given names in alphabetical order (nlohmann::json keeps object keys sorted, so
  /// the input order is not known) with each name's problems (unknown, given twice,
  /// environment, type, range, enumeration); then missing required parameters in spec order;
  /// then failed constraints in declaration order. A null value counts as not given.
  ParameterSet Validate(const nlohmann::json& params, const EnvLookup& env = ProcessEnv()) const;

  const std::string& connector() const { return connector_; }
  const std::vector<ParamSpec>& specs() const { return specs_; }
  const std::vector<ParamConstraint>& constraints() const { return constraints_; }

 private:
  std::string connector_;
  std::vector<ParamSpec> specs_;
  std::vector<ParamConstraint> constraints_;
  std::map<std::string, size_t, std::less<>> names_;  ///< Every accepted name → spec index.
};

/// Whether `name` is a variable name: [A-Za-z_][A-Za-z0-9_]*.
bool IsVariableName(std::string_view name);

/// One `${name}` or `${name|default}` reference, as ParseVariableReference reads it.
struct VariableReference {
  enum class Status {
    kOk,
    kUnterminated,  ///< "${" with no "}" after it.
    kBadName,       ///< "${a b}", "${}", "${1x}".
  };
  Status status = Status::kOk;
  size_t begin = 0;  ///< Offset of the "${".
  size_t end = 0;    ///< One past the closing brace (kOk, kBadName).
  std::string name;
  std::optional<std::string> fallback;  ///< The default, quotes removed.
};

/// Parse the reference whose "${" is at `start` in `text`. A default in matching quotes may
/// hold '}' and '|' ("x}|y"). Strict (SubstituteEnv) takes the text between the braces as
/// written; `lenient` (the pipeline language) ignores white space around the name, an
/// unquoted default and a quoted default's quotes: "${ region | eu }".
VariableReference ParseVariableReference(std::string_view text, size_t start, bool lenient = false);

/// Substitute `${NAME}` and `${NAME|default}` in `text` from `env`. Missing variables with
/// no default are appended to `missing` (and left as they were).
std::string SubstituteEnv(const std::string& text, const EnvLookup& env,
                          std::vector<std::string>* missing);

/// The standard parameters of connector-interface-spec.md with their defaults, for connector
/// specs to pick from: StandardParam("batch_size") → {integer, default 10000, 1..1000000}.
/// Throws std::logic_error for a name that is not standard.
ParamSpec StandardParam(const std::string& name);
/// StandardParam(name) with its description replaced (when `description` is not empty).
ParamSpec StandardParam(const std::string& name, std::string description);

/// A parameter spec from its common fields (the others keep their defaults).
ParamSpec MakeParam(std::string name, ParamType type, std::optional<nlohmann::json> default_value,
                    std::string description, std::vector<std::string> allowed = {});

/// The names StandardParam accepts, in the order of connector-interface-spec.md.
const std::vector<std::string>& StandardParamNames();

}  // namespace sqlflow
