#include "sqlflow/data/chunk.h"

#include <cstring>

#include <gtest/gtest.h>

#include "sqlflow/common/error.h"
#include "sqlflow/data/data_test_util.h"

namespace sqlflow {
namespace {

using testing_util::AllTypesRows;
using testing_util::AllTypesSchema;
using testing_util::BuildChunk;
using testing_util::ExpectRows;
using testing_util::Row;

std::shared_ptr<const Schema> IdNameSchema() {
  return std::make_shared<Schema>(
      std::vector<Field>{{"id", DataType::Int64()}, {"name", DataType::String()}});
}

DataChunk IdNameChunk(int64_t first, int64_t count) {
  ChunkBuilder builder(IdNameSchema());
  for (int64_t i = first; i < first + count; ++i) {
    builder.AppendRow({Value::Int(i), i % 3 == 0 ? Value::Null(DataType::String())
                                                 : Value::String("n" + std::to_string(i))});
  }
  return builder.Finish();
}

std::vector<Row> IdNameRows(int64_t first, int64_t count) {
  return testing_util::ChunkRows(IdNameChunk(first, count));
}

TEST(ChunkTest, BufferAllocateIsAlignedZeroedAndPadded) {
  auto buffer = Buffer::Allocate(10);
  EXPECT_EQ(buffer->size(), 10u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(buffer->data()) % 64, 0u);
  for (size_t i = 0; i < 64; ++i) EXPECT_EQ(buffer->data()[i], 0) << i;  // Padding too.
  auto empty = Buffer::Allocate(0);
  EXPECT_EQ(empty->size(), 0u);
  EXPECT_NE(empty->data(), nullptr);
}

TEST(ChunkTest, BufferWrapKeepsOwnerAlive) {
  auto owner = std::make_shared<std::string>("hello");
  std::weak_ptr<std::string> watch = owner;
  auto buffer = Buffer::Wrap(owner->data(), owner->size(), owner);
  owner.reset();
  EXPECT_FALSE(watch.expired());
  EXPECT_EQ(std::memcmp(buffer->data(), "hello", 5), 0);
  buffer.reset();
  EXPECT_TRUE(watch.expired());
}

TEST(ChunkTest, ColumnAccessors) {
  DataChunk chunk = BuildChunk(AllTypesSchema(), AllTypesRows());
  EXPECT_EQ(chunk.num_rows(), 7);
  EXPECT_EQ(chunk.num_columns(), 20u);
  const Column& i64 = chunk.column(4);
  EXPECT_TRUE(i64.IsNull(0));
  EXPECT_TRUE(i64.IsValid(1));
  EXPECT_EQ(i64.ValueAt<int64_t>(1), INT64_MIN);
  EXPECT_EQ(i64.null_count, 3);
  EXPECT_TRUE(chunk.column(0).BoolAt(2));
  EXPECT_FALSE(chunk.column(0).BoolAt(1));
  EXPECT_TRUE(chunk.column(11).DecimalAt(2) == testing_util::MaxDecimal38());
  EXPECT_EQ(chunk.column(17).StringAt(4).size(), 1004u);
  EXPECT_EQ(chunk.column(17).StringAt(0), "");
  EXPECT_EQ(chunk.column(13).ValueAt<int32_t>(4), -1);
  ExpectRows(AllTypesRows(), chunk);
}

TEST(ChunkTest, ConstructorChecksShape) {
  auto schema = IdNameSchema();
  DataChunk good = IdNameChunk(0, 3);
  EXPECT_THROW(DataChunk(schema, {good.column(0)}, 3), SchemaError);
  EXPECT_THROW(DataChunk(schema, good.columns(), 4), SchemaError);
  EXPECT_THROW(DataChunk(nullptr, {}, 0), SchemaError);
  try {
    DataChunk(schema, {good.column(0), good.column(1).Slice(0, 2)}, 3);
    FAIL() << "no exception";
  } catch (const SchemaError& e) {
    EXPECT_STREQ(e.what(), "data chunk: column 'name' has 2 rows but the chunk 3");
  }
  DataChunk empty;
  EXPECT_EQ(empty.num_rows(), 0);
  EXPECT_EQ(empty.num_columns(), 0u);
  EXPECT_EQ(empty.schema().num_fields(), 0u);
}

TEST(ChunkTest, SliceIsZeroCopyAndRecountsNulls) {
  DataChunk chunk = IdNameChunk(0, 10);  // Nulls in "name" at 0, 3, 6, 9.
  EXPECT_EQ(chunk.column(1).null_count, 4);
  DataChunk slice = chunk.Slice(1, 5);
  EXPECT_EQ(slice.num_rows(), 5);
  EXPECT_EQ(slice.column(0).offset, 1);
  EXPECT_EQ(slice.column(0).values.get(), chunk.column(0).values.get());
  EXPECT_EQ(slice.column(1).null_count, 1);
  EXPECT_EQ(slice.column(0).null_count, 0);
  ExpectRows(IdNameRows(1, 5), slice);
  DataChunk nested = slice.Slice(2, 3);  // Rows 3..5 of the original.
  EXPECT_EQ(nested.column(1).offset, 3);
  EXPECT_EQ(nested.column(1).null_count, 1);
  ExpectRows(IdNameRows(3, 3), nested);
  EXPECT_EQ(chunk.Slice(10, 0).num_rows(), 0);
  EXPECT_THROW(chunk.Slice(8, 3), SchemaError);
  EXPECT_THROW(chunk.Slice(-1, 1), SchemaError);
  EXPECT_THROW(chunk.column(0).Slice(0, 11), SchemaError);
}

TEST(ChunkTest, ProjectByNameCaseInsensitively) {
  DataChunk chunk = IdNameChunk(0, 4);
  DataChunk projected = chunk.Project({"NAME", "id"});
  ASSERT_EQ(projected.num_columns(), 2u);
  EXPECT_EQ(projected.schema().field(0).name, "name");
  EXPECT_EQ(projected.schema().field(1).name, "id");
  EXPECT_EQ(projected.column(1).values.get(), chunk.column(0).values.get());
  EXPECT_EQ(projected.num_rows(), 4);
  try {
    chunk.Project({"id", "nmae"});
    FAIL() << "no exception";
  } catch (const SchemaError& e) {
    EXPECT_STREQ(e.what(), "data project: column 'nmae' not found; the chunk has: id, name");
  }
}

TEST(ChunkTest, ByteSizeCountsEveryBuffer) {
  DataChunk chunk = IdNameChunk(0, 10);
  // id: 80 bytes of values; name: 2 validity bytes, 44 bytes of offsets, 6 names of 2 bytes.
  EXPECT_EQ(chunk.ByteSize(), 80 + 2 + 44 + 12);
  EXPECT_EQ(DataChunk().ByteSize(), 0);
}

TEST(ChunkTest, ConcatenateCopiesAllTypes) {
  auto schema = AllTypesSchema();
  std::vector<Row> rows = AllTypesRows();
  DataChunk whole = BuildChunk(schema, rows);
  // Pieces at odd bit offsets, one without any nulls, one empty.
  std::vector<DataChunk> pieces = {whole.Slice(0, 3), whole.Slice(3, 0), whole.Slice(3, 1),
                                   whole.Slice(4, 2), whole.Slice(6, 1)};
  DataChunk joined = ConcatenateChunks(pieces);
  EXPECT_EQ(joined.num_rows(), 7);
  EXPECT_EQ(joined.column(0).offset, 0);
  EXPECT_NO_THROW(joined.Validate());
  ExpectRows(rows, joined);
  DataChunk no_nulls = ConcatenateChunks({whole.Slice(1, 2), whole.Slice(4, 2)});
  EXPECT_EQ(no_nulls.column(3).validity, nullptr);
  EXPECT_EQ(no_nulls.column(3).null_count, 0);
  ExpectRows({rows[1], rows[2], rows[4], rows[5]}, no_nulls);
}

TEST(ChunkTest, ConcatenateLongBitmapsAtUnalignedOffsets) {
  ChunkBuilder builder(Schema({{"b", DataType::Boolean()}}));
  std::vector<Row> rows;
  for (int i = 0; i < 300; ++i) {
    rows.push_back({i % 7 == 0 ? Value::Null(DataType::Boolean()) : Value::Boolean(i % 3 == 0)});
    builder.AppendRow(rows.back());
  }
  DataChunk chunk = builder.Finish();
  DataChunk joined =
      ConcatenateChunks({chunk.Slice(0, 13), chunk.Slice(13, 128), chunk.Slice(141, 159)});
  EXPECT_NO_THROW(joined.Validate());
  ExpectRows(rows, joined);
}

TEST(ChunkTest, ConcatenateRejectsDifferentSchemas) {
  DataChunk a = IdNameChunk(0, 2);
  DataChunk b = a.Project({"name", "id"});
  EXPECT_THROW(ConcatenateChunks({a, b}), SchemaError);
  DataChunk none = ConcatenateChunks({});
  EXPECT_EQ(none.num_rows(), 0);
  EXPECT_EQ(none.num_columns(), 0u);
}

TEST(ChunkTest, TakeRowsGathersInOrder) {
  DataChunk chunk = IdNameChunk(0, 6);
  DataChunk taken = TakeRows(chunk.Slice(1, 5), {4, 0, 0, 2});  // Original rows 5, 1, 1, 3.
  std::vector<Row> all = IdNameRows(0, 6);
  ExpectRows({all[5], all[1], all[1], all[3]}, taken);
  EXPECT_EQ(TakeRows(chunk, {}).num_rows(), 0);
  EXPECT_THROW(TakeRows(chunk, {6}), SchemaError);
  DataChunk all_types = BuildChunk(AllTypesSchema(), AllTypesRows());
  ExpectRows({AllTypesRows()[2], AllTypesRows()[0]}, TakeRows(all_types, {2, 0}));
}

}  // namespace
}  // namespace sqlflow
