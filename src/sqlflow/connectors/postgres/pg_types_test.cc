#include "sqlflow/connectors/postgres/pg_types.h"

#include <set>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace sqlflow::pg {
namespace {

int32_t Typmod(int precision, int scale) { return ((precision << 16) | scale) + 4; }

TEST(PgTypesTest, DecodedTypeOfEveryBuiltinType) {
  const std::vector<std::pair<uint32_t, DataType>> cases = {
      {kBoolOid, DataType::Boolean()},        {kInt2Oid, DataType::Int16()},
      {kInt4Oid, DataType::Int32()},          {kInt8Oid, DataType::Int64()},
      {kOidOid, DataType::Int64()},           {kFloat4Oid, DataType::Float32()},
      {kFloat8Oid, DataType::Float64()},      {kTextOid, DataType::String()},
      {kVarcharOid, DataType::String()},      {kBpcharOid, DataType::String()},
      {kNameOid, DataType::String()},         {kCharOid, DataType::String()},
      {kUuidOid, DataType::String()},         {kByteaOid, DataType::Binary()},
      {kDateOid, DataType::Date()},           {kTimeOid, DataType::Time()},
      {kTimestampOid, DataType::Timestamp()}, {kTimestamptzOid, DataType::Timestamp("UTC")},
      {kJsonOid, DataType::Json()},           {kJsonbOid, DataType::Json()},
  };
  for (const auto& [oid, type] : cases) {
    std::optional<DataType> decoded = DecodedType(oid, -1);
    ASSERT_TRUE(decoded.has_value()) << oid;
    EXPECT_EQ(*decoded, type) << oid;
  }
  EXPECT_FALSE(DecodedType(kIntervalOid, -1).has_value());
  EXPECT_FALSE(DecodedType(1266, -1).has_value());  // timetz
  EXPECT_FALSE(DecodedType(1007, -1).has_value());  // int4[]
}

TEST(PgTypesTest, NumericDecodesToDecimalOnlyWithAPrecisionUpTo38) {
  EXPECT_EQ(DecodedType(kNumericOid, Typmod(12, 2)), DataType::Decimal(12, 2));
  EXPECT_EQ(DecodedType(kNumericOid, Typmod(38, 6)), DataType::Decimal(38, 6));
  EXPECT_EQ(DecodedType(kNumericOid, Typmod(1, 0)), DataType::Decimal(1, 0));
  EXPECT_EQ(DecodedType(kNumericOid, Typmod(20, 20)), DataType::Decimal(20, 20));
  EXPECT_FALSE(DecodedType(kNumericOid, -1).has_value());  // numeric without typmod: text.
  EXPECT_FALSE(DecodedType(kNumericOid, Typmod(39, 0)).has_value());
  EXPECT_FALSE(DecodedType(kNumericOid, Typmod(1000, 2)).has_value());
  // PostgreSQL 15's negative scale (numeric(5,-2)): 11-bit two's complement.
  EXPECT_FALSE(DecodedType(kNumericOid, ((5 << 16) | (-2 & 0x7FF)) + 4).has_value());
  // Scale past precision (numeric(2,3), allowed since PostgreSQL 15).
  EXPECT_FALSE(DecodedType(kNumericOid, Typmod(2, 3)).has_value());
}

TEST(PgTypesTest, CreatedTypeOfEveryType) {
  struct Case {
    DataType type;
    std::string sql;
    uint32_t oid;
    int32_t typmod;
  };
  const std::vector<Case> cases = {
      {DataType::Boolean(), "boolean", kBoolOid, -1},
      {DataType::Int8(), "smallint", kInt2Oid, -1},
      {DataType::Int16(), "smallint", kInt2Oid, -1},
      {DataType::UInt8(), "smallint", kInt2Oid, -1},
      {DataType::Int32(), "integer", kInt4Oid, -1},
      {DataType::UInt16(), "integer", kInt4Oid, -1},
      {DataType::Int64(), "bigint", kInt8Oid, -1},
      {DataType::UInt32(), "bigint", kInt8Oid, -1},
      {DataType::UInt64(), "numeric(20,0)", kNumericOid, Typmod(20, 0)},
      {DataType::Float32(), "real", kFloat4Oid, -1},
      {DataType::Float64(), "double precision", kFloat8Oid, -1},
      {DataType::Decimal(12, 2), "numeric(12,2)", kNumericOid, Typmod(12, 2)},
      {DataType::Decimal(38, 6), "numeric(38,6)", kNumericOid, Typmod(38, 6)},
      {DataType::Date(), "date", kDateOid, -1},
      {DataType::Time(), "time", kTimeOid, -1},
      {DataType::Timestamp(), "timestamp", kTimestampOid, -1},
      {DataType::Timestamp("UTC"), "timestamp with time zone", kTimestamptzOid, -1},
      {DataType::Timestamp("Europe/Paris"), "timestamp with time zone", kTimestamptzOid, -1},
      {DataType::String(), "text", kTextOid, -1},
      {DataType::Binary(), "bytea", kByteaOid, -1},
      {DataType::Json(), "jsonb", kJsonbOid, -1},
  };
  for (const Case& c : cases) {
    PgColumnType created = CreatedType(c.type);
    EXPECT_EQ(created.sql, c.sql) << c.type.ToSql();
    EXPECT_EQ(created.oid, c.oid) << c.type.ToSql();
    EXPECT_EQ(created.typmod, c.typmod) << c.type.ToSql();
    // What SQLFlow creates it can write, and reads back as the same family.
    EXPECT_EQ(CannotEncode(c.type, created.oid), "") << c.type.ToSql();
    std::optional<DataType> back = DecodedType(created.oid, created.typmod);
    ASSERT_TRUE(back.has_value()) << c.type.ToSql();
    EXPECT_EQ(FamilyOf(*back), FamilyOf(c.type)) << c.type.ToSql();
  }
  EXPECT_EQ(DecodedType(kNumericOid, CreatedType(DataType::Decimal(12, 2)).typmod),
            DataType::Decimal(12, 2));
}

const std::vector<uint32_t>& AllOids() {
  static const std::vector<uint32_t> oids = {
      kBoolOid,     kByteaOid,   kCharOid, kNameOid, kInt8Oid,      kInt2Oid,
      kInt4Oid,     kTextOid,    kOidOid,  kJsonOid, kFloat4Oid,    kFloat8Oid,
      kBpcharOid,   kVarcharOid, kDateOid, kTimeOid, kTimestampOid, kTimestamptzOid,
      kIntervalOid, kNumericOid, kUuidOid, kJsonbOid};
  return oids;
}

TEST(PgTypesTest, CannotEncodeMatrix) {
  const std::set<uint32_t> integers = {kInt2Oid, kInt4Oid, kInt8Oid, kNumericOid};
  const std::set<uint32_t> text = {kTextOid, kVarcharOid, kBpcharOid, kNameOid,
                                   kJsonOid, kJsonbOid,   kUuidOid};
  const std::vector<std::pair<DataType, std::set<uint32_t>>> matrix = {
      {DataType::Int8(), integers},
      {DataType::Int16(), integers},
      {DataType::Int32(), integers},
      {DataType::Int64(), integers},
      {DataType::UInt8(), integers},
      {DataType::UInt16(), integers},
      {DataType::UInt32(), integers},
      {DataType::UInt64(), integers},
      {DataType::Float32(), {kFloat4Oid, kFloat8Oid}},
      {DataType::Float64(), {kFloat4Oid, kFloat8Oid}},
      {DataType::Decimal(12, 2), {kNumericOid, kFloat8Oid}},
      // Scale 0 also goes into integers, range checked per value.
      {DataType::Decimal(20, 0), {kNumericOid, kFloat8Oid, kInt2Oid, kInt4Oid, kInt8Oid}},
      {DataType::Boolean(), {kBoolOid}},
      {DataType::String(), text},
      {DataType::Json(), {kJsonOid, kJsonbOid, kTextOid, kVarcharOid}},
      {DataType::Binary(), {kByteaOid}},
      {DataType::Date(), {kDateOid, kTimestampOid, kTimestamptzOid}},
      {DataType::Time(), {kTimeOid}},
      {DataType::Timestamp(), {kTimestampOid, kTimestamptzOid}},
      {DataType::Timestamp("UTC"), {kTimestampOid, kTimestamptzOid}},
  };
  for (const auto& [type, supported] : matrix) {
    for (uint32_t oid : AllOids()) {
      std::string why = CannotEncode(type, oid);
      EXPECT_EQ(why.empty(), supported.count(oid) == 1) << type.ToSql() << " into " << oid;
    }
  }
}

TEST(PgTypesTest, CannotEncodeSaysWhy) {
  EXPECT_EQ(CannotEncode(DataType::Int64(), kIntervalOid),
            "INT64 values cannot be written to a column of type interval");
  EXPECT_EQ(CannotEncode(DataType::Decimal(12, 2), kInt4Oid),
            "DECIMAL values cannot be written to a column of type integer");
  EXPECT_EQ(CannotEncode(DataType::Json(), kUuidOid),
            "JSON values cannot be written to a column of type uuid");
  EXPECT_EQ(CannotEncode(DataType::Timestamp("UTC"), kDateOid),
            "TIMESTAMP values cannot be written to a column of type date");
  EXPECT_EQ(CannotEncode(DataType::String(), kCharOid),
            "STRING values cannot be written to a column of type \"char\"");
  EXPECT_EQ(CannotEncode(DataType::Float64(), 600),
            "FLOAT64 values cannot be written to a column of type OID 600");
}

TEST(PgTypesTest, EpochOffsets) {
  EXPECT_EQ(kPgEpochDays * int64_t{86400} * 1000000, kPgEpochMicros);
}

}  // namespace
}  // namespace sqlflow::pg
