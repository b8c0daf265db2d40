#include "sqlflow/resilience/retry_policy.h"

#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sqlflow/common/log.h"

namespace sqlflow::resilience {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

/// Capture log lines for the life of the test.
class LogCapture {
 public:
  LogCapture() {
    log::SetSink([this](log::Level, std::string_view line) { lines.emplace_back(line); });
  }
  ~LogCapture() { log::ResetSink(); }
  std::vector<std::string> lines;
};

class RetryPolicyTest : public ::testing::Test {
 protected:
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
  std::shared_ptr<ResilienceMetrics> metrics_ = std::make_shared<ResilienceMetrics>();
  LogCapture log_;

  /// No jitter, 1 s initial, x2, 30 s cap, 3 attempts unless changed.
  static RetryOptions Options(int max_attempts = 3) {
    RetryOptions options;
    options.max_attempts = max_attempts;
    options.backoff.jitter = false;
    return options;
  }

  std::unique_ptr<RetryPolicy> Make(const RetryOptions& options,
                                    std::shared_ptr<RetryBudget> budget = nullptr) {
    return RetryPolicy::Make(options, RetryContext{"rest", clock_, std::move(budget), metrics_});
  }
};

TEST_F(RetryPolicyTest, SuccessNeedsOneAttemptAndNoSleep) {
  auto policy = Make(Options());
  int calls = 0;
  EXPECT_EQ(policy->Run("read", [&] { return ++calls * 10; }), 10);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(clock_->elapsed(), Clock::Duration::zero());
  EXPECT_TRUE(metrics_->RetriesTotal().empty());
  EXPECT_TRUE(log_.lines.empty());
}

TEST_F(RetryPolicyTest, TransientFailuresAreRetriedWithBackoff) {
  auto policy = Make(Options());
  int calls = 0;
  std::string result = policy->Run("read", [&]() -> std::string {
    if (++calls < 3) throw ConnectionError("RestSource", "read", "Connection timed out");
    return "rows";
  });
  EXPECT_EQ(result, "rows");
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(clock_->elapsed(), seconds(3));  // 1 s + 2 s
  EXPECT_EQ(metrics_->retries("rest", "read"), 2u);
  ASSERT_EQ(log_.lines.size(), 2u);
  EXPECT_EQ(log_.lines[0],
            "Retrying operation 'read' (attempt 2/3) after error: Connection timed out. "
            "Next retry in 1.0s.");
  EXPECT_EQ(log_.lines[1],
            "Retrying operation 'read' (attempt 3/3) after error: Connection timed out. "
            "Next retry in 2.0s.");
}

TEST_F(RetryPolicyTest, SeedLogSentence) {
  RetryOptions options = Options();
  options.backoff.initial_delay = seconds(2);
  auto policy = Make(options);
  int calls = 0;
  policy->Run("read", [&] {
    if (++calls == 1) throw TimeoutError("RestSource", "read", "Connection timed out.");
  });
  ASSERT_EQ(log_.lines.size(), 1u);
  EXPECT_EQ(log_.lines[0],
            "Retrying operation 'read' (attempt 2/3) after error: Connection timed out. "
            "Next retry in 2.0s.");
}

TEST_F(RetryPolicyTest, ExhaustedAttemptsRethrowTheLastError) {
  auto policy = Make(Options(4));
  int calls = 0;
  try {
    policy->Run("write", [&]() -> int {
      throw ConnectionError("S3Destination", "write", fmt::format("reset #{}", ++calls));
    });
    FAIL() << "expected ConnectionError";
  } catch (const ConnectionError& e) {
    EXPECT_EQ(e.message(), "reset #4");
  }
  EXPECT_EQ(calls, 4);
  EXPECT_EQ(clock_->elapsed(), seconds(7));  // 1 + 2 + 4
  EXPECT_EQ(metrics_->retries("rest", "write"), 3u);
  ASSERT_EQ(log_.lines.size(), 4u);
  EXPECT_EQ(log_.lines[3],
            "Giving up on operation 'write' after 4 attempts (no attempts left): reset #4.");
}

TEST_F(RetryPolicyTest, PermanentAndAuthErrorsAreNotRetried) {
  auto policy = Make(Options());
  int calls = 0;
  EXPECT_THROW(policy->Run("read",
                           [&] {
                             ++calls;
                             throw SchemaError("PostgresSource", "read", "column 'id' missing");
                           }),
               SchemaError);
  EXPECT_THROW(policy->Run("read",
                           [&] {
                             ++calls;
                             throw AuthenticationError("RestSource", "read", "401 Unauthorized");
                           }),
               AuthenticationError);
  EXPECT_THROW(policy->Run("read",
                           [&] {
                             ++calls;
                             throw std::runtime_error("not ours");
                           }),
               std::runtime_error);
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(clock_->elapsed(), Clock::Duration::zero());
  EXPECT_TRUE(log_.lines.empty());
}

TEST_F(RetryPolicyTest, CircuitOpenErrorFailsFast) {
  auto policy = Make(Options());
  int calls = 0;
  EXPECT_THROW(policy->Run("read",
                           [&] {
                             ++calls;
                             throw CircuitOpenError("RestSource", "read", "circuit open");
                           }),
               CircuitOpenError);
  EXPECT_EQ(calls, 1);
}

TEST_F(RetryPolicyTest, ServerHintIsHonoured) {
  auto policy = Make(Options());
  int calls = 0;
  policy->Run("read", [&] {
    if (++calls == 1) throw RateLimitError("RestSource", "read", "429", milliseconds(7500));
  });
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(clock_->elapsed(), milliseconds(7500));
  EXPECT_EQ(log_.lines[0],
            "Retrying operation 'read' (attempt 2/3) after error: 429. Next retry in 7.5s.");
}

TEST_F(RetryPolicyTest, HintBeyondFourTimesMaxDelayFailsAtOnce) {
  auto policy = Make(Options());  // max_delay 30 s: hints up to 120 s are honoured
  int calls = 0;
  EXPECT_THROW(policy->Run("read",
                           [&] {
                             ++calls;
                             throw RateLimitError("RestSource", "read", "429", seconds(121));
                           }),
               RateLimitError);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(clock_->elapsed(), Clock::Duration::zero());
}

TEST_F(RetryPolicyTest, DeadlineCoversAllAttempts) {
  RetryOptions options = Options(10);
  options.deadline = seconds(10);
  auto policy = Make(options);
  int calls = 0;
  // Each attempt takes 2 s: attempts end at 2, 5 (after 1 s), 9 (after 2 s); the next
  // delay (4 s) would pass the deadline at 10 s.
  EXPECT_THROW(policy->Run("read",
                           [&] {
                             ++calls;
                             clock_->Advance(seconds(2));
                             throw TimeoutError("RestSource", "read", "timed out");
                           }),
               TimeoutError);
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(clock_->elapsed(), seconds(9));
  EXPECT_EQ(log_.lines.back(),
            "Giving up on operation 'read' after 3 attempts (the deadline would pass before "
            "the next attempt): timed out.");
}

TEST_F(RetryPolicyTest, HintBeyondRemainingDeadlineFailsAtOnce) {
  RetryOptions options = Options();
  options.deadline = seconds(5);
  auto policy = Make(options);
  int calls = 0;
  EXPECT_THROW(policy->Run("read",
                           [&] {
                             ++calls;
                             throw RateLimitError("RestSource", "read", "503", seconds(6));
                           }),
               RateLimitError);
  EXPECT_EQ(calls, 1);
}

TEST_F(RetryPolicyTest, BudgetStopsRetryStorms) {
  RetryBudgetOptions budget_options;
  budget_options.budget_ratio = 0.2;
  budget_options.min_retries_per_window = 1;
  auto budget = RetryBudget::Make(budget_options, clock_);
  auto policy = Make(Options(10), budget);
  for (int i = 0; i < 10; ++i) policy->Run("read", [] {});
  int calls = 0;
  // 11 requests: retries while retries / 11 < 0.2, i.e. 3 retries, so 4 attempts.
  EXPECT_THROW(policy->Run("read",
                           [&] {
                             ++calls;
                             throw ConnectionError("RestSource", "read", "refused");
                           }),
               ConnectionError);
  EXPECT_EQ(calls, 4);
  EXPECT_EQ(budget->retries_in_window(), 3);
  EXPECT_EQ(log_.lines.back(),
            "Giving up on operation 'read' after 4 attempts (the retry budget is exhausted): "
            "refused.");
}

TEST_F(RetryPolicyTest, JitterIsSeededAndBounded) {
  RetryOptions options = Options(6);
  options.backoff.jitter = true;
  auto run = [&](uint64_t seed) {
    auto clock = std::make_shared<FakeClock>();
    auto policy = RetryPolicy::Make(options, RetryContext{"rest", clock, nullptr, nullptr, seed});
    EXPECT_THROW(policy->Run("read", [] { throw ConnectionError("R", "read", "x"); }),
                 ConnectionError);
    return clock->elapsed();
  };
  const Clock::Duration a = run(7);
  EXPECT_EQ(a, run(7));
  EXPECT_NE(a, run(8));
  EXPECT_LE(a, seconds(1 + 2 + 4 + 8 + 16));
}

TEST_F(RetryPolicyTest, MoveOnlyResultsAndVoid) {
  auto policy = Make(Options());
  auto value = policy->Run("read", [] { return std::make_unique<int>(5); });
  EXPECT_EQ(*value, 5);
  bool ran = false;
  policy->Run("write", [&] { ran = true; });
  EXPECT_TRUE(ran);
}

TEST_F(RetryPolicyTest, ValidateNamesTheField) {
  RetryOptions options;
  EXPECT_NO_THROW(options.Validate());
  options.max_attempts = 0;
  try {
    Make(options);
    FAIL() << "expected ParameterError";
  } catch (const ParameterError& e) {
    EXPECT_EQ(e.problems()[0].parameter, "retry.max_attempts");
    EXPECT_EQ(e.problems()[0].message, "must be at least 1, got 0");
  }
  options = RetryOptions{};
  options.deadline = milliseconds(-1);
  EXPECT_THROW(options.Validate(), ParameterError);
  options = RetryOptions{};
  options.backoff.multiplier = 0.0;
  EXPECT_THROW(options.Validate(), ParameterError);
  EXPECT_THROW(RetryPolicy::Make(RetryOptions{}, RetryContext{}), ParameterError);
}

}  // namespace
}  // namespace sqlflow::resilience
