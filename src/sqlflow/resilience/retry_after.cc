#include "sqlflow/resilience/retry_after.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <limits>

namespace sqlflow::resilience {
namespace {

/// About 31 years: larger delay-seconds values are read as this.
constexpr int64_t kMaxHintSeconds = 1'000'000'000;

/// A tiny cursor over the header value; every Read* returns false on a mismatch.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  bool done() const { return pos_ == text_.size(); }

  bool Literal(std::string_view expected) {
    if (text_.substr(pos_, expected.size()) != expected) return false;
    pos_ += expected.size();
    return true;
  }

  /// Read exactly `min`..`max` digits into `*out`.
  bool Digits(size_t min, size_t max, int64_t* out) {
    size_t n = 0;
    int64_t value = 0;
    while (pos_ + n < text_.size() && n < max &&
           std::isdigit(static_cast<unsigned char>(text_[pos_ + n]))) {
      value = value * 10 + (text_[pos_ + n] - '0');
      ++n;
    }
    if (n < min) return false;
    pos_ += n;
    *out = value;
    return true;
  }

  /// Read a run of letters (a day or month name).
  std::string_view Word() {
    size_t start = pos_;
    while (pos_ < text_.size() && std::isalpha(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    return text_.substr(start, pos_ - start);
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

struct DateParts {
  int64_t year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
};

bool ReadMonth(Cursor& c, int64_t* month) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::string_view word = c.Word();
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (word == kMonths[i]) {
      *month = static_cast<int64_t>(i) + 1;
      return true;
    }
  }
  return false;
}

bool ReadTime(Cursor& c, DateParts* d) {
  return c.Digits(2, 2, &d->hour) && c.Literal(":") && c.Digits(2, 2, &d->minute) &&
         c.Literal(":") && c.Digits(2, 2, &d->second);
}

// "06 Nov 1994 08:49:37 GMT" after "Sun, ".
bool ReadImfFixdate(Cursor& c, DateParts* d) {
  return c.Digits(2, 2, &d->day) && c.Literal(" ") && ReadMonth(c, &d->month) && c.Literal(" ") &&
         c.Digits(4, 4, &d->year) && c.Literal(" ") && ReadTime(c, d) && c.Literal(" GMT") &&
         c.done();
}

// "06-Nov-94 08:49:37 GMT" after "Sunday, ". A two-digit year more than 50 years in the
// future means the past century (RFC 7231 7.1.1.1).
bool ReadRfc850(Cursor& c, DateParts* d, int64_t now_year) {
  if (!(c.Digits(2, 2, &d->day) && c.Literal("-") && ReadMonth(c, &d->month) && c.Literal("-") &&
        c.Digits(2, 2, &d->year) && c.Literal(" ") && ReadTime(c, d) && c.Literal(" GMT") &&
        c.done())) {
    return false;
  }
  d->year += now_year / 100 * 100;
  if (d->year > now_year + 50) d->year -= 100;
  return true;
}

// "Nov  6 08:49:37 1994" after "Sun ".
bool ReadAsctime(Cursor& c, DateParts* d) {
  if (!(ReadMonth(c, &d->month) && c.Literal(" "))) return false;
  c.Literal(" ");  // a one-digit day is padded with a space
  return c.Digits(1, 2, &d->day) && c.Literal(" ") && ReadTime(c, d) && c.Literal(" ") &&
         c.Digits(4, 4, &d->year) && c.done();
}

std::optional<Clock::WallTime> ToWallTime(const DateParts& d) {
  namespace chrono = std::chrono;
  const chrono::year_month_day ymd{chrono::year{static_cast<int>(d.year)},
                                   chrono::month{static_cast<unsigned>(d.month)},
                                   chrono::day{static_cast<unsigned>(d.day)}};
  if (!ymd.ok() || d.hour > 23 || d.minute > 59 || d.second > 60) return std::nullopt;
  const chrono::sys_seconds at = chrono::sys_days{ymd} + chrono::hours{d.hour} +
                                 chrono::minutes{d.minute} + chrono::seconds{d.second};
  return chrono::time_point_cast<Clock::WallTime::duration>(at);
}

std::optional<Clock::WallTime> ParseHttpDate(std::string_view text, Clock::WallTime now) {
  Cursor c(text);
  const std::string_view day_name = c.Word();
  if (day_name.size() < 3) return std::nullopt;
  const auto now_ymd = std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(now)};
  DateParts d;
  bool ok = false;
  if (day_name.size() == 3 && c.Literal(", ")) {
    ok = ReadImfFixdate(c, &d);
  } else if (day_name.size() == 3 && c.Literal(" ")) {
    ok = ReadAsctime(c, &d);
  } else if (c.Literal(", ")) {
    ok = ReadRfc850(c, &d, static_cast<int>(now_ymd.year()));
  }
  if (!ok) return std::nullopt;
  return ToWallTime(d);
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<Clock::Duration> ParseRetryAfter(std::string_view value, Clock::WallTime now) {
  value = Trim(value);
  if (value.empty()) return std::nullopt;
  if (std::isdigit(static_cast<unsigned char>(value.front()))) {
    Cursor c(value);
    int64_t seconds = 0;
    // Longer values than ten digits are rejected; values beyond kMaxHintSeconds saturate
    // there, since nanoseconds overflow near 292 years and any such hint exceeds every cap
    // (pinned by RetryAfterTest.DelaySeconds).
    if (!c.Digits(1, 10, &seconds) || !c.done()) return std::nullopt;
    return std::chrono::seconds(std::min(seconds, kMaxHintSeconds));
  }
  const std::optional<Clock::WallTime> at = ParseHttpDate(value, now);
  if (!at) return std::nullopt;
  if (*at <= now) return Clock::Duration::zero();
  return std::chrono::duration_cast<Clock::Duration>(*at - now);
}

std::optional<Clock::Duration> DelayHonouringHint(Clock::Duration backoff_delay,
                                                  Clock::Duration hint, Clock::Duration max_delay,
                                                  std::optional<Clock::Duration> remaining) {
  const Clock::Duration cap =
      max_delay > Clock::Duration::max() / 4 ? Clock::Duration::max() : max_delay * 4;
  if (hint > cap) return std::nullopt;
  if (remaining && hint > *remaining) return std::nullopt;
  return std::max(backoff_delay, hint);
}

}  // namespace sqlflow::resilience
