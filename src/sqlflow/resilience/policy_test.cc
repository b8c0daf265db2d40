#include "sqlflow/resilience/policy.h"

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "sqlflow/common/log.h"

namespace sqlflow::resilience {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

/// Capture log lines with their level for the life of the test.
class LogCapture {
 public:
  LogCapture() {
    log::SetSink([this](log::Level level, std::string_view line) {
      lines.emplace_back(line);
      levels.push_back(level);
    });
  }
  ~LogCapture() { log::ResetSink(); }
  std::vector<std::string> lines;
  std::vector<log::Level> levels;
};

class PolicyTest : public ::testing::Test {
 protected:
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
  std::shared_ptr<ResilienceMetrics> metrics_ = std::make_shared<ResilienceMetrics>();
  LogCapture log_;

  /// The REST profile without jitter, so delays are exact: 1 s, 2 s, 4 s ...
  static ResilienceOptions Rest() {
    ResilienceOptions options = DefaultProfile("REST");
    options.retry->backoff.jitter = false;
    return options;
  }

  std::unique_ptr<ResiliencePolicy> Make(const ResilienceOptions& options) {
    return ResiliencePolicy::Make(options, PolicyContext{"rest", "RestSource", clock_, metrics_});
  }
};

ConnectionError Timeout() { return ConnectionError("RestSource", "read", "Connection timed out"); }

TEST_F(PolicyTest, SuccessPassesThrough) {
  auto policy = Make(Rest());
  int calls = 0;
  EXPECT_EQ(policy->Run("read", "", [&] { return ++calls * 7; }), 7);
  policy->Run("read", "", [&] { ++calls; });  // void operations too
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(clock_->elapsed(), Clock::Duration::zero());
  EXPECT_TRUE(log_.lines.empty());
  EXPECT_EQ(policy->State(), nlohmann::json::parse(R"({"circuit_breaker": "CLOSED",
      "hosts": {"": "CLOSED"}, "rate_limit_wait_ms": 0, "requests_per_minute": 60})"));
}

TEST_F(PolicyTest, TransientFailuresAreRetriedExactly) {
  auto policy = Make(Rest());
  int calls = 0;
  EXPECT_EQ(policy->Run("read", "",
                        [&] {
                          if (++calls < 3) throw Timeout();
                          return std::string("rows");
                        }),
            "rows");
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(clock_->elapsed(), seconds(3));
  EXPECT_EQ(metrics_->retries("rest", "read"), 2u);
  EXPECT_EQ(log_.lines, (std::vector<std::string>{
                            "Retrying operation 'read' (attempt 2/3) after error: Connection "
                            "timed out. Next retry in 1.0s.",
                            "Retrying operation 'read' (attempt 3/3) after error: Connection "
                            "timed out. Next retry in 2.0s."}));
  EXPECT_EQ(log_.levels, (std::vector<log::Level>{log::Level::kInfo, log::Level::kInfo}));
}

TEST_F(PolicyTest, GivesUpAfterMaxAttemptsWithTheLastError) {
  auto policy = Make(Rest());
  int calls = 0;
  try {
    policy->Run("read", "", [&]() -> int {
      ++calls;
      throw ConnectionError("RestSource", "read", "reset #" + std::to_string(calls));
    });
    FAIL() << "expected ConnectionError";
  } catch (const ConnectionError& error) {
    EXPECT_EQ(error.message(), "reset #3");
  }
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(log_.lines.back(),
            "Giving up on operation 'read' after 3 attempts (no attempts left): reset #3.");
}

TEST_F(PolicyTest, PermanentAndForeignErrorsAreNotRetried) {
  auto policy = Make(Rest());
  int calls = 0;
  EXPECT_THROW(policy->Run("read", "",
                           [&]() -> int {
                             ++calls;
                             throw ConnectorError("RestSource", "read", "HTTP 404");
                           }),
               ConnectorError);
  EXPECT_THROW(policy->Run("read", "",
                           [&]() -> int {
                             ++calls;
                             throw std::runtime_error("bug");
                           }),
               std::runtime_error);
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(clock_->elapsed(), Clock::Duration::zero());
}

TEST_F(PolicyTest, EveryAttemptTakesAToken) {
  ResilienceOptions options = Rest();
  options.rate_limit->requests_per_minute = 30;  // a token every 2 s
  options.rate_limit->burst = 1;
  auto policy = Make(options);
  int calls = 0;
  policy->Run("read", "", [&] {
    if (++calls == 1) throw Timeout();
  });
  // Attempt 1 takes the only token at 0 s; the backoff ends at 1 s; attempt 2 waits 1 s more.
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(clock_->elapsed(), seconds(2));
  EXPECT_EQ(metrics_->rate_limit_wait_seconds("rest"), 1.0);
  EXPECT_EQ(policy->State()["rate_limit_wait_ms"], 1000);
}

TEST_F(PolicyTest, FailStrategyThrowsWithoutCallingOrRetrying) {
  ResilienceOptions options = Rest();
  options.rate_limit->burst = 1;
  options.rate_limit->strategy = BackpressureStrategy::kFail;
  auto policy = Make(options);
  int calls = 0;
  policy->Run("read", "", [&] { ++calls; });
  EXPECT_THROW(policy->Run("read", "", [&] { ++calls; }), RateLimitError);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(metrics_->retries("rest", "read"), 0u);
  EXPECT_EQ(clock_->elapsed(), Clock::Duration::zero());
}

TEST_F(PolicyTest, BreakerOpensThenFailsFastWithoutCalling) {
  ResilienceOptions options = Rest();
  options.circuit_breaker->failure_threshold = 2;
  options.retry->max_attempts = 5;
  auto policy = Make(options);
  int calls = 0;
  auto failing = [&]() -> int {
    ++calls;
    throw Timeout();
  };
  // Attempt 1 fails, retry in 1 s; attempt 2 fails and opens the circuit; the retry planned
  // after it (2 s) meets the open circuit, which is never retried.
  EXPECT_THROW(policy->Run("read", "", failing), CircuitOpenError);
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(clock_->elapsed(), seconds(3));
  EXPECT_EQ(metrics_->retries("rest", "read"), 2u);
  EXPECT_EQ(metrics_->breaker_state("rest"), 1);
  ASSERT_EQ(log_.lines.size(), 3u);
  EXPECT_EQ(log_.lines[1], "Circuit breaker for 'RestSource' is now OPEN. Failing fast.");
  EXPECT_EQ(log_.levels[1], log::Level::kWarning);

  try {
    policy->Run("read", "", failing);
    FAIL() << "expected CircuitOpenError";
  } catch (const CircuitOpenError& error) {
    EXPECT_STREQ(error.what(),
                 "RestSource read: circuit breaker is open after 2 consecutive failures; failing "
                 "fast for up to 58.0s while the service recovers");
  }
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(clock_->elapsed(), seconds(3));
  EXPECT_EQ(metrics_->retries("rest", "read"), 2u);
  EXPECT_EQ(policy->State()["circuit_breaker"], "OPEN");
}

TEST_F(PolicyTest, HalfOpenProbesCloseTheCircuit) {
  ResilienceOptions options = Rest();
  options.circuit_breaker->failure_threshold = 1;
  options.retry->max_attempts = 1;
  auto policy = Make(options);
  EXPECT_THROW(policy->Run("read", "", []() -> int { throw Timeout(); }), ConnectionError);
  EXPECT_EQ(metrics_->breaker_state("rest"), 1);
  clock_->Advance(seconds(60));
  EXPECT_EQ(policy->State()["circuit_breaker"], "HALF-OPEN");
  EXPECT_EQ(policy->Run("read", "", [] { return 1; }), 1);
  EXPECT_EQ(metrics_->breaker_state("rest"), 2);
  EXPECT_EQ(policy->Run("read", "", [] { return 2; }), 2);  // success_threshold 2
  EXPECT_EQ(metrics_->breaker_state("rest"), 0);
  EXPECT_EQ(log_.lines, (std::vector<std::string>{
                            "Circuit breaker for 'RestSource' is now OPEN. Failing fast.",
                            "Giving up on operation 'read' after 1 attempt (no attempts left): "
                            "Connection timed out.",
                            "Circuit breaker for 'RestSource' is now HALF-OPEN. Sending a probe "
                            "request.",
                            "Circuit breaker for 'RestSource' is now CLOSED. Calls go through "
                            "again."}));
  EXPECT_EQ(log_.levels[3], log::Level::kInfo);
}

TEST_F(PolicyTest, HostsAreIsolated) {
  ResilienceOptions options = Rest();
  options.circuit_breaker->failure_threshold = 1;
  options.retry->max_attempts = 1;
  options.rate_limit->burst = 1;
  auto policy = Make(options);
  EXPECT_THROW(policy->Run("read", "a.example", []() -> int { throw Timeout(); }), ConnectionError);
  EXPECT_THROW(policy->Run("read", "a.example", [] { return 1; }), CircuitOpenError);
  // The limiter comes before the breaker: a.example's second call waited 1 s for its token.
  EXPECT_EQ(clock_->elapsed(), seconds(1));
  EXPECT_EQ(policy->Run("read", "b.example", [] { return 2; }), 2);  // own breaker, own token
  EXPECT_EQ(clock_->elapsed(), seconds(1));
  EXPECT_EQ(log_.lines[0],
            "Circuit breaker for 'RestSource (a.example)' is now OPEN. Failing fast.");
  EXPECT_EQ(policy->State()["hosts"],
            nlohmann::json::parse(R"({"a.example": "OPEN", "b.example": "CLOSED"})"));
}

TEST_F(PolicyTest, OneBucketWhenNotPerHost) {
  ResilienceOptions options = Rest();
  options.rate_limit->burst = 1;
  options.rate_limit->per_host = false;
  auto policy = Make(options);
  policy->Run("read", "a.example", [] {});
  policy->Run("read", "b.example", [] {});  // the shared bucket is empty: 1 s at 60 rpm
  EXPECT_EQ(clock_->elapsed(), seconds(1));
}

TEST_F(PolicyTest, CredentialsAreRefreshedOnceThenTheCallRepeats) {
  auto policy = Make(Rest());
  int calls = 0;
  int refreshes = 0;
  RecoveryHooks hooks;
  hooks.refresh_credentials = [&] {
    ++refreshes;
    return true;
  };
  EXPECT_EQ(policy->Run(
                "read", "",
                [&] {
                  if (++calls == 1) throw AuthenticationError("RestSource", "read", "HTTP 401");
                  return 5;
                },
                hooks),
            5);
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(refreshes, 1);
  EXPECT_EQ(metrics_->recovery_attempts("rest"), 1u);
  EXPECT_EQ(metrics_->retries("rest", "read"), 0u);
  EXPECT_EQ(clock_->elapsed(), Clock::Duration::zero());
  EXPECT_EQ(log_.lines, (std::vector<std::string>{
                            "Refreshed the credentials of 'RestSource' after error: HTTP 401"}));
}

TEST_F(PolicyTest, ASecondAuthFailureIsAnAuthenticationError) {
  auto policy = Make(Rest());
  int calls = 0;
  int refreshes = 0;
  RecoveryHooks hooks;
  hooks.refresh_credentials = [&] {
    ++refreshes;
    return true;
  };
  auto denied = [&]() -> int {
    ++calls;
    throw AuthenticationError("RestSource", "read", "HTTP 401");
  };
  EXPECT_THROW(policy->Run("read", "", denied, hooks), AuthenticationError);
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(refreshes, 1);
  // Nothing refreshed: the first failure propagates.
  hooks.refresh_credentials = [&] {
    ++refreshes;
    return false;
  };
  EXPECT_THROW(policy->Run("read", "", denied, hooks), AuthenticationError);
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(refreshes, 2);
  // PostgreSQL's profile does not refresh.
  auto postgres = Make(DefaultProfile("POSTGRES"));
  EXPECT_THROW(postgres->Run("read", "", denied, hooks), AuthenticationError);
  EXPECT_EQ(calls, 4);
  EXPECT_EQ(refreshes, 2);
}

TEST_F(PolicyTest, ReconnectsBeforeTheNextAttempt) {
  auto policy = Make(Rest());
  std::vector<std::string> events;
  RecoveryHooks hooks;
  hooks.reconnect = [&] { events.push_back("reconnect"); };
  policy->Run(
      "read", "",
      [&] {
        events.push_back("call");
        if (events.size() == 1) throw Timeout();
      },
      hooks);
  EXPECT_EQ(events, (std::vector<std::string>{"call", "reconnect", "call"}));
  EXPECT_EQ(metrics_->recovery_attempts("rest"), 1u);
  EXPECT_EQ(log_.lines.back(), "Reconnecting 'RestSource' before the next attempt.");
  // A permanent failure asks for no reconnect.
  events.clear();
  EXPECT_THROW(policy->Run(
                   "read", "",
                   [&] {
                     events.push_back("call");
                     throw ConnectorError("RestSource", "read", "syntax error");
                   },
                   hooks),
               ConnectorError);
  EXPECT_EQ(events, (std::vector<std::string>{"call"}));
}

TEST_F(PolicyTest, AFailedReconnectIsThatAttemptsFailure) {
  auto policy = Make(Rest());
  int calls = 0;
  int reconnects = 0;
  RecoveryHooks hooks;
  hooks.reconnect = [&] {
    if (++reconnects == 1) throw ConnectionError("RestSource", "connect", "refused");
  };
  policy->Run(
      "read", "",
      [&] {
        if (++calls == 1) throw Timeout();
      },
      hooks);
  EXPECT_EQ(calls, 2);       // attempt 2 failed in its reconnect; attempt 3 called
  EXPECT_EQ(reconnects, 2);  // before attempts 2 and 3
  EXPECT_EQ(clock_->elapsed(), seconds(3));
}

TEST_F(PolicyTest, DeadlineCoversAllAttempts) {
  ResilienceOptions options = Rest();
  options.retry->max_attempts = 5;
  options.retry->deadline = milliseconds(2500);
  auto policy = Make(options);
  int calls = 0;
  EXPECT_THROW(policy->Run("read", "",
                           [&]() -> int {
                             ++calls;
                             throw Timeout();
                           }),
               ConnectionError);
  // 1 s after attempt 1 fits; 2 s after attempt 2 would end past 2.5 s.
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(clock_->elapsed(), seconds(1));
  EXPECT_EQ(log_.lines.back(),
            "Giving up on operation 'read' after 2 attempts (the deadline would pass before the "
            "next attempt): Connection timed out.");
}

TEST_F(PolicyTest, TheRetryBudgetStopsARetryStorm) {
  ResilienceOptions options = Rest();
  options.retry->max_attempts = 2;
  options.circuit_breaker.reset();
  options.rate_limit.reset();
  auto policy = Make(options);
  std::vector<int> calls;
  for (int run = 0; run < 5; ++run) {
    int n = 0;
    EXPECT_THROW(policy->Run("read", "",
                             [&]() -> int {
                               ++n;
                               throw Timeout();
                             }),
                 ConnectionError);
    calls.push_back(n);
  }
  // Three retries are allowed per window whatever the ratio; then 3 of 4 calls are retries.
  EXPECT_EQ(calls, (std::vector<int>{2, 2, 2, 1, 1}));
  EXPECT_EQ(metrics_->retries("rest", "read"), 3u);
  EXPECT_EQ(log_.lines.back(),
            "Giving up on operation 'read' after 1 attempt (the retry budget is exhausted): "
            "Connection timed out.");
}

TEST_F(PolicyTest, ThrottlingSlowsTheHostsBucket) {
  auto policy = Make(Rest());
  int calls = 0;
  policy->Run("read", "", [&] {
    if (++calls == 1) throw RateLimitError("RestSource", "read", "HTTP 429", milliseconds(3000));
  });
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(clock_->elapsed(), seconds(3));  // the server's hint, above the 1 s backoff
  EXPECT_EQ(policy->State()["requests_per_minute"], 54);  // 60 less a tenth
}

TEST_F(PolicyTest, TheServerBudgetPacesCallsOverSimulatedMinutes) {
  ResilienceOptions options = DefaultProfile("SHOPIFY");
  auto policy =
      ResiliencePolicy::Make(options, PolicyContext{"shopify", "ShopifySource", clock_, metrics_});
  policy->ObserveServerBudget("shop.example", 40, 40, 2.0);  // full, leaking 2 per second
  for (int i = 0; i < 120; ++i) policy->Run("read", "shop.example", [] {});
  EXPECT_EQ(clock_->elapsed(), seconds(60));
  EXPECT_EQ(metrics_->rate_limit_wait_seconds("shopify"), 60.0);
  // Another host has its own budget.
  policy->Run("read", "other.example", [] {});
  EXPECT_EQ(clock_->elapsed(), seconds(60));
  // X-RateLimit-Remaining: 0 with a reset in 90 s.
  policy->ObserveBudgetExhausted("other.example", seconds(90));
  policy->Run("read", "other.example", [] {});
  EXPECT_EQ(clock_->elapsed(), seconds(150));
  EXPECT_EQ(metrics_->rate_limit_wait_seconds("shopify"), 150.0);
}

TEST_F(PolicyTest, AnEmptyProfileOnlyCalls) {
  auto policy = ResiliencePolicy::Make(DefaultProfile("MEMORY"),
                                       PolicyContext{"memory", "MemorySource", clock_, metrics_});
  int calls = 0;
  EXPECT_THROW(policy->Run("read", "",
                           [&]() -> int {
                             ++calls;
                             throw Timeout();
                           }),
               ConnectionError);
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(log_.lines.empty());
  EXPECT_EQ(policy->State(), nlohmann::json::parse(R"({"circuit_breaker": "NONE", "hosts": {},
      "rate_limit_wait_ms": 0, "requests_per_minute": null})"));
}

TEST_F(PolicyTest, MakeValidates) {
  ResilienceOptions options = Rest();
  options.retry->max_attempts = 0;
  EXPECT_THROW(Make(options), ParameterError);
  EXPECT_THROW(ResiliencePolicy::Make(Rest(), PolicyContext{"rest", "RestSource", nullptr}),
               ParameterError);
}

TEST_F(PolicyTest, MetricsOfARunInPrometheusText) {
  ResilienceOptions options = Rest();
  options.circuit_breaker->failure_threshold = 2;
  auto policy = Make(options);
  RecoveryHooks hooks;
  hooks.reconnect = [] {};
  int calls = 0;
  EXPECT_THROW(policy->Run(
                   "read", "",
                   [&]() -> int {
                     ++calls;
                     throw Timeout();
                   },
                   hooks),
               CircuitOpenError);
  EXPECT_EQ(metrics_->ToPrometheus(),
            "# HELP connector_retries_total Retries of connector operations.\n"
            "# TYPE connector_retries_total counter\n"
            "connector_retries_total{connector_type=\"rest\",operation=\"read\"} 2\n"
            "# HELP connector_circuit_breaker_state Circuit breaker state by its last transition "
            "(0 closed, 1 open, 2 half-open).\n"
            "# TYPE connector_circuit_breaker_state gauge\n"
            "connector_circuit_breaker_state{connector_type=\"rest\"} 1\n"
            "# HELP connector_rate_limit_wait_time Time in seconds that rate limiters made "
            "connector calls wait.\n"
            "# TYPE connector_rate_limit_wait_time counter\n"
            "connector_rate_limit_wait_time{connector_type=\"rest\"} 0\n"
            "# HELP connector_recovery_attempts Reconnects and credential refreshes made to "
            "recover from failures.\n"
            "# TYPE connector_recovery_attempts counter\n"
            "connector_recovery_attempts{connector_type=\"rest\"} 1\n");
}

}  // namespace
}  // namespace sqlflow::resilience
