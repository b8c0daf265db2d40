#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string_view>

#include <fmt/format.h>

#include "sqlflow/common/strings.h"
#include "sqlflow/params/param_value_internal.h"

namespace sqlflow::params_internal {
namespace {

using nlohmann::json;

/// Return the phrase that follows "must be" for `type`.
std::string Expected(ParamType type) {
  switch (type) {
    case ParamType::kString:
      return "a string";
    case ParamType::kInteger:
      return "an integer";
    case ParamType::kNumber:
      return "a number";
    case ParamType::kBoolean:
      return "a boolean (true/false, yes/no or 1/0)";
    case ParamType::kStringList:
      return "a string or a list of strings";
    case ParamType::kObject:
      return "an object";
    case ParamType::kArray:
      return "an array";
    case ParamType::kAny:
      return "a value";
  }
  return "a value";
}

/// Describe a value for "got ...": "string 'abc'", "number 1.5", "an object". Never called
/// for secrets.
std::string Describe(const json& value) {
  switch (value.type()) {
    case json::value_t::string:
      return fmt::format("string '{}'", TruncateForMessage(value.get_ref<const std::string&>()));
    case json::value_t::boolean:
      return fmt::format("boolean {}", value.dump());
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return fmt::format("integer {}", value.dump());
    case json::value_t::number_float:
      return fmt::format("number {}", value.dump());
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "an array";
    default:
      return "null";
  }
}

/// Parse a whole string as a T ("42", "-7", "+7", and for double "2.5", "1e3"); nullopt
/// otherwise.
template <typename T>
std::optional<T> ParseWhole(std::string_view text) {
  if (!text.empty() && text[0] == '+') {
    text.remove_prefix(1);
    if (!text.empty() && text[0] == '-') return std::nullopt;
  }
  T out{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return out;
}

std::optional<json> ToInteger(const json& value) {
  if (value.is_number_unsigned()) {
    if (value.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
      return std::nullopt;
    return json(value.get<int64_t>());
  }
  if (value.is_number_integer()) return value;
  if (value.is_number_float()) {
    // A float with no fraction (5.0, or 1e3 from YAML) is an integer; 2^63 is out of range.
    double d = value.get<double>();
    if (std::trunc(d) != d || d < -9223372036854775808.0 || d >= 9223372036854775808.0)
      return std::nullopt;
    return json(static_cast<int64_t>(d));
  }
  if (!value.is_string()) return std::nullopt;
  std::optional<int64_t> parsed = ParseWhole<int64_t>(Trim(value.get_ref<const std::string&>()));
  return parsed ? std::optional<json>(*parsed) : std::nullopt;
}

std::optional<json> ToNumber(const json& value) {
  if (value.is_number()) return value;
  if (!value.is_string()) return std::nullopt;
  std::optional<double> parsed = ParseWhole<double>(Trim(value.get_ref<const std::string&>()));
  if (!parsed || !std::isfinite(*parsed)) return std::nullopt;
  return json(*parsed);
}

std::optional<json> ToBoolean(const json& value) {
  if (value.is_boolean()) return value;
  if (!value.is_string()) return std::nullopt;
  std::string text = ToLower(Trim(value.get_ref<const std::string&>()));
  if (text == "true" || text == "yes" || text == "1") return json(true);
  if (text == "false" || text == "no" || text == "0") return json(false);
  return std::nullopt;
}

/// Accept "id" (→ ["id"]) or an array of strings. On a bad item, `*got` names it.
std::optional<json> ToStringList(const json& value, std::string* got) {
  if (value.is_string()) return json::array({value});
  if (!value.is_array()) return std::nullopt;
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i].is_string()) continue;
    if (got != nullptr) *got = fmt::format("{} at index {}", Describe(value[i]), i);
    return std::nullopt;
  }
  return value;
}

/// Convert `value` to `type`; nullopt when it cannot be. `got` may be null (secrets).
std::optional<json> Convert(ParamType type, const json& value, std::string* got) {
  switch (type) {
    case ParamType::kString:
      return value.is_string() ? std::optional<json>(value) : std::nullopt;
    case ParamType::kInteger:
      return ToInteger(value);
    case ParamType::kNumber:
      return ToNumber(value);
    case ParamType::kBoolean:
      return ToBoolean(value);
    case ParamType::kStringList:
      return ToStringList(value, got);
    case ParamType::kObject:
      return value.is_object() ? std::optional<json>(value) : std::nullopt;
    case ParamType::kArray:
      return value.is_array() ? std::optional<json>(value) : std::nullopt;
    case ParamType::kAny:
      return value;
  }
  return std::nullopt;
}

/// Format a bound: 1 and 65535, not 1.0 and 65535.0.
std::string Bound(double bound) { return fmt::format("{}", bound); }

/// Return the message for a number outside [minimum, maximum], or "".
std::string CheckRange(const ParamSpec& spec, const json& value) {
  if (!value.is_number() || (!spec.minimum && !spec.maximum)) return "";
  double x = value.get<double>();
  bool low = spec.minimum && x < *spec.minimum;
  bool high = spec.maximum && x > *spec.maximum;
  if (!low && !high) return "";
  std::string got = spec.secret ? "" : fmt::format(", got {}", value.dump());
  if (spec.minimum && spec.maximum) {
    return fmt::format("must be between {} and {}{}", Bound(*spec.minimum), Bound(*spec.maximum),
                       got);
  }
  if (low) return fmt::format("must be at least {}{}", Bound(*spec.minimum), got);
  return fmt::format("must be at most {}{}", Bound(*spec.maximum), got);
}

/// Match one value against the enumeration, storing the canonical spelling.
bool CheckOneAllowed(const ParamSpec& spec, json* value, ParameterProblem* problem) {
  std::string text = value->is_string() ? value->get<std::string>() : value->dump();
  for (const std::string& allowed : spec.allowed) {
    if (!EqualsIgnoreCase(text, allowed)) continue;
    if (value->is_string()) *value = allowed;
    return true;
  }
  std::string choices = Join(spec.allowed, ", ");
  if (spec.secret) {
    problem->message = fmt::format("must be one of: {}", choices);
    return false;
  }
  problem->message = fmt::format("must be one of: {}; got '{}'", choices, TruncateForMessage(text));
  // A typo suggestion helps for words; for numbers "did you mean '1'?" for 3 would not.
  std::string near = value->is_string() ? ClosestMatch(text, spec.allowed) : "";
  if (!near.empty()) problem->suggestion = fmt::format("did you mean '{}'?", near);
  return false;
}

/// Check the enumeration; for a string list, every item.
bool CheckAllowed(const ParamSpec& spec, json* value, ParameterProblem* problem) {
  if (spec.allowed.empty()) return true;
  if (spec.type != ParamType::kStringList) return CheckOneAllowed(spec, value, problem);
  for (json& item : *value) {
    if (!CheckOneAllowed(spec, &item, problem)) return false;
  }
  return true;
}

}  // namespace

std::optional<json> CheckValue(const ParamSpec& spec, const json& value,
                               ParameterProblem* problem) {
  std::string got = spec.secret ? "" : Describe(value);
  std::optional<json> out = Convert(spec.type, value, spec.secret ? nullptr : &got);
  if (!out) {
    problem->message = spec.secret ? fmt::format("must be {}", Expected(spec.type))
                                   : fmt::format("must be {}, got {}", Expected(spec.type), got);
    return std::nullopt;
  }
  if (std::string range = CheckRange(spec, *out); !range.empty()) {
    problem->message = std::move(range);
    return std::nullopt;
  }
  if (!CheckAllowed(spec, &*out, problem)) return std::nullopt;
  return out;
}

json SubstituteEnvInValue(const json& value, const EnvLookup& env,
                          std::vector<std::string>* missing) {
  if (value.is_string()) return SubstituteEnv(value.get_ref<const std::string&>(), env, missing);
  if (!value.is_structured()) return value;
  json out = value;
  for (json& item : out) item = SubstituteEnvInValue(item, env, missing);
  return out;
}

}  // namespace sqlflow::params_internal
