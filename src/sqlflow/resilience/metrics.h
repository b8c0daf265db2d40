#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sqlflow/common/clock.h"

namespace sqlflow::resilience {

/// The seed's four resilience metrics (RESILIENCE.md, "Observability"):
///   connector_retries_total{connector_type,operation}   counter
///   connector_circuit_breaker_state{connector_type}     gauge: 0 closed, 1 open, 2 half-open
///   connector_rate_limit_wait_time{connector_type}      counter, seconds waited
///   connector_recovery_attempts{connector_type}         counter
/// One registry serves a whole run (every connector instance of it); the runner writes it
/// with the run's other metrics. Thread-safe. Only failure and wait paths touch it.
class ResilienceMetrics {
 public:
  /// One labelled value of connector_retries_total.
  struct Sample {
    std::string connector_type;
    std::string operation;
    uint64_t value = 0;
  };

  /// Count one retry of `operation` on a connector of `connector_type`.
  void AddRetry(std::string_view connector_type, std::string_view operation);
  /// Set the breaker gauge of `connector_type` (the last transition of any of its breakers).
  void SetBreakerState(std::string_view connector_type, int state);
  /// Add time a limiter (token bucket or server budget) made a call wait.
  void AddRateLimitWait(std::string_view connector_type, Clock::Duration waited);
  /// Declare a connector type with a breaker and/or a limiter, so the run's metrics show its
  /// breaker gauge (0, closed) and its zero counters even when nothing happened; values
  /// already counted are kept.
  void DeclareConnectorType(std::string_view connector_type, bool has_breaker, bool has_limiter);
  /// Count one reconnect or credential refresh.
  void AddRecoveryAttempt(std::string_view connector_type);

  /// Return the retries counted for one label pair (0 if none).
  uint64_t retries(std::string_view connector_type, std::string_view operation) const;
  /// Return every label pair with its count, sorted by connector type then operation.
  std::vector<Sample> RetriesTotal() const;
  /// The breaker gauge of `connector_type` (0 when never set).
  int breaker_state(std::string_view connector_type) const;
  /// Seconds waited on limiters by `connector_type`.
  double rate_limit_wait_seconds(std::string_view connector_type) const;
  /// Reconnects and credential refreshes counted for `connector_type`.
  uint64_t recovery_attempts(std::string_view connector_type) const;

  /// The four metrics in Prometheus text exposition format (# HELP and # TYPE lines, one
  /// sample per label set, labels escaped, sorted); a metric with no sample still has its
  /// HELP and TYPE lines.
  std::string ToPrometheus() const;

 private:
  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::string>, uint64_t, std::less<>> retries_;
  std::map<std::string, int, std::less<>> breaker_state_;
  std::map<std::string, Clock::Duration, std::less<>> wait_;
  std::map<std::string, uint64_t, std::less<>> recovery_;
};

}  // namespace sqlflow::resilience
