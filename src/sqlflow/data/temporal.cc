// Formatting and parsing of dates, times, timestamps and decimals (value.h). Calendar maths is
// proleptic Gregorian, after Howard Hinnant's days_from_civil / civil_from_days
// (https://howardhinnant.github.io/date_algorithms.html).

#include <array>
#include <cstdlib>

#include <fmt/format.h>

#include "sqlflow/data/data_internal.h"
#include "sqlflow/data/value.h"

namespace sqlflow {

namespace {

using data_internal::kMicrosPerDay;
using data_internal::kMicrosPerSecond;

int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

struct CivilDate {
  int64_t year;
  int month;
  int day;
};

CivilDate CivilFromDays(int64_t z) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {yoe + era * 400 + (month <= 2), month, day};
}

bool IsLeapYear(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int64_t y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

/// Append "HH:MM:SS[.ffffff]" (fraction without trailing zeros, omitted when zero).
void AppendTimeOfDay(std::string* out, int64_t micros) {
  int64_t seconds = micros / kMicrosPerSecond;
  int64_t fraction = micros % kMicrosPerSecond;
  fmt::format_to(std::back_inserter(*out), "{:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60,
                 seconds % 60);
  if (fraction == 0) return;
  std::string digits = fmt::format("{:06}", fraction);
  digits.erase(digits.find_last_not_of('0') + 1);
  *out += '.';
  *out += digits;
}

/// A cursor over text for the small fixed grammars below.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  bool done() const { return pos_ == text_.size(); }
  char peek() const { return done() ? '\0' : text_[pos_]; }
  bool Consume(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  /// Read between min_digits and max_digits decimal digits.
  bool Digits(int min_digits, int max_digits, int64_t* out, int* count = nullptr) {
    int64_t v = 0;
    int n = 0;
    while (n < max_digits && !done() && peek() >= '0' && peek() <= '9') {
      v = v * 10 + (text_[pos_++] - '0');
      ++n;
    }
    if (count != nullptr) *count = n;
    *out = v;
    return n >= min_digits;
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

bool ScanDate(Scanner& s, int64_t* days) {
  int64_t y = 0;
  int64_t m = 0;
  int64_t d = 0;
  if (!s.Digits(4, 6, &y) || !s.Consume('-') || !s.Digits(1, 2, &m) || !s.Consume('-') ||
      !s.Digits(1, 2, &d)) {
    return false;
  }
  if (m < 1 || m > 12 || d < 1 || d > DaysInMonth(y, static_cast<int>(m))) return false;
  *days = DaysFromCivil(y, m, d);
  return true;
}

/// "HH:MM[:SS[.fffffffff]]"; digits past microseconds are dropped. 24:00:00 is allowed.
bool ScanTime(Scanner& s, int64_t* micros) {
  int64_t h = 0;
  int64_t m = 0;
  int64_t sec = 0;
  int64_t fraction = 0;
  if (!s.Digits(1, 2, &h) || !s.Consume(':') || !s.Digits(2, 2, &m)) return false;
  if (s.Consume(':')) {
    if (!s.Digits(2, 2, &sec)) return false;
    if (s.Consume('.')) {
      int n = 0;
      if (!s.Digits(1, 9, &fraction, &n)) return false;
      for (; n < 6; ++n) fraction *= 10;
      for (; n > 6; --n) fraction /= 10;
    }
  }
  if (m > 59 || sec > 59 || h > 24 || (h == 24 && (m != 0 || sec != 0 || fraction != 0))) {
    return false;
  }
  *micros = ((h * 60 + m) * 60 + sec) * kMicrosPerSecond + fraction;
  return true;
}

/// "Z" or "+HH", "+HH:MM", "+HHMM" (or '-'); the offset east of UTC in microseconds.
bool ScanZone(Scanner& s, int64_t* offset_micros) {
  *offset_micros = 0;
  if (s.Consume('Z') || s.Consume('z')) return true;
  int sign = s.Consume('+') ? 1 : s.Consume('-') ? -1 : 0;
  if (sign == 0) return false;
  int64_t h = 0;
  int64_t m = 0;
  if (!s.Digits(2, 2, &h)) return false;
  s.Consume(':');
  if (!s.done() && !s.Digits(2, 2, &m)) return false;
  if (h > 23 || m > 59) return false;
  *offset_micros = sign * (h * 60 + m) * 60 * kMicrosPerSecond;
  return true;
}

}  // namespace

std::string FormatDate(int32_t days) {
  CivilDate c = CivilFromDays(days);
  return fmt::format("{:04}-{:02}-{:02}", c.year, c.month, c.day);
}

std::string FormatTime(int64_t micros) {
  std::string out;
  AppendTimeOfDay(&out, micros);
  return out;
}

std::string FormatTimestamp(int64_t micros, bool with_tz) {
  int64_t days = data_internal::FloorDiv(micros, kMicrosPerDay);
  CivilDate c = CivilFromDays(days);
  std::string out = fmt::format("{:04}-{:02}-{:02} ", c.year, c.month, c.day);
  AppendTimeOfDay(&out, micros - days * kMicrosPerDay);
  if (with_tz) out += "+00";
  return out;
}

Int128 Pow10(int n) {
  static const auto kTable = [] {
    std::array<Int128, 39> table{};
    table[0] = 1;
    for (size_t i = 1; i < table.size(); ++i) table[i] = table[i - 1] * 10;
    return table;
  }();
  return kTable[static_cast<size_t>(n)];
}

void FormatUuid(const uint8_t* bytes, char* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int b = 0; b < 16; ++b) {
    if (b == 4 || b == 6 || b == 8 || b == 10) *out++ = '-';
    *out++ = kHex[bytes[b] >> 4];
    *out++ = kHex[bytes[b] & 15];
  }
}

std::string FormatDecimal(Int128 unscaled, int scale) {
  std::string digits = data_internal::Int128ToString(unscaled);
  bool negative = !digits.empty() && digits[0] == '-';
  if (negative) digits.erase(0, 1);
  if (scale <= 0) return negative ? "-" + digits : digits;
  if (digits.size() <= static_cast<size_t>(scale)) {
    digits.insert(0, static_cast<size_t>(scale) + 1 - digits.size(), '0');
  }
  digits.insert(digits.size() - static_cast<size_t>(scale), 1, '.');
  return negative ? "-" + digits : digits;
}

bool ParseDate(std::string_view text, int32_t* days) {
  Scanner s(text);
  int64_t d = 0;
  if (!ScanDate(s, &d) || !s.done()) return false;
  if (d < INT32_MIN || d > INT32_MAX) return false;
  *days = static_cast<int32_t>(d);
  return true;
}

bool ParseTime(std::string_view text, int64_t* micros) {
  Scanner s(text);
  return ScanTime(s, micros) && s.done();
}

bool ParseTimestamp(std::string_view text, int64_t* micros) {
  Scanner s(text);
  int64_t days = 0;
  int64_t time = 0;
  int64_t zone = 0;
  if (!ScanDate(s, &days)) return false;
  if (s.Consume(' ') || s.Consume('T') || s.Consume('t')) {
    if (!ScanTime(s, &time)) return false;
    s.Consume(' ');
    if (!s.done() && !ScanZone(s, &zone)) return false;
  }
  if (!s.done()) return false;
  int64_t result = 0;
  if (__builtin_mul_overflow(days, kMicrosPerDay, &result) ||
      __builtin_add_overflow(result, time - zone, &result)) {
    return false;
  }
  *micros = result;
  return true;
}

bool ParseDecimal(std::string_view text, int precision, int scale, Int128* unscaled) {
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  Int128 value = 0;
  int int_digits = 0;
  int frac_digits = 0;
  bool round_up = false;
  bool any_digit = false;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, any_digit = true) {
    if (value == 0 && text[i] == '0') continue;  // Leading zeros do not count.
    if (++int_digits > precision - scale) return false;
    value = value * 10 + (text[i] - '0');
  }
  if (i < text.size() && text[i] == '.') {
    for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, any_digit = true) {
      if (frac_digits >= scale) {
        // Round half away from zero on the first dropped digit; ignore the rest.
        if (frac_digits++ == scale) round_up = text[i] >= '5';
        continue;
      }
      value = value * 10 + (text[i] - '0');
      ++frac_digits;
    }
  }
  if (!any_digit || i != text.size()) return false;
  for (int n = std::min(frac_digits, scale); n < scale; ++n) value *= 10;
  if (round_up) ++value;
  if (!data_internal::FitsPrecision(value, precision)) return false;
  *unscaled = negative ? -value : value;
  return true;
}

}  // namespace sqlflow
