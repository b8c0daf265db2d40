#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <type_traits>

#include "sqlflow/common/clock.h"
#include "sqlflow/common/error.h"
#include "sqlflow/resilience/backoff.h"
#include "sqlflow/resilience/metrics.h"
#include "sqlflow/resilience/retry_budget.h"

namespace sqlflow::resilience {

/// How often and how long an operation is retried.
struct RetryOptions {
  /// Attempts in total, the first included. Default 3 (every network profile of the seed);
  /// 1 disables retries; must be >= 1.
  int max_attempts = 3;
  /// Delays between attempts. Defaults: 1 s initial, x2.0, 30 s cap, full jitter.
  BackoffOptions backoff;
  /// Time limit across all attempts and the waits between them, from the start of Run (the
  /// tier-2 `timeout` parameter, named so in errors).
  /// Default 0 = no limit; must not be negative. A retry whose delay would reach the limit
  /// is not made.
  std::chrono::milliseconds deadline{0};

  /// Throw ParameterError naming the offending field ("retry.max_attempts", ...).
  void Validate() const;
};

/// What a policy reports to and waits on, besides its options.
struct RetryContext {
  /// Connector type for metrics labels, e.g. "rest". Default "" (no label value).
  std::string connector_type;
  /// Clock to measure the deadline and to sleep on. Required.
  std::shared_ptr<Clock> clock;
  /// Retry budget shared with other policies of the connector instance. Default none.
  std::shared_ptr<RetryBudget> budget;
  /// Where connector_retries_total is counted. Default none.
  std::shared_ptr<ResilienceMetrics> metrics;
  /// Seed of the jitter's random source; tests fix it. Default mt19937_64's default seed.
  uint64_t seed = std::mt19937_64::default_seed;
};

/// Run an operation, retrying the failures that their class says may succeed on a new try
/// (transient and throttled sqlflow::Error; see classification.h). Auth and permanent
/// errors, CircuitOpenError and exceptions outside the sqlflow::Error hierarchy propagate at
/// once. A RateLimitError's retry_after is honoured (DelayHonouringHint). When retries run
/// out, the last error is rethrown unchanged, so the caller sees the server's message.
/// Thread-safe: one policy may serve concurrent calls.
class RetryPolicy {
 public:
  /// Validate `options` and create a policy.
  static std::unique_ptr<RetryPolicy> Make(const RetryOptions& options, RetryContext context);

  /// Call `op` until it returns, retrying as described above; return what it returns.
  /// The path without failures takes no lock besides the budget's and does not allocate.
  template <typename F>
  std::invoke_result_t<F&> Run(std::string_view operation, F&& op);

  const RetryOptions& options() const { return options_; }

  RetryPolicy(const RetryOptions& options, RetryContext context);

 private:
  // ResiliencePolicy runs its own attempt loop (limiter and breaker inside it) and asks
  // PlanRetry whether and when to try again.
  friend class ResiliencePolicy;

  /// Decide on a retry after attempt `attempt` failed with `error`; log and count it.
  /// Return the delay to wait, or nullopt to rethrow.
  std::optional<Clock::Duration> PlanRetry(const Error& error, std::string_view operation,
                                           int attempt, Clock::TimePoint start);
  /// Return the backoff delay, raised to the server's hint when the error carries one;
  /// nullopt when the hint is beyond what we may wait.
  std::optional<Clock::Duration> DelayFor(const Error& error, int attempt,
                                          std::optional<Clock::Duration> remaining);
  void LogGiveUp(const Error& error, std::string_view operation, int attempt,
                 std::string_view reason) const;

  const RetryOptions options_;
  const RetryContext context_;
  std::mutex backoff_mu_;
  Backoff backoff_;  // guarded by backoff_mu_
};

template <typename F>
std::invoke_result_t<F&> RetryPolicy::Run(std::string_view operation, F&& op) {
  if (context_.budget) context_.budget->RecordRequest();
  const Clock::TimePoint start =
      options_.deadline.count() > 0 ? context_.clock->Now() : Clock::TimePoint{};
  for (int attempt = 1;; ++attempt) {
    try {
      return op();
    } catch (const Error& error) {
      const std::optional<Clock::Duration> delay = PlanRetry(error, operation, attempt, start);
      if (!delay) throw;
      context_.clock->SleepFor(*delay);
    }
  }
}

}  // namespace sqlflow::resilience
