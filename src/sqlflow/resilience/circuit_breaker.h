#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <type_traits>

#include "sqlflow/common/clock.h"
#include "sqlflow/common/error.h"
#include "sqlflow/resilience/classification.h"

namespace sqlflow::resilience {

/// When a circuit opens and how it closes again.
struct CircuitBreakerOptions {
  /// Consecutive counted failures that open the circuit. Default 5 (the seed's REST
  /// profile; 3 for S3 and PostgreSQL); must be >= 1.
  int failure_threshold = 5;
  /// Time the circuit stays open before letting probes through. Default 60 s (REST; 30 s
  /// for S3 and PostgreSQL); must be positive.
  std::chrono::milliseconds recovery_timeout{60000};
  /// Calls allowed at once while half-open; further calls fail fast. Default 1; >= 1.
  int half_open_max_probes = 1;
  /// Consecutive successful probes that close the circuit. Default 2 (the seed's REST
  /// profile); must be >= 1.
  int success_threshold = 2;

  /// Throw ParameterError naming the offending field ("circuit_breaker.failure_threshold",
  /// ...).
  void Validate() const;
};

/// The state of a circuit, valued as the `connector_circuit_breaker_state` gauge reports it.
enum class CircuitState { kClosed = 0, kOpen = 1, kHalfOpen = 2 };

/// Return "CLOSED", "OPEN" or "HALF-OPEN", as the log lines spell them.
const char* CircuitStateName(CircuitState state);

/// A circuit breaker for one connector instance and remote host. Permanent failures do not
/// count (the server answered; the request was wrong). Thread-safe.
class CircuitBreaker {
 public:
  /// Validate `options` and create a closed breaker named `name` (e.g. "PostgresSource",
  /// used in logs and in CircuitOpenError) measuring time on `clock` (not null).
  static std::unique_ptr<CircuitBreaker> Make(std::string name,
                                              const CircuitBreakerOptions& options,
                                              std::shared_ptr<Clock> clock);

  /// Let a call through or throw CircuitOpenError at once. Every admitted call must be
  /// followed by exactly one RecordSuccess or RecordFailure with the returned ticket.
  /// The ticket names the state the call was admitted in: an outcome reported after the
  /// state has changed is ignored, so a slow call admitted while closed cannot decide a
  /// half-open probe (pinned by CircuitBreakerTest.LateOutcomesAreIgnored).
  uint64_t Acquire(std::string_view operation);
  /// Report that the call admitted with `ticket` succeeded.
  void RecordSuccess(uint64_t ticket);
  /// Report that the call admitted with `ticket` failed with a failure of `failure_class`.
  void RecordFailure(uint64_t ticket, FailureClass failure_class);

  /// Acquire, run `op`, record its outcome (a sqlflow::Error by its class; any other
  /// exception as permanent) and return its result or rethrow its exception.
  template <typename F>
  std::invoke_result_t<F&> Run(std::string_view operation, F&& op);

  /// Called with the new state on every transition (ResiliencePolicy feeds the
  /// connector_circuit_breaker_state gauge with it). Runs under the breaker's lock, so it
  /// must not call back into the breaker.
  using TransitionListener = std::function<void(CircuitState)>;
  /// Set the transition listener; call before the breaker is shared between threads.
  void SetTransitionListener(TransitionListener listener) { listener_ = std::move(listener); }

  /// The current state; an open circuit whose recovery timeout has passed reads as
  /// half-open.
  CircuitState state() const;
  /// The state as the gauge value: 0 closed, 1 open, 2 half-open.
  int state_value() const { return static_cast<int>(state()); }
  const std::string& name() const { return name_; }

  CircuitBreaker(std::string name, const CircuitBreakerOptions& options,
                 std::shared_ptr<Clock> clock);

 private:
  CircuitState StateLocked(Clock::TimePoint now) const;
  void TransitionLocked(CircuitState to, Clock::TimePoint now);

  const std::string name_;
  const CircuitBreakerOptions options_;
  const std::shared_ptr<Clock> clock_;
  mutable std::mutex mu_;
  CircuitState state_ = CircuitState::kClosed;  // as last stored; see StateLocked
  int consecutive_failures_ = 0;
  int consecutive_successes_ = 0;
  int probes_in_flight_ = 0;
  uint64_t generation_ = 0;  // incremented on every transition; the ticket of Acquire
  Clock::TimePoint opened_at_{};
  TransitionListener listener_;
};

template <typename F>
std::invoke_result_t<F&> CircuitBreaker::Run(std::string_view operation, F&& op) {
  const uint64_t ticket = Acquire(operation);
  try {
    if constexpr (std::is_void_v<std::invoke_result_t<F&>>) {
      op();
      RecordSuccess(ticket);
      return;
    } else {
      std::invoke_result_t<F&> result = op();
      RecordSuccess(ticket);
      return result;
    }
  } catch (const Error& error) {
    RecordFailure(ticket, ClassifyError(error));
    throw;
  } catch (...) {
    RecordFailure(ticket, FailureClass::kPermanent);
    throw;
  }
}

}  // namespace sqlflow::resilience
