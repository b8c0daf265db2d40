#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <utility>

#include "sqlflow/common/clock.h"

namespace sqlflow::resilience {

/// A leaky bucket whose level the server reports (Shopify's call-limit header): requests
/// fill it, it drains at a fixed rate, and a request waits while the bucket is estimated to
/// be full. Between reports the level is estimated from the last report and the time since.
/// Thread-safe.
class LeakyBucket {
 public:
  explicit LeakyBucket(std::shared_ptr<Clock> clock);

  /// Record a report: `used` of `capacity` now, draining `leak_per_second` (> 0).
  void Observe(int64_t used, int64_t capacity, double leak_per_second);
  /// Record that no request is allowed until `until_reset` from now.
  void ObserveExhausted(Clock::Duration until_reset);
  /// Wait (on the clock) until one more request fits, count it in the estimate, and return
  /// how long it waited (zero when no report was ever made).
  Clock::Duration Acquire();

  /// The estimated level now (requests in the bucket); 0 before any report.
  double level() const;

 private:
  /// The level drained from the last report up to `now` (mu_ held).
  double LevelLocked(Clock::TimePoint now) const;
  /// Count one request now, or return how long until one fits (mu_ held).
  Clock::Duration TakeOrWaitLocked(Clock::TimePoint now);

  const std::shared_ptr<Clock> clock_;
  mutable std::mutex mu_;
  // A report or an exhaustion was recorded; read without the lock so that a bucket nobody
  // reports to costs one load.
  std::atomic<bool> reported_{false};
  double level_ = 0;     // requests in the bucket at at_; guarded by mu_
  double capacity_ = 0;  // 0 = no capacity report yet
  double leak_per_second_ = 0;
  Clock::TimePoint at_{};
  Clock::TimePoint blocked_until_{};
};

/// Parse a call-limit header value "used/capacity" ("32/40"); nullopt when malformed.
std::optional<std::pair<int64_t, int64_t>> ParseCallLimit(std::string_view value);

}  // namespace sqlflow::resilience
