// Pins RESILIENCE.md's cost rule: on the path with no failures, the retry policy, the
// circuit breaker and the token bucket allocate nothing. Counting replaces the global
// operator new for this test binary; it counts only while a test enables it on its thread.

#include <cstdlib>
#include <new>

#include <gtest/gtest.h>

#include "sqlflow/resilience/circuit_breaker.h"
#include "sqlflow/resilience/policy.h"
#include "sqlflow/resilience/retry_policy.h"
#include "sqlflow/resilience/token_bucket.h"

namespace {

thread_local bool counting = false;
thread_local long allocations = 0;
int* volatile escape = nullptr;  // keeps the compiler from eliding the probe allocation

}  // namespace

void* operator new(std::size_t size) {
  if (counting) ++allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace sqlflow::resilience {
namespace {

/// Count the allocations made by `body` on this thread.
template <typename F>
long AllocationsDuring(F&& body) {
  allocations = 0;
  counting = true;
  body();
  counting = false;
  return allocations;
}

TEST(NoAllocationTest, CounterSeesAllocations) {
  EXPECT_EQ(AllocationsDuring([] { escape = new int(1); }), 1);
  delete escape;
}

TEST(NoAllocationTest, SuccessfulCallsDoNotAllocate) {
  auto clock = std::make_shared<FakeClock>();
  RetryOptions retry_options;
  retry_options.deadline = std::chrono::seconds(30);
  auto policy = RetryPolicy::Make(
      retry_options, RetryContext{"rest", clock, RetryBudget::Make(RetryBudgetOptions{}, clock),
                                  std::make_shared<ResilienceMetrics>()});
  auto breaker = CircuitBreaker::Make("RestSource", CircuitBreakerOptions{}, clock);
  RateLimitOptions limit_options;
  limit_options.requests_per_minute = 60'000'000;
  limit_options.burst = 1'000'000;
  auto bucket = TokenBucket::Make("RestSource", limit_options, clock);
  long sum = 0;
  const long allocated = AllocationsDuring([&] {
    for (int i = 0; i < 1000; ++i) {
      bucket->Acquire("read");
      sum += policy->Run("read", [&] { return breaker->Run("read", [i] { return i; }); });
    }
  });
  EXPECT_EQ(allocated, 0);
  EXPECT_EQ(sum, 999 * 1000 / 2);
}

TEST(NoAllocationTest, ResiliencePolicyWithEveryPartOnDoesNotAllocate) {
  auto clock = std::make_shared<FakeClock>();
  ResilienceOptions options = DefaultProfile("REST");  // retry, breaker, bucket, recovery
  options.retry->deadline = std::chrono::seconds(30);
  options.rate_limit->requests_per_minute = 60'000'000;
  options.rate_limit->burst = 1'000'000;
  auto policy = ResiliencePolicy::Make(
      options, PolicyContext{"rest", "RestSource", clock, std::make_shared<ResilienceMetrics>()});
  // The server budget is on too: a report with room that drains faster than it fills.
  policy->ObserveServerBudget("api.example.com", 0, 1'000'000, 1e6);
  RecoveryHooks hooks;
  hooks.reconnect = [] {};
  hooks.refresh_credentials = [] { return true; };
  policy->Run("read", "api.example.com", [] {});  // the host's first call creates its state
  long sum = 0;
  const long allocated = AllocationsDuring([&] {
    for (int i = 0; i < 1000; ++i) {
      sum += policy->Run(
          "read", "api.example.com", [i] { return i; }, hooks);
      clock->Advance(std::chrono::microseconds(1));
    }
  });
  EXPECT_EQ(allocated, 0);
  EXPECT_EQ(sum, 999 * 1000 / 2);
}

}  // namespace
}  // namespace sqlflow::resilience
