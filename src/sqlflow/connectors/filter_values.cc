#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

#include <fmt/format.h>

#include "sqlflow/common/error.h"
#include "sqlflow/common/strings.h"
#include "sqlflow/connectors/filter_internal.h"

namespace sqlflow::filter_internal {
namespace {

constexpr int kMaxDecimalDigits = 38;
constexpr int64_t kMicrosPerDay = int64_t{86'400} * 1'000'000;

// Parse a whole (trimmed) integer such as "42", "+7" or "-7" into `*out`.
template <typename T>
bool ParseInteger(std::string_view text, T* out) {
  text = Trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, *out);
  return ec == std::errc() && ptr == end && !text.empty();
}

bool ParseDouble(std::string_view text, double* out) {
  const std::string s(Trim(text));
  if (s.empty()) return false;
  char* end = nullptr;
  *out = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

bool ParseBool(std::string_view text, bool* out) {
  const std::string s = ToLower(Trim(text));
  if (s == "true" || s == "t" || s == "yes" || s == "1") {
    *out = true;
    return true;
  }
  if (s == "false" || s == "f" || s == "no" || s == "0") {
    *out = false;
    return true;
  }
  return false;
}

bool IsSignedLike(TypeId id) {
  switch (id) {
    case TypeId::kInt8:
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
      return true;
    default:
      return false;
  }
}

// The inclusive range of an integer column type, as int128 so both signs fit.
void IntegerRange(const DataType& type, Int128* lo, Int128* hi) {
  switch (type.id()) {
    case TypeId::kInt8:
      *lo = std::numeric_limits<int8_t>::min(), *hi = std::numeric_limits<int8_t>::max();
      return;
    case TypeId::kInt16:
      *lo = std::numeric_limits<int16_t>::min(), *hi = std::numeric_limits<int16_t>::max();
      return;
    case TypeId::kInt32:
      *lo = std::numeric_limits<int32_t>::min(), *hi = std::numeric_limits<int32_t>::max();
      return;
    case TypeId::kInt64:
      *lo = std::numeric_limits<int64_t>::min(), *hi = std::numeric_limits<int64_t>::max();
      return;
    case TypeId::kUInt8:
      *lo = 0, *hi = std::numeric_limits<uint8_t>::max();
      return;
    case TypeId::kUInt16:
      *lo = 0, *hi = std::numeric_limits<uint16_t>::max();
      return;
    case TypeId::kUInt32:
      *lo = 0, *hi = std::numeric_limits<uint32_t>::max();
      return;
    default:
      *lo = 0, *hi = std::numeric_limits<uint64_t>::max();
      return;
  }
}

// An integer as a value of the column's type when it fits, else as a plain int64/uint64
// (still comparable: it simply matches nothing or everything).
Value IntegerValue(Int128 v, const DataType& type) {
  Int128 lo = 0;
  Int128 hi = 0;
  IntegerRange(type, &lo, &hi);
  if (v >= lo && v <= hi) {
    if (IsSignedLike(type.id())) return Value::Int(static_cast<int64_t>(v), type);
    return Value::UInt(static_cast<uint64_t>(v), type);
  }
  if (v >= std::numeric_limits<int64_t>::min() && v < 0) return Value::Int(static_cast<int64_t>(v));
  if (v >= 0 && v <= std::numeric_limits<uint64_t>::max()) {
    return Value::UInt(static_cast<uint64_t>(v));
  }
  return Value::Decimal(v, DataType::Decimal(kMaxDecimalDigits, 0));
}

// A decimal literal (unscaled, scale) as a value comparable with a DECIMAL(p, s) column.
std::optional<Value> DecimalForColumn(Int128 unscaled, int scale, const DataType& type,
                                      std::string* why) {
  Int128 at_column = 0;
  if (RescaleDecimal(unscaled, scale, type.scale(), &at_column)) {
    if (DecimalDigits(at_column) <= type.precision()) return Value::Decimal(at_column, type);
    return Value::Decimal(at_column, DataType::Decimal(kMaxDecimalDigits, type.scale()));
  }
  if (scale > type.scale()) {
    // Finer than the column: keep every digit so `x > 12.345` is not rounded to 12.35.
    const int precision = std::max(DecimalDigits(unscaled), scale);
    if (precision <= kMaxDecimalDigits) {
      return Value::Decimal(unscaled, DataType::Decimal(std::max(precision, 1), scale));
    }
  }
  *why = fmt::format("{} does not fit a decimal of 38 digits", FormatDecimal(unscaled, scale));
  return std::nullopt;
}

// An exact (unscaled, scale) for a numeric value; false for non-numeric or non-finite.
bool NumericAsDecimal(const Value& v, Int128* unscaled, int* scale) {
  switch (v.type().id()) {
    case TypeId::kInt8:
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
      *unscaled = v.int_value(), *scale = 0;
      return true;
    case TypeId::kUInt8:
    case TypeId::kUInt16:
    case TypeId::kUInt32:
    case TypeId::kUInt64:
      *unscaled = v.uint_value(), *scale = 0;
      return true;
    case TypeId::kFloat32:
    case TypeId::kFloat64:
      // The shortest text that reads back as the same double is what the user wrote
      // (JSON 12.5 → "12.5"), so the decimal is exact.
      return std::isfinite(v.double_value()) &&
             ParseDecimalText(fmt::format("{}", v.double_value()), unscaled, scale);
    case TypeId::kDecimal:
      *unscaled = v.decimal_value(), *scale = v.type().scale();
      return true;
    default:
      return false;
  }
}

bool IsNumeric(const DataType& t) {
  return t.is_integer() || t.is_floating() || t.id() == TypeId::kDecimal;
}

bool IsText(const DataType& t) {
  return t.id() == TypeId::kString || t.id() == TypeId::kJson || t.id() == TypeId::kBinary;
}

std::string Describe(const Value& v) {
  if (IsText(v.type())) return fmt::format("'{}'", TruncateForMessage(v.string_value()));
  return v.ToString();
}

std::optional<Value> Fail(std::string* why, const Value& v, const DataType& type) {
  *why = fmt::format("{} is not a valid {}", Describe(v), ToLower(type.ToSql()));
  return std::nullopt;
}

std::optional<Value> ToInteger(const Value& v, const DataType& type, std::string* why) {
  if (v.type().is_signed_integer()) return IntegerValue(v.int_value(), type);
  if (v.type().is_unsigned_integer()) return IntegerValue(v.uint_value(), type);
  if (v.type().id() == TypeId::kString) {
    int64_t i = 0;
    uint64_t u = 0;
    if (ParseInteger(v.string_value(), &i)) return IntegerValue(i, type);
    if (ParseInteger(v.string_value(), &u)) return IntegerValue(u, type);
  }
  Int128 unscaled = 0;
  int scale = 0;
  bool numeric = IsNumeric(v.type()) && NumericAsDecimal(v, &unscaled, &scale);
  if (!numeric && v.type().id() == TypeId::kString) {
    numeric = ParseDecimalText(v.string_value(), &unscaled, &scale);
  }
  if (!numeric) return Fail(why, v, type);
  Int128 whole = 0;
  if (RescaleDecimal(unscaled, scale, 0, &whole)) return IntegerValue(whole, type);
  // 2.5 against an integer column: keep the fraction, the comparison stays exact.
  return Value::Decimal(unscaled,
                        DataType::Decimal(std::max(DecimalDigits(unscaled), scale), scale));
}

std::optional<Value> ToFloat(const Value& v, const DataType& type, std::string* why) {
  double d = 0;
  if (v.type().is_floating()) return Value::Double(v.double_value(), type);
  if (v.type().is_signed_integer()) return Value::Double(static_cast<double>(v.int_value()), type);
  if (v.type().is_unsigned_integer()) {
    return Value::Double(static_cast<double>(v.uint_value()), type);
  }
  if (v.type().id() == TypeId::kDecimal) {
    if (ParseDouble(FormatDecimal(v.decimal_value(), v.type().scale()), &d)) {
      return Value::Double(d, type);
    }
  }
  if (v.type().id() == TypeId::kString && ParseDouble(v.string_value(), &d)) {
    return Value::Double(d, type);
  }
  return Fail(why, v, type);
}

std::optional<Value> ToDecimal(const Value& v, const DataType& type, std::string* why) {
  Int128 unscaled = 0;
  int scale = 0;
  if (IsNumeric(v.type())) {
    if (!NumericAsDecimal(v, &unscaled, &scale)) return Fail(why, v, type);
  } else if (v.type().id() != TypeId::kString ||
             !ParseDecimalText(v.string_value(), &unscaled, &scale)) {
    return Fail(why, v, type);
  }
  return DecimalForColumn(unscaled, scale, type, why);
}

std::optional<Value> ToTemporal(const Value& v, const DataType& type, std::string* why) {
  const TypeId id = type.id();
  if (v.type().id() == id) {
    if (id == TypeId::kTimestamp) return Value::Timestamp(v.int_value(), type.timezone());
    return v;
  }
  if (id == TypeId::kTimestamp && v.type().id() == TypeId::kDate) {
    return Value::Timestamp(v.int_value() * kMicrosPerDay, type.timezone());
  }
  if (v.type().id() != TypeId::kString) return Fail(why, v, type);
  const std::string_view text = Trim(v.string_value());
  int32_t days = 0;
  int64_t micros = 0;
  switch (id) {
    case TypeId::kDate:
      if (ParseDate(text, &days)) return Value::Date(days);
      break;
    case TypeId::kTime:
      if (ParseTime(text, &micros)) return Value::Time(micros);
      break;
    default:
      if (ParseTimestamp(text, &micros)) return Value::Timestamp(micros, type.timezone());
      if (ParseDate(text, &days)) return Value::Timestamp(days * kMicrosPerDay, type.timezone());
      break;
  }
  return Fail(why, v, type);
}

std::optional<Value> ToText(const Value& v, const DataType& type, std::string* why) {
  std::string text;
  if (IsText(v.type())) {
    text = v.string_value();
  } else if (v.type().id() == TypeId::kBoolean || IsNumeric(v.type())) {
    text = v.ToString();
  } else {
    return Fail(why, v, type);
  }
  if (type.id() == TypeId::kBinary) return Value::Binary(std::move(text));
  if (type.id() == TypeId::kJson) return Value::Json(std::move(text));
  return Value::String(std::move(text));
}

}  // namespace

std::optional<Value> JsonScalarToValue(const nlohmann::json& json, std::string* why) {
  switch (json.type()) {
    case nlohmann::json::value_t::boolean:
      return Value::Boolean(json.get<bool>());
    case nlohmann::json::value_t::number_integer:
      return Value::Int(json.get<int64_t>());
    case nlohmann::json::value_t::number_unsigned: {
      const uint64_t u = json.get<uint64_t>();
      if (u <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        return Value::Int(static_cast<int64_t>(u));
      }
      return Value::UInt(u);
    }
    case nlohmann::json::value_t::number_float:
      return Value::Double(json.get<double>());
    case nlohmann::json::value_t::string:
      return Value::String(json.get<std::string>());
    default:
      *why = fmt::format("expected a number, string or boolean, got {}", json.type_name());
      return std::nullopt;
  }
}

std::optional<Value> CoerceValue(const Value& value, const DataType& type, std::string* why) {
  switch (type.id()) {
    case TypeId::kBoolean: {
      if (value.type().id() == TypeId::kBoolean) return value;
      bool b = false;
      if (value.type().id() == TypeId::kString && ParseBool(value.string_value(), &b)) {
        return Value::Boolean(b);
      }
      return Fail(why, value, type);
    }
    case TypeId::kInt8:
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
    case TypeId::kUInt8:
    case TypeId::kUInt16:
    case TypeId::kUInt32:
    case TypeId::kUInt64:
      return ToInteger(value, type, why);
    case TypeId::kFloat32:
    case TypeId::kFloat64:
      return ToFloat(value, type, why);
    case TypeId::kDecimal:
      return ToDecimal(value, type, why);
    case TypeId::kDate:
    case TypeId::kTime:
    case TypeId::kTimestamp:
      return ToTemporal(value, type, why);
    case TypeId::kString:
    case TypeId::kBinary:
    case TypeId::kJson:
      return ToText(value, type, why);
  }
  return Fail(why, value, type);
}

bool ParseDecimalText(std::string_view text, Int128* unscaled, int* scale) {
  text = Trim(text);
  bool negative = false;
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  Int128 digits = 0;
  int count = 0;
  int frac = 0;
  bool seen_digit = false;
  bool seen_point = false;
  size_t i = 0;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.' && !seen_point) {
      seen_point = true;
      continue;
    }
    if (c < '0' || c > '9') break;
    seen_digit = true;
    if (count > 0 || c != '0') ++count;  // leading zeros are not significant
    if (count > kMaxDecimalDigits) return false;
    digits = digits * 10 + (c - '0');
    if (seen_point) ++frac;
  }
  if (!seen_digit) return false;
  int exponent = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    const std::string_view exp_text = text.substr(i + 1);
    int64_t e = 0;
    if (!ParseInteger(exp_text, &e) || e < -kMaxDecimalDigits || e > kMaxDecimalDigits)
      return false;
    exponent = static_cast<int>(e);
    i = text.size();
  }
  if (i != text.size()) return false;
  int s = frac - exponent;
  if (s < 0) {
    if (DecimalDigits(digits) - s > kMaxDecimalDigits) return false;
    digits *= Pow10(-s);
    s = 0;
  }
  if (s > kMaxDecimalDigits) return false;
  *unscaled = negative ? -digits : digits;
  *scale = s;
  return true;
}

Int128 Pow10(int n) {
  Int128 out = 1;
  for (int i = 0; i < n; ++i) out *= 10;
  return out;
}

int DecimalDigits(Int128 v) {
  if (v < 0) v = -v;
  int n = 1;
  while (v >= 10) {
    v /= 10;
    ++n;
  }
  return n;
}

bool RescaleDecimal(Int128 unscaled, int from, int to, Int128* out) {
  if (to >= from) {
    if (unscaled != 0 && DecimalDigits(unscaled) + (to - from) > kMaxDecimalDigits) return false;
    *out = unscaled * Pow10(to - from);
    return true;
  }
  const Int128 divisor = Pow10(from - to);
  if (unscaled % divisor != 0) return false;
  *out = unscaled / divisor;
  return true;
}

}  // namespace sqlflow::filter_internal
