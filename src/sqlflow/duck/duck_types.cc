// DuckDB ↔ SQLFlow type mapping and the small helpers around it.

#include <string>
#include <vector>

#include <fmt/format.h>

#include "sqlflow/common/error.h"
#include "sqlflow/common/strings.h"
#include "sqlflow/duck/duck.h"
#include "sqlflow/duck/duck_internal.h"

namespace sqlflow::duck {

namespace {

// Owns a string the C API allocated with duckdb_malloc.
class DuckString {
 public:
  explicit DuckString(char* s) : s_(s) {}
  ~DuckString() {
    if (s_ != nullptr) duckdb_free(s_);
  }
  DuckString(const DuckString&) = delete;
  DuckString& operator=(const DuckString&) = delete;
  bool empty() const { return s_ == nullptr || *s_ == '\0'; }
  std::string str() const { return s_ == nullptr ? std::string() : std::string(s_); }

 private:
  char* s_;
};

const char* ScalarTypeName(duckdb_type id) {
  switch (id) {
    case DUCKDB_TYPE_BOOLEAN:
      return "BOOLEAN";
    case DUCKDB_TYPE_TINYINT:
      return "TINYINT";
    case DUCKDB_TYPE_SMALLINT:
      return "SMALLINT";
    case DUCKDB_TYPE_INTEGER:
      return "INTEGER";
    case DUCKDB_TYPE_BIGINT:
      return "BIGINT";
    case DUCKDB_TYPE_UTINYINT:
      return "UTINYINT";
    case DUCKDB_TYPE_USMALLINT:
      return "USMALLINT";
    case DUCKDB_TYPE_UINTEGER:
      return "UINTEGER";
    case DUCKDB_TYPE_UBIGINT:
      return "UBIGINT";
    case DUCKDB_TYPE_FLOAT:
      return "FLOAT";
    case DUCKDB_TYPE_DOUBLE:
      return "DOUBLE";
    case DUCKDB_TYPE_TIMESTAMP:
      return "TIMESTAMP";
    case DUCKDB_TYPE_DATE:
      return "DATE";
    case DUCKDB_TYPE_TIME:
      return "TIME";
    case DUCKDB_TYPE_INTERVAL:
      return "INTERVAL";
    case DUCKDB_TYPE_HUGEINT:
      return "HUGEINT";
    case DUCKDB_TYPE_UHUGEINT:
      return "UHUGEINT";
    case DUCKDB_TYPE_VARCHAR:
      return "VARCHAR";
    case DUCKDB_TYPE_BLOB:
      return "BLOB";
    case DUCKDB_TYPE_TIMESTAMP_S:
      return "TIMESTAMP_S";
    case DUCKDB_TYPE_TIMESTAMP_MS:
      return "TIMESTAMP_MS";
    case DUCKDB_TYPE_TIMESTAMP_NS:
      return "TIMESTAMP_NS";
    case DUCKDB_TYPE_ENUM:
      return "ENUM";
    case DUCKDB_TYPE_UUID:
      return "UUID";
    case DUCKDB_TYPE_BIT:
      return "BIT";
    case DUCKDB_TYPE_TIME_TZ:
      return "TIME WITH TIME ZONE";
    case DUCKDB_TYPE_TIMESTAMP_TZ:
      return "TIMESTAMP WITH TIME ZONE";
    case DUCKDB_TYPE_ANY:
      return "ANY";
    case DUCKDB_TYPE_BIGNUM:
      return "BIGNUM";
    case DUCKDB_TYPE_SQLNULL:
      return "NULL";
    case DUCKDB_TYPE_STRING_LITERAL:
      return "STRING_LITERAL";
    case DUCKDB_TYPE_INTEGER_LITERAL:
      return "INTEGER_LITERAL";
    case DUCKDB_TYPE_TIME_NS:
      return "TIME_NS";
    default:
      return nullptr;
  }
}

bool IsNested(duckdb_type id) {
  return id == DUCKDB_TYPE_LIST || id == DUCKDB_TYPE_STRUCT || id == DUCKDB_TYPE_MAP ||
         id == DUCKDB_TYPE_ARRAY || id == DUCKDB_TYPE_UNION;
}

// Names from DuckDB's ExceptionTypeToString, in the message prefix "<name> Error: ".
struct ErrorPrefix {
  const char* name;
  duckdb_error_type type;
};
constexpr ErrorPrefix kErrorPrefixes[] = {
    {"Invalid", DUCKDB_ERROR_INVALID},
    {"Out of Range", DUCKDB_ERROR_OUT_OF_RANGE},
    {"Conversion", DUCKDB_ERROR_CONVERSION},
    {"Unknown Type", DUCKDB_ERROR_UNKNOWN_TYPE},
    {"Decimal", DUCKDB_ERROR_DECIMAL},
    {"Mismatch Type", DUCKDB_ERROR_MISMATCH_TYPE},
    {"Divide by Zero", DUCKDB_ERROR_DIVIDE_BY_ZERO},
    {"Object Size", DUCKDB_ERROR_OBJECT_SIZE},
    {"Invalid type", DUCKDB_ERROR_INVALID_TYPE},
    {"Serialization", DUCKDB_ERROR_SERIALIZATION},
    {"TransactionContext", DUCKDB_ERROR_TRANSACTION},
    {"Not implemented", DUCKDB_ERROR_NOT_IMPLEMENTED},
    {"Expression", DUCKDB_ERROR_EXPRESSION},
    {"Catalog", DUCKDB_ERROR_CATALOG},
    {"Parser", DUCKDB_ERROR_PARSER},
    {"Planner", DUCKDB_ERROR_PLANNER},
    {"Scheduler", DUCKDB_ERROR_SCHEDULER},
    {"Executor", DUCKDB_ERROR_EXECUTOR},
    {"Constraint", DUCKDB_ERROR_CONSTRAINT},
    {"Index", DUCKDB_ERROR_INDEX},
    {"Stat", DUCKDB_ERROR_STAT},
    {"Connection", DUCKDB_ERROR_CONNECTION},
    {"Syntax", DUCKDB_ERROR_SYNTAX},
    {"Settings", DUCKDB_ERROR_SETTINGS},
    {"Binder", DUCKDB_ERROR_BINDER},
    {"Network", DUCKDB_ERROR_NETWORK},
    {"Optimizer", DUCKDB_ERROR_OPTIMIZER},
    {"NullPointer", DUCKDB_ERROR_NULL_POINTER},
    {"IO", DUCKDB_ERROR_IO},
    {"INTERRUPT", DUCKDB_ERROR_INTERRUPT},
    {"FATAL", DUCKDB_ERROR_FATAL},
    {"INTERNAL", DUCKDB_ERROR_INTERNAL},
    {"Invalid Input", DUCKDB_ERROR_INVALID_INPUT},
    {"Out of Memory", DUCKDB_ERROR_OUT_OF_MEMORY},
    {"Permission", DUCKDB_ERROR_PERMISSION},
    {"Parameter Not Resolved", DUCKDB_ERROR_PARAMETER_NOT_RESOLVED},
    {"Parameter Not Allowed", DUCKDB_ERROR_PARAMETER_NOT_ALLOWED},
    {"Dependency", DUCKDB_ERROR_DEPENDENCY},
    {"HTTP", DUCKDB_ERROR_HTTP},
    {"Missing Extension", DUCKDB_ERROR_MISSING_EXTENSION},
    {"Extension Autoloading", DUCKDB_ERROR_AUTOLOAD},
    {"Sequence", DUCKDB_ERROR_SEQUENCE},
    {"Invalid Configuration", DUCKDB_INVALID_CONFIGURATION},
};

}  // namespace

bool FromDuckType(duckdb_logical_type type, DataType* out) {
  switch (duckdb_get_type_id(type)) {
    case DUCKDB_TYPE_BOOLEAN:
      *out = DataType::Boolean();
      return true;
    case DUCKDB_TYPE_TINYINT:
      *out = DataType::Int8();
      return true;
    case DUCKDB_TYPE_SMALLINT:
      *out = DataType::Int16();
      return true;
    case DUCKDB_TYPE_INTEGER:
      *out = DataType::Int32();
      return true;
    case DUCKDB_TYPE_BIGINT:
      *out = DataType::Int64();
      return true;
    case DUCKDB_TYPE_UTINYINT:
      *out = DataType::UInt8();
      return true;
    case DUCKDB_TYPE_USMALLINT:
      *out = DataType::UInt16();
      return true;
    case DUCKDB_TYPE_UINTEGER:
      *out = DataType::UInt32();
      return true;
    case DUCKDB_TYPE_UBIGINT:
      *out = DataType::UInt64();
      return true;
    case DUCKDB_TYPE_FLOAT:
      *out = DataType::Float32();
      return true;
    case DUCKDB_TYPE_DOUBLE:
      *out = DataType::Float64();
      return true;
    case DUCKDB_TYPE_DECIMAL:
      *out = DataType::Decimal(duckdb_decimal_width(type), duckdb_decimal_scale(type));
      return true;
    case DUCKDB_TYPE_HUGEINT:
      // DuckDB exports HUGEINT as decimal128(38, 0) when arrow_lossless_conversion is off.
      *out = DataType::Decimal(38, 0);
      return true;
    case DUCKDB_TYPE_DATE:
      *out = DataType::Date();
      return true;
    case DUCKDB_TYPE_TIME:
      *out = DataType::Time();
      return true;
    case DUCKDB_TYPE_TIMESTAMP:
    case DUCKDB_TYPE_TIMESTAMP_S:
    case DUCKDB_TYPE_TIMESTAMP_MS:
    case DUCKDB_TYPE_TIMESTAMP_NS:
      *out = DataType::Timestamp();
      return true;
    case DUCKDB_TYPE_TIMESTAMP_TZ:
      *out = DataType::Timestamp("UTC");
      return true;
    case DUCKDB_TYPE_VARCHAR: {
      DuckString alias(duckdb_logical_type_get_alias(type));
      *out = alias.str() == "JSON" ? DataType::Json() : DataType::String();
      return true;
    }
    case DUCKDB_TYPE_UUID:
      // Exported as its text form when arrow_lossless_conversion is off.
      *out = DataType::String();
      return true;
    case DUCKDB_TYPE_BLOB:
      *out = DataType::Binary();
      return true;
    default:
      return false;
  }
}

std::string DuckTypeName(duckdb_logical_type type) {
  {
    DuckString alias(duckdb_logical_type_get_alias(type));
    if (!alias.empty()) return alias.str();
  }
  duckdb_type id = duckdb_get_type_id(type);
  switch (id) {
    case DUCKDB_TYPE_DECIMAL:
      return fmt::format("DECIMAL({},{})", duckdb_decimal_width(type), duckdb_decimal_scale(type));
    case DUCKDB_TYPE_LIST: {
      internal::LogicalType child(duckdb_list_type_child_type(type));
      return DuckTypeName(child.get()) + "[]";
    }
    case DUCKDB_TYPE_ARRAY: {
      internal::LogicalType child(duckdb_array_type_child_type(type));
      return fmt::format("{}[{}]", DuckTypeName(child.get()), duckdb_array_type_array_size(type));
    }
    case DUCKDB_TYPE_MAP: {
      internal::LogicalType key(duckdb_map_type_key_type(type));
      internal::LogicalType value(duckdb_map_type_value_type(type));
      return fmt::format("MAP({}, {})", DuckTypeName(key.get()), DuckTypeName(value.get()));
    }
    case DUCKDB_TYPE_STRUCT:
    case DUCKDB_TYPE_UNION: {
      const bool is_struct = id == DUCKDB_TYPE_STRUCT;
      idx_t n =
          is_struct ? duckdb_struct_type_child_count(type) : duckdb_union_type_member_count(type);
      std::string out = is_struct ? "STRUCT(" : "UNION(";
      for (idx_t i = 0; i < n; ++i) {
        DuckString name(is_struct ? duckdb_struct_type_child_name(type, i)
                                  : duckdb_union_type_member_name(type, i));
        internal::LogicalType child(is_struct ? duckdb_struct_type_child_type(type, i)
                                              : duckdb_union_type_member_type(type, i));
        if (i > 0) out += ", ";
        out += fmt::format("{} {}", name.str(), DuckTypeName(child.get()));
      }
      return out + ")";
    }
    default: {
      const char* name = ScalarTypeName(id);
      return name != nullptr ? name : fmt::format("type #{}", static_cast<int>(id));
    }
  }
}

namespace internal {

duckdb_error_type ErrorTypeFromMessage(std::string_view message) {
  size_t end = message.find(" Error: ");
  if (end == std::string_view::npos) return DUCKDB_ERROR_INVALID;
  std::string_view name = message.substr(0, end);
  for (const ErrorPrefix& p : kErrorPrefixes) {
    if (name == p.name) return p.type;
  }
  return DUCKDB_ERROR_INVALID;
}

duckdb_logical_type ToDuckType(const DataType& type) {
  switch (type.id()) {
    case TypeId::kBoolean:
      return duckdb_create_logical_type(DUCKDB_TYPE_BOOLEAN);
    case TypeId::kInt8:
      return duckdb_create_logical_type(DUCKDB_TYPE_TINYINT);
    case TypeId::kInt16:
      return duckdb_create_logical_type(DUCKDB_TYPE_SMALLINT);
    case TypeId::kInt32:
      return duckdb_create_logical_type(DUCKDB_TYPE_INTEGER);
    case TypeId::kInt64:
      return duckdb_create_logical_type(DUCKDB_TYPE_BIGINT);
    case TypeId::kUInt8:
      return duckdb_create_logical_type(DUCKDB_TYPE_UTINYINT);
    case TypeId::kUInt16:
      return duckdb_create_logical_type(DUCKDB_TYPE_USMALLINT);
    case TypeId::kUInt32:
      return duckdb_create_logical_type(DUCKDB_TYPE_UINTEGER);
    case TypeId::kUInt64:
      return duckdb_create_logical_type(DUCKDB_TYPE_UBIGINT);
    case TypeId::kFloat32:
      return duckdb_create_logical_type(DUCKDB_TYPE_FLOAT);
    case TypeId::kFloat64:
      return duckdb_create_logical_type(DUCKDB_TYPE_DOUBLE);
    case TypeId::kDecimal:
      return duckdb_create_decimal_type(static_cast<uint8_t>(type.precision()),
                                        static_cast<uint8_t>(type.scale()));
    case TypeId::kDate:
      return duckdb_create_logical_type(DUCKDB_TYPE_DATE);
    case TypeId::kTime:
      return duckdb_create_logical_type(DUCKDB_TYPE_TIME);
    case TypeId::kTimestamp:
      return duckdb_create_logical_type(type.timezone().empty() ? DUCKDB_TYPE_TIMESTAMP
                                                                : DUCKDB_TYPE_TIMESTAMP_TZ);
    case TypeId::kString:
      return duckdb_create_logical_type(DUCKDB_TYPE_VARCHAR);
    case TypeId::kBinary:
      return duckdb_create_logical_type(DUCKDB_TYPE_BLOB);
    case TypeId::kJson: {
      // DuckDB's JSON type is VARCHAR with the alias JSON.
      duckdb_logical_type json = duckdb_create_logical_type(DUCKDB_TYPE_VARCHAR);
      duckdb_logical_type_set_alias(json, "JSON");
      return json;
    }
  }
  return duckdb_create_logical_type(DUCKDB_TYPE_VARCHAR);
}

std::string UnsupportedColumnMessage(const std::string& column, duckdb_logical_type type) {
  duckdb_type id = duckdb_get_type_id(type);
  std::string fix;
  if (IsNested(id)) {
    fix = fmt::format("cast it to VARCHAR or JSON in the query, e.g. CAST({} AS JSON)",
                      QuoteIdentifier(column));
  } else if (id == DUCKDB_TYPE_TIME_NS || id == DUCKDB_TYPE_TIME_TZ) {
    fix = fmt::format("cast it to TIME or VARCHAR in the query, e.g. CAST({} AS TIME)",
                      QuoteIdentifier(column));
  } else if (id == DUCKDB_TYPE_UHUGEINT || id == DUCKDB_TYPE_BIGNUM) {
    fix = fmt::format("cast it to DECIMAL(38,0) or VARCHAR in the query, e.g. CAST({} AS VARCHAR)",
                      QuoteIdentifier(column));
  } else {
    fix = fmt::format("cast it to VARCHAR in the query, e.g. CAST({} AS VARCHAR)",
                      QuoteIdentifier(column));
  }
  return fmt::format("column '{}' has DuckDB type {}, which SQLFlow cannot represent; {}", column,
                     DuckTypeName(type), fix);
}

Schema PreparedSchema(duckdb_prepared_statement stmt, std::vector<duckdb_type>* duck_types) {
  idx_t n = duckdb_prepared_statement_column_count(stmt);
  std::vector<Field> fields;
  std::vector<std::string> problems;
  fields.reserve(n);
  for (idx_t i = 0; i < n; ++i) {
    // The C API allocates the name (const only in the signature): free it.
    DuckString name(const_cast<char*>(duckdb_prepared_statement_column_name(stmt, i)));
    LogicalType type(duckdb_prepared_statement_column_logical_type(stmt, i));
    Field field;
    field.name = name.str();
    if (!FromDuckType(type.get(), &field.type)) {
      problems.push_back(UnsupportedColumnMessage(field.name, type.get()));
    }
    if (duck_types != nullptr) duck_types->push_back(duckdb_get_type_id(type.get()));
    fields.push_back(std::move(field));
  }
  if (!problems.empty()) throw SchemaError("DuckDB", "query", Join(problems, "\n"));
  return Schema(std::move(fields));
}

}  // namespace internal
}  // namespace sqlflow::duck
