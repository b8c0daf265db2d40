#include "sqlflow/data/value.h"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "sqlflow/common/error.h"
#include "sqlflow/common/strings.h"
#include "sqlflow/data/data_internal.h"

namespace sqlflow {

namespace {

using data_internal::Pow10;

void RequireType(bool ok, const char* factory, const DataType& type) {
  if (!ok) {
    throw SchemaError(
        "data", "value",
        fmt::format("Value::{} cannot make a value of type {}", factory, type.ToSql()));
  }
}

/// The families of types whose values compare with each other.
enum class Family { kBoolean, kNumeric, kDateTime, kTime, kText, kBinary };

Family FamilyOf(TypeId id) {
  switch (id) {
    case TypeId::kBoolean:
      return Family::kBoolean;
    case TypeId::kDate:
    case TypeId::kTimestamp:
      return Family::kDateTime;
    case TypeId::kTime:
      return Family::kTime;
    case TypeId::kString:
    case TypeId::kJson:
      return Family::kText;
    case TypeId::kBinary:
      return Family::kBinary;
    default:
      return Family::kNumeric;
  }
}

template <typename T>
std::weak_ordering Order(const T& a, const T& b) {
  if (a < b) return std::weak_ordering::less;
  if (b < a) return std::weak_ordering::greater;
  return std::weak_ordering::equivalent;
}

/// A number held exactly: unscaled / 10^scale.
struct Exact {
  Int128 unscaled;
  int scale;
};

/// Compare exactly without overflow: integral parts first, then the fractions at a common
/// scale (each fraction is below 10^scale ≤ 10^38 in magnitude, so it fits).
std::weak_ordering CompareExact(Exact a, Exact b) {
  Int128 qa = a.unscaled / Pow10(a.scale);
  Int128 qb = b.unscaled / Pow10(b.scale);
  if (qa != qb) return Order(qa, qb);
  int scale = std::max(a.scale, b.scale);
  Int128 fa = (a.unscaled % Pow10(a.scale)) * Pow10(scale - a.scale);
  Int128 fb = (b.unscaled % Pow10(b.scale)) * Pow10(scale - b.scale);
  return Order(fa, fb);
}

/// NaN sorts after every number and equals itself (PostgreSQL's and DuckDB's order).
std::weak_ordering CompareFloating(long double a, long double b) {
  bool a_nan = std::isnan(a);
  bool b_nan = std::isnan(b);
  if (a_nan || b_nan) return Order(a_nan, b_nan);
  return Order(a, b);
}

/// Escape bytes the way DuckDB prints BLOBs: printable ASCII as is, the rest as \xHH.
std::string EscapeBlob(const std::string& bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (char c : bytes) {
    auto b = static_cast<unsigned char>(c);
    if (b >= 32 && b <= 126 && c != '\\' && c != '\'' && c != '"') {
      out += c;
    } else {
      out += fmt::format("\\x{:02X}", b);
    }
  }
  return out;
}

std::string FormatFloating(double v, bool single) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
  char buf[64];
  auto result = single ? std::to_chars(buf, buf + sizeof(buf), static_cast<float>(v))
                       : std::to_chars(buf, buf + sizeof(buf), v);
  return std::string(buf, result.ptr);
}

}  // namespace

Value Value::Null(DataType type) { return Value(std::move(type), std::monostate{}); }
Value Value::Boolean(bool v) { return Value(DataType::Boolean(), v); }

Value Value::Int(int64_t v, DataType type) {
  RequireType(type.is_signed_integer(), "Int", type);
  return Value(std::move(type), v);
}

Value Value::UInt(uint64_t v, DataType type) {
  RequireType(type.is_unsigned_integer(), "UInt", type);
  return Value(std::move(type), v);
}

Value Value::Double(double v, DataType type) {
  RequireType(type.is_floating(), "Double", type);
  return Value(std::move(type), v);
}

Value Value::Decimal(Int128 unscaled, DataType type) {
  RequireType(type.id() == TypeId::kDecimal, "Decimal", type);
  return Value(std::move(type), unscaled);
}

Value Value::Date(int32_t days) { return Value(DataType::Date(), int64_t{days}); }
Value Value::Time(int64_t micros) { return Value(DataType::Time(), micros); }
Value Value::Timestamp(int64_t micros, std::string timezone) {
  return Value(DataType::Timestamp(std::move(timezone)), micros);
}
Value Value::String(std::string v) { return Value(DataType::String(), std::move(v)); }
Value Value::Binary(std::string bytes) { return Value(DataType::Binary(), std::move(bytes)); }
Value Value::Json(std::string document) { return Value(DataType::Json(), std::move(document)); }

std::optional<std::weak_ordering> Value::Compare(const Value& other) const {
  if (is_null() || other.is_null()) return std::nullopt;
  Family family = FamilyOf(type_.id());
  if (family != FamilyOf(other.type_.id())) return std::nullopt;
  switch (family) {
    case Family::kBoolean:
      return Order(bool_value(), other.bool_value());
    case Family::kDateTime: {
      auto micros = [](const Value& v) {
        return v.type_.id() == TypeId::kDate ? v.int_value() * data_internal::kMicrosPerDay
                                             : v.int_value();
      };
      return Order(micros(*this), micros(other));
    }
    case Family::kTime:
      return Order(int_value(), other.int_value());
    case Family::kText:
    case Family::kBinary:
      return Order(string_value(), other.string_value());
    case Family::kNumeric:
      break;
  }
  auto exact = [](const Value& v, Exact* out) {
    if (const auto* i = std::get_if<int64_t>(&v.payload_)) *out = {*i, 0};
    if (const auto* u = std::get_if<uint64_t>(&v.payload_)) *out = {*u, 0};
    if (const auto* d = std::get_if<Int128>(&v.payload_)) *out = {*d, v.type_.scale()};
    return !std::holds_alternative<double>(v.payload_);
  };
  Exact a{0, 0};
  Exact b{0, 0};
  bool a_exact = exact(*this, &a);
  bool b_exact = exact(other, &b);
  if (a_exact && b_exact) return CompareExact(a, b);
  // A double is involved. long double holds every int64, uint64 and double exactly; decimals
  // with a fraction compare approximately.
  auto floating = [](const Value& v, bool is_exact, Exact e) -> long double {
    if (!is_exact) return v.double_value();
    return static_cast<long double>(e.unscaled) / static_cast<long double>(Pow10(e.scale));
  };
  return CompareFloating(floating(*this, a_exact, a), floating(other, b_exact, b));
}

bool Value::operator==(const Value& other) const {
  if (is_null() || other.is_null()) return is_null() && other.is_null() && type_ == other.type_;
  std::optional<std::weak_ordering> order = Compare(other);
  return order.has_value() && *order == std::weak_ordering::equivalent;
}

std::string Value::ToString() const {
  if (is_null()) return "NULL";
  switch (type_.id()) {
    case TypeId::kBoolean:
      return bool_value() ? "true" : "false";
    case TypeId::kInt8:
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
      return std::to_string(int_value());
    case TypeId::kUInt8:
    case TypeId::kUInt16:
    case TypeId::kUInt32:
    case TypeId::kUInt64:
      return std::to_string(uint_value());
    case TypeId::kFloat32:
    case TypeId::kFloat64:
      return FormatFloating(double_value(), type_.id() == TypeId::kFloat32);
    case TypeId::kDecimal:
      return FormatDecimal(decimal_value(), type_.scale());
    case TypeId::kDate:
      return FormatDate(static_cast<int32_t>(int_value()));
    case TypeId::kTime:
      return FormatTime(int_value());
    case TypeId::kTimestamp:
      return FormatTimestamp(int_value(), !type_.timezone().empty());
    case TypeId::kString:
    case TypeId::kJson:
      return string_value();
    case TypeId::kBinary:
      return EscapeBlob(string_value());
  }
  return "NULL";
}

std::string Value::ToSqlLiteral() const {
  if (is_null()) return "NULL";
  switch (type_.id()) {
    case TypeId::kFloat32:
    case TypeId::kFloat64: {
      std::string text = ToString();
      if (!std::isfinite(double_value())) text = "'" + text + "'";
      return text + "::" + type_.ToSql();
    }
    case TypeId::kDecimal:
      return ToString() + "::" + type_.ToSql();
    case TypeId::kDate:
    case TypeId::kTime:
    case TypeId::kTimestamp:
      return type_.ToSql() + " " + QuoteLiteral(ToString());
    case TypeId::kString:
      return QuoteLiteral(string_value());
    case TypeId::kJson:
      return QuoteLiteral(string_value()) + "::JSON";
    case TypeId::kBinary:
      return QuoteLiteral(ToString()) + "::BLOB";
    default:
      return ToString();
  }
}

}  // namespace sqlflow
