#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sqlflow {

/// A signed 128-bit integer: the storage of DECIMAL values (Arrow decimal128).
__extension__ typedef __int128 Int128;

/// The logical types of ARCHITECTURE.md, with their Arrow physical layout.
enum class TypeId : uint8_t {
  kBoolean,    ///< Arrow "b": bit-packed.
  kInt8,       ///< "c"
  kInt16,      ///< "s"
  kInt32,      ///< "i"
  kInt64,      ///< "l"
  kUInt8,      ///< "C"
  kUInt16,     ///< "S"
  kUInt32,     ///< "I"
  kUInt64,     ///< "L"
  kFloat32,    ///< "f"
  kFloat64,    ///< "g"
  kDecimal,    ///< "d:p,s": 16-byte two's complement, value = unscaled / 10^scale.
  kDate,       ///< "tdD": int32 days since 1970-01-01.
  kTime,       ///< "ttu": int64 microseconds since midnight.
  kTimestamp,  ///< "tsu:" / "tsu:<tz>": int64 microseconds since the epoch (UTC when tz set).
  kString,     ///< "u": int32 offsets + UTF-8 bytes.
  kBinary,     ///< "z": int32 offsets + bytes.
  kJson,       ///< "u" with extension "arrow.json": a JSON document per value.
};

/// A logical type: an id plus its parameters (decimal precision/scale, timestamp zone).
class DataType {
 public:
  DataType() = default;
  explicit DataType(TypeId id) : id_(id) {}

  static DataType Boolean() { return DataType(TypeId::kBoolean); }
  static DataType Int8() { return DataType(TypeId::kInt8); }
  static DataType Int16() { return DataType(TypeId::kInt16); }
  static DataType Int32() { return DataType(TypeId::kInt32); }
  static DataType Int64() { return DataType(TypeId::kInt64); }
  static DataType UInt8() { return DataType(TypeId::kUInt8); }
  static DataType UInt16() { return DataType(TypeId::kUInt16); }
  static DataType UInt32() { return DataType(TypeId::kUInt32); }
  static DataType UInt64() { return DataType(TypeId::kUInt64); }
  static DataType Float32() { return DataType(TypeId::kFloat32); }
  static DataType Float64() { return DataType(TypeId::kFloat64); }
  /// DECIMAL(precision, scale); precision 1..38, 0 ≤ scale ≤ precision.
  static DataType Decimal(int precision, int scale);
  static DataType Date() { return DataType(TypeId::kDate); }
  static DataType Time() { return DataType(TypeId::kTime); }
  /// TIMESTAMP (microseconds). `timezone` empty: naive local time; else the values are UTC
  /// instants and `timezone` is how to show them ("UTC", "Europe/Paris").
  static DataType Timestamp(std::string timezone = "");
  static DataType String() { return DataType(TypeId::kString); }
  static DataType Binary() { return DataType(TypeId::kBinary); }
  static DataType Json() { return DataType(TypeId::kJson); }

  TypeId id() const { return id_; }
  int precision() const { return precision_; }
  int scale() const { return scale_; }
  const std::string& timezone() const { return timezone_; }

  /// Whether values are int32 offsets + bytes (string, binary, JSON).
  bool is_variable_width() const;
  bool is_integer() const;
  bool is_signed_integer() const;
  bool is_unsigned_integer() const;
  bool is_floating() const;
  /// Whether values of this type have a total order usable as an incremental cursor.
  bool is_orderable() const;
  /// Bytes per value in the values buffer; 0 for boolean (bits) and variable-width types.
  int byte_width() const;

  /// The SQL spelling DuckDB understands: "BIGINT", "DECIMAL(12,2)", "TIMESTAMPTZ", "JSON".
  std::string ToSql() const;
  /// The Arrow C Data Interface format string ("l", "d:12,2", "tsu:UTC").
  std::string ArrowFormat() const;

  bool operator==(const DataType& other) const = default;

 private:
  TypeId id_ = TypeId::kString;
  uint8_t precision_ = 0;
  uint8_t scale_ = 0;
  std::string timezone_;
};

/// Return a lower-case name of a type id ("int64", "timestamp").
const char* TypeIdName(TypeId id);

/// Parse an SQL type name as DuckDB spells it ("BIGINT", "INTEGER", "VARCHAR",
/// "DECIMAL(12,2)", "TIMESTAMP WITH TIME ZONE", "DOUBLE", ...). Returns false for a type
/// SQLFlow cannot represent (the caller decides whether to fall back to string).
bool ParseSqlType(std::string_view sql, DataType* out);

/// Groups of types whose values convert into each other without surprise. Append and upsert
/// accept an input column when its family equals the target column's family.
enum class TypeFamily {
  kBoolean,   ///< boolean
  kNumeric,   ///< integers of every width, floats, decimals
  kText,      ///< string, JSON
  kBinary,    ///< binary
  kDateTime,  ///< date, timestamp (with or without time zone)
  kTime,      ///< time of day
};

/// Return the family of a type.
TypeFamily FamilyOf(const DataType& type);
/// Return "boolean", "numeric", "text", "binary", "date/timestamp" or "time".
const char* TypeFamilyName(TypeFamily family);

/// A named column of a schema.
struct Field {
  std::string name;
  DataType type;
  bool nullable = true;

  bool operator==(const Field& other) const = default;
};

/// The ordered columns of a chunk, table or file.
class Schema {
 public:
  Schema() = default;
  explicit Schema(std::vector<Field> fields) : fields_(std::move(fields)) {}

  const std::vector<Field>& fields() const { return fields_; }
  size_t num_fields() const { return fields_.size(); }
  const Field& field(size_t i) const { return fields_[i]; }
  /// Return the index of the field called `name`: an exact match first, then a
  /// case-insensitive one (SQL names are case-insensitive); -1 when absent.
  int FieldIndex(std::string_view name) const;
  std::vector<std::string> names() const;
  /// Return "name TYPE, name TYPE, ...".
  std::string ToString() const;

  bool operator==(const Schema& other) const = default;

 private:
  std::vector<Field> fields_;
};

}  // namespace sqlflow
