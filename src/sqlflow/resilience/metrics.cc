#include "sqlflow/resilience/metrics.h"

namespace sqlflow::resilience {

void RetryMetrics::AddRetry(std::string_view connector_type, std::string_view operation) {
  std::pair<std::string, std::string> key(connector_type, operation);
  std::lock_guard<std::mutex> lock(mu_);
  ++retries_[std::move(key)];
}

uint64_t RetryMetrics::retries(std::string_view connector_type, std::string_view operation) const {
  const std::pair<std::string, std::string> key(connector_type, operation);
  std::lock_guard<std::mutex> lock(mu_);
  auto it = retries_.find(key);
  return it == retries_.end() ? 0 : it->second;
}

std::vector<RetryMetrics::Sample> RetryMetrics::RetriesTotal() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<Sample> samples;
  samples.reserve(retries_.size());
  for (const auto& [labels, value] : retries_) {
    samples.push_back(Sample{labels.first, labels.second, value});
  }
  return samples;
}

}  // namespace sqlflow::resilience
