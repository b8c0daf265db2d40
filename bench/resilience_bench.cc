// Cost of the resilience policy on the path with no failures (RESILIENCE.md, "Cost"; issue 5,
// section 5): nanoseconds per call of a bare call, of RetryPolicy::Run and of
// ResiliencePolicy::Run with the REST profile (retry, breaker, token bucket, retry budget),
// measured on the system clock, and heap allocations per call counted by a replaced global
// operator new. Prints one "name value" line per figure.
//
// Usage: bench_resilience [calls]   (default 10,000,000 per measurement)

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <new>
#include <string>
#include <thread>

#include "sqlflow/common/clock.h"
#include "sqlflow/resilience/policy.h"
#include "sqlflow/resilience/retry_policy.h"

namespace {

std::atomic<long> g_allocations{0};

}  // namespace

void* operator new(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

using sqlflow::Clock;
using sqlflow::SystemClock;
namespace res = sqlflow::resilience;

/// Keep `value` alive for the optimiser, like benchmark::DoNotOptimize.
template <typename T>
inline void Keep(T const& value) {
  asm volatile("" : : "r,m"(value) : "memory");
}

struct Figure {
  double ns_per_call = 0;
  double allocations_per_call = 0;
};

/// Run `batch(n)` for `calls` calls in batches of at most `batch_size`, calling `between()`
/// outside the timed region after each batch; time and count only the batches.
template <typename Batch, typename Between>
Figure Measure(long calls, long batch_size, Batch&& batch, Between&& between) {
  std::chrono::nanoseconds timed{0};
  long allocations = 0;
  for (long done = 0; done < calls;) {
    const long n = std::min(batch_size, calls - done);
    const long before = g_allocations.load(std::memory_order_relaxed);
    const auto start = std::chrono::steady_clock::now();
    batch(n);
    timed += std::chrono::steady_clock::now() - start;
    allocations += g_allocations.load(std::memory_order_relaxed) - before;
    done += n;
    if (done < calls) between();
  }
  return Figure{static_cast<double>(timed.count()) / static_cast<double>(calls),
                static_cast<double>(allocations) / static_cast<double>(calls)};
}

}  // namespace

int main(int argc, char** argv) {
  const long calls = argc > 1 ? std::atol(argv[1]) : 10'000'000;
  const std::shared_ptr<Clock>& clock = SystemClock::Instance();
  long sum = 0;
  auto nothing = [] {};

  // (a) The operation alone.
  const Figure bare = Measure(
      calls, calls,
      [&](long n) {
        for (long i = 0; i < n; ++i) {
          auto op = [i] { return i; };
          sum += op();
          Keep(sum);
        }
      },
      nothing);

  // (b) RetryPolicy::Run with the REST profile's retry options and a retry budget.
  const res::ResilienceOptions rest = res::DefaultProfile("REST");
  auto retry = res::RetryPolicy::Make(
      *rest.retry, res::RetryContext{"rest", clock, res::RetryBudget::Make({}, clock),
                                     std::make_shared<res::ResilienceMetrics>()});
  const Figure retry_figure = Measure(
      calls, calls,
      [&](long n) {
        for (long i = 0; i < n; ++i) {
          sum += retry->Run("read", [i] { return i; });
          Keep(sum);
        }
      },
      nothing);

  // (c) ResiliencePolicy::Run with the REST profile and a limit that never makes a call wait.
  // The bucket allows at most 1,000,000 calls per second (its maximum rate) with a burst of
  // 1,000,000, so the calls run in batches of 800,000 with a second's pause (not timed) for
  // the bucket to fill again; the wait counter below proves no call waited.
  res::ResilienceOptions options = rest;
  options.rate_limit->requests_per_minute = 60'000'000;
  options.rate_limit->burst = 1'000'000;
  auto metrics = std::make_shared<res::ResilienceMetrics>();
  auto policy = res::ResiliencePolicy::Make(
      options, res::PolicyContext{"rest", "RestSource", clock, metrics});
  policy->Run("read", "api.example.com", [] {});  // the host's state is created once
  std::this_thread::sleep_for(std::chrono::seconds(1));
  const Figure policy_figure = Measure(
      calls, 800'000,
      [&](long n) {
        for (long i = 0; i < n; ++i) {
          sum += policy->Run("read", "api.example.com", [i] { return i; });
          Keep(sum);
        }
      },
      [] { std::this_thread::sleep_for(std::chrono::seconds(1)); });

  std::printf("calls_per_measurement %ld\n", calls);
  std::printf("bare_call_ns_per_call %.1f\n", bare.ns_per_call);
  std::printf("retry_policy_ns_per_call %.1f\n", retry_figure.ns_per_call);
  std::printf("retry_policy_allocations_per_call %g\n", retry_figure.allocations_per_call);
  std::printf("policy_ns_per_call %.1f\n", policy_figure.ns_per_call);
  std::printf("policy_overhead_ns_per_call %.1f\n", policy_figure.ns_per_call - bare.ns_per_call);
  std::printf("policy_allocations_per_call %g\n", policy_figure.allocations_per_call);
  std::printf("policy_rate_limit_wait_seconds %g\n", metrics->rate_limit_wait_seconds("rest"));
  std::printf("checksum %ld\n", sum);
  return 0;
}
