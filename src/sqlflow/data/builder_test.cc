#include <cstring>

#include <gtest/gtest.h>

#include "sqlflow/common/error.h"
#include "sqlflow/data/chunk.h"
#include "sqlflow/data/data_test_util.h"

namespace sqlflow {
namespace {

using testing_util::ExpectRows;
using testing_util::Row;

std::string ErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const SchemaError& e) {
    return e.what();
  }
  return "no exception";
}

TEST(ColumnBuilderTest, NoValidityBitmapWithoutNulls) {
  ColumnBuilder b(DataType::Int32());
  for (int i = 0; i < 100; ++i) b.AppendInt(i);
  Column c = b.Finish();
  EXPECT_EQ(c.length, 100);
  EXPECT_EQ(c.null_count, 0);
  EXPECT_EQ(c.validity, nullptr);
  EXPECT_EQ(c.values->size(), 400u);
  EXPECT_EQ(c.ValueAt<int32_t>(99), 99);
}

TEST(ColumnBuilderTest, ValidityBitmapStartsAtFirstNull) {
  for (int first_null : {0, 7, 8, 9, 63}) {
    ColumnBuilder b(DataType::Int64());
    for (int i = 0; i < first_null; ++i) b.AppendInt(i);
    b.AppendNull();
    b.AppendInt(1);
    b.AppendNull();
    Column c = b.Finish();
    ASSERT_NE(c.validity, nullptr);
    EXPECT_EQ(c.validity->size(), static_cast<size_t>((first_null + 3 + 7) / 8));
    EXPECT_EQ(c.null_count, 2);
    for (int i = 0; i < first_null; ++i) EXPECT_TRUE(c.IsValid(i)) << first_null << " " << i;
    EXPECT_TRUE(c.IsNull(first_null));
    EXPECT_TRUE(c.IsValid(first_null + 1));
    EXPECT_TRUE(c.IsNull(first_null + 2));
    EXPECT_EQ(c.ValueAt<int64_t>(first_null + 1), 1);
    EXPECT_EQ(c.ValueAt<int64_t>(first_null), 0);  // NULL slots hold zeros.
  }
}

TEST(ColumnBuilderTest, BooleansAreBitPacked) {
  ColumnBuilder b(DataType::Boolean());
  for (int i = 0; i < 17; ++i) b.AppendBool(i % 2 == 0);
  Column c = b.Finish();
  EXPECT_EQ(c.values->size(), 3u);
  EXPECT_EQ(c.values->data()[0], 0x55);
  EXPECT_EQ(c.values->data()[1], 0x55);
  EXPECT_EQ(c.values->data()[2], 0x01);
  EXPECT_TRUE(c.BoolAt(16));
  EXPECT_FALSE(c.BoolAt(15));
}

TEST(ColumnBuilderTest, StringsUseOffsets) {
  ColumnBuilder b(DataType::String());
  b.AppendString("ab");
  b.AppendNull();
  b.AppendString("");
  b.AppendString("\xe2\x82\xac");
  Column c = b.Finish();
  const auto* offsets = reinterpret_cast<const int32_t*>(c.values->data());
  EXPECT_EQ(c.values->size(), 20u);
  EXPECT_EQ(std::vector<int32_t>(offsets, offsets + 5), (std::vector<int32_t>{0, 2, 2, 2, 5}));
  EXPECT_EQ(c.data->size(), 5u);
  EXPECT_EQ(c.StringAt(0), "ab");
  EXPECT_TRUE(c.IsNull(1));
  EXPECT_EQ(c.StringAt(3), "\xe2\x82\xac");
}

TEST(ColumnBuilderTest, FinishStartsOverAndReusesTheBuilder) {
  ColumnBuilder b(DataType::String());
  b.Reserve(10, 100);
  b.AppendNull();
  b.AppendString("x");
  Column first = b.Finish();
  EXPECT_EQ(b.length(), 0);
  b.AppendString("yz");
  Column second = b.Finish();
  EXPECT_EQ(second.length, 1);
  EXPECT_EQ(second.null_count, 0);
  EXPECT_EQ(second.validity, nullptr);
  EXPECT_EQ(second.StringAt(0), "yz");
  EXPECT_EQ(first.StringAt(1), "x");  // Unaffected by reuse.
  Column empty = b.Finish();
  EXPECT_EQ(empty.length, 0);
  EXPECT_EQ(empty.values->size(), 4u);  // The single offset 0.
}

TEST(ColumnBuilderTest, TypedAppendsConvertWithinTheFamily) {
  ColumnBuilder dec(DataType::Decimal(12, 2));
  dec.AppendInt(-3);
  dec.AppendUInt(4);
  dec.AppendDecimal(1234);
  Column d = dec.Finish();
  EXPECT_TRUE(d.DecimalAt(0) == -300);
  EXPECT_TRUE(d.DecimalAt(1) == 400);
  EXPECT_TRUE(d.DecimalAt(2) == 1234);

  ColumnBuilder f(DataType::Float32());
  f.AppendInt(-2);
  f.AppendUInt(3);
  f.AppendDouble(0.5);
  Column fc = f.Finish();
  EXPECT_EQ(fc.ValueAt<float>(0), -2.0f);
  EXPECT_EQ(fc.ValueAt<float>(2), 0.5f);

  ColumnBuilder u(DataType::UInt64());
  u.AppendUInt(UINT64_MAX);
  EXPECT_EQ(u.Finish().ValueAt<uint64_t>(0), UINT64_MAX);

  ColumnBuilder ts(DataType::Timestamp());
  ts.AppendInt(-1);
  EXPECT_EQ(ts.Finish().ValueAt<int64_t>(0), -1);
}

TEST(ColumnBuilderTest, TypedAppendsRejectOtherFamilies) {
  ColumnBuilder s(DataType::String());
  EXPECT_EQ(ErrorOf([&] { s.AppendInt(1); }),
            "data append: cannot store an integer in a column of type VARCHAR");
  ColumnBuilder i(DataType::Int32());
  EXPECT_EQ(ErrorOf([&] { i.AppendString("1"); }),
            "data append: cannot store a string in a column of type INTEGER");
  EXPECT_THROW(i.AppendDouble(1.0), SchemaError);
  EXPECT_THROW(i.AppendBool(true), SchemaError);
  EXPECT_THROW(i.AppendDecimal(1), SchemaError);
  EXPECT_EQ(i.length(), 0);
}

TEST(ColumnBuilderTest, AppendValueConvertsCompatibleTypes) {
  ColumnBuilder dec(DataType::Decimal(12, 2));
  dec.AppendValue(Value::Int(5, DataType::Int8()));
  dec.AppendValue(Value::UInt(7));
  dec.AppendValue(Value::Decimal(15, DataType::Decimal(3, 1)));
  dec.AppendValue(Value::Decimal(12300, DataType::Decimal(10, 4)));
  dec.AppendValue(Value::Null(DataType::Int64()));
  Column d = dec.Finish();
  EXPECT_TRUE(d.DecimalAt(0) == 500);
  EXPECT_TRUE(d.DecimalAt(1) == 700);
  EXPECT_TRUE(d.DecimalAt(2) == 150);
  EXPECT_TRUE(d.DecimalAt(3) == 123);
  EXPECT_TRUE(d.IsNull(4));

  ColumnBuilder dbl(DataType::Float64());
  dbl.AppendValue(Value::Int(-3));
  dbl.AppendValue(Value::Decimal(125, DataType::Decimal(5, 2)));
  dbl.AppendValue(Value::Double(0.25, DataType::Float32()));
  Column f = dbl.Finish();
  EXPECT_EQ(f.ValueAt<double>(0), -3.0);
  EXPECT_EQ(f.ValueAt<double>(1), 1.25);
  EXPECT_EQ(f.ValueAt<double>(2), 0.25);

  ColumnBuilder small(DataType::Int8());
  small.AppendValue(Value::UInt(127));
  small.AppendValue(Value::Int(-128));
  EXPECT_EQ(small.Finish().ValueAt<int8_t>(1), -128);

  ColumnBuilder json(DataType::Json());
  json.AppendValue(Value::String("{}"));
  EXPECT_EQ(json.Finish().StringAt(0), "{}");

  ColumnBuilder text(DataType::String());
  text.AppendValue(Value::Json("[1]"));
  EXPECT_EQ(text.Finish().StringAt(0), "[1]");

  ColumnBuilder ts(DataType::Timestamp("UTC"));
  ts.AppendValue(Value::Date(-1));
  ts.AppendValue(Value::Timestamp(5));
  Column t = ts.Finish();
  EXPECT_EQ(t.ValueAt<int64_t>(0), -86400000000);
  EXPECT_EQ(t.ValueAt<int64_t>(1), 5);
}

TEST(ColumnBuilderTest, AppendValueRejectsLossyOrForeignConversions) {
  ColumnBuilder i8(DataType::Int8());
  EXPECT_EQ(
      ErrorOf([&] { i8.AppendValue(Value::Int(300)); }),
      "data append: cannot store BIGINT value 300 (out of range) in a column of type TINYINT");
  EXPECT_THROW(i8.AppendValue(Value::Int(-129)), SchemaError);
  ColumnBuilder u8(DataType::UInt8());
  EXPECT_THROW(u8.AppendValue(Value::Int(-1)), SchemaError);
  ColumnBuilder i64(DataType::Int64());
  EXPECT_THROW(i64.AppendValue(Value::UInt(UINT64_MAX)), SchemaError);
  EXPECT_EQ(ErrorOf([&] { i64.AppendValue(Value::Double(1.5)); }),
            "data append: cannot store DOUBLE value 1.5 in a column of type BIGINT");
  EXPECT_THROW(i64.AppendValue(Value::String("1")), SchemaError);
  ColumnBuilder dec(DataType::Decimal(4, 2));
  EXPECT_EQ(ErrorOf([&] { dec.AppendValue(Value::Decimal(1234, DataType::Decimal(5, 3))); }),
            "data append: cannot store DECIMAL(5,3) value 1.234 (does not fit exactly) in a "
            "column of type DECIMAL(4,2)");
  EXPECT_THROW(dec.AppendValue(Value::Int(100)), SchemaError);  // 100.00 needs precision 5.
  ColumnBuilder date(DataType::Date());
  EXPECT_THROW(date.AppendValue(Value::Timestamp(0)), SchemaError);
  ColumnBuilder bin(DataType::Binary());
  bin.AppendValue(Value::String("ok"));
  ColumnBuilder str(DataType::String());
  EXPECT_THROW(str.AppendValue(Value::Binary("x")), SchemaError);
  EXPECT_EQ(i8.length() + u8.length() + i64.length() + dec.length() + date.length() + str.length(),
            0);
}

TEST(ColumnBuilderTest, AppendFromCopiesRowsOfAnyOffset) {
  DataChunk source =
      testing_util::BuildChunk(testing_util::AllTypesSchema(), testing_util::AllTypesRows());
  DataChunk slice = source.Slice(1, 5);
  ChunkBuilder builder(source.schema_ptr());
  for (size_t c = 0; c < slice.num_columns(); ++c) {
    for (int64_t r = slice.num_rows() - 1; r >= 0; --r) {
      builder.column(c).AppendFrom(slice.column(c), r);
    }
  }
  std::vector<Row> rows = testing_util::AllTypesRows();
  ExpectRows({rows[5], rows[4], rows[3], rows[2], rows[1]}, builder.Finish());

  ColumnBuilder wider(DataType::Int64());
  wider.AppendFrom(source.column(1), 1);  // TINYINT → BIGINT through AppendValue.
  EXPECT_EQ(wider.Finish().ValueAt<int64_t>(0), INT8_MIN);
}

TEST(ColumnBuilderTest, TruncateUndoesRows) {
  ColumnBuilder s(DataType::String());
  s.AppendString("keep");
  s.AppendNull();
  s.AppendString("drop");
  s.AppendNull();
  s.Truncate(2);
  EXPECT_EQ(s.length(), 2);
  s.AppendString("new");
  Column c = s.Finish();
  EXPECT_EQ(c.null_count, 1);
  EXPECT_EQ(c.data->size(), 7u);
  EXPECT_EQ(c.StringAt(2), "new");

  ColumnBuilder b(DataType::Boolean());
  for (int i = 0; i < 10; ++i) b.AppendBool(true);
  b.Truncate(3);
  b.AppendBool(false);
  Column bc = b.Finish();
  EXPECT_EQ(bc.length, 4);
  EXPECT_EQ(bc.values->data()[0], 0x07);
}

TEST(ChunkBuilderTest, BuildsEveryTypeWithNulls) {
  DataChunk chunk =
      testing_util::BuildChunk(testing_util::AllTypesSchema(), testing_util::AllTypesRows());
  EXPECT_NO_THROW(chunk.Validate());
  ExpectRows(testing_util::AllTypesRows(), chunk);
  for (const Column& c : chunk.columns()) EXPECT_EQ(c.null_count, 3);
}

TEST(ChunkBuilderTest, FailedRowIsNotAdded) {
  ChunkBuilder builder(Schema({{"id", DataType::Int64()},
                               {"code", DataType::Int8()},
                               {"name", DataType::String(), false}}));
  builder.AppendRow({Value::Int(1), Value::Int(2), Value::String("a")});
  EXPECT_EQ(ErrorOf([&] {
              builder.AppendRow({Value::Int(2), Value::Int(1000), Value::String("b")});
            }),
            "data append: column 'code': cannot store BIGINT value 1000 (out of range) in a "
            "column of type TINYINT");
  EXPECT_EQ(ErrorOf([&] {
              builder.AppendRow({Value::Int(3), Value::Int(3), Value::Null(DataType::String())});
            }),
            "data append: column 'name': NULL in a NOT NULL column");
  EXPECT_EQ(ErrorOf([&] { builder.AppendRow({Value::Int(4)}); }),
            "data append: a row of 1 values for 3 columns");
  EXPECT_EQ(builder.num_rows(), 1);
  builder.AppendRow({Value::Int(5), Value::Null(DataType::Int8()), Value::String("c")});
  DataChunk chunk = builder.Finish();
  EXPECT_NO_THROW(chunk.Validate());
  ExpectRows({{Value::Int(1), Value::Int(2, DataType::Int8()), Value::String("a")},
              {Value::Int(5), Value::Null(DataType::Int8()), Value::String("c")}},
             chunk);
  EXPECT_EQ(builder.num_rows(), 0);
}

TEST(ChunkBuilderTest, FinishChecksColumnLengths) {
  ChunkBuilder builder(Schema({{"a", DataType::Int64()}, {"b", DataType::Int64()}}));
  builder.column(0).AppendInt(1);
  EXPECT_EQ(ErrorOf([&] { builder.Finish(); }),
            "data build: column 'b' has 0 rows but column 'a' has 1");
  builder.column(1).AppendInt(2);
  builder.Reserve(100);
  EXPECT_EQ(builder.Finish().num_rows(), 1);
}

}  // namespace
}  // namespace sqlflow
