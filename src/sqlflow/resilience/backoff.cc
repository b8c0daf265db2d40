#include "sqlflow/resilience/backoff.h"

#include <cmath>

#include <fmt/format.h>

#include "sqlflow/common/error.h"

namespace sqlflow::resilience {

void BackoffOptions::Validate() const {
  if (initial_delay.count() <= 0) {
    throw ParameterError("resilience", "retry.initial_delay",
                         fmt::format("must be positive, got {} ms", initial_delay.count()));
  }
  if (!(multiplier >= 1.0) || !std::isfinite(multiplier)) {
    throw ParameterError("resilience", "retry.backoff_multiplier",
                         fmt::format("must be a finite number >= 1.0, got {}", multiplier));
  }
  if (max_delay < initial_delay) {
    throw ParameterError("resilience", "retry.max_delay",
                         fmt::format("must not be below retry.initial_delay ({} ms), got {} ms",
                                     initial_delay.count(), max_delay.count()));
  }
}

Clock::Duration Backoff::Ceiling(int retry) const {
  const Clock::Duration initial = options_.initial_delay;
  const Clock::Duration max = options_.max_delay;
  if (retry <= 1) return std::min(initial, max);
  // Compute in double nanoseconds so a large exponent saturates at max_delay instead of
  // overflowing (pinned by BackoffTest.CeilingSaturatesForLargeRetryNumbers).
  const double grown = static_cast<double>(initial.count()) *
                       std::pow(options_.multiplier, static_cast<double>(retry - 1));
  if (!(grown < static_cast<double>(max.count()))) return max;
  return Clock::Duration(static_cast<Clock::Duration::rep>(grown));
}

Clock::Duration Backoff::NextDelay(int retry) {
  const Clock::Duration ceiling = Ceiling(retry);
  if (!options_.jitter) return ceiling;
  std::uniform_int_distribution<Clock::Duration::rep> draw(0, ceiling.count());
  return Clock::Duration(draw(random_));
}

}  // namespace sqlflow::resilience
