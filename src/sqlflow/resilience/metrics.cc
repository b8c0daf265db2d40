#include "sqlflow/resilience/metrics.h"

#include <chrono>

#include <fmt/format.h>

namespace sqlflow::resilience {
namespace {

/// Escape a label value as the Prometheus text format requires (backslash, quote, newline).
std::string EscapeLabel(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void Header(std::string* out, std::string_view name, std::string_view help, std::string_view type) {
  *out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

/// Find-or-insert by string_view without building a key when the label is already known.
template <typename Map>
typename Map::mapped_type& Slot(Map& map, std::string_view key) {
  auto it = map.find(key);
  if (it == map.end()) it = map.emplace(std::string(key), typename Map::mapped_type{}).first;
  return it->second;
}

}  // namespace

void ResilienceMetrics::AddRetry(std::string_view connector_type, std::string_view operation) {
  std::pair<std::string, std::string> key(connector_type, operation);
  std::lock_guard<std::mutex> lock(mu_);
  ++retries_[std::move(key)];
}

void ResilienceMetrics::SetBreakerState(std::string_view connector_type, int state) {
  std::lock_guard<std::mutex> lock(mu_);
  Slot(breaker_state_, connector_type) = state;
}

void ResilienceMetrics::DeclareConnectorType(std::string_view connector_type, bool has_breaker,
                                             bool has_limiter) {
  std::lock_guard<std::mutex> lock(mu_);
  if (has_breaker) Slot(breaker_state_, connector_type);
  if (has_limiter) Slot(wait_, connector_type);
  Slot(recovery_, connector_type);
}

void ResilienceMetrics::AddRateLimitWait(std::string_view connector_type, Clock::Duration waited) {
  std::lock_guard<std::mutex> lock(mu_);
  Slot(wait_, connector_type) += waited;
}

void ResilienceMetrics::AddRecoveryAttempt(std::string_view connector_type) {
  std::lock_guard<std::mutex> lock(mu_);
  ++Slot(recovery_, connector_type);
}

uint64_t ResilienceMetrics::retries(std::string_view connector_type,
                                    std::string_view operation) const {
  const std::pair<std::string, std::string> key(connector_type, operation);
  std::lock_guard<std::mutex> lock(mu_);
  auto it = retries_.find(key);
  return it == retries_.end() ? 0 : it->second;
}

std::vector<ResilienceMetrics::Sample> ResilienceMetrics::RetriesTotal() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<Sample> samples;
  samples.reserve(retries_.size());
  for (const auto& [labels, value] : retries_) {
    samples.push_back(Sample{labels.first, labels.second, value});
  }
  return samples;
}

int ResilienceMetrics::breaker_state(std::string_view connector_type) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = breaker_state_.find(connector_type);
  return it == breaker_state_.end() ? 0 : it->second;
}

double ResilienceMetrics::rate_limit_wait_seconds(std::string_view connector_type) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = wait_.find(connector_type);
  return it == wait_.end() ? 0.0 : std::chrono::duration<double>(it->second).count();
}

uint64_t ResilienceMetrics::recovery_attempts(std::string_view connector_type) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = recovery_.find(connector_type);
  return it == recovery_.end() ? 0 : it->second;
}

std::string ResilienceMetrics::ToPrometheus() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::string out;
  Header(&out, "connector_retries_total", "Retries of connector operations.", "counter");
  for (const auto& [labels, value] : retries_) {
    out += fmt::format("connector_retries_total{{connector_type=\"{}\",operation=\"{}\"}} {}\n",
                       EscapeLabel(labels.first), EscapeLabel(labels.second), value);
  }
  Header(&out, "connector_circuit_breaker_state",
         "Circuit breaker state by its last transition (0 closed, 1 open, 2 half-open).", "gauge");
  for (const auto& [type, value] : breaker_state_) {
    out += fmt::format("connector_circuit_breaker_state{{connector_type=\"{}\"}} {}\n",
                       EscapeLabel(type), value);
  }
  Header(&out, "connector_rate_limit_wait_time",
         "Time in seconds that rate limiters made connector calls wait.", "counter");
  for (const auto& [type, value] : wait_) {
    out += fmt::format("connector_rate_limit_wait_time{{connector_type=\"{}\"}} {}\n",
                       EscapeLabel(type), std::chrono::duration<double>(value).count());
  }
  Header(&out, "connector_recovery_attempts",
         "Reconnects and credential refreshes made to recover from failures.", "counter");
  for (const auto& [type, value] : recovery_) {
    out += fmt::format("connector_recovery_attempts{{connector_type=\"{}\"}} {}\n",
                       EscapeLabel(type), value);
  }
  return out;
}

}  // namespace sqlflow::resilience
