#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "sqlflow/common/clock.h"

namespace sqlflow::resilience {

/// What a rate limiter does when its bucket is empty (the seed's `backpressure_strategy`).
enum class BackpressureStrategy {
  kWait,  ///< Sleep (on the clock) until a token is there.
  kFail,  ///< Throw RateLimitError with the time until the next token as its hint.
};

/// A token bucket: a sustained rate, a burst, and a slow-down step for 429 responses.
struct RateLimitOptions {
  /// Sustained rate. Default 60 (the seed's REST profile; S3: 100); 1 to 60,000,000.
  int64_t requests_per_minute = 60;
  /// Tokens in a full bucket: requests allowed at once after a quiet spell. The bucket starts
  /// full. Default 10 (REST; S3: 5); 1 to 1,000,000.
  int64_t burst = 10;
  /// Empty-bucket behaviour. Default kWait.
  BackpressureStrategy strategy = BackpressureStrategy::kWait;
  /// One bucket per remote host (true) or one for the whole connector instance (false).
  /// Read by ResiliencePolicy, not by TokenBucket. Default true.
  bool per_host = true;
  /// Requests per minute taken off the rate by each SlowDown (a 429) and given back by each
  /// recovery step. Default 0 = a tenth of requests_per_minute, at least 1; must be >= 0.
  int64_t slow_down_step = 0;
  /// The rate never drops below this. Default 1; 1 to requests_per_minute.
  int64_t min_requests_per_minute = 1;
  /// After this long without a SlowDown the rate climbs back one step, and again after each
  /// further interval, up to requests_per_minute. Default 60 s; must be positive.
  std::chrono::milliseconds recovery_interval{60000};

  /// Throw ParameterError naming the offending field ("rate_limit.burst_size", ...).
  void Validate() const;
};

/// A token-bucket rate limiter. One instance per remote host is the caller's business.
/// Token arithmetic is in integers (one token = 60e9 units, the rate adds
/// requests_per_minute units per nanosecond), so admissions over simulated minutes are exact.
/// Thread-safe; no allocation unless kFail throws.
class TokenBucket {
 public:
  /// Validate `options` and create a full bucket for `connector` (named in RateLimitError),
  /// measuring and sleeping on `clock` (not null).
  static std::unique_ptr<TokenBucket> Make(std::string connector, const RateLimitOptions& options,
                                           std::shared_ptr<Clock> clock);

  /// Take one token for `operation`, waiting or failing when none is left per the strategy;
  /// return how long it waited (zero when a token was there).
  Clock::Duration Acquire(std::string_view operation);
  /// Take one token if there is one; never waits or throws.
  bool TryAcquire();
  /// Lower the rate by one step (down to min_requests_per_minute): the server said 429.
  void SlowDown();

  /// The current rate in requests per minute, recovery included.
  int64_t requests_per_minute() const;
  /// Total time Acquire has waited for tokens (`connector_rate_limit_wait_time`).
  Clock::Duration total_wait_time() const;

  TokenBucket(std::string connector, const RateLimitOptions& options, std::shared_ptr<Clock> clock);

 private:
  /// Units per token: nanoseconds per minute, so a rate in requests per minute adds exactly
  /// `rate` units per nanosecond.
  static constexpr int64_t kUnitsPerToken = 60'000'000'000;

  void RefillLocked(Clock::TimePoint now);
  void RecoverLocked(Clock::TimePoint now);
  /// The rate after `steps` recovery steps from rate_ (mu_ held).
  int64_t RecoveredRate(int64_t steps) const;
  /// Take a token or return how long until one is there.
  Clock::Duration TakeOrWaitLocked(Clock::TimePoint now);

  const std::string connector_;
  const RateLimitOptions options_;
  const std::shared_ptr<Clock> clock_;
  const int64_t step_;
  const int64_t capacity_;  // burst * kUnitsPerToken
  mutable std::mutex mu_;
  int64_t rate_;    // requests per minute now; guarded by mu_
  int64_t tokens_;  // in units; guarded by mu_
  Clock::TimePoint last_refill_;
  Clock::TimePoint last_rate_change_;
  Clock::Duration total_wait_{0};
};

}  // namespace sqlflow::resilience
