// PostgreSQL types as SQLFlow sees them: the built-in type OIDs, the SQLFlow type a column of
// each decodes to, and the PostgreSQL type a SQLFlow column is written as.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "sqlflow/data/types.h"

namespace sqlflow::pg {

/// Built-in type OIDs (fixed in pg_type.dat; stable across server versions).
enum Oid : uint32_t {
  kBoolOid = 16,
  kByteaOid = 17,
  kCharOid = 18,  ///< "char" (one byte)
  kNameOid = 19,
  kInt8Oid = 20,
  kInt2Oid = 21,
  kInt4Oid = 23,
  kTextOid = 25,
  kOidOid = 26,
  kTidOid = 27,  ///< A row's physical address (block, offset); read for resuming by ctid.
  kJsonOid = 114,
  kFloat4Oid = 700,
  kFloat8Oid = 701,
  kBpcharOid = 1042,
  kVarcharOid = 1043,
  kDateOid = 1082,
  kTimeOid = 1083,
  kTimestampOid = 1114,
  kTimestamptzOid = 1184,
  kIntervalOid = 1186,
  kNumericOid = 1700,
  kUuidOid = 2950,
  kJsonbOid = 3802,
};

/// The SQLFlow type a result column of type `oid` (with `typmod`, -1 when none) is decoded to
/// from COPY binary, or nullopt when the column has no binary decoder and the reader must cast
/// it in its SELECT (to text, or to JSON for arrays; see README.md):
/// bool→BOOLEAN; int2/int4/int8→INT16/INT32/INT64; oid→INT64; float4/float8→FLOAT/DOUBLE;
/// numeric(p,s) with p ≤ 38→DECIMAL(p,s); numeric without typmod or p > 38→nullopt (read as
/// text: exact); text/varchar/bpchar/name/"char"→VARCHAR; bytea→BLOB; date→DATE;
/// time→TIME; timestamp→TIMESTAMP; timestamptz→TIMESTAMP WITH TIME ZONE ("UTC");
/// uuid→VARCHAR (canonical lower-case 8-4-4-4-12 form); json/jsonb→JSON.
std::optional<DataType> DecodedType(uint32_t oid, int32_t typmod);

/// The column type SQLFlow creates for a column of `type` ("bigint", "numeric(12,2)",
/// "timestamp with time zone", "jsonb", ...) and that type's OID:
/// BOOLEAN→boolean; INT8/INT16/UINT8→smallint; INT32/UINT16→integer; INT64/UINT32→bigint;
/// UINT64→numeric(20,0); FLOAT→real; DOUBLE→double precision; DECIMAL(p,s)→numeric(p,s);
/// DATE→date; TIME→time; TIMESTAMP→timestamp; TIMESTAMP WITH TIME ZONE→timestamptz;
/// VARCHAR→text; BLOB→bytea; JSON→jsonb.
struct PgColumnType {
  std::string sql;  ///< For CREATE TABLE.
  uint32_t oid = 0;
  int32_t typmod = -1;  ///< numeric: ((p << 16) | s) + 4; else -1.
};
PgColumnType CreatedType(const DataType& type);

/// Whether values of `type` can be written straight into a column of `oid` by COPY binary
/// (CopyBinaryEncoder): "" when they can, else why not ("INT64 values cannot be written to a
/// column of type interval"), so the writer can stage and cast instead. Supported:
/// integers→int2/int4/int8/numeric (range checked per value); floats→float4/float8;
/// decimals→numeric, float8; BOOLEAN→bool; VARCHAR→text/varchar/bpchar/name/json/jsonb/uuid;
/// JSON→json/jsonb/text/varchar; BLOB→bytea; DATE→date/timestamp/timestamptz;
/// TIME→time; TIMESTAMP (either zone)→timestamp/timestamptz.
std::string CannotEncode(const DataType& type, uint32_t oid);

/// A tid as the INT64 CopyBinaryDecoder makes of it: (block << 16) | offset, ordered as the tid.
inline constexpr int64_t TidValue(uint32_t block, uint16_t offset) {
  return (static_cast<int64_t>(block) << 16) | offset;
}
/// '(block,offset)', the tid's text form, of a TidValue.
std::string TidLiteral(int64_t tid);

/// Microseconds between 1970-01-01 (SQLFlow's epoch) and 2000-01-01 (PostgreSQL's).
inline constexpr int64_t kPgEpochMicros = 946684800LL * 1000000;
/// Days between the two epochs.
inline constexpr int32_t kPgEpochDays = 10957;

}  // namespace sqlflow::pg
