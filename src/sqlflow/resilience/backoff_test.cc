#include "sqlflow/resilience/backoff.h"

#include <gtest/gtest.h>

#include "sqlflow/common/error.h"

namespace sqlflow::resilience {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

BackoffOptions NoJitter() {
  BackoffOptions options;
  options.initial_delay = milliseconds(500);
  options.multiplier = 2.0;
  options.max_delay = seconds(10);
  options.jitter = false;
  return options;
}

TEST(BackoffTest, ExponentialSequenceWithCap) {
  Backoff backoff(NoJitter());
  const std::vector<Clock::Duration> expected = {
      milliseconds(500), seconds(1), seconds(2), seconds(4), seconds(8), seconds(10), seconds(10)};
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(backoff.NextDelay(static_cast<int>(i) + 1), expected[i]) << "retry " << i + 1;
  }
}

TEST(BackoffTest, FractionalMultiplier) {
  BackoffOptions options = NoJitter();
  options.initial_delay = seconds(2);
  options.multiplier = 2.5;
  options.max_delay = seconds(60);
  Backoff backoff(options);
  EXPECT_EQ(backoff.Ceiling(1), seconds(2));
  EXPECT_EQ(backoff.Ceiling(2), seconds(5));
  EXPECT_EQ(backoff.Ceiling(3), milliseconds(12500));
  EXPECT_EQ(backoff.Ceiling(4), milliseconds(31250));
  EXPECT_EQ(backoff.Ceiling(5), seconds(60));
}

TEST(BackoffTest, CeilingSaturatesForLargeRetryNumbers) {
  Backoff backoff(NoJitter());
  EXPECT_EQ(backoff.Ceiling(10'000), seconds(10));
  EXPECT_EQ(backoff.Ceiling(0), milliseconds(500));
}

TEST(BackoffTest, FullJitterStaysWithinCeilingAndIsSeeded) {
  BackoffOptions options = NoJitter();
  options.jitter = true;
  Backoff a(options, 42);
  Backoff b(options, 42);
  Backoff c(options, 43);
  bool any_difference = false;
  Clock::Duration sum{0};
  for (int i = 0; i < 1000; ++i) {
    const int retry = 1 + i % 8;
    const Clock::Duration da = a.NextDelay(retry);
    EXPECT_GE(da, Clock::Duration::zero());
    EXPECT_LE(da, a.Ceiling(retry));
    EXPECT_EQ(da, b.NextDelay(retry));  // same seed, same sequence
    if (da != c.NextDelay(retry)) any_difference = true;
    if (retry == 6) sum += da;
  }
  EXPECT_TRUE(any_difference);
  // 125 draws from [0, 10 s]: the mean sits near 5 s, far from both ends.
  const auto mean = sum / 125;
  EXPECT_GT(mean, seconds(3));
  EXPECT_LT(mean, seconds(7));
}

TEST(BackoffTest, ValidateNamesTheField) {
  BackoffOptions options = NoJitter();
  EXPECT_NO_THROW(options.Validate());
  options.initial_delay = milliseconds(0);
  try {
    options.Validate();
    FAIL() << "expected ParameterError";
  } catch (const ParameterError& e) {
    ASSERT_EQ(e.problems().size(), 1u);
    EXPECT_EQ(e.problems()[0].parameter, "retry.initial_delay");
    EXPECT_EQ(e.problems()[0].message, "must be positive, got 0 ms");
  }
  options = NoJitter();
  options.multiplier = 0.5;
  EXPECT_THROW(options.Validate(), ParameterError);
  options = NoJitter();
  options.max_delay = milliseconds(100);
  try {
    options.Validate();
    FAIL() << "expected ParameterError";
  } catch (const ParameterError& e) {
    EXPECT_EQ(e.problems()[0].parameter, "retry.max_delay");
    EXPECT_EQ(e.problems()[0].message,
              "must not be below retry.initial_delay (500 ms), got 100 ms");
  }
}

}  // namespace
}  // namespace sqlflow::resilience
