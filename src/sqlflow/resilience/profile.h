#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "sqlflow/resilience/circuit_breaker.h"
#include "sqlflow/resilience/retry_policy.h"
#include "sqlflow/resilience/token_bucket.h"

#include <nlohmann/json.hpp>

namespace sqlflow::resilience {

/// What to try before giving up on a failure that a fresh connection or fresh credentials
/// might cure (the seed's RecoveryConfig).
struct RecoveryOptions {
  /// Call the connector's reconnect hook before the attempt that follows a transient
  /// failure. Default true.
  bool connection_recovery = true;
  /// On an auth failure, call the connector's refresh-credentials hook once and repeat the
  /// call once before failing with AuthenticationError. Default true (false for PostgreSQL).
  bool credential_refresh = true;
};

/// Everything a ResiliencePolicy does around one connector's operations. An absent part is
/// switched off (the file profile has no breaker and no limiter; the memory profile has
/// nothing at all).
struct ResilienceOptions {
  /// Retries with backoff; nullopt = one attempt only.
  std::optional<RetryOptions> retry;
  /// Circuit breaker per remote host; nullopt = none.
  std::optional<CircuitBreakerOptions> circuit_breaker;
  /// Token bucket per remote host; nullopt = none.
  std::optional<RateLimitOptions> rate_limit;
  RecoveryOptions recovery;
  /// Time limit of one attempt (the seed's circuit_breaker.timeout; tier 2 `timeout` sets
  /// the deadline across attempts instead). Default 0 = the connector's own timeout.
  std::chrono::milliseconds attempt_timeout{0};

  /// Throw ParameterError naming the first offending field ("resilience.retry.max_delay").
  void Validate() const;
  /// The options as tier-3 JSON, the shape `resilience` accepts and `connectors spec` shows:
  /// {"retry": {"max_attempts", "initial_delay", "max_delay", "backoff_multiplier",
  /// "jitter", "timeout"} | null, "circuit_breaker": {"failure_threshold",
  /// "recovery_timeout", "success_threshold", "half_open_max_probes", "timeout"} | null,
  /// "rate_limit": {"max_requests_per_minute", "burst_size", "backpressure_strategy",
  /// "per_host"} | null, "recovery": {"enable_connection_recovery",
  /// "enable_credential_refresh"}}. Durations are in seconds (numbers).
  nlohmann::json ToJson() const;
};

/// The default profile of a connector type (the seed's section 4), by registered type name,
/// case-insensitive: REST (3 attempts, 1 s → 30 s, breaker 5/60 s/2, 60 rpm burst 10),
/// S3 (3 attempts, 1 s → 60 s, breaker 3/30 s, 100 rpm burst 5), POSTGRES (3 attempts,
/// 0.5 s → 10 s, breaker 3/30 s, no limiter, no credential refresh), GOOGLE_SHEETS and
/// SHOPIFY (as REST; Sheets at 60 rpm, Shopify at 120 rpm burst 40 plus the server's
/// bucket), the file types CSV, TSV, PARQUET, JSON, JSONL (2 attempts, 0.1 s → 1 s, no
/// breaker, no limiter), MEMORY and unknown types (nothing).
///
/// The file profile retries only what the file connectors classify as transient (a read
/// interrupted by an I/O error, a file locked for a moment). A missing file is permanent and
/// never retried: the file connectors throw it with ErrorClass::kPermanent, so a typo in a
/// path fails at once with the connector's message instead of after a backoff. Recovery is
/// off for files and for MEMORY (there is no connection to re-open and no credential).
ResilienceOptions DefaultProfile(std::string_view connector_type);

/// Return whether `options` has no part at all (the MEMORY profile): such a connector needs
/// no policy and no `resilience` parameter.
bool IsEmpty(const ResilienceOptions& options);

}  // namespace sqlflow::resilience
