#include <cstring>

#include <gtest/gtest.h>

#include "sqlflow/common/error.h"
#include "sqlflow/data/chunk.h"
#include "sqlflow/data/data_test_util.h"

namespace sqlflow {
namespace {

template <typename T>
std::shared_ptr<Buffer> BufferOf(const std::vector<T>& values) {
  auto buffer = Buffer::Allocate(values.size() * sizeof(T));
  if (!values.empty()) std::memcpy(buffer->mutable_data(), values.data(), buffer->size());
  return buffer;
}

std::shared_ptr<Buffer> BufferOf(std::string_view bytes) {
  auto buffer = Buffer::Allocate(bytes.size());
  std::memcpy(buffer->mutable_data(), bytes.data(), bytes.size());
  return buffer;
}

/// Validate a one-column chunk and return the error message ("" when valid).
std::string ValidateColumn(const Field& field, const Column& column) {
  try {
    DataChunk(std::make_shared<Schema>(std::vector<Field>{field}), {column}, column.length)
        .Validate();
  } catch (const SchemaError& e) {
    EXPECT_EQ(e.connector(), "data");
    EXPECT_EQ(e.operation(), "validate");
    return e.message();
  }
  return "";
}

Column StringColumn(std::vector<int32_t> offsets, std::string_view bytes,
                    DataType type = DataType::String()) {
  Column c;
  c.type = type;
  c.length = static_cast<int64_t>(offsets.size()) - 1;
  c.values = BufferOf(offsets);
  c.data = BufferOf(bytes);
  return c;
}

Column Int64Column(std::vector<int64_t> values) {
  Column c;
  c.type = DataType::Int64();
  c.length = static_cast<int64_t>(values.size());
  c.values = BufferOf(values);
  return c;
}

const Field kId{"id", DataType::Int64()};
const Field kName{"name", DataType::String()};

TEST(ChunkValidateTest, ValidChunksPass) {
  DataChunk chunk =
      testing_util::BuildChunk(testing_util::AllTypesSchema(), testing_util::AllTypesRows());
  EXPECT_NO_THROW(chunk.Validate());
  EXPECT_NO_THROW(chunk.Slice(2, 3).Validate());
  EXPECT_NO_THROW(chunk.Slice(7, 0).Validate());
  EXPECT_NO_THROW(DataChunk().Validate());
  EXPECT_EQ(ValidateColumn(kName, StringColumn({0, 2, 2, 5}, "ab\xe2\x82\xac")), "");
}

TEST(ChunkValidateTest, ShortValuesBuffer) {
  Column c = Int64Column({1, 2, 3});
  c.values = BufferOf(std::vector<int64_t>{1, 2});
  EXPECT_EQ(ValidateColumn(kId, c), "column 'id': values buffer has 16 bytes, 24 needed");
  Column sliced = Int64Column({1, 2, 3}).Slice(1, 2);
  sliced.length = 3;  // Past the end once the offset is counted.
  EXPECT_EQ(ValidateColumn(kId, sliced), "column 'id': values buffer has 24 bytes, 32 needed");
  Column b;
  b.type = DataType::Boolean();
  b.length = 9;
  b.values = Buffer::Allocate(1);
  EXPECT_EQ(ValidateColumn({"flag", DataType::Boolean()}, b),
            "column 'flag': values buffer has 1 bytes, 2 needed");
}

TEST(ChunkValidateTest, ValidityBufferAndNullCount) {
  Column c = Int64Column({1, 2, 3, 4, 5, 6, 7, 8, 9});
  c.validity = BufferOf(std::vector<uint8_t>{0xFF});
  c.null_count = 0;
  EXPECT_EQ(ValidateColumn(kId, c), "column 'id': validity bitmap has 1 bytes, 2 needed");
  c.validity = BufferOf(std::vector<uint8_t>{0xFD, 0x01});  // Row 1 is NULL.
  EXPECT_EQ(ValidateColumn(kId, c), "column 'id': null_count is 0 but the bitmap has 1 nulls");
  c.null_count = 1;
  EXPECT_EQ(ValidateColumn(kId, c), "");
  EXPECT_EQ(ValidateColumn({"id", DataType::Int64(), false}, c),
            "column 'id' row 1: NULL in a NOT NULL column");
  Column no_bitmap = Int64Column({1});
  no_bitmap.null_count = 1;
  EXPECT_EQ(ValidateColumn(kId, no_bitmap),
            "column 'id': null_count is 1 but there is no validity bitmap");
}

TEST(ChunkValidateTest, Offsets) {
  EXPECT_EQ(ValidateColumn(kName, StringColumn({0, 3, 2, 5}, "abcde")),
            "column 'name' row 1: offsets decrease (2 after 3)");
  EXPECT_EQ(ValidateColumn(kName, StringColumn({0, 2, 9}, "abcde")),
            "column 'name' row 1: offset 9 is past the 5 bytes of data");
  EXPECT_EQ(ValidateColumn(kName, StringColumn({-1, 2}, "abcde")),
            "column 'name' row 0: negative offset -1");
  Column short_offsets = StringColumn({0, 1, 2}, "ab");
  short_offsets.length = 3;
  EXPECT_EQ(ValidateColumn(kName, short_offsets),
            "column 'name': offsets buffer has 12 bytes, 16 needed");
  // With an offset, only the offsets from there on count.
  Column sliced = StringColumn({7, 0, 1, 2}, "ab");
  sliced.offset = 1;
  sliced.length = 2;
  EXPECT_EQ(ValidateColumn(kName, sliced), "");
}

TEST(ChunkValidateTest, Utf8OfStringAndJson) {
  EXPECT_EQ(ValidateColumn(kName, StringColumn({0, 1, 2, 4},
                                               "ab\xff"
                                               "c")),
            "column 'name' row 2: invalid UTF-8 at byte 0; value: ''");
  EXPECT_EQ(ValidateColumn(kName, StringColumn({0, 3}, "ab\xc3")),
            "column 'name' row 0: invalid UTF-8 at byte 2; value: 'ab'");
  // Each half of "é" is invalid alone although the bytes together are valid.
  EXPECT_EQ(ValidateColumn(kName, StringColumn({0, 1, 2}, "\xc3\xa9")),
            "column 'name' row 0: invalid UTF-8 at byte 0; value: ''");
  EXPECT_EQ(ValidateColumn({"doc", DataType::Json()},
                           StringColumn({0, 2, 4}, "{}\xc0\xaf", DataType::Json())),
            "column 'doc' row 1: invalid UTF-8 at byte 0; value: ''");
  EXPECT_EQ(ValidateColumn({"raw", DataType::Binary()},
                           StringColumn({0, 2}, "\xff\xfe", DataType::Binary())),
            "");
}

TEST(ChunkValidateTest, InvalidBytesInNullSlotsAreIgnored) {
  Column c = StringColumn({0, 1, 3, 4},
                          "a\xff\xff"
                          "b");
  c.validity = BufferOf(std::vector<uint8_t>{0x05});
  c.null_count = 1;
  EXPECT_EQ(ValidateColumn(kName, c), "");
}

TEST(ChunkValidateTest, DecimalPrecision) {
  Field field{"amount", DataType::Decimal(4, 2)};
  ColumnBuilder b(field.type);
  b.AppendDecimal(9999);
  b.AppendDecimal(-9999);
  b.AppendNull();
  b.AppendDecimal(-10000);
  Column c = b.Finish();
  EXPECT_EQ(ValidateColumn(field, c),
            "column 'amount' row 3: value -10000 does not fit DECIMAL(4,2)");
  EXPECT_EQ(ValidateColumn(field, c.Slice(0, 3)), "");
}

TEST(ChunkValidateTest, TypeAndShape) {
  ColumnBuilder b(DataType::Int32());
  b.AppendInt(1);
  EXPECT_EQ(ValidateColumn(kId, b.Finish()),
            "column 'id': type INTEGER does not match the schema's BIGINT");
  Column c = Int64Column({1, 2});
  c.offset = -1;
  EXPECT_EQ(ValidateColumn(kId, c), "column 'id': negative offset -1");
  Column tz;
  tz.type = DataType::Timestamp("UTC");
  tz.values = Buffer::Allocate(0);
  EXPECT_EQ(ValidateColumn({"ts", DataType::Timestamp()}, tz),
            "column 'ts': type TIMESTAMPTZ does not match the schema's TIMESTAMP");
}

}  // namespace
}  // namespace sqlflow
