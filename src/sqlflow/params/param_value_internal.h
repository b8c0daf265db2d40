#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sqlflow/common/error.h"
#include "sqlflow/params/parameter_validator.h"

#include <nlohmann/json.hpp>

/// Helpers of ParameterValidator; not for use outside params/.
namespace sqlflow::params_internal {

/// Convert `value` to `spec.type` and check its range and enumeration. Returns the
/// normalised value, or nullopt with `*problem` filled (message and suggestion; the caller
/// sets the parameter name). For a secret spec the message never quotes the value.
std::optional<nlohmann::json> CheckValue(const ParamSpec& spec, const nlohmann::json& value,
                                         ParameterProblem* problem);

/// Return `value` with `${NAME}` resolved in every string inside it (object values and array
/// items, recursively). Missing variables are appended to `missing` once each.
nlohmann::json SubstituteEnvInValue(const nlohmann::json& value, const EnvLookup& env,
                                    std::vector<std::string>* missing);

}  // namespace sqlflow::params_internal
