#include "sqlflow/resilience/circuit_breaker.h"

#include <fmt/format.h>

#include "sqlflow/common/log.h"

namespace sqlflow::resilience {

void CircuitBreakerOptions::Validate() const {
  auto at_least_one = [](const char* field, int value) {
    if (value < 1) {
      throw ParameterError("resilience", field, fmt::format("must be at least 1, got {}", value));
    }
  };
  at_least_one("circuit_breaker.failure_threshold", failure_threshold);
  if (recovery_timeout.count() <= 0) {
    throw ParameterError("resilience", "circuit_breaker.recovery_timeout",
                         fmt::format("must be positive, got {} ms", recovery_timeout.count()));
  }
  at_least_one("circuit_breaker.half_open_max_probes", half_open_max_probes);
  at_least_one("circuit_breaker.success_threshold", success_threshold);
}

const char* CircuitStateName(CircuitState state) {
  switch (state) {
    case CircuitState::kClosed:
      return "CLOSED";
    case CircuitState::kOpen:
      return "OPEN";
    case CircuitState::kHalfOpen:
      return "HALF-OPEN";
  }
  return "UNKNOWN";
}

std::unique_ptr<CircuitBreaker> CircuitBreaker::Make(std::string name,
                                                     const CircuitBreakerOptions& options,
                                                     std::shared_ptr<Clock> clock) {
  options.Validate();
  if (clock == nullptr) throw ParameterError("resilience", "clock", "must not be null");
  return std::make_unique<CircuitBreaker>(std::move(name), options, std::move(clock));
}

CircuitBreaker::CircuitBreaker(std::string name, const CircuitBreakerOptions& options,
                               std::shared_ptr<Clock> clock)
    : name_(std::move(name)), options_(options), clock_(std::move(clock)) {}

CircuitState CircuitBreaker::StateLocked(Clock::TimePoint now) const {
  if (state_ == CircuitState::kOpen && now - opened_at_ >= options_.recovery_timeout) {
    return CircuitState::kHalfOpen;
  }
  return state_;
}

void CircuitBreaker::TransitionLocked(CircuitState to, Clock::TimePoint now) {
  state_ = to;
  ++generation_;
  consecutive_failures_ = 0;
  consecutive_successes_ = 0;
  switch (to) {
    case CircuitState::kOpen:
      opened_at_ = now;
      log::Warning("Circuit breaker for '{}' is now OPEN. Failing fast.", name_);
      break;
    case CircuitState::kHalfOpen:
      probes_in_flight_ = 0;
      log::Info("Circuit breaker for '{}' is now HALF-OPEN. Sending a probe request.", name_);
      break;
    case CircuitState::kClosed:
      log::Info("Circuit breaker for '{}' is now CLOSED. Calls go through again.", name_);
      break;
  }
  if (listener_) listener_(to);
}

uint64_t CircuitBreaker::Acquire(std::string_view operation) {
  const Clock::TimePoint now = clock_->Now();
  std::unique_lock<std::mutex> lock(mu_);
  const CircuitState state = StateLocked(now);
  if (state != state_) TransitionLocked(state, now);
  if (state == CircuitState::kClosed) return generation_;
  if (state == CircuitState::kHalfOpen && probes_in_flight_ < options_.half_open_max_probes) {
    ++probes_in_flight_;
    return generation_;
  }
  std::string message =
      state == CircuitState::kOpen
          ? fmt::format(
                "circuit breaker is open after {} consecutive failures; failing fast "
                "for up to {:.1f}s while the service recovers",
                options_.failure_threshold,
                std::chrono::duration<double>(opened_at_ + options_.recovery_timeout - now).count())
          : std::string(
                "circuit breaker is half-open and its probe calls are in flight; "
                "failing fast");
  lock.unlock();
  throw CircuitOpenError(name_, std::string(operation), std::move(message));
}

void CircuitBreaker::RecordSuccess(uint64_t ticket) {
  const Clock::TimePoint now = clock_->Now();
  std::lock_guard<std::mutex> lock(mu_);
  if (ticket != generation_) return;
  if (state_ == CircuitState::kHalfOpen) --probes_in_flight_;
  if (state_ == CircuitState::kClosed) {
    consecutive_failures_ = 0;
  } else if (state_ == CircuitState::kHalfOpen &&
             ++consecutive_successes_ >= options_.success_threshold) {
    TransitionLocked(CircuitState::kClosed, now);
  }
}

void CircuitBreaker::RecordFailure(uint64_t ticket, FailureClass failure_class) {
  const Clock::TimePoint now = clock_->Now();
  std::lock_guard<std::mutex> lock(mu_);
  if (ticket != generation_) return;
  if (state_ == CircuitState::kHalfOpen) --probes_in_flight_;
  // Excluded: the server answered, so it says nothing about the service's health.
  if (failure_class == FailureClass::kPermanent) return;
  // A failed probe reopens at once; a closed circuit opens at the threshold.
  const bool open =
      state_ == CircuitState::kHalfOpen ||
      (state_ == CircuitState::kClosed && ++consecutive_failures_ >= options_.failure_threshold);
  if (open) TransitionLocked(CircuitState::kOpen, now);
}

CircuitState CircuitBreaker::state() const {
  const Clock::TimePoint now = clock_->Now();
  std::lock_guard<std::mutex> lock(mu_);
  return StateLocked(now);
}

}  // namespace sqlflow::resilience
