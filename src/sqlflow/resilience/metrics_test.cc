#include "sqlflow/resilience/metrics.h"

#include <thread>

#include <gtest/gtest.h>

namespace sqlflow::resilience {
namespace {

TEST(ResilienceMetricsTest, CountsPerLabelPair) {
  ResilienceMetrics metrics;
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

TEST(ResilienceMetricsTest, ConcurrentAddsAreAllCounted) {
  ResilienceMetrics metrics;
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

TEST(ResilienceMetricsTest, BreakerWaitAndRecovery) {
  ResilienceMetrics metrics;
  EXPECT_EQ(metrics.breaker_state("postgres"), 0);
  metrics.SetBreakerState("postgres", 1);
  metrics.SetBreakerState("postgres", 2);
  EXPECT_EQ(metrics.breaker_state("postgres"), 2);
  metrics.AddRateLimitWait("shopify", std::chrono::milliseconds(1500));
  metrics.AddRateLimitWait("shopify", std::chrono::milliseconds(250));
  EXPECT_EQ(metrics.rate_limit_wait_seconds("shopify"), 1.75);
  EXPECT_EQ(metrics.rate_limit_wait_seconds("rest"), 0.0);
  metrics.AddRecoveryAttempt("postgres");
  metrics.AddRecoveryAttempt("postgres");
  EXPECT_EQ(metrics.recovery_attempts("postgres"), 2u);
  EXPECT_EQ(metrics.recovery_attempts("rest"), 0u);
}

TEST(ResilienceMetricsTest, EmptyPrometheusTextHasEveryHeader) {
  EXPECT_EQ(ResilienceMetrics().ToPrometheus(),
            "# HELP connector_retries_total Retries of connector operations.\n"
            "# TYPE connector_retries_total counter\n"
            "# HELP connector_circuit_breaker_state Circuit breaker state by its last transition "
            "(0 closed, 1 open, 2 half-open).\n"
            "# TYPE connector_circuit_breaker_state gauge\n"
            "# HELP connector_rate_limit_wait_time Time in seconds that rate limiters made "
            "connector calls wait.\n"
            "# TYPE connector_rate_limit_wait_time counter\n"
            "# HELP connector_recovery_attempts Reconnects and credential refreshes made to "
            "recover from failures.\n"
            "# TYPE connector_recovery_attempts counter\n");
}

TEST(ResilienceMetricsTest, PrometheusText) {
  ResilienceMetrics metrics;
  metrics.AddRetry("s3", "write");
  metrics.AddRetry("rest", "read");
  metrics.AddRetry("rest", "read");
  metrics.AddRetry("rest", "say \"hi\"\\\n");
  metrics.SetBreakerState("postgres", 1);
  metrics.SetBreakerState("rest", 0);
  metrics.AddRateLimitWait("shopify", std::chrono::milliseconds(1500));
  metrics.AddRecoveryAttempt("postgres");
  metrics.AddRecoveryAttempt("postgres");
  EXPECT_EQ(
      metrics.ToPrometheus(),
      "# HELP connector_retries_total Retries of connector operations.\n"
      "# TYPE connector_retries_total counter\n"
      "connector_retries_total{connector_type=\"rest\",operation=\"read\"} 2\n"
      "connector_retries_total{connector_type=\"rest\",operation=\"say \\\"hi\\\"\\\\\\n\"} 1\n"
      "connector_retries_total{connector_type=\"s3\",operation=\"write\"} 1\n"
      "# HELP connector_circuit_breaker_state Circuit breaker state by its last transition "
      "(0 closed, 1 open, 2 half-open).\n"
      "# TYPE connector_circuit_breaker_state gauge\n"
      "connector_circuit_breaker_state{connector_type=\"postgres\"} 1\n"
      "connector_circuit_breaker_state{connector_type=\"rest\"} 0\n"
      "# HELP connector_rate_limit_wait_time Time in seconds that rate limiters made "
      "connector calls wait.\n"
      "# TYPE connector_rate_limit_wait_time counter\n"
      "connector_rate_limit_wait_time{connector_type=\"shopify\"} 1.5\n"
      "# HELP connector_recovery_attempts Reconnects and credential refreshes made to "
      "recover from failures.\n"
      "# TYPE connector_recovery_attempts counter\n"
      "connector_recovery_attempts{connector_type=\"postgres\"} 2\n");
}

}  // namespace
}  // namespace sqlflow::resilience
