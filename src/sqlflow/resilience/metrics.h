#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sqlflow::resilience {

/// The seed's retry counter, `connector_retries_total{connector_type,operation}`, kept until
/// a process-wide metrics registry exists; the caller reads and exports it.
/// Thread-safe. Only the failure path touches it, so a map under a mutex is cheap enough.
class RetryMetrics {
 public:
  /// One labelled value of connector_retries_total.
  struct Sample {
    std::string connector_type;
    std::string operation;
    uint64_t value = 0;
  };

  /// Count one retry of `operation` on a connector of `connector_type`.
  void AddRetry(std::string_view connector_type, std::string_view operation);

  /// Return the retries counted for one label pair (0 if none).
  uint64_t retries(std::string_view connector_type, std::string_view operation) const;

  /// Return every label pair with its count, sorted by connector type then operation.
  std::vector<Sample> RetriesTotal() const;

 private:
  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::string>, uint64_t> retries_;
};

}  // namespace sqlflow::resilience
