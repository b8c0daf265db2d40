#include "sqlflow/resilience/circuit_breaker.h"

#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "sqlflow/common/log.h"

namespace sqlflow::resilience {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class CircuitBreakerTest : public ::testing::Test {
 protected:
  CircuitBreakerTest() {
    log::SetSink([this](log::Level, std::string_view line) { lines_.emplace_back(line); });
  }
  ~CircuitBreakerTest() override { log::ResetSink(); }

  std::unique_ptr<CircuitBreaker> Make(int failure_threshold = 3, int success_threshold = 2,
                                       int probes = 1) {
    CircuitBreakerOptions options;
    options.failure_threshold = failure_threshold;
    options.recovery_timeout = seconds(30);
    options.half_open_max_probes = probes;
    options.success_threshold = success_threshold;
    return CircuitBreaker::Make("PostgresSource", options, clock_);
  }

  static void Fail(CircuitBreaker& breaker, FailureClass failure = FailureClass::kTransient) {
    breaker.RecordFailure(breaker.Acquire("read"), failure);
  }
  static void Succeed(CircuitBreaker& breaker) { breaker.RecordSuccess(breaker.Acquire("read")); }

  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
  std::vector<std::string> lines_;
};

TEST_F(CircuitBreakerTest, OpensAfterConsecutiveFailures) {
  auto breaker = Make(3);
  Fail(*breaker);
  Fail(*breaker);
  Succeed(*breaker);  // resets the count
  Fail(*breaker);
  Fail(*breaker);
  EXPECT_EQ(breaker->state(), CircuitState::kClosed);
  EXPECT_EQ(breaker->state_value(), 0);
  Fail(*breaker);
  EXPECT_EQ(breaker->state(), CircuitState::kOpen);
  EXPECT_EQ(breaker->state_value(), 1);
  ASSERT_EQ(lines_.size(), 1u);
  EXPECT_EQ(lines_[0], "Circuit breaker for 'PostgresSource' is now OPEN. Failing fast.");
}

TEST_F(CircuitBreakerTest, OpenCircuitFailsFastWithoutCallingTheOperation) {
  auto breaker = Make(1);
  Fail(*breaker);
  clock_->Advance(seconds(10));
  int calls = 0;
  try {
    breaker->Run("read", [&] { ++calls; });
    FAIL() << "expected CircuitOpenError";
  } catch (const CircuitOpenError& e) {
    EXPECT_EQ(std::string(e.what()),
              "PostgresSource read: circuit breaker is open after 1 consecutive failures; "
              "failing fast for up to 20.0s while the service recovers");
    EXPECT_EQ(e.error_class(), ErrorClass::kTransient);
  }
  EXPECT_EQ(calls, 0);
}

TEST_F(CircuitBreakerTest, PermanentFailuresAreExcluded) {
  auto breaker = Make(2);
  for (int i = 0; i < 10; ++i) Fail(*breaker, FailureClass::kPermanent);
  EXPECT_EQ(breaker->state(), CircuitState::kClosed);
  Fail(*breaker);
  Fail(*breaker, FailureClass::kPermanent);  // neither counts nor resets
  Fail(*breaker, FailureClass::kThrottled);
  EXPECT_EQ(breaker->state(), CircuitState::kOpen);
}

TEST_F(CircuitBreakerTest, HalfOpenAfterRecoveryTimeoutThenClosesOnSuccesses) {
  auto breaker = Make(1, 2);
  Fail(*breaker);
  clock_->Advance(milliseconds(29'999));
  EXPECT_EQ(breaker->state(), CircuitState::kOpen);
  clock_->Advance(milliseconds(1));
  EXPECT_EQ(breaker->state(), CircuitState::kHalfOpen);
  EXPECT_EQ(breaker->state_value(), 2);
  Succeed(*breaker);
  EXPECT_EQ(breaker->state(), CircuitState::kHalfOpen);
  Succeed(*breaker);
  EXPECT_EQ(breaker->state(), CircuitState::kClosed);
  EXPECT_EQ(lines_, (std::vector<std::string>{
                        "Circuit breaker for 'PostgresSource' is now OPEN. Failing fast.",
                        "Circuit breaker for 'PostgresSource' is now HALF-OPEN. Sending a probe "
                        "request.",
                        "Circuit breaker for 'PostgresSource' is now CLOSED. Calls go through "
                        "again."}));
}

TEST_F(CircuitBreakerTest, FailedProbeReopensForAnotherTimeout) {
  auto breaker = Make(1, 1);
  Fail(*breaker);
  clock_->Advance(seconds(30));
  Fail(*breaker);
  EXPECT_EQ(breaker->state(), CircuitState::kOpen);
  clock_->Advance(seconds(29));
  EXPECT_THROW(breaker->Acquire("read"), CircuitOpenError);
  clock_->Advance(seconds(1));
  Succeed(*breaker);
  EXPECT_EQ(breaker->state(), CircuitState::kClosed);
}

TEST_F(CircuitBreakerTest, HalfOpenAdmitsOnlyTheProbeCount) {
  auto breaker = Make(1, 2, 2);
  Fail(*breaker);
  clock_->Advance(seconds(30));
  const uint64_t a = breaker->Acquire("read");
  const uint64_t b = breaker->Acquire("read");
  EXPECT_THROW(breaker->Acquire("read"), CircuitOpenError);
  breaker->RecordSuccess(a);
  const uint64_t c = breaker->Acquire("read");  // a's slot is free again
  EXPECT_THROW(breaker->Acquire("read"), CircuitOpenError);
  breaker->RecordFailure(b, FailureClass::kPermanent);  // frees the slot, decides nothing
  EXPECT_EQ(breaker->state(), CircuitState::kHalfOpen);
  breaker->RecordSuccess(c);
  EXPECT_EQ(breaker->state(), CircuitState::kClosed);
}

TEST_F(CircuitBreakerTest, LateOutcomesAreIgnored) {
  auto breaker = Make(1, 1);
  const uint64_t slow = breaker->Acquire("read");  // admitted while closed
  Fail(*breaker);
  clock_->Advance(seconds(30));
  const uint64_t probe = breaker->Acquire("read");
  breaker->RecordSuccess(slow);  // from before the circuit opened: ignored
  EXPECT_EQ(breaker->state(), CircuitState::kHalfOpen);
  EXPECT_THROW(breaker->Acquire("read"), CircuitOpenError);  // the probe slot is still taken
  breaker->RecordSuccess(probe);
  EXPECT_EQ(breaker->state(), CircuitState::kClosed);
}

TEST_F(CircuitBreakerTest, RunRecordsOutcomesByClass) {
  auto breaker = Make(2);
  EXPECT_EQ(breaker->Run("read", [] { return 7; }), 7);
  EXPECT_THROW(breaker->Run("read", [] { throw SchemaError("P", "read", "bad"); }), SchemaError);
  EXPECT_THROW(breaker->Run("read", [] { throw std::runtime_error("other"); }), std::runtime_error);
  EXPECT_EQ(breaker->state(), CircuitState::kClosed);
  EXPECT_THROW(breaker->Run("read", [] { throw ConnectionError("P", "read", "reset"); }),
               ConnectionError);
  EXPECT_THROW(breaker->Run("read", [] { throw TimeoutError("P", "read", "slow"); }), TimeoutError);
  EXPECT_EQ(breaker->state(), CircuitState::kOpen);
  EXPECT_THROW(breaker->Run("read", [] { return 1; }), CircuitOpenError);
}

TEST_F(CircuitBreakerTest, ConcurrentFailuresOpenOnce) {
  auto breaker = Make(50);
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&breaker] {
      for (int i = 0; i < 100; ++i) {
        try {
          breaker->Run("read", [] { throw ConnectionError("P", "read", "reset"); });
        } catch (const Error&) {
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(breaker->state(), CircuitState::kOpen);
  EXPECT_EQ(lines_.size(), 1u);
}

TEST_F(CircuitBreakerTest, ValidateNamesTheField) {
  CircuitBreakerOptions options;
  EXPECT_NO_THROW(options.Validate());
  options.failure_threshold = 0;
  try {
    options.Validate();
    FAIL() << "expected ParameterError";
  } catch (const ParameterError& e) {
    EXPECT_EQ(e.problems()[0].parameter, "circuit_breaker.failure_threshold");
    EXPECT_EQ(e.problems()[0].message, "must be at least 1, got 0");
  }
  options = CircuitBreakerOptions{};
  options.recovery_timeout = milliseconds(0);
  EXPECT_THROW(options.Validate(), ParameterError);
  options = CircuitBreakerOptions{};
  options.half_open_max_probes = 0;
  EXPECT_THROW(options.Validate(), ParameterError);
  options = CircuitBreakerOptions{};
  options.success_threshold = 0;
  EXPECT_THROW(options.Validate(), ParameterError);
  EXPECT_THROW(CircuitBreaker::Make("x", CircuitBreakerOptions{}, nullptr), ParameterError);
  EXPECT_STREQ(CircuitStateName(CircuitState::kHalfOpen), "HALF-OPEN");
}

}  // namespace
}  // namespace sqlflow::resilience
