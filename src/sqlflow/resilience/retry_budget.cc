#include "sqlflow/resilience/retry_budget.h"

#include <fmt/format.h>

#include "sqlflow/common/error.h"

namespace sqlflow::resilience {

void RetryBudgetOptions::Validate() const {
  if (!(budget_ratio > 0.0 && budget_ratio <= 1.0)) {
    throw ParameterError("resilience", "retry_budget.budget_ratio",
                         fmt::format("must be in (0, 1], got {}", budget_ratio));
  }
  if (min_retries_per_window < 0) {
    throw ParameterError("resilience", "retry_budget.min_retries_per_window",
                         fmt::format("must not be negative, got {}", min_retries_per_window));
  }
  if (window < std::chrono::milliseconds(10)) {
    throw ParameterError("resilience", "retry_budget.window",
                         fmt::format("must be at least 10 ms, got {} ms", window.count()));
  }
}

std::shared_ptr<RetryBudget> RetryBudget::Make(const RetryBudgetOptions& options,
                                               std::shared_ptr<Clock> clock) {
  options.Validate();
  if (clock == nullptr) throw ParameterError("resilience", "clock", "must not be null");
  return std::make_shared<RetryBudget>(options, std::move(clock));
}

RetryBudget::RetryBudget(const RetryBudgetOptions& options, std::shared_ptr<Clock> clock)
    : options_(options),
      clock_(std::move(clock)),
      origin_(clock_->Now()),
      bucket_width_(std::chrono::duration_cast<Clock::Duration>(options.window) / kBuckets) {}

int64_t RetryBudget::EpochNow() const { return (clock_->Now() - origin_) / bucket_width_; }

RetryBudget::Bucket& RetryBudget::CurrentLocked(int64_t epoch) {
  Bucket& bucket = buckets_[static_cast<size_t>(epoch % kBuckets)];
  if (bucket.epoch != epoch) bucket = Bucket{epoch, 0, 0};
  return bucket;
}

RetryBudget::Totals RetryBudget::TotalsLocked(int64_t epoch) const {
  Totals totals;
  for (const Bucket& bucket : buckets_) {
    if (bucket.epoch > epoch - kBuckets && bucket.epoch <= epoch) {
      totals.requests += bucket.requests;
      totals.retries += bucket.retries;
    }
  }
  return totals;
}

void RetryBudget::RecordRequest() {
  const int64_t epoch = EpochNow();
  std::lock_guard<std::mutex> lock(mu_);
  ++CurrentLocked(epoch).requests;
}

bool RetryBudget::TryAcquireRetry() {
  const int64_t epoch = EpochNow();
  std::lock_guard<std::mutex> lock(mu_);
  const Totals totals = TotalsLocked(epoch);
  const bool allowed = totals.retries < options_.min_retries_per_window ||
                       static_cast<double>(totals.retries) <
                           options_.budget_ratio * static_cast<double>(totals.requests);
  if (allowed) ++CurrentLocked(epoch).retries;
  return allowed;
}

int64_t RetryBudget::requests_in_window() const {
  const int64_t epoch = EpochNow();
  std::lock_guard<std::mutex> lock(mu_);
  return TotalsLocked(epoch).requests;
}

int64_t RetryBudget::retries_in_window() const {
  const int64_t epoch = EpochNow();
  std::lock_guard<std::mutex> lock(mu_);
  return TotalsLocked(epoch).retries;
}

}  // namespace sqlflow::resilience
