#include "sqlflow/resilience/profile.h"

#include <string>
#include <vector>

#include "sqlflow/common/error.h"
#include "sqlflow/common/strings.h"
#include "sqlflow/params/parameter_validator.h"

namespace sqlflow::resilience {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

double Seconds(milliseconds duration) { return static_cast<double>(duration.count()) / 1000.0; }

RetryOptions Retry(int max_attempts, milliseconds initial, milliseconds max) {
  RetryOptions retry;
  retry.max_attempts = max_attempts;
  retry.backoff.initial_delay = initial;
  retry.backoff.max_delay = max;
  retry.backoff.multiplier = 2.0;
  retry.backoff.jitter = true;
  return retry;
}

CircuitBreakerOptions Breaker(int failures, milliseconds recovery) {
  CircuitBreakerOptions breaker;
  breaker.failure_threshold = failures;
  breaker.recovery_timeout = recovery;
  breaker.success_threshold = 2;
  breaker.half_open_max_probes = 1;
  return breaker;
}

RateLimitOptions Limit(int64_t per_minute, int64_t burst) {
  RateLimitOptions limit;
  limit.requests_per_minute = per_minute;
  limit.burst = burst;
  limit.per_host = true;
  limit.strategy = BackpressureStrategy::kWait;
  return limit;
}

/// The seed's REST profile, also the base of the other HTTP APIs.
ResilienceOptions RestProfile() {
  ResilienceOptions options;
  options.retry = Retry(3, milliseconds(1000), milliseconds(30000));
  options.circuit_breaker = Breaker(5, milliseconds(60000));
  options.rate_limit = Limit(60, 10);
  options.recovery = RecoveryOptions{true, true};
  options.attempt_timeout = milliseconds(30000);
  return options;
}

bool IsFileType(const std::string& type) {
  static const std::vector<std::string> kFileTypes = {"CSV", "TSV", "PARQUET", "JSON", "JSONL"};
  for (const std::string& file_type : kFileTypes) {
    if (type == file_type) return true;
  }
  return false;
}

}  // namespace

ResilienceOptions DefaultProfile(std::string_view connector_type) {
  const std::string type = ToUpper(connector_type);
  if (type == "REST" || type == "GOOGLE_SHEETS") return RestProfile();
  if (type == "SHOPIFY") {
    ResilienceOptions options = RestProfile();
    options.rate_limit = Limit(120, 40);
    return options;
  }
  if (type == "S3") {
    ResilienceOptions options;
    options.retry = Retry(3, milliseconds(1000), milliseconds(60000));
    options.circuit_breaker = Breaker(3, milliseconds(30000));
    options.rate_limit = Limit(100, 5);
    options.recovery = RecoveryOptions{true, true};
    options.attempt_timeout = milliseconds(60000);
    return options;
  }
  if (type == "POSTGRES") {
    ResilienceOptions options;
    options.retry = Retry(3, milliseconds(500), milliseconds(10000));
    options.circuit_breaker = Breaker(3, milliseconds(30000));
    options.recovery = RecoveryOptions{true, false};
    options.attempt_timeout = milliseconds(30000);
    return options;
  }
  ResilienceOptions options;
  options.recovery = RecoveryOptions{false, false};
  if (IsFileType(type)) options.retry = Retry(2, milliseconds(100), milliseconds(1000));
  return options;
}

bool IsEmpty(const ResilienceOptions& options) {
  return !options.retry && !options.circuit_breaker && !options.rate_limit;
}

void ResilienceOptions::Validate() const {
  try {
    if (retry) retry->Validate();
    if (circuit_breaker) circuit_breaker->Validate();
    if (rate_limit) rate_limit->Validate();
  } catch (const ParameterError& error) {
    throw ParameterError(error.connector(), ProblemsUnder("resilience", error.problems()));
  }
  if (attempt_timeout.count() < 0) {
    throw ParameterError(
        "resilience", "resilience.circuit_breaker.timeout",
        "must not be negative, got " + std::to_string(attempt_timeout.count()) + " ms");
  }
}

json ResilienceOptions::ToJson() const {
  json out = json::object();
  out["retry"] = nullptr;
  if (retry) {
    out["retry"] = {{"max_attempts", retry->max_attempts},
                    {"initial_delay", Seconds(retry->backoff.initial_delay)},
                    {"max_delay", Seconds(retry->backoff.max_delay)},
                    {"backoff_multiplier", retry->backoff.multiplier},
                    {"jitter", retry->backoff.jitter},
                    {"timeout", Seconds(retry->deadline)}};
  }
  out["circuit_breaker"] = nullptr;
  if (circuit_breaker) {
    out["circuit_breaker"] = {{"failure_threshold", circuit_breaker->failure_threshold},
                              {"recovery_timeout", Seconds(circuit_breaker->recovery_timeout)},
                              {"success_threshold", circuit_breaker->success_threshold},
                              {"half_open_max_probes", circuit_breaker->half_open_max_probes},
                              {"timeout", Seconds(attempt_timeout)}};
  }
  out["rate_limit"] = nullptr;
  if (rate_limit) {
    out["rate_limit"] = {{"max_requests_per_minute", rate_limit->requests_per_minute},
                         {"burst_size", rate_limit->burst},
                         {"backpressure_strategy",
                          rate_limit->strategy == BackpressureStrategy::kWait ? "wait" : "fail"},
                         {"per_host", rate_limit->per_host}};
  }
  out["recovery"] = {{"enable_connection_recovery", recovery.connection_recovery},
                     {"enable_credential_refresh", recovery.credential_refresh}};
  return out;
}

}  // namespace sqlflow::resilience
