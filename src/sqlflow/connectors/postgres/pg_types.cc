#include "sqlflow/connectors/postgres/pg_types.h"

#include <cctype>

#include <fmt/format.h>

#include "sqlflow/connectors/postgres/pg_copy_internal.h"

namespace sqlflow::pg {

namespace {

/// numeric's typmod: ((precision << 16) | scale) + VARHDRSZ.
constexpr int32_t kVarHdrSz = 4;

int32_t NumericTypmod(int precision, int scale) { return ((precision << 16) | scale) + kVarHdrSz; }

/// DECIMAL(p,s) for a numeric typmod, or nullopt when there is none or it does not fit one
/// (precision past 38, or PostgreSQL 15's negative scale and scale past precision).
std::optional<DataType> NumericType(int32_t typmod) {
  if (typmod < kVarHdrSz) return std::nullopt;
  int32_t bits = typmod - kVarHdrSz;
  int precision = (bits >> 16) & 0xFFFF;
  int scale = ((bits & 0x7FF) ^ 1024) - 1024;  // 11-bit signed since PostgreSQL 15.
  if (precision < 1 || precision > 38 || scale < 0 || scale > precision) return std::nullopt;
  return DataType::Decimal(precision, scale);
}

std::string Upper(const char* s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool IsTextOid(uint32_t oid) {
  return oid == kTextOid || oid == kVarcharOid || oid == kBpcharOid || oid == kNameOid;
}

bool Encodable(const DataType& type, uint32_t oid) {
  switch (type.id()) {
    case TypeId::kInt8:
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
    case TypeId::kUInt8:
    case TypeId::kUInt16:
    case TypeId::kUInt32:
    case TypeId::kUInt64:
      return oid == kInt2Oid || oid == kInt4Oid || oid == kInt8Oid || oid == kNumericOid;
    case TypeId::kFloat32:
    case TypeId::kFloat64:
      return oid == kFloat4Oid || oid == kFloat8Oid;
    case TypeId::kDecimal:
      // Scale 0 also goes into integers, range checked per value like integers.
      return oid == kNumericOid || oid == kFloat8Oid ||
             (type.scale() == 0 && (oid == kInt2Oid || oid == kInt4Oid || oid == kInt8Oid));
    case TypeId::kBoolean:
      return oid == kBoolOid;
    case TypeId::kString:
      return IsTextOid(oid) || oid == kJsonOid || oid == kJsonbOid || oid == kUuidOid;
    case TypeId::kJson:
      return oid == kJsonOid || oid == kJsonbOid || oid == kTextOid || oid == kVarcharOid;
    case TypeId::kBinary:
      return oid == kByteaOid;
    case TypeId::kDate:
      return oid == kDateOid || oid == kTimestampOid || oid == kTimestamptzOid;
    case TypeId::kTime:
      return oid == kTimeOid;
    case TypeId::kTimestamp:
      return oid == kTimestampOid || oid == kTimestamptzOid;
  }
  return false;
}

}  // namespace

std::optional<DataType> DecodedType(uint32_t oid, int32_t typmod) {
  switch (oid) {
    case kBoolOid:
      return DataType::Boolean();
    case kInt2Oid:
      return DataType::Int16();
    case kInt4Oid:
      return DataType::Int32();
    case kInt8Oid:
    case kOidOid:
      return DataType::Int64();
    case kFloat4Oid:
      return DataType::Float32();
    case kFloat8Oid:
      return DataType::Float64();
    case kNumericOid:
      return NumericType(typmod);
    case kTextOid:
    case kVarcharOid:
    case kBpcharOid:
    case kNameOid:
    case kCharOid:
    case kUuidOid:
      return DataType::String();
    case kByteaOid:
      return DataType::Binary();
    case kDateOid:
      return DataType::Date();
    case kTimeOid:
      return DataType::Time();
    case kTimestampOid:
      return DataType::Timestamp();
    case kTimestamptzOid:
      return DataType::Timestamp("UTC");
    case kJsonOid:
    case kJsonbOid:
      return DataType::Json();
    default:
      return std::nullopt;
  }
}

PgColumnType CreatedType(const DataType& type) {
  switch (type.id()) {
    case TypeId::kBoolean:
      return {"boolean", kBoolOid};
    case TypeId::kInt8:
    case TypeId::kInt16:
    case TypeId::kUInt8:
      return {"smallint", kInt2Oid};
    case TypeId::kInt32:
    case TypeId::kUInt16:
      return {"integer", kInt4Oid};
    case TypeId::kInt64:
    case TypeId::kUInt32:
      return {"bigint", kInt8Oid};
    case TypeId::kUInt64:
      return {"numeric(20,0)", kNumericOid, NumericTypmod(20, 0)};
    case TypeId::kFloat32:
      return {"real", kFloat4Oid};
    case TypeId::kFloat64:
      return {"double precision", kFloat8Oid};
    case TypeId::kDecimal:
      return {fmt::format("numeric({},{})", type.precision(), type.scale()), kNumericOid,
              NumericTypmod(type.precision(), type.scale())};
    case TypeId::kDate:
      return {"date", kDateOid};
    case TypeId::kTime:
      return {"time", kTimeOid};
    case TypeId::kTimestamp:
      if (type.timezone().empty()) return {"timestamp", kTimestampOid};
      return {"timestamp with time zone", kTimestamptzOid};
    case TypeId::kString:
      return {"text", kTextOid};
    case TypeId::kBinary:
      return {"bytea", kByteaOid};
    case TypeId::kJson:
      return {"jsonb", kJsonbOid};
  }
  return {"text", kTextOid};
}

std::string CannotEncode(const DataType& type, uint32_t oid) {
  if (Encodable(type, oid)) return "";
  return fmt::format("{} values cannot be written to a column of type {}",
                     Upper(TypeIdName(type.id())), internal::OidName(oid));
}

namespace internal {

std::string OidName(uint32_t oid) {
  switch (oid) {
    case kBoolOid:
      return "boolean";
    case kByteaOid:
      return "bytea";
    case kCharOid:
      return "\"char\"";
    case kNameOid:
      return "name";
    case kInt8Oid:
      return "bigint";
    case kInt2Oid:
      return "smallint";
    case kInt4Oid:
      return "integer";
    case kTextOid:
      return "text";
    case kOidOid:
      return "oid";
    case kJsonOid:
      return "json";
    case kFloat4Oid:
      return "real";
    case kFloat8Oid:
      return "double precision";
    case kBpcharOid:
      return "character";
    case kVarcharOid:
      return "character varying";
    case kDateOid:
      return "date";
    case kTimeOid:
      return "time without time zone";
    case kTimestampOid:
      return "timestamp without time zone";
    case kTimestamptzOid:
      return "timestamp with time zone";
    case kIntervalOid:
      return "interval";
    case kNumericOid:
      return "numeric";
    case kUuidOid:
      return "uuid";
    case kJsonbOid:
      return "jsonb";
    default:
      return fmt::format("OID {}", oid);
  }
}

}  // namespace internal

std::string TidLiteral(int64_t tid) {
  return "'(" + std::to_string(tid >> 16) + "," + std::to_string(tid & 0xFFFF) + ")'";
}

}  // namespace sqlflow::pg
