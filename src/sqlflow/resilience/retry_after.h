#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "sqlflow/common/clock.h"

namespace sqlflow::resilience {

/// Parse an HTTP `Retry-After` value relative to `now` (the wall clock the response arrived
/// at). Accept delay-seconds ("120") and the three HTTP-date forms of RFC 7231 7.1.1.1:
/// IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), the obsolete RFC 850 form
/// ("Sunday, 06-Nov-94 08:49:37 GMT") and asctime ("Sun Nov  6 08:49:37 1994").
/// Return the delay (zero for a date in the past), or nullopt when the value is malformed.
/// Surrounding spaces are ignored; the day name is not checked against the date.
std::optional<Clock::Duration> ParseRetryAfter(std::string_view value, Clock::WallTime now);

/// Combine a server hint with the computed backoff delay (RESILIENCE.md, "Retry").
///
/// The result is max(backoff_delay, hint): a retry never comes before the server asked.
/// The hint is never shortened: when it exceeds `max_delay` * 4 or `remaining` (the time
/// left before the operation's deadline, if it has one), return nullopt, meaning "do not
/// retry; fail with the server's error".
std::optional<Clock::Duration> DelayHonouringHint(Clock::Duration backoff_delay,
                                                  Clock::Duration hint, Clock::Duration max_delay,
                                                  std::optional<Clock::Duration> remaining);

}  // namespace sqlflow::resilience
