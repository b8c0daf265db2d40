#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sqlflow/connectors/csv/csv_connector.h"
#include "sqlflow/connectors/file/file_testing.h"
#include "sqlflow/connectors/parquet/parquet_connector.h"
#include "sqlflow/connectors/readme_check.h"
#include "sqlflow/duck/duck.h"

namespace sqlflow {
namespace {

using file::testing::DrainRows;
using file::testing::MakeChunk;
using file::testing::ReadFileBytes;
using file::testing::ScriptedStream;
using file::testing::TempDir;

std::unique_ptr<SourceConnector> Source(const nlohmann::json& params) {
  auto source = MakeParquetSource();
  source->Configure(params);
  return source;
}

std::unique_ptr<DestinationConnector> Destination(const nlohmann::json& params) {
  auto destination = MakeParquetDestination();
  destination->Configure(params);
  return destination;
}

std::vector<std::string> ReadRows(SourceConnector& source, const ReadRequest& request = {}) {
  auto stream = source.Read(request);
  return DrainRows(*stream);
}

/// One value of a parquet_metadata() query over `file`.
std::string Metadata(const std::string& file, const std::string& expression) {
  duck::Connection conn(duck::Database::Open());
  return conn.QueryScalar("SELECT " + expression + " FROM parquet_metadata('" + file + "')")
      .value_or("NULL");
}

const Schema kAllTypes({
    {"b", DataType::Boolean()},
    {"i8", DataType::Int8()},
    {"i16", DataType::Int16()},
    {"i32", DataType::Int32()},
    {"i64", DataType::Int64()},
    {"u8", DataType::UInt8()},
    {"u16", DataType::UInt16()},
    {"u32", DataType::UInt32()},
    {"u64", DataType::UInt64()},
    {"f32", DataType::Float32()},
    {"f64", DataType::Float64()},
    {"dec", DataType::Decimal(12, 2)},
    {"dec38", DataType::Decimal(38, 10)},
    {"day", DataType::Date()},
    {"tod", DataType::Time()},
    {"ts", DataType::Timestamp()},
    {"tstz", DataType::Timestamp("UTC")},
    {"s", DataType::String()},
    {"bin", DataType::Binary()},
    {"doc", DataType::Json()},
});

std::vector<Value> AllTypesRow(int k) {
  Int128 big = static_cast<Int128>(1234567890123456789LL) * 1000000 + k;
  return {Value::Boolean(k % 2 == 0),
          Value::Int(-100 - k, DataType::Int8()),
          Value::Int(-30000 + k, DataType::Int16()),
          Value::Int(-2000000000 + k, DataType::Int32()),
          Value::Int(-9000000000000000000LL + k),
          Value::UInt(250 + static_cast<uint64_t>(k), DataType::UInt8()),
          Value::UInt(65000 + static_cast<uint64_t>(k), DataType::UInt16()),
          Value::UInt(4000000000U + static_cast<uint64_t>(k), DataType::UInt32()),
          Value::UInt(18000000000000000000ULL + static_cast<uint64_t>(k)),
          Value::Double(1.5 + k, DataType::Float32()),
          Value::Double(0.1 + k),
          Value::Decimal(123456789 + k, DataType::Decimal(12, 2)),
          Value::Decimal(big, DataType::Decimal(38, 10)),
          Value::Date(19723 + k),
          Value::Time(3723500000LL + k),
          Value::Timestamp(1704164645123456LL + k),
          Value::Timestamp(1704164645000001LL + k, "UTC"),
          Value::String("h\xC3\xA9llo, \"world\"\n" + std::to_string(k)),
          Value::Binary(std::string("\x00\xFF\x01", 3) + std::to_string(k)),
          Value::Json("{\"a\": [1, 2], \"k\": " + std::to_string(k) + "}")};
}

class Parquet : public ::testing::Test {
 protected:
  TempDir dir_;
};

TEST_F(Parquet, EveryTypeRoundTripsExactly) {
  std::vector<std::vector<Value>> rows = {AllTypesRow(0), AllTypesRow(1)};
  std::vector<Value> nulls;
  for (const auto& f : kAllTypes.fields()) nulls.push_back(Value::Null(f.type));
  rows.push_back(nulls);
  ScriptedStream input(kAllTypes, {MakeChunk(kAllTypes, rows)});
  WriteResult result = Destination({{"path", dir_.Path("t.parquet")}})->Write("", input, {});
  EXPECT_EQ(result.rows_written, 3);
  EXPECT_EQ(result.bytes_written,
            static_cast<int64_t>(ReadFileBytes(dir_.Path("t.parquet")).size()));

  auto source = Source({{"path", dir_.Path("t.parquet")}});
  EXPECT_EQ(source->GetSchema(""), kAllTypes);
  std::vector<std::string> expected;
  file::testing::AppendRowStrings(MakeChunk(kAllTypes, rows), &expected);
  EXPECT_EQ(ReadRows(*source), expected);
}

TEST_F(Parquet, CompressionAndRowGroupSize) {
  Schema schema({{"n", DataType::Int64()}, {"s", DataType::String()}});
  std::vector<DataChunk> chunks;
  for (int c = 0; c < 10; ++c) {
    std::vector<std::vector<Value>> rows;
    for (int i = 0; i < 1000; ++i) {
      rows.push_back({Value::Int(c * 1000 + i), Value::String("row " + std::to_string(i % 7))});
    }
    chunks.push_back(MakeChunk(schema, rows));
  }
  for (const char* codec : {"snappy", "zstd", "gzip", "uncompressed"}) {
    SCOPED_TRACE(codec);
    std::string path = dir_.Path(std::string(codec) + ".parquet");
    ScriptedStream input(schema, chunks);
    Destination({{"path", path}, {"compression", codec}})->Write("", input, {});
    EXPECT_EQ(Metadata(path, "DISTINCT compression"), ToUpper(codec));
    EXPECT_EQ(Metadata(path, "count(DISTINCT row_group_id)"), "1");
    auto source = Source({{"path", path}});
    auto rows = ReadRows(*source);
    ASSERT_EQ(rows.size(), 10000u);
    EXPECT_EQ(rows[9999], "9999|row 5");
  }
  ScriptedStream input(schema, chunks);
  std::string small = dir_.Path("small_groups.parquet");
  Destination({{"path", small}, {"row_group_size", 2048}})->Write("", input, {});
  EXPECT_GE(std::stoi(Metadata(small, "count(DISTINCT row_group_id)")), 4);
}

TEST_F(Parquet, ProjectionFiltersColumnsParameterAndGlob) {
  Schema schema(
      {{"id", DataType::Int64()}, {"name", DataType::String()}, {"v", DataType::Float64()}});
  for (int f = 0; f < 3; ++f) {
    ScriptedStream input(
        schema,
        {MakeChunk(schema, {{Value::Int(f * 2 + 1), Value::String("n" + std::to_string(f * 2 + 1)),
                             Value::Double(0.5)},
                            {Value::Int(f * 2 + 2), Value::String("n" + std::to_string(f * 2 + 2)),
                             Value::Double(1.5)}})});
    Destination({{"path", dir_.Path("part" + std::to_string(f) + ".parquet")}})
        ->Write("", input, {});
  }
  auto source = Source({{"path", dir_.Path("part*.parquet")}, {"columns", {"name", "id"}}});
  EXPECT_EQ(source->Discover().size(), 3u);
  EXPECT_EQ(source->GetSchema("").names(), (std::vector<std::string>{"name", "id"}));
  ReadRequest request;
  request.filters = {Filter{"id", FilterOp::kIn, {Value::Int(2), Value::Int(3), Value::Int(6)}}};
  EXPECT_EQ(ReadRows(*source, request), (std::vector<std::string>{"n2|2", "n3|3", "n6|6"}));
  request.columns = {"id"};  // the request's projection wins over the parameter
  request.filters = {Filter{"v", FilterOp::kGt, {Value::Double(1.0)}}};
  EXPECT_EQ(ReadRows(*source, request), (std::vector<std::string>{"2", "4", "6"}));
}

TEST_F(Parquet, IncrementalAndPushdown) {
  Schema schema({{"id", DataType::Int64()}, {"at", DataType::Timestamp("UTC")}});
  std::vector<std::vector<Value>> rows;
  for (int i = 1; i <= 5; ++i)
    rows.push_back({Value::Int(i), Value::Timestamp(1704067200000000LL + i * 1000000LL, "UTC")});
  ScriptedStream input(schema, {MakeChunk(schema, rows)});
  Destination({{"path", dir_.Path("in.parquet")}})->Write("", input, {});
  auto source = Source(
      {{"path", dir_.Path("in.parquet")}, {"sync_mode", "incremental"}, {"cursor_field", "at"}});
  IncrementalRequest incremental;
  incremental.cursor_field = "at";
  incremental.cursor_value = Value::Timestamp(1704067203000000LL, "UTC");
  incremental.columns = {"id"};
  EXPECT_EQ(DrainRows(*source->ReadIncremental(incremental)), (std::vector<std::string>{"4", "5"}));

  auto& scannable = dynamic_cast<DuckDbScannable&>(*source);
  ReadRequest request;
  request.filters = {Filter{"id", FilterOp::kLe, {Value::Int(2)}}};
  auto relation = scannable.DuckDbRelation(request);
  ASSERT_TRUE(relation.has_value());
  auto destination = Destination({{"path", dir_.Path("out.parquet")}});
  dynamic_cast<DuckDbWritable&>(*destination).WriteRelation("", *relation, scannable, {}, {});
  EXPECT_EQ(ReadRows(*Source({{"path", dir_.Path("out.parquet")}})),
            (std::vector<std::string>{"1|2024-01-01 00:00:01+00", "2|2024-01-01 00:00:02+00"}));
}

TEST_F(Parquet, AppendAndUpsert) {
  Schema schema({{"k", DataType::Int64()}, {"v", DataType::String()}});
  auto write = [&](std::vector<std::vector<Value>> rows, WriteMode mode) {
    ScriptedStream input(schema, {MakeChunk(schema, rows)});
    WriteOptions options;
    options.mode = mode;
    options.keys = {"k"};
    return Destination({{"path", dir_.Path("t.parquet")}})->Write("", input, options);
  };
  write({{Value::Int(1), Value::String("a")}, {Value::Int(2), Value::String("b")}},
        WriteMode::kReplace);
  write({{Value::Int(3), Value::String("c")}}, WriteMode::kAppend);
  write({{Value::Int(2), Value::String("B")}, {Value::Int(4), Value::String("d")}},
        WriteMode::kUpsert);
  EXPECT_EQ(ReadRows(*Source({{"path", dir_.Path("t.parquet")}})),
            (std::vector<std::string>{"1|a", "3|c", "2|B", "4|d"}));
}

TEST_F(Parquet, NestedColumnsComeOutAsJson) {
  duck::Connection conn(duck::Database::Open());
  std::string path = dir_.Path("nested.parquet");
  conn.Execute(
      "COPY (SELECT 1 AS id, [1, 2] AS l, {'x': 1, 'y': 'b'} AS s, INTERVAL 3 DAY AS i) TO '" +
      path + "' (FORMAT parquet)");
  auto source = Source({{"path", path}});
  EXPECT_EQ(source->GetSchema(""), Schema({{"id", DataType::Int32()},
                                           {"l", DataType::Json()},
                                           {"s", DataType::Json()},
                                           {"i", DataType::String()}}));
  EXPECT_EQ(ReadRows(*source), std::vector<std::string>{"1|[1,2]|{\"x\":1,\"y\":\"b\"}|3 days"});
}

TEST_F(Parquet, CorruptFileIsADataErrorNamingIt) {
  std::string path = dir_.Write("bad.parquet", "this is not parquet at all, just text");
  auto source = Source({{"path", path}});
  try {
    ReadRows(*source);
    FAIL() << "no error";
  } catch (const DataError& e) {
    EXPECT_EQ(e.location().object, path);
    EXPECT_STREQ(e.what(), ("PARQUET read: " + path +
                            ": not a valid Parquet file (No magic bytes "
                            "found at end of file '" +
                            path + "')")
                               .c_str());
  }
  std::string csv = dir_.Write("data.parquet", "id,name\n1,a\n");
  EXPECT_THROW(Source({{"path", csv}})->GetSchema(""), DataError);
}

TEST_F(Parquet, CsvToParquetToCsvIsByteIdentical) {
  const std::string original =
      "id,name,amount,note\n"
      "1,\"Smith, John\",10.50,\"said \"\"hi\"\"\"\n"
      "2,\xC3\x89milie,,\"two\nlines\"\n"
      "3,\xE6\x97\xA5\xE6\x9C\xAC,-3.25,\"\"\n"
      "4,plain,0.00,\n";
  std::string in = dir_.Write("in.csv", original);
  auto csv_source = MakeCsvSource();
  csv_source->Configure({{"path", in}, {"column_types", {{"amount", "DECIMAL(10,2)"}}}});
  auto stream = csv_source->Read({});
  Destination({{"path", dir_.Path("mid.parquet")}})->Write("", *stream, {});
  auto parquet = Source({{"path", dir_.Path("mid.parquet")}});
  auto back = parquet->Read({});
  auto csv_destination = MakeCsvDestination();
  csv_destination->Configure({{"path", dir_.Path("out.csv")}});
  csv_destination->Write("", *back, {});
  EXPECT_EQ(ReadFileBytes(dir_.Path("out.csv")), original);
}

TEST_F(Parquet, CsvToParquetPushdownMatchesTheChunkPath) {
  std::string in =
      dir_.Write("in.csv",
                 "id,name,amount,day\n1,\"a,b\",1.5,2024-01-01\n2,\"x\ny\",,2024-01-02\n"
                 "3,caf\xC3\xA9,3.25,2024-01-03\n");
  auto csv_source = MakeCsvSource();
  csv_source->Configure({{"path", in}});
  auto stream = csv_source->Read({});
  Destination({{"path", dir_.Path("chunks.parquet")}})->Write("", *stream, {});
  auto& scannable = dynamic_cast<DuckDbScannable&>(*csv_source);
  auto relation = scannable.DuckDbRelation({});
  ASSERT_TRUE(relation.has_value());
  auto destination = Destination({{"path", dir_.Path("pushdown.parquet")}});
  WriteResult result =
      dynamic_cast<DuckDbWritable&>(*destination).WriteRelation("", *relation, scannable, {}, {});
  EXPECT_EQ(result.rows_written, 3);
  auto chunks = Source({{"path", dir_.Path("chunks.parquet")}});
  auto pushdown = Source({{"path", dir_.Path("pushdown.parquet")}});
  EXPECT_EQ(pushdown->GetSchema(""), chunks->GetSchema(""));
  EXPECT_EQ(ReadRows(*pushdown), ReadRows(*chunks));
  EXPECT_EQ(ReadRows(*pushdown),
            (std::vector<std::string>{"1|a,b|1.5|2024-01-01", "2|x\ny|NULL|2024-01-02",
                                      "3|caf\xC3\xA9|3.25|2024-01-03"}));
}

TEST_F(Parquet, ParametersAndReadme) {
  ExpectReadmeMatchesSpec("src/sqlflow/connectors/parquet/README.md", ParquetSourceSpec(),
                          "Source parameters");
  ExpectReadmeMatchesSpec("src/sqlflow/connectors/parquet/README.md", ParquetDestinationSpec(),
                          "Destination parameters");
  auto destination = MakeParquetDestination();
  try {
    destination->Configure(
        {{"path", "x.parquet"}, {"compression", "lz4"}, {"row_group_size", 0}, {"row_groups", 5}});
    FAIL() << "no error";
  } catch (const ParameterError& e) {
    ASSERT_EQ(e.problems().size(), 3u);
    EXPECT_EQ(e.problems()[2].parameter, "row_groups");
    EXPECT_EQ(e.problems()[2].suggestion, "did you mean 'row_group_size'?");
  }
  auto source = MakeParquetSource();
  try {
    source->Configure({{"path", 3}, {"columns", 5}, {"colums", {"a"}}, {"batch_size", 0}});
    FAIL() << "no error";
  } catch (const ParameterError& e) {
    ASSERT_EQ(e.problems().size(), 4u);
    EXPECT_EQ(e.problems()[0].parameter, "batch_size");
    EXPECT_EQ(e.problems()[1].parameter, "columns");
    EXPECT_EQ(e.problems()[2].parameter, "colums");
    EXPECT_EQ(e.problems()[2].suggestion, "did you mean 'columns'?");
    EXPECT_EQ(e.problems()[3].parameter, "path");
  }
  EXPECT_TRUE(ParquetSourceSpec().capabilities.projection_pushdown);
  EXPECT_TRUE(ParquetSourceSpec().capabilities.filter_pushdown);
  EXPECT_TRUE(ParquetSourceSpec().capabilities.incremental);
  EXPECT_TRUE(ParquetDestinationSpec().capabilities.atomic_write);
  EXPECT_TRUE(ParquetDestinationSpec().capabilities.upsert);
}

}  // namespace
}  // namespace sqlflow
