#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>

#include "sqlflow/common/clock.h"

namespace sqlflow::resilience {

/// Limits on the share of retries among recent calls (Envoy's retry budget, the AWS SDKs'
/// retry quota): when most calls are failing, more retries only add load.
struct RetryBudgetOptions {
  /// Retries are allowed while retries / requests in the window stay below this ratio.
  /// Default 0.2 (Envoy's 20%); must be in (0, 1].
  double budget_ratio = 0.2;
  /// Retries allowed per window whatever the ratio, so a quiet connector can still retry.
  /// Default 3 (Envoy's min_retry_concurrency); must be >= 0.
  int64_t min_retries_per_window = 3;
  /// Length of the sliding window, kept as ten buckets of a tenth each. Default 10 s; must
  /// be at least 10 ms.
  std::chrono::milliseconds window{10000};

  /// Throw ParameterError naming the offending field ("retry_budget.budget_ratio", ...).
  void Validate() const;
};

/// A sliding-window retry budget, shared by the policies of one connector instance.
/// Thread-safe; no allocation after construction.
class RetryBudget {
 public:
  /// Validate `options` and create a budget measuring time on `clock` (not null).
  static std::shared_ptr<RetryBudget> Make(const RetryBudgetOptions& options,
                                           std::shared_ptr<Clock> clock);

  /// Count one call (a first attempt; retries are counted by TryAcquireRetry).
  void RecordRequest();

  /// Return whether one more retry fits the budget, and count it when it does: true while
  /// retries < min_retries_per_window or retries / requests < budget_ratio, counting the
  /// retries and requests of the window before this one.
  bool TryAcquireRetry();

  /// Requests and retries counted in the current window.
  int64_t requests_in_window() const;
  int64_t retries_in_window() const;

  RetryBudget(const RetryBudgetOptions& options, std::shared_ptr<Clock> clock);

 private:
  static constexpr int64_t kBuckets = 10;
  struct Bucket {
    int64_t epoch = -1;  ///< Which bucket-width slice of time the counts belong to.
    int64_t requests = 0;
    int64_t retries = 0;
  };
  struct Totals {
    int64_t requests = 0;
    int64_t retries = 0;
  };

  int64_t EpochNow() const;
  Bucket& CurrentLocked(int64_t epoch);
  Totals TotalsLocked(int64_t epoch) const;

  const RetryBudgetOptions options_;
  const std::shared_ptr<Clock> clock_;
  const Clock::TimePoint origin_;
  const Clock::Duration bucket_width_;
  mutable std::mutex mu_;
  std::array<Bucket, kBuckets> buckets_{};
};

}  // namespace sqlflow::resilience
