// Import of Arrow arrays built by hand, the way other producers (DuckDB, pyarrow) lay them out.

#include <cstring>
#include <optional>

#include <gtest/gtest.h>

#include "sqlflow/common/error.h"
#include "sqlflow/data/chunk.h"
#include "sqlflow/data/data_test_util.h"

namespace sqlflow {
namespace {

using testing_util::ExpectRows;
using testing_util::Row;

/// One column of a hand-made struct array: its schema and its buffers (nullopt = null).
struct HandColumn {
  std::string format;
  int64_t length = 0;
  std::vector<std::optional<std::string>> buffers;
  int64_t null_count = 0;
  int64_t offset = 0;
  std::string name = "c";
  std::string metadata;  ///< Encoded Arrow metadata; "" = none.
  int64_t flags = ARROW_FLAG_NULLABLE;
};

template <typename T>
std::string Bytes(const std::vector<T>& values) {
  return std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
}

/// A validity (or boolean) bitmap from 0/1 flags.
std::string Bits(const std::vector<int>& flags) {
  std::string out((flags.size() + 7) / 8, '\0');
  for (size_t i = 0; i < flags.size(); ++i) {
    if (flags[i] != 0) out[i / 8] = static_cast<char>(out[i / 8] | (1 << (i % 8)));
  }
  return out;
}

std::string Metadata(const std::string& key, const std::string& value) {
  auto int32 = [](size_t n) {
    auto v = static_cast<int32_t>(n);
    return std::string(reinterpret_cast<const char*>(&v), 4);
  };
  return int32(1) + int32(key.size()) + key + int32(value.size()) + value;
}

/// Everything a hand-made array owns. Like DuckDB's arrays, the children's release callbacks
/// only mark them released; the root frees it all and counts its own releases.
struct HandArrayData {
  std::vector<std::unique_ptr<uint64_t[]>> storage;
  std::vector<std::vector<const void*>> buffer_pointers;
  std::vector<ArrowArray> children;
  std::vector<ArrowArray*> child_pointers;
  const void* root_buffers[1] = {nullptr};
  std::shared_ptr<int> releases;
};

void ReleaseHandChild(ArrowArray* array) { array->release = nullptr; }

void ReleaseHandRoot(ArrowArray* array) {
  auto* data = static_cast<HandArrayData*>(array->private_data);
  for (ArrowArray* child : data->child_pointers) {
    if (child->release != nullptr) child->release(child);
  }
  ++*data->releases;
  delete data;
  array->release = nullptr;
}

const void* Store(HandArrayData* data, const std::optional<std::string>& bytes) {
  if (!bytes.has_value()) return nullptr;
  data->storage.emplace_back(new uint64_t[bytes->size() / 8 + 1]());  // 8-byte aligned.
  std::memcpy(data->storage.back().get(), bytes->data(), bytes->size());
  return data->storage.back().get();
}

/// Make a struct array of `columns`; `releases` counts calls of its release callback.
ArrowArray MakeArray(const std::vector<HandColumn>& columns, int64_t length,
                     std::shared_ptr<int> releases, int64_t offset = 0,
                     std::optional<std::string> validity = std::nullopt, int64_t null_count = 0) {
  auto* data = new HandArrayData();
  data->releases = std::move(releases);
  data->children.resize(columns.size());
  data->buffer_pointers.resize(columns.size());
  for (size_t i = 0; i < columns.size(); ++i) {
    const HandColumn& c = columns[i];
    for (const auto& b : c.buffers) data->buffer_pointers[i].push_back(Store(data, b));
    ArrowArray& child = data->children[i];
    child = {c.length,
             c.null_count,
             c.offset,
             static_cast<int64_t>(c.buffers.size()),
             0,
             data->buffer_pointers[i].data(),
             nullptr,
             nullptr,
             ReleaseHandChild,
             nullptr};
    data->child_pointers.push_back(&child);
  }
  data->root_buffers[0] = Store(data, validity);
  return {length,
          null_count,
          offset,
          1,
          static_cast<int64_t>(columns.size()),
          data->root_buffers,
          data->child_pointers.data(),
          nullptr,
          ReleaseHandRoot,
          data};
}

struct HandSchemaData {
  std::vector<ArrowSchema> children;
  std::vector<ArrowSchema*> child_pointers;
  std::vector<HandColumn> columns;
};

void ReleaseHandSchema(ArrowSchema* schema) {
  delete static_cast<HandSchemaData*>(schema->private_data);
  schema->release = nullptr;
}

void ReleaseNothing(ArrowSchema* schema) { schema->release = nullptr; }

/// The struct schema of `columns`; released automatically at the end of the test.
class HandSchema {
 public:
  explicit HandSchema(const std::vector<HandColumn>& columns, const char* format = "+s") {
    auto* data = new HandSchemaData();
    data->columns = columns;
    data->children.resize(columns.size());
    for (size_t i = 0; i < columns.size(); ++i) {
      const HandColumn& c = data->columns[i];
      data->children[i] = {c.format.c_str(),
                           c.name.c_str(),
                           c.metadata.empty() ? nullptr : c.metadata.data(),
                           c.flags,
                           0,
                           nullptr,
                           nullptr,
                           ReleaseNothing,
                           nullptr};
      data->child_pointers.push_back(&data->children[i]);
    }
    schema_ = {format,
               "",
               nullptr,
               0,
               static_cast<int64_t>(columns.size()),
               data->child_pointers.data(),
               nullptr,
               ReleaseHandSchema,
               data};
  }
  ~HandSchema() {
    if (schema_.release != nullptr) schema_.release(&schema_);
  }
  const ArrowSchema* get() const { return &schema_; }
  ArrowSchema* mutable_get() { return &schema_; }

 private:
  ArrowSchema schema_;
};

/// Import a one-array batch of `columns`; checks the array is moved out and released once.
DataChunk Import(const std::vector<HandColumn>& columns, int64_t length, int64_t offset = 0) {
  auto releases = std::make_shared<int>(0);
  ArrowArray array = MakeArray(columns, length, releases, offset);
  HandSchema schema(columns);
  DataChunk chunk = DataChunk::ImportFromArrow(&array, schema.get());
  EXPECT_EQ(array.release, nullptr);
  return chunk;
}

std::string ImportError(const std::vector<HandColumn>& columns, int64_t length) {
  auto releases = std::make_shared<int>(0);
  ArrowArray array = MakeArray(columns, length, releases);
  HandSchema schema(columns);
  try {
    DataChunk::ImportFromArrow(&array, schema.get());
  } catch (const SchemaError& e) {
    EXPECT_EQ(*releases, 1) << "the array must be released when the import fails";
    return e.what();
  }
  return "no exception";
}

TEST(ArrowImportTest, OffsetsAndUnknownNullCount) {
  // Physical int32 values 0..9 with 3 and 6 NULL; child offset 3, struct offset 2, 4 rows:
  // logical rows are physical slots 5, 6, 7, 8.
  std::vector<int> valid = {1, 1, 1, 0, 1, 1, 0, 1, 1, 1};
  HandColumn ints{
      "i", 8, {Bits(valid), Bytes(std::vector<int32_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9})}, -1, 3};
  HandColumn strings{
      "u",
      6,
      {Bits({1, 0, 1, 1, 1, 1, 0}), Bytes(std::vector<int32_t>{0, 1, 1, 3, 6, 6, 8, 8}),
       std::string("abbccc\xc3\xa9")},
      -1,
      1};
  DataChunk chunk = Import({ints, strings}, 4, 2);
  EXPECT_EQ(chunk.num_rows(), 4);
  EXPECT_EQ(chunk.column(0).offset, 5);
  EXPECT_EQ(chunk.column(0).null_count, 1);
  EXPECT_EQ(chunk.column(1).offset, 3);
  EXPECT_EQ(chunk.column(1).null_count, 1);
  EXPECT_NO_THROW(chunk.Validate());
  ExpectRows({{Value::Int(5, DataType::Int32()), Value::String("ccc")},
              {Value::Null(DataType::Int32()), Value::String("")},
              {Value::Int(7, DataType::Int32()), Value::String("\xc3\xa9")},
              {Value::Int(8, DataType::Int32()), Value::Null(DataType::String())}},
             chunk);
}

TEST(ArrowImportTest, MissingValidityBufferMeansNoNulls) {
  HandColumn c{"l", 2, {std::nullopt, Bytes(std::vector<int64_t>{INT64_MIN, INT64_MAX})}, 0};
  DataChunk chunk = Import({c}, 2);
  EXPECT_EQ(chunk.column(0).validity, nullptr);
  EXPECT_EQ(chunk.column(0).null_count, 0);
  ExpectRows({{Value::Int(INT64_MIN)}, {Value::Int(INT64_MAX)}}, chunk);
  HandColumn bad = c;
  bad.null_count = 1;
  EXPECT_EQ(ImportError({bad}, 2),
            "data import: column 'c' (Arrow format 'l'): null_count is 1 but there is no "
            "validity bitmap");
}

TEST(ArrowImportTest, ReleasedExactlyOnceAfterTheLastColumn) {
  auto releases = std::make_shared<int>(0);
  HandColumn a{"l", 2, {std::nullopt, Bytes(std::vector<int64_t>{1, 2})}, 0, 0, "a"};
  HandColumn b{"u", 2, {std::nullopt, Bytes(std::vector<int32_t>{0, 1, 2}), std::string("xy")},
               0,   0, "b"};
  ArrowArray array = MakeArray({a, b}, 2, releases);
  HandSchema schema({a, b});
  DataChunk chunk = DataChunk::ImportFromArrow(&array, schema.get());
  EXPECT_EQ(*releases, 0);
  Column kept = chunk.column(1).Slice(1, 1);
  DataChunk projected = chunk.Project({"a"});
  chunk = DataChunk();
  EXPECT_EQ(*releases, 0);
  ArrowArray exported;
  projected.ExportToArrow(&exported, nullptr);
  projected = DataChunk();
  EXPECT_EQ(*releases, 0);
  EXPECT_EQ(kept.StringAt(0), "y");
  kept = Column();
  EXPECT_EQ(*releases, 0);  // The export still points into the imported buffers.
  EXPECT_EQ(static_cast<const int64_t*>(exported.children[0]->buffers[1])[1], 2);
  exported.release(&exported);
  EXPECT_EQ(*releases, 1);
}

TEST(ArrowImportTest, ConvertedColumnsDoNotHoldTheArray) {
  auto releases = std::make_shared<int>(0);
  HandColumn large{"U", 1, {std::nullopt, Bytes(std::vector<int64_t>{0, 2}), std::string("ok")}};
  ArrowArray array = MakeArray({large}, 1, releases);
  HandSchema schema({large});
  DataChunk chunk = DataChunk::ImportFromArrow(&array, schema.get());
  EXPECT_EQ(*releases, 1);  // Copied, so released before ImportFromArrow returned.
  ExpectRows({{Value::String("ok")}}, chunk);
}

TEST(ArrowImportTest, BooleansAtBitOffsets) {
  HandColumn b{"b",
               11,
               {Bits({1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1}), Bits({0, 0, 0, 1, 1, 0, 1, 0, 0, 0, 1})},
               -1,
               0};
  DataChunk chunk = Import({b}, 8, 3);  // Slots 3..10.
  EXPECT_EQ(chunk.column(0).null_count, 1);
  ExpectRows({{Value::Null(DataType::Boolean())},
              {Value::Boolean(true)},
              {Value::Boolean(false)},
              {Value::Boolean(true)},
              {Value::Boolean(false)},
              {Value::Boolean(false)},
              {Value::Boolean(false)},
              {Value::Boolean(true)}},
             chunk);
}

TEST(ArrowImportTest, TimestampUnitsConvertToMicros) {
  std::vector<int64_t> raw = {-1, 1, 1704164645};
  auto column = [&](const char* format) {
    return HandColumn{format, 3, {std::nullopt, Bytes(raw)}, 0, 0, format};
  };
  DataChunk chunk = Import({column("tss:"), column("tsm:UTC"), column("tsu:"), column("tsn:")}, 3);
  EXPECT_EQ(chunk.schema().field(1).type, DataType::Timestamp("UTC"));
  EXPECT_EQ(chunk.schema().field(0).type, DataType::Timestamp());
  ExpectRows({{Value::Timestamp(-1000000), Value::Timestamp(-1000, "UTC"), Value::Timestamp(-1),
               Value::Timestamp(-1)},
              {Value::Timestamp(1000000), Value::Timestamp(1000, "UTC"), Value::Timestamp(1),
               Value::Timestamp(0)},
              {Value::Timestamp(1704164645000000), Value::Timestamp(1704164645000, "UTC"),
               Value::Timestamp(1704164645), Value::Timestamp(1704164)}},
             chunk);
}

TEST(ArrowImportTest, TimeAndDateUnits) {
  HandColumn tts{"tts", 2, {std::nullopt, Bytes(std::vector<int32_t>{0, 86399})}, 0, 0, "s"};
  HandColumn ttm{"ttm", 2, {std::nullopt, Bytes(std::vector<int32_t>{1, 86399999})}, 0, 0, "m"};
  HandColumn ttu{"ttu", 2, {std::nullopt, Bytes(std::vector<int64_t>{2, 3})}, 0, 0, "u"};
  HandColumn ttn{"ttn", 2, {std::nullopt, Bytes(std::vector<int64_t>{1999, 86399999999999})},
                 0,     0, "n"};
  HandColumn tdd{"tdD", 2, {std::nullopt, Bytes(std::vector<int32_t>{-1, 19724})}, 0, 0, "d"};
  HandColumn tdm{"tdm", 2, {std::nullopt, Bytes(std::vector<int64_t>{-1, 86400000})}, 0, 0, "dm"};
  DataChunk chunk = Import({tts, ttm, ttu, ttn, tdd, tdm}, 2);
  ExpectRows({{Value::Time(0), Value::Time(1000), Value::Time(2), Value::Time(1), Value::Date(-1),
               Value::Date(-1)},
              {Value::Time(86399000000), Value::Time(86399999000), Value::Time(3),
               Value::Time(86399999999), Value::Date(19724), Value::Date(1)}},
             chunk);
}

TEST(ArrowImportTest, OverflowOnlyMattersForValidRows) {
  std::vector<int64_t> raw = {INT64_MAX, 5};
  HandColumn null_garbage{"tss:", 2, {Bits({0, 1}), Bytes(raw)}, 1, 0, "t"};
  ExpectRows({{Value::Null(DataType::Timestamp())}, {Value::Timestamp(5000000)}},
             Import({null_garbage}, 2));
  HandColumn valid_garbage{"tss:", 2, {std::nullopt, Bytes(raw)}, 0, 0, "t"};
  EXPECT_EQ(ImportError({valid_garbage}, 2),
            "data import: column 't' (Arrow format 'tss:'): row 0: value out of range for "
            "TIMESTAMP");
}

TEST(ArrowImportTest, LargeStringsAndBinaries) {
  HandColumn large_string{
      "U",
      4,
      {Bits({1, 1, 0, 1}), Bytes(std::vector<int64_t>{0, 1, 3, 3, 5}), std::string("abc\xc3\xa9")},
      1,
      0,
      "s"};
  HandColumn large_binary{
      "Z", 4, {std::nullopt, Bytes(std::vector<int64_t>{0, 0, 1, 2, 3}), std::string("\0\1\2", 3)},
      0,   0, "z"};
  DataChunk chunk = Import({large_string, large_binary}, 3, 1);
  EXPECT_EQ(chunk.column(0).offset, 0);
  EXPECT_NO_THROW(chunk.Validate());
  ExpectRows({{Value::String("bc"), Value::Binary(std::string("\0", 1))},
              {Value::Null(DataType::String()), Value::Binary("\1")},
              {Value::String("\xc3\xa9"), Value::Binary("\2")}},
             chunk);
}

TEST(ArrowImportTest, LargeStringsOver2GbAreRejected) {
  // The offsets claim 3 GB; the size check comes before any byte is read.
  HandColumn huge{
      "U", 1, {std::nullopt, Bytes(std::vector<int64_t>{0, 3000000000}), std::string("x")},
      0,   0, "big"};
  EXPECT_EQ(ImportError({huge}, 1),
            "data import: column 'big' (Arrow format 'U'): 3000000000 bytes of values exceed "
            "the 2 GB a chunk column can hold; read smaller batches");
}

std::string View(const std::string& inline_bytes) {
  std::string view(16, '\0');
  auto size = static_cast<int32_t>(inline_bytes.size());
  std::memcpy(view.data(), &size, 4);
  std::memcpy(view.data() + 4, inline_bytes.data(), inline_bytes.size());
  return view;
}

std::string View(int32_t size, int32_t buffer, int32_t offset, const std::string& prefix) {
  std::string view(16, '\0');
  std::memcpy(view.data(), &size, 4);
  std::memcpy(view.data() + 4, prefix.data(), 4);
  std::memcpy(view.data() + 8, &buffer, 4);
  std::memcpy(view.data() + 12, &offset, 4);
  return view;
}

TEST(ArrowImportTest, StringViews) {
  std::string data0 = "xxthis is a long string";
  std::string data1 = "another long value!";
  std::string views = View("skip") + View("short") + View(21, 0, 2, "this") + View("") +
                      View(19, 1, 0, "anot") + View("twelve bytes");
  HandColumn vu{"vu",
                6,
                {Bits({1, 1, 1, 0, 1, 1}), views, data0, data1,
                 Bytes(std::vector<int64_t>{static_cast<int64_t>(data0.size()),
                                            static_cast<int64_t>(data1.size())})},
                -1,
                1,
                "v"};
  ExpectRows({{Value::String("short")},
              {Value::String("this is a long string")},
              {Value::Null(DataType::String())},
              {Value::String("another long value!")},
              {Value::String("twelve bytes")}},
             Import({vu}, 5));
  HandColumn bad = vu;
  bad.buffers[1] = View(21, 5, 0, "this");
  bad.length = 1;
  bad.offset = 0;
  bad.buffers[0] = std::nullopt;
  bad.null_count = 0;
  EXPECT_EQ(ImportError({bad}, 1),
            "data import: column 'v' (Arrow format 'vu'): a string view points to a data buffer "
            "that does not exist");
}

TEST(ArrowImportTest, UuidAndFixedSizeBinary) {
  std::string uuid_bytes = "\x12\x34\x56\x78\x9a\xbc\xde\xf0\x01\x23\x45\x67\x89\xab\xcd\xef";
  HandColumn uuid{"w:16", 2,    {Bits({1, 0}), uuid_bytes + std::string(16, '\xff')}, 1,
                  0,      "id", Metadata("ARROW:extension:name", "arrow.uuid")};
  HandColumn fixed{"w:3", 2, {std::nullopt, std::string("abcdef")}, 0, 0, "f"};
  DataChunk chunk = Import({uuid, fixed}, 2);
  EXPECT_EQ(chunk.schema().field(0).type, DataType::String());
  EXPECT_EQ(chunk.schema().field(1).type, DataType::Binary());
  ExpectRows({{Value::String("12345678-9abc-def0-0123-456789abcdef"), Value::Binary("abc")},
              {Value::Null(DataType::String()), Value::Binary("def")}},
             chunk);
}

TEST(ArrowImportTest, NullTypeBecomesAllNullStrings) {
  HandColumn n{"n", 3, {}, 3, 0, "nothing", "", 0};
  DataChunk chunk = Import({n}, 3);
  EXPECT_EQ(chunk.schema().field(0), (Field{"nothing", DataType::String(), true}));
  EXPECT_EQ(chunk.column(0).null_count, 3);
  EXPECT_NO_THROW(chunk.Validate());
  Row null_row = {Value::Null(DataType::String())};
  ExpectRows({null_row, null_row, null_row}, chunk);
}

TEST(ArrowImportTest, DecimalsAndHugeint) {
  Int128 max = testing_util::MaxDecimal38();
  std::vector<Int128> values = {-max, 0, max};
  HandColumn hugeint{"d:38,0", 3, {std::nullopt, Bytes(values)}, 0, 0, "h"};
  HandColumn explicit_width{"d:38,10,128", 3, {std::nullopt, Bytes(values)}, 0, 0, "d"};
  DataChunk chunk = Import({hugeint, explicit_width}, 3);
  EXPECT_EQ(chunk.schema().field(0).type, DataType::Decimal(38, 0));
  EXPECT_EQ(chunk.schema().field(1).type, DataType::Decimal(38, 10));
  EXPECT_TRUE(chunk.column(0).DecimalAt(2) == max);
  EXPECT_EQ(chunk.column(1).GetValue(0).ToString(), "-9999999999999999999999999999.9999999999");
  HandColumn wide{"d:10,2,256", 1, {std::nullopt, std::string(32, '\0')}, 0, 0, "w"};
  EXPECT_EQ(ImportError({wide}, 1),
            "data import: column 'w': unsupported Arrow format 'd:10,2,256' (only 128-bit "
            "decimals of precision 1..38); cast it to a supported type (e.g. VARCHAR or JSON) "
            "before reading");
  HandColumn too_precise{"d:40,2", 1, {std::nullopt, std::string(16, '\0')}, 0, 0, "p"};
  EXPECT_NE(ImportError({too_precise}, 1), "no exception");
}

TEST(ArrowImportTest, JsonExtensionAndOtherExtensions) {
  std::vector<int32_t> offsets = {0, 2};
  HandColumn json{"u", 1,   {std::nullopt, Bytes(offsets), std::string("{}")}, 0,
                  0,   "j", Metadata("ARROW:extension:name", "arrow.json")};
  HandColumn other{"u", 1,   {std::nullopt, Bytes(offsets), std::string("ab")}, 0,
                   0,   "o", Metadata("ARROW:extension:name", "example.other")};
  DataChunk chunk = Import({json, other}, 1);
  EXPECT_EQ(chunk.schema().field(0).type, DataType::Json());
  EXPECT_EQ(chunk.schema().field(1).type, DataType::String());
  ExpectRows({{Value::Json("{}"), Value::String("ab")}}, chunk);
}

TEST(ArrowImportTest, EmptyStringsWithoutDataBuffer) {
  HandColumn s{"u", 2, {std::nullopt, Bytes(std::vector<int32_t>{0, 0, 0}), std::nullopt}};
  DataChunk chunk = Import({s}, 2);
  EXPECT_NO_THROW(chunk.Validate());
  ExpectRows({{Value::String("")}, {Value::String("")}}, chunk);
}

TEST(ArrowImportTest, UnsupportedTypesNameColumnAndFormat) {
  HandColumn list{"+l", 0, {std::nullopt}, 0, 0, "tags"};
  EXPECT_EQ(ImportError({list}, 0),
            "data import: column 'tags': unsupported Arrow format '+l' (nested type); cast it to "
            "a supported type (e.g. VARCHAR or JSON) before reading");
  HandColumn interval{"tiM", 0, {std::nullopt, std::nullopt}, 0, 0, "every"};
  EXPECT_EQ(ImportError({interval}, 0),
            "data import: column 'every': unsupported Arrow format 'tiM' (unknown type); cast "
            "it to a supported type (e.g. VARCHAR or JSON) before reading");
}

TEST(ArrowImportTest, DictionaryEncodedIsRejected) {
  HandColumn c{"c", 0, {std::nullopt, std::nullopt}, 0, 0, "mood"};
  HandSchema schema({c});
  ArrowSchema dictionary{"u", "", nullptr, 0, 0, nullptr, nullptr, ReleaseNothing, nullptr};
  schema.mutable_get()->children[0]->dictionary = &dictionary;
  EXPECT_THROW(ImportSchemaFromArrow(schema.get()), SchemaError);
  try {
    ImportSchemaFromArrow(schema.get());
  } catch (const SchemaError& e) {
    EXPECT_EQ(e.message(),
              "column 'mood': unsupported Arrow format 'c' (dictionary-encoded); cast it to a "
              "supported type (e.g. VARCHAR or JSON) before reading");
  }
}

TEST(ArrowImportTest, StructLevelNullsAndShapeErrors) {
  auto releases = std::make_shared<int>(0);
  HandColumn c{"C", 2, {std::nullopt, std::string("\1\2")}, 0, 0, "u8"};
  ArrowArray array = MakeArray({c}, 2, releases, 0, Bits({1, 0}), 1);
  HandSchema schema({c});
  EXPECT_THROW(DataChunk::ImportFromArrow(&array, schema.get()), SchemaError);
  EXPECT_EQ(*releases, 1);
  // A struct bitmap without NULLs in range is fine.
  ArrowArray fine = MakeArray({c}, 1, releases, 0, Bits({1, 0}), -1);
  ExpectRows({{Value::UInt(1, DataType::UInt8())}},
             DataChunk::ImportFromArrow(&fine, schema.get()));
  EXPECT_EQ(*releases, 2);

  HandColumn short_child{"C", 1, {std::nullopt, std::string("\1")}, 0, 0, "u8"};
  EXPECT_EQ(ImportError({short_child}, 2),
            "data import: column 'u8' (Arrow format 'C'): 1 rows, but the struct needs 2");
  HandColumn missing_values{"i", 1, {std::nullopt, std::nullopt}, 0, 0, "x"};
  EXPECT_EQ(ImportError({missing_values}, 1),
            "data import: column 'x' (Arrow format 'i'): the values buffer is null");
  HandColumn wrong_buffers{"u", 1, {std::nullopt, Bytes(std::vector<int32_t>{0, 0})}, 0, 0, "s"};
  EXPECT_EQ(ImportError({wrong_buffers}, 1),
            "data import: column 's' (Arrow format 'u'): 2 buffers, expected 3");
}

TEST(ArrowImportTest, SchemaImport) {
  HandColumn a{"l", 0, {}, 0, 0, "id", "", 0};
  HandColumn b{"tsu:America/New_York", 0, {}, 0, 0, "at"};
  HandSchema schema({a, b});
  Schema imported = ImportSchemaFromArrow(schema.get());
  EXPECT_EQ(imported, Schema({{"id", DataType::Int64(), false},
                              {"at", DataType::Timestamp("America/New_York"), true}}));
  HandSchema not_struct({}, "i");
  try {
    ImportSchemaFromArrow(not_struct.get());
    FAIL() << "no exception";
  } catch (const SchemaError& e) {
    EXPECT_STREQ(e.what(), "data import: expected a struct schema (format '+s'), got 'i'");
  }
}

TEST(ArrowImportTest, ValidateCatchesCorruptImports) {
  // Import trusts the producer (no per-value checks); Validate() is the gate for untrusted data.
  HandColumn decreasing{
      "u", 3, {std::nullopt, Bytes(std::vector<int32_t>{0, 5, 3, 6}), std::string("abcdef")},
      0,   0, "s"};
  DataChunk chunk = Import({decreasing}, 3);
  try {
    chunk.Validate();
    FAIL() << "no exception";
  } catch (const SchemaError& e) {
    EXPECT_EQ(e.message(), "column 's' row 1: offsets decrease (3 after 5)");
  }
  HandColumn bad_utf8{
      "u", 2, {std::nullopt, Bytes(std::vector<int32_t>{0, 1, 3}), std::string("a\xed\xa0")},
      0,   0, "s"};
  EXPECT_THROW(Import({bad_utf8}, 2).Validate(), SchemaError);
  HandColumn too_big{"d:3,0", 1, {std::nullopt, Bytes(std::vector<Int128>{1000})}, 0, 0, "d"};
  EXPECT_THROW(Import({too_big}, 1).Validate(), SchemaError);
}

TEST(ArrowImportTest, ImporterServesManyArrays) {
  HandColumn c{"tsn:", 1, {std::nullopt, Bytes(std::vector<int64_t>{5000})}, 0, 0, "t"};
  HandSchema schema({c});
  ArrowImporter importer(schema.get());
  auto releases = std::make_shared<int>(0);
  for (int i = 0; i < 3; ++i) {
    ArrowArray array = MakeArray({c}, 1, releases);
    DataChunk chunk = importer.Import(&array);
    EXPECT_EQ(chunk.schema_ptr(), importer.schema());
    ExpectRows({{Value::Timestamp(5)}}, chunk);
  }
  EXPECT_EQ(*releases, 3);
}

}  // namespace
}  // namespace sqlflow
