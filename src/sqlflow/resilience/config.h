#pragma once

#include <string>

#include "sqlflow/params/parameter_validator.h"
#include "sqlflow/resilience/profile.h"

#include <nlohmann/json.hpp>

namespace sqlflow::resilience {

/// The `resilience` connector parameter (an object; tiers 2 and 3 of RESILIENCE.md), for the
/// specs of every connector whose profile is not empty.
ParamSpec ResilienceParam();

/// Apply a `resilience` value to `profile` and return the effective options.
///
/// Tier 2 keys: `retry_attempts` (integer >= 1: retry.max_attempts; 1 = no retries),
/// `timeout` (seconds > 0: the deadline across all attempts), `rate_limit` (a number:
/// requests per minute). Tier 3 keys: `retry`, `circuit_breaker`, `rate_limit` (an object),
/// `recovery`, each an object of the fields ResilienceOptions::ToJson shows, or `false` to
/// switch that part off. Tier 3 fields override tier 2, which overrides the profile; a part
/// the profile lacks is built from the REST profile's values for the fields not given.
///
/// Every object is checked through a ParameterValidator: unknown keys (with a suggestion),
/// wrong types, negative numbers and impossible combinations (max_delay below initial_delay,
/// burst above 1,000,000) are all reported at once in one ParameterError whose problems name
/// the full path ("resilience.retry.max_delay"). `${ENV}` values are resolved with `env`.
ResilienceOptions ParseResilience(const std::string& connector, const nlohmann::json& value,
                                  const ResilienceOptions& profile,
                                  const EnvLookup& env = ProcessEnv());

}  // namespace sqlflow::resilience
