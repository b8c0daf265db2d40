#include "sqlflow/data/types.h"

#include <gtest/gtest.h>

#include "sqlflow/common/error.h"
#include "sqlflow/data/data_test_util.h"

namespace sqlflow {
namespace {

TEST(TypesTest, DecimalChecksPrecisionAndScale) {
  DataType d = DataType::Decimal(12, 2);
  EXPECT_EQ(d.id(), TypeId::kDecimal);
  EXPECT_EQ(d.precision(), 12);
  EXPECT_EQ(d.scale(), 2);
  EXPECT_NO_THROW(DataType::Decimal(38, 38));
  EXPECT_NO_THROW(DataType::Decimal(1, 0));
  EXPECT_THROW(DataType::Decimal(0, 0), SchemaError);
  EXPECT_THROW(DataType::Decimal(39, 0), SchemaError);
  EXPECT_THROW(DataType::Decimal(10, 11), SchemaError);
  EXPECT_THROW(DataType::Decimal(10, -1), SchemaError);
  try {
    DataType::Decimal(40, 2);
    FAIL() << "no exception";
  } catch (const SchemaError& e) {
    EXPECT_STREQ(e.what(),
                 "data type: invalid DECIMAL(40,2): precision must be 1..38 and scale "
                 "0..precision");
  }
}

TEST(TypesTest, EqualityIncludesParameters) {
  EXPECT_EQ(DataType::Decimal(12, 2), DataType::Decimal(12, 2));
  EXPECT_NE(DataType::Decimal(12, 2), DataType::Decimal(12, 3));
  EXPECT_NE(DataType::Timestamp(), DataType::Timestamp("UTC"));
  EXPECT_EQ(DataType(), DataType::String());
}

TEST(TypesTest, ByteWidthAndPredicates) {
  EXPECT_EQ(DataType::Boolean().byte_width(), 0);
  EXPECT_EQ(DataType::Int8().byte_width(), 1);
  EXPECT_EQ(DataType::UInt16().byte_width(), 2);
  EXPECT_EQ(DataType::Int32().byte_width(), 4);
  EXPECT_EQ(DataType::Float32().byte_width(), 4);
  EXPECT_EQ(DataType::Date().byte_width(), 4);
  EXPECT_EQ(DataType::Int64().byte_width(), 8);
  EXPECT_EQ(DataType::Time().byte_width(), 8);
  EXPECT_EQ(DataType::Timestamp("UTC").byte_width(), 8);
  EXPECT_EQ(DataType::Decimal(5, 1).byte_width(), 16);
  EXPECT_EQ(DataType::String().byte_width(), 0);
  EXPECT_EQ(DataType::Json().byte_width(), 0);

  EXPECT_TRUE(DataType::Json().is_variable_width());
  EXPECT_TRUE(DataType::Binary().is_variable_width());
  EXPECT_FALSE(DataType::Int64().is_variable_width());
  EXPECT_TRUE(DataType::UInt64().is_integer());
  EXPECT_TRUE(DataType::UInt64().is_unsigned_integer());
  EXPECT_FALSE(DataType::UInt64().is_signed_integer());
  EXPECT_TRUE(DataType::Int8().is_signed_integer());
  EXPECT_FALSE(DataType::Decimal(5, 0).is_integer());
  EXPECT_TRUE(DataType::Float32().is_floating());
  EXPECT_FALSE(DataType::Int32().is_floating());
  EXPECT_TRUE(DataType::Timestamp().is_orderable());
  EXPECT_TRUE(DataType::String().is_orderable());
  EXPECT_TRUE(DataType::Decimal(5, 0).is_orderable());
  EXPECT_FALSE(DataType::Boolean().is_orderable());
  EXPECT_FALSE(DataType::Json().is_orderable());
  EXPECT_FALSE(DataType::Binary().is_orderable());
}

TEST(TypesTest, SqlAndArrowSpellings) {
  struct Case {
    DataType type;
    const char* sql;
    const char* arrow;
    const char* name;
  };
  const Case cases[] = {
      {DataType::Boolean(), "BOOLEAN", "b", "boolean"},
      {DataType::Int8(), "TINYINT", "c", "int8"},
      {DataType::Int16(), "SMALLINT", "s", "int16"},
      {DataType::Int32(), "INTEGER", "i", "int32"},
      {DataType::Int64(), "BIGINT", "l", "int64"},
      {DataType::UInt8(), "UTINYINT", "C", "uint8"},
      {DataType::UInt16(), "USMALLINT", "S", "uint16"},
      {DataType::UInt32(), "UINTEGER", "I", "uint32"},
      {DataType::UInt64(), "UBIGINT", "L", "uint64"},
      {DataType::Float32(), "FLOAT", "f", "float32"},
      {DataType::Float64(), "DOUBLE", "g", "float64"},
      {DataType::Decimal(12, 2), "DECIMAL(12,2)", "d:12,2", "decimal"},
      {DataType::Date(), "DATE", "tdD", "date"},
      {DataType::Time(), "TIME", "ttu", "time"},
      {DataType::Timestamp(), "TIMESTAMP", "tsu:", "timestamp"},
      {DataType::Timestamp("Europe/Paris"), "TIMESTAMPTZ", "tsu:Europe/Paris", "timestamp"},
      {DataType::String(), "VARCHAR", "u", "string"},
      {DataType::Binary(), "BLOB", "z", "binary"},
      {DataType::Json(), "JSON", "u", "json"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(c.type.ToSql(), c.sql);
    EXPECT_EQ(c.type.ArrowFormat(), c.arrow);
    EXPECT_STREQ(TypeIdName(c.type.id()), c.name);
  }
}

TEST(TypesTest, ParseSqlTypeAcceptsDuckDbNamesAndAliases) {
  struct Case {
    const char* sql;
    DataType expected;
  };
  const Case cases[] = {
      {"BIGINT", DataType::Int64()},
      {"bigint", DataType::Int64()},
      {"  Integer ", DataType::Int32()},
      {"INT", DataType::Int32()},
      {"INT8", DataType::Int64()},
      {"SMALLINT", DataType::Int16()},
      {"TINYINT", DataType::Int8()},
      {"UBIGINT", DataType::UInt64()},
      {"UTINYINT", DataType::UInt8()},
      {"BOOL", DataType::Boolean()},
      {"REAL", DataType::Float32()},
      {"FLOAT", DataType::Float32()},
      {"double  precision", DataType::Float64()},
      {"DOUBLE", DataType::Float64()},
      {"DECIMAL(12,2)", DataType::Decimal(12, 2)},
      {"decimal( 12 , 2 )", DataType::Decimal(12, 2)},
      {"NUMERIC(38,10)", DataType::Decimal(38, 10)},
      {"DECIMAL(5)", DataType::Decimal(5, 0)},
      {"DECIMAL", DataType::Decimal(18, 3)},
      {"HUGEINT", DataType::Decimal(38, 0)},
      {"DATE", DataType::Date()},
      {"TIME", DataType::Time()},
      {"TIMESTAMP", DataType::Timestamp()},
      {"DATETIME", DataType::Timestamp()},
      {"TIMESTAMP_NS", DataType::Timestamp()},
      {"TIMESTAMP WITH TIME ZONE", DataType::Timestamp("UTC")},
      {"timestamptz", DataType::Timestamp("UTC")},
      {"VARCHAR", DataType::String()},
      {"VARCHAR(255)", DataType::String()},
      {"TEXT", DataType::String()},
      {"UUID", DataType::String()},
      {"BLOB", DataType::Binary()},
      {"BYTEA", DataType::Binary()},
      {"JSON", DataType::Json()},
  };
  for (const Case& c : cases) {
    DataType out = DataType::Boolean();
    EXPECT_TRUE(ParseSqlType(c.sql, &out)) << c.sql;
    EXPECT_EQ(out, c.expected) << c.sql;
  }
}

TEST(TypesTest, ParseSqlTypeRejectsWhatItCannotRepresent) {
  for (const char* sql :
       {"INTEGER[]", "STRUCT(a INTEGER)", "MAP(VARCHAR, INTEGER)", "INTERVAL", "DECIMAL(40,2)",
        "DECIMAL(5,6)", "DECIMAL(x)", "TIMESTAMP(3)", "BIGINT(5)", "", "UNION(a INT)", "BIT"}) {
    DataType out = DataType::Boolean();
    EXPECT_FALSE(ParseSqlType(sql, &out)) << sql;
    EXPECT_EQ(out, DataType::Boolean()) << sql;
  }
}

TEST(TypesTest, ParseSqlTypeReadsBackEveryToSql) {
  auto schema = testing_util::AllTypesSchema();
  for (const Field& f : schema->fields()) {
    DataType out;
    ASSERT_TRUE(ParseSqlType(f.type.ToSql(), &out)) << f.type.ToSql();
    EXPECT_EQ(out, f.type) << f.type.ToSql();
  }
}

TEST(TypesTest, SchemaFieldIndexPrefersExactMatch) {
  Schema schema({{"id", DataType::Int64()}, {"ID", DataType::String()}, {"Name", DataType()}});
  EXPECT_EQ(schema.FieldIndex("id"), 0);
  EXPECT_EQ(schema.FieldIndex("ID"), 1);
  EXPECT_EQ(schema.FieldIndex("Id"), 0);
  EXPECT_EQ(schema.FieldIndex("name"), 2);
  EXPECT_EQ(schema.FieldIndex("missing"), -1);
  EXPECT_EQ(schema.num_fields(), 3u);
  EXPECT_EQ(schema.field(2).name, "Name");
  EXPECT_EQ(schema.names(), (std::vector<std::string>{"id", "ID", "Name"}));
}

TEST(TypesTest, SchemaToStringAndEquality) {
  Schema a({{"id", DataType::Int64(), false}, {"amount", DataType::Decimal(12, 2)}});
  EXPECT_EQ(a.ToString(), "id BIGINT, amount DECIMAL(12,2)");
  Schema b({{"id", DataType::Int64(), false}, {"amount", DataType::Decimal(12, 2)}});
  EXPECT_EQ(a, b);
  Schema c({{"id", DataType::Int64(), true}, {"amount", DataType::Decimal(12, 2)}});
  EXPECT_NE(a, c);
  EXPECT_EQ(Schema().ToString(), "");
}

}  // namespace
}  // namespace sqlflow
