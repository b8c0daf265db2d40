#include "sqlflow/resilience/leaky_bucket.h"

#include <gtest/gtest.h>

namespace sqlflow::resilience {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class LeakyBucketTest : public ::testing::Test {
 protected:
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
  LeakyBucket bucket_{clock_};
};

TEST_F(LeakyBucketTest, WithoutReportNeverWaits) {
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(bucket_.Acquire(), Clock::Duration::zero());
  EXPECT_EQ(clock_->elapsed(), Clock::Duration::zero());
  EXPECT_EQ(bucket_.level(), 0.0);
}

TEST_F(LeakyBucketTest, RoomLeftIsUsedWithoutWaiting) {
  bucket_.Observe(38, 40, 2.0);  // Shopify's REST bucket: 40 deep, 2 per second
  EXPECT_EQ(bucket_.Acquire(), Clock::Duration::zero());
  EXPECT_EQ(bucket_.Acquire(), Clock::Duration::zero());
  EXPECT_EQ(bucket_.level(), 40.0);
  EXPECT_EQ(bucket_.Acquire(), milliseconds(500));
  EXPECT_EQ(clock_->elapsed(), milliseconds(500));
}

TEST_F(LeakyBucketTest, FullBucketAdmitsAtTheLeakRateOverAMinute) {
  bucket_.Observe(40, 40, 2.0);
  Clock::Duration waited{0};
  for (int i = 0; i < 120; ++i) waited += bucket_.Acquire();
  EXPECT_EQ(waited, seconds(60));
  EXPECT_EQ(clock_->elapsed(), seconds(60));
}

TEST_F(LeakyBucketTest, DrainsWhileIdle) {
  bucket_.Observe(40, 40, 2.0);
  clock_->Advance(seconds(10));  // 20 requests drained
  EXPECT_EQ(bucket_.level(), 20.0);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(bucket_.Acquire(), Clock::Duration::zero());
  EXPECT_EQ(bucket_.Acquire(), milliseconds(500));
}

TEST_F(LeakyBucketTest, ANewReportReplacesTheEstimate) {
  bucket_.Observe(40, 40, 2.0);
  bucket_.Observe(1, 40, 2.0);  // the server knows better than our estimate
  EXPECT_EQ(bucket_.Acquire(), Clock::Duration::zero());
  EXPECT_EQ(bucket_.level(), 2.0);
}

TEST_F(LeakyBucketTest, ExhaustedWaitsUntilTheReset) {
  bucket_.ObserveExhausted(seconds(30));
  EXPECT_EQ(bucket_.Acquire(), seconds(30));
  EXPECT_EQ(bucket_.Acquire(), Clock::Duration::zero());
  EXPECT_EQ(clock_->elapsed(), seconds(30));
}

TEST_F(LeakyBucketTest, MalformedReportsAreIgnored) {
  bucket_.Observe(5, 0, 2.0);
  bucket_.Observe(5, 40, 0.0);
  bucket_.Observe(-1, 40, 2.0);
  EXPECT_EQ(bucket_.Acquire(), Clock::Duration::zero());
  EXPECT_EQ(bucket_.level(), 0.0);
}

TEST(ParseCallLimitTest, ReadsUsedAndCapacity) {
  EXPECT_EQ(ParseCallLimit("32/40"), std::make_pair(int64_t{32}, int64_t{40}));
  EXPECT_EQ(ParseCallLimit(" 0 / 80 "), std::make_pair(int64_t{0}, int64_t{80}));
  EXPECT_EQ(ParseCallLimit(""), std::nullopt);
  EXPECT_EQ(ParseCallLimit("32"), std::nullopt);
  EXPECT_EQ(ParseCallLimit("32/"), std::nullopt);
  EXPECT_EQ(ParseCallLimit("/40"), std::nullopt);
  EXPECT_EQ(ParseCallLimit("a/40"), std::nullopt);
  EXPECT_EQ(ParseCallLimit("-1/40"), std::nullopt);
  EXPECT_EQ(ParseCallLimit("3/0"), std::nullopt);
  EXPECT_EQ(ParseCallLimit("3/40/2"), std::nullopt);
}

}  // namespace
}  // namespace sqlflow::resilience
