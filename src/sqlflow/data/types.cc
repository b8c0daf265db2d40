#include "sqlflow/data/types.h"

#include <cctype>

#include <fmt/format.h>

#include "sqlflow/common/error.h"
#include "sqlflow/common/strings.h"
#include "sqlflow/data/data_internal.h"

namespace sqlflow {

DataType DataType::Decimal(int precision, int scale) {
  if (precision < 1 || precision > 38 || scale < 0 || scale > precision) {
    throw SchemaError("data", "type",
                      fmt::format("invalid DECIMAL({},{}): precision must be 1..38 and scale "
                                  "0..precision",
                                  precision, scale));
  }
  DataType type(TypeId::kDecimal);
  type.precision_ = static_cast<uint8_t>(precision);
  type.scale_ = static_cast<uint8_t>(scale);
  return type;
}

DataType DataType::Timestamp(std::string timezone) {
  DataType type(TypeId::kTimestamp);
  type.timezone_ = std::move(timezone);
  return type;
}

bool DataType::is_variable_width() const {
  return id_ == TypeId::kString || id_ == TypeId::kBinary || id_ == TypeId::kJson;
}

bool DataType::is_integer() const { return is_signed_integer() || is_unsigned_integer(); }

bool DataType::is_signed_integer() const {
  return id_ == TypeId::kInt8 || id_ == TypeId::kInt16 || id_ == TypeId::kInt32 ||
         id_ == TypeId::kInt64;
}

bool DataType::is_unsigned_integer() const {
  return id_ == TypeId::kUInt8 || id_ == TypeId::kUInt16 || id_ == TypeId::kUInt32 ||
         id_ == TypeId::kUInt64;
}

bool DataType::is_floating() const { return id_ == TypeId::kFloat32 || id_ == TypeId::kFloat64; }

bool DataType::is_orderable() const {
  // Booleans, bytes and JSON documents have no order a user would want as a cursor.
  return id_ != TypeId::kBoolean && id_ != TypeId::kBinary && id_ != TypeId::kJson;
}

int DataType::byte_width() const {
  switch (id_) {
    case TypeId::kInt8:
    case TypeId::kUInt8:
      return 1;
    case TypeId::kInt16:
    case TypeId::kUInt16:
      return 2;
    case TypeId::kInt32:
    case TypeId::kUInt32:
    case TypeId::kFloat32:
    case TypeId::kDate:
      return 4;
    case TypeId::kInt64:
    case TypeId::kUInt64:
    case TypeId::kFloat64:
    case TypeId::kTime:
    case TypeId::kTimestamp:
      return 8;
    case TypeId::kDecimal:
      return 16;
    case TypeId::kBoolean:
    case TypeId::kString:
    case TypeId::kBinary:
    case TypeId::kJson:
      return 0;
  }
  return 0;
}

std::string DataType::ToSql() const {
  switch (id_) {
    case TypeId::kBoolean:
      return "BOOLEAN";
    case TypeId::kInt8:
      return "TINYINT";
    case TypeId::kInt16:
      return "SMALLINT";
    case TypeId::kInt32:
      return "INTEGER";
    case TypeId::kInt64:
      return "BIGINT";
    case TypeId::kUInt8:
      return "UTINYINT";
    case TypeId::kUInt16:
      return "USMALLINT";
    case TypeId::kUInt32:
      return "UINTEGER";
    case TypeId::kUInt64:
      return "UBIGINT";
    case TypeId::kFloat32:
      return "FLOAT";
    case TypeId::kFloat64:
      return "DOUBLE";
    case TypeId::kDecimal:
      return fmt::format("DECIMAL({},{})", precision_, scale_);
    case TypeId::kDate:
      return "DATE";
    case TypeId::kTime:
      return "TIME";
    case TypeId::kTimestamp:
      return timezone_.empty() ? "TIMESTAMP" : "TIMESTAMPTZ";
    case TypeId::kString:
      return "VARCHAR";
    case TypeId::kBinary:
      return "BLOB";
    case TypeId::kJson:
      return "JSON";
  }
  return "VARCHAR";
}

std::string DataType::ArrowFormat() const {
  switch (id_) {
    case TypeId::kBoolean:
      return "b";
    case TypeId::kInt8:
      return "c";
    case TypeId::kInt16:
      return "s";
    case TypeId::kInt32:
      return "i";
    case TypeId::kInt64:
      return "l";
    case TypeId::kUInt8:
      return "C";
    case TypeId::kUInt16:
      return "S";
    case TypeId::kUInt32:
      return "I";
    case TypeId::kUInt64:
      return "L";
    case TypeId::kFloat32:
      return "f";
    case TypeId::kFloat64:
      return "g";
    case TypeId::kDecimal:
      return fmt::format("d:{},{}", precision_, scale_);
    case TypeId::kDate:
      return "tdD";
    case TypeId::kTime:
      return "ttu";
    case TypeId::kTimestamp:
      return "tsu:" + timezone_;
    case TypeId::kString:
    case TypeId::kJson:
      return "u";
    case TypeId::kBinary:
      return "z";
  }
  return "u";
}

const char* TypeIdName(TypeId id) {
  switch (id) {
    case TypeId::kBoolean:
      return "boolean";
    case TypeId::kInt8:
      return "int8";
    case TypeId::kInt16:
      return "int16";
    case TypeId::kInt32:
      return "int32";
    case TypeId::kInt64:
      return "int64";
    case TypeId::kUInt8:
      return "uint8";
    case TypeId::kUInt16:
      return "uint16";
    case TypeId::kUInt32:
      return "uint32";
    case TypeId::kUInt64:
      return "uint64";
    case TypeId::kFloat32:
      return "float32";
    case TypeId::kFloat64:
      return "float64";
    case TypeId::kDecimal:
      return "decimal";
    case TypeId::kDate:
      return "date";
    case TypeId::kTime:
      return "time";
    case TypeId::kTimestamp:
      return "timestamp";
    case TypeId::kString:
      return "string";
    case TypeId::kBinary:
      return "binary";
    case TypeId::kJson:
      return "json";
  }
  return "unknown";
}

namespace {

using data_internal::ParseInt;

/// Collapse runs of white space to one blank and upper-case: "double  precision" → "DOUBLE
/// PRECISION".
std::string NormalizeTypeName(std::string_view sql) {
  std::string out;
  bool pending_space = false;
  for (char c : Trim(sql)) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      pending_space = true;
      continue;
    }
    if (pending_space && !out.empty() && c != '(' && c != ')' && c != ',' && out.back() != '(' &&
        out.back() != ',') {
      out += ' ';
    }
    pending_space = false;
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

/// Parse the "(p[,s])" arguments of DECIMAL/NUMERIC; DuckDB's default is DECIMAL(18,3).
bool ParseDecimalArgs(std::string_view args, DataType* out) {
  int precision = 18;
  int scale = 3;
  if (!args.empty()) {
    if (args.front() != '(' || args.back() != ')') return false;
    std::string_view inner = args.substr(1, args.size() - 2);
    size_t comma = inner.find(',');
    if (!ParseInt(inner.substr(0, comma), &precision)) return false;
    scale = 0;
    if (comma != std::string_view::npos && !ParseInt(inner.substr(comma + 1), &scale)) {
      return false;
    }
  }
  if (precision < 1 || precision > 38 || scale < 0 || scale > precision) return false;
  *out = DataType::Decimal(precision, scale);
  return true;
}

struct TypeAlias {
  const char* name;
  TypeId id;
};

// DuckDB's names and aliases (duckdb.org/docs/sql/data_types/overview).
constexpr TypeAlias kAliases[] = {
    {"BOOLEAN", TypeId::kBoolean},
    {"BOOL", TypeId::kBoolean},
    {"LOGICAL", TypeId::kBoolean},
    {"TINYINT", TypeId::kInt8},
    {"INT1", TypeId::kInt8},
    {"SMALLINT", TypeId::kInt16},
    {"INT2", TypeId::kInt16},
    {"SHORT", TypeId::kInt16},
    {"INTEGER", TypeId::kInt32},
    {"INT", TypeId::kInt32},
    {"INT4", TypeId::kInt32},
    {"SIGNED", TypeId::kInt32},
    {"BIGINT", TypeId::kInt64},
    {"INT8", TypeId::kInt64},
    {"LONG", TypeId::kInt64},
    {"UTINYINT", TypeId::kUInt8},
    {"USMALLINT", TypeId::kUInt16},
    {"UINTEGER", TypeId::kUInt32},
    {"UBIGINT", TypeId::kUInt64},
    {"FLOAT", TypeId::kFloat32},
    {"FLOAT4", TypeId::kFloat32},
    {"REAL", TypeId::kFloat32},
    {"DOUBLE", TypeId::kFloat64},
    {"FLOAT8", TypeId::kFloat64},
    {"DOUBLE PRECISION", TypeId::kFloat64},
    {"DATE", TypeId::kDate},
    {"TIME", TypeId::kTime},
    {"TIME WITHOUT TIME ZONE", TypeId::kTime},
    {"VARCHAR", TypeId::kString},
    {"CHAR", TypeId::kString},
    {"BPCHAR", TypeId::kString},
    {"TEXT", TypeId::kString},
    {"STRING", TypeId::kString},
    {"CHARACTER VARYING", TypeId::kString},
    {"CHARACTER", TypeId::kString},
    {"UUID", TypeId::kString},
    {"BLOB", TypeId::kBinary},
    {"BYTEA", TypeId::kBinary},
    {"BINARY", TypeId::kBinary},
    {"VARBINARY", TypeId::kBinary},
    {"JSON", TypeId::kJson},
};

}  // namespace

bool ParseSqlType(std::string_view sql, DataType* out) {
  std::string name = NormalizeTypeName(sql);
  size_t paren = name.find('(');
  std::string base = name.substr(0, paren);
  std::string_view args =
      paren == std::string::npos ? std::string_view() : std::string_view(name).substr(paren);
  if (base == "DECIMAL" || base == "NUMERIC") return ParseDecimalArgs(args, out);
  if (base == "HUGEINT" || base == "INT128") {
    if (!args.empty()) return false;
    *out = DataType::Decimal(38, 0);
    return true;
  }
  if (base == "TIMESTAMP" || base == "DATETIME" || base == "TIMESTAMP WITHOUT TIME ZONE" ||
      base == "TIMESTAMP_US" || base == "TIMESTAMP_MS" || base == "TIMESTAMP_S" ||
      base == "TIMESTAMP_NS") {
    if (!args.empty()) return false;
    *out = DataType::Timestamp();
    return true;
  }
  if (base == "TIMESTAMPTZ" || base == "TIMESTAMP WITH TIME ZONE") {
    if (!args.empty()) return false;
    *out = DataType::Timestamp("UTC");
    return true;
  }
  for (const TypeAlias& alias : kAliases) {
    if (base != alias.name) continue;
    // VARCHAR(n) and CHAR(n) carry a length DuckDB ignores; other types take no arguments.
    bool is_string = alias.id == TypeId::kString || alias.id == TypeId::kBinary;
    if (!args.empty() && !is_string) return false;
    *out = DataType(alias.id);
    return true;
  }
  return false;
}

TypeFamily FamilyOf(const DataType& type) {
  switch (type.id()) {
    case TypeId::kBoolean:
      return TypeFamily::kBoolean;
    case TypeId::kString:
    case TypeId::kJson:
      return TypeFamily::kText;
    case TypeId::kBinary:
      return TypeFamily::kBinary;
    case TypeId::kDate:
    case TypeId::kTimestamp:
      return TypeFamily::kDateTime;
    case TypeId::kTime:
      return TypeFamily::kTime;
    default:
      return TypeFamily::kNumeric;
  }
}

const char* TypeFamilyName(TypeFamily family) {
  switch (family) {
    case TypeFamily::kBoolean:
      return "boolean";
    case TypeFamily::kNumeric:
      return "numeric";
    case TypeFamily::kText:
      return "text";
    case TypeFamily::kBinary:
      return "binary";
    case TypeFamily::kDateTime:
      return "date/timestamp";
    case TypeFamily::kTime:
      return "time";
  }
  return "?";
}

int Schema::FieldIndex(std::string_view name) const {
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (fields_[i].name == name) return static_cast<int>(i);
  }
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (EqualsIgnoreCase(fields_[i].name, name)) return static_cast<int>(i);
  }
  return -1;
}

std::vector<std::string> Schema::names() const {
  std::vector<std::string> out;
  out.reserve(fields_.size());
  for (const Field& f : fields_) out.push_back(f.name);
  return out;
}

std::string Schema::ToString() const {
  std::string out;
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (i > 0) out += ", ";
    out += fields_[i].name;
    out += ' ';
    out += fields_[i].type.ToSql();
  }
  return out;
}

}  // namespace sqlflow
