#pragma once

#include <chrono>
#include <cstdint>
#include <random>

#include "sqlflow/common/clock.h"

namespace sqlflow::resilience {

/// Delays between attempts: exponential growth with a cap, and full jitter.
struct BackoffOptions {
  /// Delay ceiling before the first retry. Default 1 s (the seed's REST and S3 profiles).
  /// Must be positive.
  std::chrono::milliseconds initial_delay{1000};
  /// Factor applied to the ceiling for every further retry. Default 2.0; must be >= 1.0.
  double multiplier = 2.0;
  /// Upper bound of the ceiling. Default 30 s; must be >= initial_delay.
  std::chrono::milliseconds max_delay{30000};
  /// Full jitter: draw the delay uniformly from [0, ceiling]. Default true; false waits
  /// exactly the ceiling (useful in logs and docs, not against a shared server).
  bool jitter = true;

  /// Throw ParameterError naming the offending field ("retry.initial_delay", ...).
  void Validate() const;
};

/// Compute retry delays from BackoffOptions and a seeded random source.
/// Not thread-safe: each user (a RetryPolicy) guards its own instance.
class Backoff {
 public:
  /// Create a backoff drawing jitter from a std::mt19937_64 seeded with `seed`, so a test
  /// that fixes the seed sees a fixed sequence. `options` must be valid.
  explicit Backoff(const BackoffOptions& options, uint64_t seed = std::mt19937_64::default_seed)
      : options_(options), random_(seed) {}

  /// Return the ceiling before retry number `retry` (1 = the first retry):
  /// min(max_delay, initial_delay * multiplier^(retry - 1)).
  Clock::Duration Ceiling(int retry) const;

  /// Return the delay before retry number `retry`: the ceiling, or with jitter a uniform
  /// draw from [0, ceiling].
  Clock::Duration NextDelay(int retry);

  const BackoffOptions& options() const { return options_; }

 private:
  BackoffOptions options_;
  std::mt19937_64 random_;
};

}  // namespace sqlflow::resilience
