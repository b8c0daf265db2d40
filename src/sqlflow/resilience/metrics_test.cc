#include "sqlflow/resilience/metrics.h"

#include <thread>

#include <gtest/gtest.h>

namespace sqlflow::resilience {
namespace {

TEST(RetryMetricsTest, CountsPerLabelPair) {
  RetryMetrics metrics;
  EXPECT_EQ(metrics.retries("rest", "read"), 0u);
  metrics.AddRetry("rest", "read");
  metrics.AddRetry("rest", "read");
  metrics.AddRetry("s3", "write");
  EXPECT_EQ(metrics.retries("rest", "read"), 2u);
  EXPECT_EQ(metrics.retries("s3", "write"), 1u);
  EXPECT_EQ(metrics.retries("s3", "read"), 0u);
  const auto samples = metrics.RetriesTotal();
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_EQ(samples[0].connector_type, "rest");
  EXPECT_EQ(samples[0].operation, "read");
  EXPECT_EQ(samples[0].value, 2u);
  EXPECT_EQ(samples[1].connector_type, "s3");
  EXPECT_EQ(samples[1].operation, "write");
  EXPECT_EQ(samples[1].value, 1u);
}

TEST(RetryMetricsTest, ConcurrentAddsAreAllCounted) {
  RetryMetrics metrics;
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&metrics] {
      for (int i = 0; i < 1000; ++i) metrics.AddRetry("postgres", "read");
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(metrics.retries("postgres", "read"), 4000u);
}

}  // namespace
}  // namespace sqlflow::resilience
