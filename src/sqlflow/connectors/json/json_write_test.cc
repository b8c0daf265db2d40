// Writing JSON and JSONL files: layout, exact round trips, append and upsert, atomicity and
// writes on the engine's connection.

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sqlflow/connectors/json/json_testing.h"
#include "sqlflow/duck/duck.h"

namespace sqlflow::json {
namespace {

using file::testing::AppendRowStrings;
using file::testing::MakeChunk;
using file::testing::ReadFileBytes;
using file::testing::ScriptedStream;
using testing::JsonTest;
using testing::ReadRows;

/// A column of the all-types schema, and the column_types entry that restores its type when
/// the file is read back (JSON itself only knows numbers, strings and booleans; nullptr: none
/// needed).
struct AllTypesColumn {
  const char* name;
  DataType type;
  const char* column_type;
};

/// One column of each type.
const std::vector<AllTypesColumn> kAllTypesColumns = {
    {"b", DataType::Boolean(), nullptr},
    {"i8", DataType::Int8(), "TINYINT"},
    {"i16", DataType::Int16(), "SMALLINT"},
    {"i32", DataType::Int32(), "INTEGER"},
    {"i64", DataType::Int64(), nullptr},
    {"u8", DataType::UInt8(), "UTINYINT"},
    {"u16", DataType::UInt16(), "USMALLINT"},
    {"u32", DataType::UInt32(), "UINTEGER"},
    {"u64", DataType::UInt64(), "UBIGINT"},
    {"f32", DataType::Float32(), "FLOAT"},
    {"f64", DataType::Float64(), nullptr},
    {"dec", DataType::Decimal(12, 2), "DECIMAL(12,2)"},
    {"dec38", DataType::Decimal(38, 10), "DECIMAL(38,10)"},
    {"day", DataType::Date(), nullptr},
    {"tod", DataType::Time(), nullptr},
    {"ts", DataType::Timestamp(), nullptr},
    {"tstz", DataType::Timestamp("UTC"), "TIMESTAMPTZ"},
    {"s", DataType::String(), nullptr},
    {"bin", DataType::Binary(), "BLOB"},
    {"doc", DataType::Json(), nullptr},
};

const Schema kAllTypes = [] {
  std::vector<Field> fields;
  for (const AllTypesColumn& c : kAllTypesColumns) fields.push_back({c.name, c.type});
  return Schema(std::move(fields));
}();

/// The column_types that restore kAllTypes.
const nlohmann::json kAllTypesOverrides = [] {
  nlohmann::json overrides = nlohmann::json::object();
  for (const AllTypesColumn& c : kAllTypesColumns) {
    if (c.column_type != nullptr) overrides[c.name] = c.column_type;
  }
  return overrides;
}();

/// A row of kAllTypes; `doc` is written as DuckDB does (without spaces) so rows compare exactly.
std::vector<Value> AllTypesRow(int k) {
  return {Value::Boolean(k % 2 == 0), Value::Int(-100 - k, DataType::Int8()),
          Value::Int(-30000 + k, DataType::Int16()), Value::Int(-2000000000 + k, DataType::Int32()),
          Value::Int(-9000000000000000000LL + k),
          Value::UInt(250 + static_cast<uint64_t>(k), DataType::UInt8()),
          Value::UInt(65000 + static_cast<uint64_t>(k), DataType::UInt16()),
          Value::UInt(4000000000U + static_cast<uint64_t>(k), DataType::UInt32()),
          Value::UInt(18000000000000000000ULL + static_cast<uint64_t>(k)),
          Value::Double(1.5 + k, DataType::Float32()), Value::Double(0.1 + k),
          Value::Decimal(123456789 + k, DataType::Decimal(12, 2)),
          // 15 significant digits: DuckDB's JSON reader parses numbers as doubles.
          Value::Decimal(static_cast<Int128>(12345678901234LL) * 10 + k, DataType::Decimal(38, 10)),
          Value::Date(19723 + k), Value::Time(3723500000LL + k),
          Value::Timestamp(1704164645123456LL + k), Value::Timestamp(1704164645000001LL + k, "UTC"),
          Value::String("h\xC3\xA9llo, \"world\"\n\\ \xF0\x9F\x98\x80 " + std::to_string(k)),
          Value::Binary(std::string("\x00\xFF\\a", 4) + std::to_string(k)),
          Value::Json("{\"a\":[1,2],\"k\":" + std::to_string(k) + "}")};
}

class JsonWrite : public JsonTest {
 protected:
  WriteResult WriteRows(const std::string& path, const Schema& schema,
                        const std::vector<std::vector<Value>>& rows, WriteMode mode = {},
                        std::vector<std::string> keys = {}) {
    ScriptedStream input(schema, {MakeChunk(schema, rows)});
    WriteOptions options;
    options.mode = mode;
    options.keys = std::move(keys);
    return Destination(path)->Write("", input, options);
  }
};

TEST_P(JsonWrite, EveryTypeRoundTripsExactlyWithColumnTypes) {
  std::vector<std::vector<Value>> rows = {AllTypesRow(0), AllTypesRow(1)};
  std::vector<Value> nulls;
  for (const auto& f : kAllTypes.fields()) nulls.push_back(Value::Null(f.type));
  rows.push_back(nulls);
  std::string path = PathOf("all");
  WriteResult result = WriteRows(path, kAllTypes, rows);
  EXPECT_EQ(result.rows_written, 3);
  EXPECT_EQ(result.bytes_written, static_cast<int64_t>(ReadFileBytes(path).size()));

  auto source = Source(path, {{"column_types", kAllTypesOverrides}});
  EXPECT_EQ(source->GetSchema(""), kAllTypes);
  std::vector<std::string> expected;
  AppendRowStrings(MakeChunk(kAllTypes, rows), &expected);
  EXPECT_EQ(ReadRows(*source), expected);
}

TEST_P(JsonWrite, TheFileIsAnArrayOrOneObjectPerLine) {
  Schema schema(
      {{"id", DataType::Int64()}, {"name", DataType::String()}, {"doc", DataType::Json()}});
  std::string path = PathOf("out");
  WriteRows(path, schema,
            {{Value::Int(1), Value::String("a\"b"), Value::Json("{\"x\": [1, 2]}")},
             {Value::Int(2), Value::Null(DataType::String()), Value::Null(DataType::Json())}});
  const std::string first = R"({"id":1,"name":"a\"b","doc":{"x":[1,2]}})";
  const std::string second = R"({"id":2,"name":null,"doc":null})";
  EXPECT_EQ(ReadFileBytes(path), kind().DuckDbLayout({first, second}));
  EXPECT_EQ(ReadFileBytes(path), kind().lines ? first + "\n" + second + "\n"
                                              : "[\n\t" + first + ",\n\t" + second + "\n]\n");
  WriteRows(path, schema, {});
  EXPECT_EQ(ReadFileBytes(path), kind().lines ? "" : "[\n\t\n]\n");
}

TEST_P(JsonWrite, AppendAndUpsertKeepTheExistingValuesAsWritten) {
  Schema schema({{"k", DataType::Int64()},
                 {"at", DataType::Timestamp("UTC")},
                 {"amount", DataType::Decimal(12, 2)}});
  auto row = [](int k, int64_t second, int64_t cents) {
    return std::vector<Value>{Value::Int(k),
                              Value::Timestamp(1704067200000000LL + second * 1000000, "UTC"),
                              Value::Decimal(cents, DataType::Decimal(12, 2))};
  };
  // An existing file with a nested value and a key the input does not have.
  std::string path =
      WriteObjects("t", {R"({"k":1,"at":"2024-01-01 00:00:01+00","amount":10.50,"doc":{"x":[1]}})",
                         R"({"k":2,"at":"2024-01-01 00:00:02+00","amount":20.00,"doc":null})"});
  EXPECT_EQ(WriteRows(path, schema, {row(3, 3, 3000)}, WriteMode::kAppend).rows_written, 1);
  EXPECT_EQ(WriteRows(path, schema, {row(2, 9, 2222), row(4, 4, 4000)}, WriteMode::kUpsert, {"k"})
                .rows_written,
            2);
  // The values are kept; DuckDB spells the decimal 10.50 "10.5" and 30.00 "30.0".
  const std::string expected =
      kind().DuckDbLayout({R"({"k":1,"at":"2024-01-01 00:00:01+00","amount":10.5,"doc":{"x":[1]}})",
                           R"({"k":3,"at":"2024-01-01 00:00:03+00","amount":30.0,"doc":null})",
                           R"({"k":2,"at":"2024-01-01 00:00:09+00","amount":22.22,"doc":null})",
                           R"({"k":4,"at":"2024-01-01 00:00:04+00","amount":40.0,"doc":null})"});
  EXPECT_EQ(ReadFileBytes(path), expected);

  // A nested column takes JSON only.
  Schema text_doc({{"k", DataType::Int64()}, {"doc", DataType::String()}});
  EXPECT_THROW(WriteRows(path, text_doc, {{Value::Int(5), Value::String("x")}}, WriteMode::kAppend),
               SchemaError);
  // A column the file does not have.
  Schema extra({{"k", DataType::Int64()}, {"nope", DataType::Int64()}});
  EXPECT_THROW(WriteRows(path, extra, {{Value::Int(5), Value::Int(5)}}, WriteMode::kAppend),
               SchemaError);
  EXPECT_EQ(ReadFileBytes(path), expected);
}

TEST_P(JsonWrite, AppendToAFileWithoutRecordsWritesTheInput) {
  std::string path = dir_.Write("t." + kind().extension, kind().lines ? "\n" : "[]");
  Schema schema({{"k", DataType::Int64()}});
  WriteRows(path, schema, {{Value::Int(1)}}, WriteMode::kAppend);
  WriteRows(path, schema, {{Value::Int(1)}, {Value::Int(2)}}, WriteMode::kUpsert, {"k"});
  EXPECT_EQ(ReadRows(*Source(path)), (std::vector<std::string>{"1", "2"}));
}

TEST_P(JsonWrite, AFailedWriteLeavesTheOldFile) {
  Schema schema({{"k", DataType::Int64()}});
  std::string path = PathOf("t");
  WriteRows(path, schema, {{Value::Int(1)}});
  const std::string before = ReadFileBytes(path);
  for (WriteMode mode : {WriteMode::kReplace, WriteMode::kAppend}) {
    ScriptedStream input(schema, {MakeChunk(schema, {{Value::Int(2)}})}, /*fail_after=*/1);
    WriteOptions options;
    options.mode = mode;
    EXPECT_THROW(Destination(path)->Write("", input, options), DataError);
    EXPECT_EQ(ReadFileBytes(path), before);
    EXPECT_EQ(dir_.List(), std::vector<std::string>{"t." + kind().extension});
  }
  // An existing file that is not JSON is not overwritten by an append.
  std::string text = dir_.Write("text." + kind().extension, "not json\n");
  try {
    WriteRows(text, schema, {{Value::Int(1)}}, WriteMode::kAppend);
    FAIL() << "no error";
  } catch (const DataError& e) {
    EXPECT_EQ(e.location().object, text);
    EXPECT_NE(std::string(e.what()).find("cannot read the existing file"), std::string::npos);
  }
  EXPECT_EQ(ReadFileBytes(text), "not json\n");
}

TEST_P(JsonWrite, WideDecimalsNeedToBeWrittenAsText) {
  // DuckDB 1.4 parses JSON numbers as doubles: past ~15 significant digits a decimal written
  // as a number does not come back exactly. Written as a string (a cast in the query), it does.
  duck::Connection conn(duck::Database::Open());
  conn.Execute("CREATE TABLE t AS SELECT 12345678901234567890.1234567890::DECIMAL(38,10) AS d");
  auto number = Destination(PathOf("number"));
  dynamic_cast<DuckDbWritable&>(*number).WriteRelationOn(conn, "", "t", {}, {});
  auto text = Destination(PathOf("text"));
  dynamic_cast<DuckDbWritable&>(*text).WriteRelationOn(
      conn, "", "(SELECT CAST(d AS VARCHAR) AS d FROM t)", {}, {});
  const nlohmann::json types = {{"column_types", {{"d", "DECIMAL(38,10)"}}}};
  EXPECT_EQ(ReadRows(*Source(PathOf("number"), types)),
            std::vector<std::string>{"12345678901234567787.7719597056"});
  EXPECT_EQ(ReadRows(*Source(PathOf("text"), types)),
            std::vector<std::string>{"12345678901234567890.1234567890"});
}

TEST_P(JsonWrite, WritesOnTheEnginesConnection) {
  duck::Connection conn(duck::Database::Open());
  conn.Execute(
      "CREATE TABLE t AS SELECT i AS k, {'n': i, 'l': [i, i]} AS nested FROM range(3) r(i)");
  auto destination = Destination(PathOf("out"));
  auto& writable = dynamic_cast<DuckDbWritable&>(*destination);
  EXPECT_EQ(writable.WriteRelationOn(conn, "", "t", {}, {}).rows_written, 3);
  WriteOptions append;
  append.mode = WriteMode::kAppend;
  EXPECT_EQ(writable.WriteRelationOn(conn, "", "(SELECT 7 AS k)", append, {}).rows_written, 1);
  EXPECT_EQ(ReadRows(*Source(PathOf("out"))),
            (std::vector<std::string>{"0|{\"n\":0,\"l\":[0,0]}", "1|{\"n\":1,\"l\":[1,1]}",
                                      "2|{\"n\":2,\"l\":[2,2]}", "7|NULL"}));
  EXPECT_EQ(conn.QueryScalar("SELECT count(*) FROM duckdb_tables() WHERE NOT internal"), "1");
}

INSTANTIATE_TEST_SUITE_P(Kinds, JsonWrite, ::testing::Values(testing::kJson, testing::kJsonl),
                         testing::KindName);

}  // namespace
}  // namespace sqlflow::json
