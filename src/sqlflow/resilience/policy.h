#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>

#include "sqlflow/common/clock.h"
#include "sqlflow/common/error.h"
#include "sqlflow/resilience/metrics.h"
#include "sqlflow/resilience/profile.h"

#include <nlohmann/json.hpp>

namespace sqlflow::resilience {

/// What a connector gives its policy to recover with (RESILIENCE.md, "Recovery"). An empty
/// function means the connector has nothing to offer for that case.
struct RecoveryHooks {
  /// Drop and re-open the connection. Called before the attempt that follows a transient
  /// failure when recovery.connection_recovery is on; counted in
  /// connector_recovery_attempts. An exception from it counts as that attempt's failure.
  std::function<void()> reconnect;
  /// Fetch fresh credentials (a new OAuth2 token). Called at most once per Run, after an
  /// auth failure, when recovery.credential_refresh is on; counted in
  /// connector_recovery_attempts. Return false when nothing could be refreshed: the auth
  /// error then propagates. When it returns true the call is repeated once at once (not
  /// counted as a retry); a second auth failure propagates.
  std::function<bool()> refresh_credentials;
};

/// Who the policy works for.
struct PolicyContext {
  /// Connector type as the metric label, lower case ("rest", "postgres").
  std::string connector_type;
  /// Name in log lines and CircuitOpenError ("RestSource", or the pipeline's SOURCE name).
  std::string name;
  /// Clock for backoff, deadlines, breakers and limiters. Required.
  std::shared_ptr<Clock> clock;
  /// Where the seed's four metrics are counted. Default: none.
  std::shared_ptr<ResilienceMetrics> metrics;
  /// Seed of the jitter's random source; tests fix it.
  uint64_t seed = 5489;
};

/// Retry, circuit breaker, rate limiter, server budget and recovery composed around an
/// operation, for one connector instance. Per attempt, in this order: wait on the host's
/// server budget and token bucket (inside the retry loop, so every attempt is admitted),
/// then the host's circuit breaker (outside the call: an open circuit throws
/// CircuitOpenError, which is never retried), then the call. A throttled failure also slows
/// the host's token bucket down one step. Parts the options leave out cost nothing.
///
/// Breaker transitions set the connector_circuit_breaker_state gauge and are logged as the
/// seed words them ("Circuit breaker for 'RestSource' is now OPEN. Failing fast.", a warning;
/// HALF-OPEN and CLOSED at info level); a breaker of a named host is called
/// "RestSource (api.example.com)" in them. Limiter waits count in
/// connector_rate_limit_wait_time, reconnects and refreshes in connector_recovery_attempts,
/// retries in connector_retries_total.
///
/// Thread-safe. The path without failures takes a few uncontended locks, does not allocate
/// once the host has been seen, and costs well under a microsecond (bench/resilience_bench).
class ResiliencePolicy {
 public:
  /// Validate `options` and create a policy.
  static std::unique_ptr<ResiliencePolicy> Make(const ResilienceOptions& options,
                                                PolicyContext context);

  /// Call `op` under the policy for remote `host` ("" for connectors with one endpoint);
  /// return what it returns, or rethrow the last failure unchanged when the policy gives up.
  template <typename F>
  std::invoke_result_t<F&> Run(std::string_view operation, std::string_view host, F&& op,
                               const RecoveryHooks& hooks = {});

  /// Record the server's own budget for `host` from a response (Shopify's
  /// "X-Shopify-Shop-Api-Call-Limit: 32/40": `used` of `capacity`, leaking at
  /// `leak_per_second`). The next attempts wait while the bucket is estimated full.
  void ObserveServerBudget(std::string_view host, int64_t used, int64_t capacity,
                           double leak_per_second);
  /// Record "no requests left until `until_reset`" for `host` (X-RateLimit-Remaining: 0 with
  /// X-RateLimit-Reset): the next attempt waits until then.
  void ObserveBudgetExhausted(std::string_view host, Clock::Duration until_reset);

  /// The state for health reports: {"circuit_breaker": "CLOSED"|"OPEN"|"HALF-OPEN" (the worst
  /// over hosts; "NONE" without a breaker), "hosts": {host: state}, "rate_limit_wait_ms":
  /// total waited, "requests_per_minute": current limiter rate or null}.
  nlohmann::json State() const;

  const ResilienceOptions& options() const;
  /// Retries this policy has made (across hosts and operations), for the connector's
  /// performance metrics.
  int64_t retries() const;
  const PolicyContext& context() const;

  ~ResiliencePolicy();
  ResiliencePolicy(const ResiliencePolicy&) = delete;
  ResiliencePolicy& operator=(const ResiliencePolicy&) = delete;

 private:
  struct Impl;
  /// The breaker, buckets and server budget of one remote host (policy.cc).
  struct Host;
  /// What one Run carries from attempt to attempt.
  struct RunState {
    Clock::TimePoint start{};        ///< When Run began (only read under a deadline).
    bool reconnect_pending = false;  ///< A transient failure asks for a reconnect first.
    bool refreshed = false;          ///< Credentials were refreshed once already.
  };
  /// What to do after a failed attempt.
  enum class Next { kRethrow, kRepeat, kRetry };

  explicit ResiliencePolicy(std::unique_ptr<Impl> impl);

  // The template Run's helpers: everything that is not the call itself lives in policy.cc.
  /// Find the state of `host`, creating it the first time (the only allocation of Run).
  Host& FindHost(std::string_view host);
  /// Count the call in the retry budget and note the start time.
  RunState Begin();
  /// Wait on the host's server budget and token bucket, then pass its breaker (which may throw
  /// CircuitOpenError); return the breaker's ticket.
  uint64_t Admit(Host& host, std::string_view operation);
  /// Reconnect when the last attempt asked for it.
  void Prepare(RunState& state, const RecoveryHooks& hooks);
  void Succeeded(Host& host, uint64_t ticket);
  /// Record a failed attempt and decide: rethrow, repeat at once (after a credential refresh)
  /// or retry after `*delay`.
  Next Failed(Host& host, uint64_t ticket, const Error& error, std::string_view operation,
              int attempt, RunState& state, const RecoveryHooks& hooks, Clock::Duration* delay);
  /// Record a failure outside the sqlflow::Error hierarchy (never retried).
  void FailedOther(Host& host, uint64_t ticket);
  void Sleep(Clock::Duration delay);

  std::unique_ptr<Impl> impl_;
};

template <typename F>
std::invoke_result_t<F&> ResiliencePolicy::Run(std::string_view operation, std::string_view host,
                                               F&& op, const RecoveryHooks& hooks) {
  Host& target = FindHost(host);
  RunState state = Begin();
  for (int attempt = 1;;) {
    const uint64_t ticket = Admit(target, operation);
    Next next = Next::kRethrow;
    Clock::Duration delay{0};
    try {
      Prepare(state, hooks);
      if constexpr (std::is_void_v<std::invoke_result_t<F&>>) {
        op();
        Succeeded(target, ticket);
        return;
      } else {
        std::invoke_result_t<F&> result = op();
        Succeeded(target, ticket);
        return result;
      }
    } catch (const Error& error) {
      next = Failed(target, ticket, error, operation, attempt, state, hooks, &delay);
      if (next == Next::kRethrow) throw;
    } catch (...) {
      FailedOther(target, ticket);
      throw;
    }
    if (next == Next::kRetry) {
      Sleep(delay);
      ++attempt;
    }
  }
}

}  // namespace sqlflow::resilience
