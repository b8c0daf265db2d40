#include "sqlflow/resilience/retry_budget.h"

#include <gtest/gtest.h>

#include "sqlflow/common/error.h"

namespace sqlflow::resilience {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class RetryBudgetTest : public ::testing::Test {
 protected:
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();

  std::shared_ptr<RetryBudget> Make(double ratio, int64_t floor) {
    RetryBudgetOptions options;
    options.budget_ratio = ratio;
    options.min_retries_per_window = floor;
    options.window = seconds(10);
    return RetryBudget::Make(options, clock_);
  }
};

TEST_F(RetryBudgetTest, RatioOfRequestsBoundsRetries) {
  auto budget = Make(0.2, 0);
  for (int i = 0; i < 100; ++i) budget->RecordRequest();
  int granted = 0;
  while (budget->TryAcquireRetry()) ++granted;
  EXPECT_EQ(granted, 20);
  EXPECT_EQ(budget->retries_in_window(), 20);
  EXPECT_FALSE(budget->TryAcquireRetry());
  // More requests make room again: 20 / 105 < 0.2.
  for (int i = 0; i < 5; ++i) budget->RecordRequest();
  EXPECT_TRUE(budget->TryAcquireRetry());
  EXPECT_FALSE(budget->TryAcquireRetry());
}

TEST_F(RetryBudgetTest, FloorAllowsRetriesWithoutTraffic) {
  auto budget = Make(0.2, 3);
  budget->RecordRequest();
  EXPECT_TRUE(budget->TryAcquireRetry());
  EXPECT_TRUE(budget->TryAcquireRetry());
  EXPECT_TRUE(budget->TryAcquireRetry());
  EXPECT_FALSE(budget->TryAcquireRetry());
}

TEST_F(RetryBudgetTest, WindowSlides) {
  auto budget = Make(0.5, 0);
  for (int i = 0; i < 4; ++i) budget->RecordRequest();  // t = 0
  clock_->Advance(seconds(5));
  for (int i = 0; i < 4; ++i) budget->RecordRequest();  // t = 5 s
  EXPECT_EQ(budget->requests_in_window(), 8);
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(budget->TryAcquireRetry());
  EXPECT_FALSE(budget->TryAcquireRetry());
  // At t = 10 s the first bucket has left the window: 4 requests, 4 retries.
  clock_->Advance(seconds(5));
  EXPECT_EQ(budget->requests_in_window(), 4);
  EXPECT_EQ(budget->retries_in_window(), 4);
  EXPECT_FALSE(budget->TryAcquireRetry());
  // At t = 15 s everything has left.
  clock_->Advance(seconds(5));
  EXPECT_EQ(budget->requests_in_window(), 0);
  EXPECT_EQ(budget->retries_in_window(), 0);
  EXPECT_FALSE(budget->TryAcquireRetry());  // 0 < 0.5 * 0 is false, and no floor
  budget->RecordRequest();
  budget->RecordRequest();
  EXPECT_TRUE(budget->TryAcquireRetry());
  EXPECT_FALSE(budget->TryAcquireRetry());
}

TEST_F(RetryBudgetTest, BucketBoundaryIsExact) {
  auto budget = Make(1.0, 0);
  budget->RecordRequest();  // bucket [0 s, 1 s)
  clock_->Advance(milliseconds(9'999));
  EXPECT_EQ(budget->requests_in_window(), 1);
  clock_->Advance(milliseconds(1));  // t = 10 s: the window is [1 s, 11 s)
  EXPECT_EQ(budget->requests_in_window(), 0);
}

TEST_F(RetryBudgetTest, ValidateNamesTheField) {
  RetryBudgetOptions options;
  EXPECT_NO_THROW(options.Validate());
  options.budget_ratio = 0.0;
  try {
    options.Validate();
    FAIL() << "expected ParameterError";
  } catch (const ParameterError& e) {
    EXPECT_EQ(e.problems()[0].parameter, "retry_budget.budget_ratio");
    EXPECT_EQ(e.problems()[0].message, "must be in (0, 1], got 0");
  }
  options = RetryBudgetOptions{};
  options.min_retries_per_window = -1;
  EXPECT_THROW(options.Validate(), ParameterError);
  options = RetryBudgetOptions{};
  options.window = milliseconds(5);
  EXPECT_THROW(options.Validate(), ParameterError);
  EXPECT_THROW(RetryBudget::Make(RetryBudgetOptions{}, nullptr), ParameterError);
}

}  // namespace
}  // namespace sqlflow::resilience
