#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "sqlflow/data/types.h"

namespace sqlflow {

/// One typed scalar: a filter operand, a cursor (watermark) value, a cell of a builder.
/// Holds its full precision (microseconds, exact decimals, bytes), so a watermark never loses
/// anything in a round trip.
class Value {
 public:
  /// A NULL of string type.
  Value() = default;

  static Value Null(DataType type);
  static Value Boolean(bool v);
  static Value Int(int64_t v, DataType type = DataType::Int64());
  static Value UInt(uint64_t v, DataType type = DataType::UInt64());
  static Value Double(double v, DataType type = DataType::Float64());
  /// `unscaled` / 10^type.scale(); type must be a decimal.
  static Value Decimal(Int128 unscaled, DataType type);
  static Value Date(int32_t days);
  static Value Time(int64_t micros);
  static Value Timestamp(int64_t micros, std::string timezone = "");
  static Value String(std::string v);
  static Value Binary(std::string bytes);
  static Value Json(std::string document);

  const DataType& type() const { return type_; }
  bool is_null() const { return std::holds_alternative<std::monostate>(payload_); }

  /// Accessors; the caller checks type() first. Integers of every width come back as int64
  /// (signed) or uint64 (unsigned); date, time and timestamp as int64 units.
  bool bool_value() const { return std::get<bool>(payload_); }
  int64_t int_value() const { return std::get<int64_t>(payload_); }
  uint64_t uint_value() const { return std::get<uint64_t>(payload_); }
  double double_value() const { return std::get<double>(payload_); }
  Int128 decimal_value() const { return std::get<Int128>(payload_); }
  const std::string& string_value() const { return std::get<std::string>(payload_); }

  /// Compare two non-null values of the same type family (integers with integers, decimals
  /// with decimals of any scale, ...). Returns nullopt when they are not comparable.
  std::optional<std::weak_ordering> Compare(const Value& other) const;
  bool operator==(const Value& other) const;

  /// Render for people and for state files: "42", "12.50", "2024-01-02 03:04:05.123456+00",
  /// strings as they are. NULL is "NULL".
  std::string ToString() const;
  /// Render as a DuckDB SQL literal with an explicit cast where needed:
  /// 42, 'it''s', DATE '2024-01-02', TIMESTAMPTZ '...', 12.50::DECIMAL(12,2), NULL.
  std::string ToSqlLiteral() const;

 private:
  using Payload =
      std::variant<std::monostate, bool, int64_t, uint64_t, double, Int128, std::string>;
  Value(DataType type, Payload payload) : type_(std::move(type)), payload_(std::move(payload)) {}

  DataType type_;
  Payload payload_;
};

/// Format helpers shared by Value and the connectors.
std::string FormatDate(int32_t days);  ///< "2024-01-02"
/// "03:04:05.123456": the fraction only if non-zero, without trailing zeros ("03:04:05.5"), as
/// DuckDB and PostgreSQL print it. FormatTimestamp likewise; "+00" marks a UTC instant.
std::string FormatTime(int64_t micros);
std::string FormatTimestamp(int64_t micros, bool with_tz);  ///< "2024-01-02 03:04:05[.ffffff][+00]"
std::string FormatDecimal(Int128 unscaled, int scale);      ///< "-12.50"
/// 10^n for 0 ≤ n ≤ 38 (decimal precisions and scales), from a table.
Int128 Pow10(int n);
/// Write the canonical text of the 16 bytes of a UUID ("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
/// lower case) to out[0..36).
void FormatUuid(const uint8_t* bytes, char* out);
/// Parse "YYYY-MM-DD"; false if malformed.
bool ParseDate(std::string_view text, int32_t* days);
/// Parse "YYYY-MM-DD[ T]HH:MM:SS[.ffffff][Z|+HH[:MM]]" into UTC microseconds; false if malformed.
/// Also accepts a date alone (midnight), HH:MM without seconds, and up to 9 fraction digits
/// (digits past microseconds are dropped). Without a zone the time is taken as it is.
bool ParseTimestamp(std::string_view text, int64_t* micros);
/// Parse "HH:MM[:SS[.ffffff]]" (24:00:00 allowed) into microseconds since midnight.
bool ParseTime(std::string_view text, int64_t* micros);
/// Parse "[-+]digits[.digits]" as DECIMAL(precision, scale) into its unscaled value, rounding
/// extra fraction digits half away from zero; false if malformed or too large for `precision`.
bool ParseDecimal(std::string_view text, int precision, int scale, Int128* unscaled);

}  // namespace sqlflow
