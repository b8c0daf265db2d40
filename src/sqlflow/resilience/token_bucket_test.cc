#include "sqlflow/resilience/token_bucket.h"

#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "sqlflow/common/error.h"

namespace sqlflow::resilience {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class TokenBucketTest : public ::testing::Test {
 protected:
  std::unique_ptr<TokenBucket> Make(int64_t rpm, int64_t burst,
                                    BackpressureStrategy strategy = BackpressureStrategy::kFail) {
    RateLimitOptions options;
    options.requests_per_minute = rpm;
    options.burst = burst;
    options.strategy = strategy;
    return TokenBucket::Make("RestSource", options, clock_);
  }

  /// Try once every `step` for `duration`; return how many were admitted.
  int CountAdmitted(TokenBucket& bucket, Clock::Duration duration, Clock::Duration step) {
    int admitted = 0;
    for (Clock::Duration t{0}; t < duration; t += step) {
      clock_->Advance(step);
      if (bucket.TryAcquire()) ++admitted;
    }
    return admitted;
  }

  static void Drain(TokenBucket& bucket) {
    while (bucket.TryAcquire()) {
    }
  }

  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
};

TEST_F(TokenBucketTest, BurstThenSustainedRateOverFiveMinutes) {
  auto bucket = Make(60, 10);
  int at_start = 0;
  while (bucket->TryAcquire()) ++at_start;
  EXPECT_EQ(at_start, 10);
  EXPECT_EQ(CountAdmitted(*bucket, std::chrono::minutes(5), milliseconds(100)), 300);
}

TEST_F(TokenBucketTest, FractionalRateIsExactOverAnHour) {
  auto bucket = Make(7, 2);  // one token every 8.571... s
  Drain(*bucket);
  // The bucket never fills again, so no refill is lost: 7 * 60 tokens, the last one
  // completed exactly at t = 3600 s.
  EXPECT_EQ(CountAdmitted(*bucket, std::chrono::hours(1), seconds(1)), 420);
}

TEST_F(TokenBucketTest, QuietSpellRefillsOnlyUpToBurst) {
  auto bucket = Make(600, 5);
  Drain(*bucket);
  clock_->Advance(std::chrono::minutes(10));
  int admitted = 0;
  while (bucket->TryAcquire()) ++admitted;
  EXPECT_EQ(admitted, 5);
}

TEST_F(TokenBucketTest, WaitStrategySleepsOnTheClock) {
  auto bucket = Make(60, 1, BackpressureStrategy::kWait);
  for (int i = 0; i < 5; ++i) bucket->Acquire("read");
  EXPECT_EQ(clock_->elapsed(), seconds(4));
  EXPECT_EQ(bucket->total_wait_time(), seconds(4));
  // A minute of waiting admits exactly the rate.
  const Clock::Duration start = clock_->elapsed();
  for (int i = 0; i < 60; ++i) bucket->Acquire("read");
  EXPECT_EQ(clock_->elapsed() - start, seconds(60));
}

TEST_F(TokenBucketTest, FailStrategyThrowsWithHint) {
  auto bucket = Make(40, 1);
  bucket->Acquire("read");
  clock_->Advance(milliseconds(500));
  try {
    bucket->Acquire("read");
    FAIL() << "expected RateLimitError";
  } catch (const RateLimitError& e) {
    EXPECT_EQ(std::string(e.what()),
              "RestSource read: client rate limit of 40 requests per minute reached; next "
              "request allowed in 1.0s");
    EXPECT_EQ(e.retry_after(), milliseconds(1000));  // 1.5 s per token, 0.5 s elapsed
    EXPECT_EQ(e.error_class(), ErrorClass::kThrottled);
  }
  EXPECT_EQ(clock_->elapsed(), milliseconds(500));
  EXPECT_EQ(bucket->total_wait_time(), Clock::Duration::zero());
}

TEST_F(TokenBucketTest, SlowDownLowersTheAdmissionRate) {
  auto bucket = Make(60, 10);  // step: a tenth, 6 per minute
  Drain(*bucket);
  bucket->SlowDown();
  bucket->SlowDown();
  EXPECT_EQ(bucket->requests_per_minute(), 48);
  EXPECT_EQ(CountAdmitted(*bucket, seconds(59), milliseconds(100)), 47);
}

TEST_F(TokenBucketTest, SlowDownStopsAtTheFloor) {
  RateLimitOptions options;
  options.requests_per_minute = 100;
  options.slow_down_step = 30;
  options.min_requests_per_minute = 20;
  auto bucket = TokenBucket::Make("S3Source", options, clock_);
  for (int i = 0; i < 5; ++i) bucket->SlowDown();
  EXPECT_EQ(bucket->requests_per_minute(), 20);
}

TEST_F(TokenBucketTest, RateRecoversOneStepPerQuietInterval) {
  auto bucket = Make(60, 10);
  bucket->SlowDown();
  bucket->SlowDown();
  bucket->SlowDown();
  EXPECT_EQ(bucket->requests_per_minute(), 42);
  clock_->Advance(seconds(59));
  EXPECT_EQ(bucket->requests_per_minute(), 42);
  clock_->Advance(seconds(1));
  EXPECT_EQ(bucket->requests_per_minute(), 48);
  EXPECT_TRUE(bucket->TryAcquire());  // applies the step
  bucket->SlowDown();                 // a new 429 restarts the interval
  EXPECT_EQ(bucket->requests_per_minute(), 42);
  clock_->Advance(std::chrono::minutes(2));
  EXPECT_EQ(bucket->requests_per_minute(), 54);
  clock_->Advance(std::chrono::hours(24 * 365));
  EXPECT_EQ(bucket->requests_per_minute(), 60);
  EXPECT_TRUE(bucket->TryAcquire());
  EXPECT_EQ(bucket->requests_per_minute(), 60);
}

TEST_F(TokenBucketTest, RecoveredRateAdmitsAtTheNewRate) {
  auto bucket = Make(60, 1);
  bucket->SlowDown();  // 54 per minute
  clock_->Advance(seconds(60));
  EXPECT_TRUE(bucket->TryAcquire());  // recovers to 60
  EXPECT_EQ(CountAdmitted(*bucket, seconds(60), milliseconds(100)), 60);
}

TEST_F(TokenBucketTest, ConcurrentCallersShareTheBurstExactly) {
  auto bucket = Make(60, 100);
  std::atomic<int> admitted{0};
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) {
        if (bucket->TryAcquire()) ++admitted;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(admitted.load(), 100);
}

TEST_F(TokenBucketTest, ValidateNamesTheField) {
  RateLimitOptions options;
  EXPECT_NO_THROW(options.Validate());
  options.requests_per_minute = 0;
  try {
    options.Validate();
    FAIL() << "expected ParameterError";
  } catch (const ParameterError& e) {
    EXPECT_EQ(e.problems()[0].parameter, "rate_limit.max_requests_per_minute");
    EXPECT_EQ(e.problems()[0].message, "must be between 1 and 60000000, got 0");
  }
  options = RateLimitOptions{};
  options.burst = 0;
  EXPECT_THROW(options.Validate(), ParameterError);
  options = RateLimitOptions{};
  options.slow_down_step = -1;
  EXPECT_THROW(options.Validate(), ParameterError);
  options = RateLimitOptions{};
  options.min_requests_per_minute = 61;
  EXPECT_THROW(options.Validate(), ParameterError);
  options = RateLimitOptions{};
  options.recovery_interval = milliseconds(0);
  EXPECT_THROW(options.Validate(), ParameterError);
  EXPECT_THROW(TokenBucket::Make("x", RateLimitOptions{}, nullptr), ParameterError);
}

}  // namespace
}  // namespace sqlflow::resilience
