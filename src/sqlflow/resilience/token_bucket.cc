#include "sqlflow/resilience/token_bucket.h"

#include <algorithm>

#include <fmt/format.h>

#include "sqlflow/common/error.h"

namespace sqlflow::resilience {

void RateLimitOptions::Validate() const {
  auto in_range = [](const char* field, int64_t value, int64_t min, int64_t max) {
    if (value < min || value > max) {
      throw ParameterError("resilience", field,
                           fmt::format("must be between {} and {}, got {}", min, max, value));
    }
  };
  in_range("rate_limit.max_requests_per_minute", requests_per_minute, 1, 60'000'000);
  in_range("rate_limit.burst_size", burst, 1, 1'000'000);
  in_range("rate_limit.slow_down_step", slow_down_step, 0, requests_per_minute);
  in_range("rate_limit.min_requests_per_minute", min_requests_per_minute, 1, requests_per_minute);
  if (recovery_interval.count() <= 0) {
    throw ParameterError("resilience", "rate_limit.recovery_interval",
                         fmt::format("must be positive, got {} ms", recovery_interval.count()));
  }
}

std::unique_ptr<TokenBucket> TokenBucket::Make(std::string connector,
                                               const RateLimitOptions& options,
                                               std::shared_ptr<Clock> clock) {
  options.Validate();
  if (clock == nullptr) throw ParameterError("resilience", "clock", "must not be null");
  return std::make_unique<TokenBucket>(std::move(connector), options, std::move(clock));
}

TokenBucket::TokenBucket(std::string connector, const RateLimitOptions& options,
                         std::shared_ptr<Clock> clock)
    : connector_(std::move(connector)),
      options_(options),
      clock_(std::move(clock)),
      step_(options.slow_down_step > 0 ? options.slow_down_step
                                       : std::max<int64_t>(1, options.requests_per_minute / 10)),
      capacity_(options.burst * kUnitsPerToken),
      rate_(options.requests_per_minute),
      tokens_(capacity_),
      last_refill_(clock_->Now()),
      last_rate_change_(last_refill_) {}

void TokenBucket::RefillLocked(Clock::TimePoint now) {
  const int64_t elapsed = (now - last_refill_).count();
  if (elapsed <= 0) return;
  last_refill_ = now;
  const int64_t missing = capacity_ - tokens_;
  // Cap the elapsed time at what fills the bucket, so elapsed * rate cannot overflow.
  if (elapsed > missing / rate_) {
    tokens_ = std::min(capacity_, tokens_ + std::min(elapsed, missing / rate_ + 1) * rate_);
  } else {
    tokens_ += elapsed * rate_;
  }
}

int64_t TokenBucket::RecoveredRate(int64_t steps) const {
  const int64_t room = options_.requests_per_minute - rate_;
  // Compare step counts rather than multiplying, which could overflow after a long idle.
  if (steps >= (room + step_ - 1) / step_) return options_.requests_per_minute;
  return rate_ + steps * step_;
}

void TokenBucket::RecoverLocked(Clock::TimePoint now) {
  if (rate_ >= options_.requests_per_minute) return;
  const Clock::Duration interval = options_.recovery_interval;
  const int64_t steps = (now - last_rate_change_) / interval;
  if (steps <= 0) return;
  // Tokens up to now accrue at the old rate; the new rate applies from here on.
  RefillLocked(now);
  rate_ = RecoveredRate(steps);
  last_rate_change_ += steps * interval;
}

Clock::Duration TokenBucket::TakeOrWaitLocked(Clock::TimePoint now) {
  RecoverLocked(now);
  RefillLocked(now);
  if (tokens_ >= kUnitsPerToken) {
    tokens_ -= kUnitsPerToken;
    return Clock::Duration::zero();
  }
  const int64_t missing = kUnitsPerToken - tokens_;
  return Clock::Duration((missing + rate_ - 1) / rate_);
}

bool TokenBucket::TryAcquire() {
  const Clock::TimePoint now = clock_->Now();
  std::lock_guard<std::mutex> lock(mu_);
  return TakeOrWaitLocked(now) == Clock::Duration::zero();
}

Clock::Duration TokenBucket::Acquire(std::string_view operation) {
  Clock::Duration waited{0};
  for (;;) {
    const Clock::TimePoint now = clock_->Now();
    std::unique_lock<std::mutex> lock(mu_);
    const Clock::Duration wait = TakeOrWaitLocked(now);
    if (wait == Clock::Duration::zero()) {
      total_wait_ += waited;
      return waited;
    }
    if (options_.strategy == BackpressureStrategy::kFail) {
      const int64_t rate = rate_;
      lock.unlock();
      const auto hint = std::chrono::ceil<std::chrono::milliseconds>(wait);
      throw RateLimitError(connector_, std::string(operation),
                           fmt::format("client rate limit of {} requests per minute reached; "
                                       "next request allowed in {:.1f}s",
                                       rate, std::chrono::duration<double>(hint).count()),
                           hint);
    }
    lock.unlock();
    clock_->SleepFor(wait);
    waited += wait;
  }
}

void TokenBucket::SlowDown() {
  const Clock::TimePoint now = clock_->Now();
  std::lock_guard<std::mutex> lock(mu_);
  RecoverLocked(now);
  RefillLocked(now);
  rate_ = std::max(options_.min_requests_per_minute, rate_ - step_);
  last_rate_change_ = now;
}

int64_t TokenBucket::requests_per_minute() const {
  const Clock::TimePoint now = clock_->Now();
  std::lock_guard<std::mutex> lock(mu_);
  if (rate_ >= options_.requests_per_minute) return rate_;
  return RecoveredRate((now - last_rate_change_) / options_.recovery_interval);
}

Clock::Duration TokenBucket::total_wait_time() const {
  std::lock_guard<std::mutex> lock(mu_);
  return total_wait_;
}

}  // namespace sqlflow::resilience
