// Round trips through our own Arrow export and import, and the export's release semantics.

#include <cstring>

#include <gtest/gtest.h>

#include "sqlflow/common/error.h"
#include "sqlflow/data/chunk.h"
#include "sqlflow/data/data_test_util.h"

namespace sqlflow {
namespace {

using testing_util::AllTypesRows;
using testing_util::AllTypesSchema;
using testing_util::BuildChunk;
using testing_util::ExpectRows;
using testing_util::Row;

/// Export `chunk` and import it back (through the Arrow schema, as a foreign consumer would).
DataChunk RoundTrip(const DataChunk& chunk) {
  ArrowArray array;
  ArrowSchema schema;
  chunk.ExportToArrow(&array, &schema);
  DataChunk out = DataChunk::ImportFromArrow(&array, &schema);
  EXPECT_EQ(array.release, nullptr);  // Moved into the imported chunk.
  schema.release(&schema);
  return out;
}

TEST(ArrowTest, ExportSchemaFormatsNamesAndFlags) {
  Schema schema({{"id", DataType::Int64(), false},
                 {"amount", DataType::Decimal(12, 2)},
                 {"at", DataType::Timestamp("UTC")},
                 {"naive", DataType::Timestamp()},
                 {"doc", DataType::Json()},
                 {"name", DataType::String()}});
  ArrowSchema out;
  ExportSchemaToArrow(schema, &out);
  EXPECT_STREQ(out.format, "+s");
  EXPECT_STREQ(out.name, "");
  EXPECT_EQ(out.metadata, nullptr);
  EXPECT_EQ(out.flags, 0);
  EXPECT_EQ(out.dictionary, nullptr);
  ASSERT_EQ(out.n_children, 6);
  const char* formats[] = {"l", "d:12,2", "tsu:UTC", "tsu:", "u", "u"};
  const char* names[] = {"id", "amount", "at", "naive", "doc", "name"};
  for (int i = 0; i < 6; ++i) {
    EXPECT_STREQ(out.children[i]->format, formats[i]);
    EXPECT_STREQ(out.children[i]->name, names[i]);
    EXPECT_EQ(out.children[i]->flags, i == 0 ? 0 : ARROW_FLAG_NULLABLE);
    EXPECT_EQ(out.children[i]->n_children, 0);
  }
  EXPECT_EQ(out.children[5]->metadata, nullptr);
  // JSON: one pair, "ARROW:extension:name" = "arrow.json", lengths as native int32.
  const char* metadata = out.children[4]->metadata;
  ASSERT_NE(metadata, nullptr);
  int32_t n[3];
  std::memcpy(&n[0], metadata, 4);
  std::memcpy(&n[1], metadata + 4, 4);
  EXPECT_EQ(n[0], 1);
  EXPECT_EQ(n[1], 20);
  EXPECT_EQ(std::string(metadata + 8, 20), "ARROW:extension:name");
  std::memcpy(&n[2], metadata + 28, 4);
  EXPECT_EQ(n[2], 10);
  EXPECT_EQ(std::string(metadata + 32, 10), "arrow.json");
  out.release(&out);
  EXPECT_EQ(out.release, nullptr);
}

TEST(ArrowTest, ExportArrayLayout) {
  ChunkBuilder builder(Schema({{"id", DataType::Int32()}, {"name", DataType::String()}}));
  builder.AppendRow({Value::Int(7, DataType::Int32()), Value::String("ab")});
  builder.AppendRow({Value::Int(8, DataType::Int32()), Value::Null(DataType::String())});
  DataChunk chunk = builder.Finish();
  ArrowArray array;
  chunk.ExportToArrow(&array, nullptr);
  EXPECT_EQ(array.length, 2);
  EXPECT_EQ(array.offset, 0);
  EXPECT_EQ(array.null_count, 0);
  EXPECT_EQ(array.n_buffers, 1);
  EXPECT_EQ(array.buffers[0], nullptr);
  ASSERT_EQ(array.n_children, 2);
  const ArrowArray* id = array.children[0];
  EXPECT_EQ(id->n_buffers, 2);
  EXPECT_EQ(id->buffers[0], nullptr);                         // No nulls: no bitmap.
  EXPECT_EQ(id->buffers[1], chunk.column(0).values->data());  // Zero-copy.
  const ArrowArray* name = array.children[1];
  EXPECT_EQ(name->n_buffers, 3);
  EXPECT_EQ(name->null_count, 1);
  EXPECT_EQ(name->buffers[0], chunk.column(1).validity->data());
  EXPECT_EQ(name->buffers[2], chunk.column(1).data->data());
  array.release(&array);
  EXPECT_EQ(array.release, nullptr);
}

TEST(ArrowTest, ExportEitherPart) {
  DataChunk chunk = BuildChunk(AllTypesSchema(), AllTypesRows());
  ArrowSchema schema;
  chunk.ExportToArrow(nullptr, &schema);
  EXPECT_EQ(ImportSchemaFromArrow(&schema), chunk.schema());
  schema.release(&schema);
  ArrowArray array;
  chunk.ExportToArrow(&array, nullptr);
  EXPECT_EQ(array.n_children, 20);
  array.release(&array);
}

TEST(ArrowTest, RoundTripEveryTypeWithNullsAndExtremes) {
  DataChunk chunk = BuildChunk(AllTypesSchema(), AllTypesRows());
  DataChunk back = RoundTrip(chunk);
  EXPECT_EQ(back.schema(), chunk.schema());
  EXPECT_NO_THROW(back.Validate());
  ExpectRows(AllTypesRows(), back);
  for (size_t c = 0; c < chunk.num_columns(); ++c) {
    EXPECT_EQ(back.column(c).values->data(), chunk.column(c).values->data()) << c;
    EXPECT_EQ(back.column(c).null_count, 3) << c;
  }
}

TEST(ArrowTest, RoundTripSlicedChunk) {
  DataChunk chunk = BuildChunk(AllTypesSchema(), AllTypesRows());
  std::vector<Row> rows = AllTypesRows();
  for (int64_t start = 0; start < 7; ++start) {
    for (int64_t count = 0; start + count <= 7; ++count) {
      DataChunk back = RoundTrip(chunk.Slice(start, count));
      EXPECT_EQ(back.column(3).offset, count == 0 ? 0 : start);
      EXPECT_NO_THROW(back.Validate());
      ExpectRows(std::vector<Row>(rows.begin() + start, rows.begin() + start + count), back);
    }
  }
}

TEST(ArrowTest, RoundTripEmptyChunks) {
  DataChunk empty = ChunkBuilder(AllTypesSchema()).Finish();
  DataChunk back = RoundTrip(empty);
  EXPECT_EQ(back.num_rows(), 0);
  EXPECT_EQ(back.schema(), *AllTypesSchema());
  EXPECT_NO_THROW(back.Validate());
  DataChunk no_columns = RoundTrip(DataChunk());
  EXPECT_EQ(no_columns.num_columns(), 0u);
  EXPECT_EQ(no_columns.num_rows(), 0);
}

TEST(ArrowTest, RoundTripKeepsNullabilityAndZone) {
  auto schema = std::make_shared<Schema>(std::vector<Field>{
      {"id", DataType::Int64(), false}, {"at", DataType::Timestamp("Europe/Paris")}});
  DataChunk back = RoundTrip(BuildChunk(schema, {{Value::Int(1), Value::Timestamp(5, "")}}));
  EXPECT_EQ(back.schema(), *schema);
  EXPECT_EQ(back.column(1).GetValue(0).type(), DataType::Timestamp("Europe/Paris"));
}

TEST(ArrowTest, ExportOutlivesTheChunk) {
  ArrowArray array;
  {
    DataChunk chunk = BuildChunk(AllTypesSchema(), AllTypesRows());
    chunk.ExportToArrow(&array, nullptr);
  }
  const ArrowArray* s = array.children[17];
  const auto* offsets = static_cast<const int32_t*>(s->buffers[1]);
  std::string_view value(static_cast<const char*>(s->buffers[2]) + offsets[4],
                         static_cast<size_t>(offsets[5] - offsets[4]));
  EXPECT_EQ(value.substr(1000), "it's");
  array.release(&array);
}

TEST(ArrowTest, ChildMovedOutOutlivesTheRoot) {
  ArrowArray array;
  {
    DataChunk chunk = BuildChunk(AllTypesSchema(), AllTypesRows());
    chunk.ExportToArrow(&array, nullptr);
  }
  ArrowArray child = *array.children[4];  // Move the BIGINT column out...
  array.children[4]->release = nullptr;
  array.release(&array);  // ...and release the parent at once (the spec).
  EXPECT_EQ(array.release, nullptr);
  ASSERT_NE(child.release, nullptr);
  EXPECT_EQ(static_cast<const int64_t*>(child.buffers[1])[2], INT64_MAX);
  child.release(&child);
  EXPECT_EQ(child.release, nullptr);
}

TEST(ArrowTest, ReExportOfAnImportedChunk) {
  DataChunk original = BuildChunk(AllTypesSchema(), AllTypesRows());
  DataChunk imported = RoundTrip(original.Slice(1, 5));
  original = DataChunk();
  DataChunk again = RoundTrip(imported.Slice(1, 3));
  imported = DataChunk();
  std::vector<Row> rows = AllTypesRows();
  ExpectRows({rows[2], rows[3], rows[4]}, again);
}

TEST(ArrowTest, ImportWithConvertedSchema) {
  DataChunk chunk = BuildChunk(AllTypesSchema(), AllTypesRows());
  ArrowArray array;
  chunk.ExportToArrow(&array, nullptr);
  DataChunk back = DataChunk::ImportFromArrow(&array, chunk.schema_ptr());
  EXPECT_EQ(array.release, nullptr);
  EXPECT_EQ(back.schema_ptr(), chunk.schema_ptr());
  ExpectRows(AllTypesRows(), back);
}

TEST(ArrowTest, ImportRejectsMismatchedColumnCountAndReleases) {
  DataChunk chunk = BuildChunk(AllTypesSchema(), AllTypesRows());
  ArrowArray array;
  chunk.ExportToArrow(&array, nullptr);
  auto two = std::make_shared<Schema>(
      std::vector<Field>{{"a", DataType::Boolean()}, {"b", DataType::Int8()}});
  try {
    DataChunk::ImportFromArrow(&array, two);
    FAIL() << "no exception";
  } catch (const SchemaError& e) {
    EXPECT_STREQ(e.what(), "data import: the Arrow array has 20 columns but its schema 2");
  }
  EXPECT_EQ(array.release, nullptr);  // Taken and released; ASan reports a leak otherwise.
  ArrowArray released{};
  EXPECT_THROW(DataChunk::ImportFromArrow(&released, two), SchemaError);
}

}  // namespace
}  // namespace sqlflow
