// Reading JSON and JSONL files: types, nested values, projection, filters, globs, incremental
// reads, type overrides and the errors of bad files.

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sqlflow/connectors/json/json_testing.h"
#include "sqlflow/connectors/readme_check.h"
#include "sqlflow/duck/duck.h"

namespace sqlflow::json {
namespace {

using testing::JsonTest;
using testing::ReadRows;

class JsonRead : public JsonTest {
 protected:
  /// The DataError of reading `path` (with `params`), failing the test when there is none.
  DataError ReadError(const std::string& path, nlohmann::json params = {}) {
    try {
      ReadRows(*Source(path, std::move(params)));
    } catch (const DataError& e) {
      return e;
    }
    ADD_FAILURE() << "no DataError reading " << path;
    return DataError("", "", {}, "");
  }
};

TEST_P(JsonRead, NestedValuesUnicodeAndNullsComeOutAsTheyAre) {
  std::string path = WriteObjects(
      "people", {R"({"id": 1, "name": "caf\u00e9 \ud83d\ude00", "tags": ["a", "b"],)"
                 R"( "address": {"city": "Paris", "zip": "75001"}, "score": 1.5, "active": true})",
                 R"({"id": 2, "name": null, "tags": [], "address": {"city": "K\u00f6ln"},)"
                 R"( "score": null, "active": false})",
                 R"({"id": 3, "name": "line\nbreak \"q\"", "address": null, "extra": 7})"});
  auto source = Source(path);
  EXPECT_EQ(source->GetSchema(""), Schema({{"id", DataType::Int64()},
                                           {"name", DataType::String()},
                                           {"tags", DataType::Json()},
                                           {"address", DataType::Json()},
                                           {"score", DataType::Float64()},
                                           {"active", DataType::Boolean()},
                                           {"extra", DataType::Int64()}}));
  // Nested values keep their own keys: Köln's address gets no "zip": null.
  EXPECT_EQ(
      ReadRows(*source),
      (std::vector<std::string>{
          "1|caf\xC3\xA9 \xF0\x9F\x98\x80|[\"a\",\"b\"]|{\"city\":\"Paris\",\"zip\":\"75001\"}|"
          "1.5|true|NULL",
          "2|NULL|[]|{\"city\":\"K\xC3\xB6ln\"}|NULL|false|NULL",
          "3|line\nbreak \"q\"|NULL|NULL|NULL|NULL|7"}));
}

TEST_P(JsonRead, ProjectionFiltersGlobAndDiscovery) {
  for (int f = 0; f < 3; ++f) {
    std::string a = std::to_string(f * 2 + 1);
    std::string b = std::to_string(f * 2 + 2);
    WriteObjects("part" + std::to_string(f),
                 {R"({"id": )" + a + R"(, "name": "n)" + a + R"(", "v": 0.5})",
                  R"({"id": )" + b + R"(, "name": "n)" + b + R"(", "v": 1.5})"});
  }
  dir_.Write("part9." + kind().extension, "");  // empty files of a glob are skipped
  auto source = Source(dir_.Path("part*." + kind().extension));
  EXPECT_EQ(source->Discover().size(), 3u);
  EXPECT_EQ(source->GetSchema("").names(), (std::vector<std::string>{"id", "name", "v"}));
  ReadRequest request;
  request.columns = {"name", "id"};
  request.filters = {Filter{"id", FilterOp::kIn, {Value::Int(2), Value::Int(3), Value::Int(6)}}};
  EXPECT_EQ(ReadRows(*source, request), (std::vector<std::string>{"n2|2", "n3|3", "n6|6"}));
  request.columns = {"ID"};
  request.filters = {Filter{"v", FilterOp::kGt, {Value::Double(1.0)}}};
  EXPECT_EQ(ReadRows(*source, request), (std::vector<std::string>{"2", "4", "6"}));
  request.columns = {"nmae"};
  EXPECT_THROW(ReadRows(*source, request), SchemaError);
}

TEST_P(JsonRead, IncrementalReadsRowsAfterTheWatermark) {
  std::vector<std::string> objects;
  for (int i = 1; i <= 5; ++i) {
    objects.push_back(R"({"id": )" + std::to_string(i) + R"(, "at": "2024-01-01 00:00:0)" +
                      std::to_string(i) + R"("})");
  }
  auto source = Source(WriteObjects("events", objects),
                       {{"sync_mode", "incremental"}, {"cursor_field", "at"}});
  EXPECT_EQ(source->GetSchema("").field(1).type, DataType::Timestamp());
  IncrementalRequest incremental;
  incremental.cursor_field = "at";
  incremental.cursor_value = Value::Timestamp(1704067203000000LL);  // 2024-01-01 00:00:03
  incremental.columns = {"id"};
  EXPECT_EQ(file::testing::DrainRows(*source->ReadIncremental(incremental)),
            (std::vector<std::string>{"4", "5"}));
}

TEST_P(JsonRead, ColumnTypesOverrideDetection) {
  std::string path = WriteObjects(
      "typed", {R"({"zip": "01234", "amount": 12.34, "big": 18000000000000000000,)"
                R"( "at": "2024-01-02 03:04:05.123456+02", "doc": {"a": 1}, "n": 7})"});
  auto source = Source(path, {{"column_types",
                               {{"amount", "DECIMAL(12,2)"},
                                {"BIG", "ubigint"},
                                {"at", "TIMESTAMP WITH TIME ZONE"},
                                {"n", "VARCHAR"}}}});
  EXPECT_EQ(source->GetSchema(""), Schema({{"zip", DataType::String()},
                                           {"amount", DataType::Decimal(12, 2)},
                                           {"big", DataType::UInt64()},
                                           {"at", DataType::Timestamp("UTC")},
                                           {"doc", DataType::Json()},
                                           {"n", DataType::String()}}));
  EXPECT_EQ(ReadRows(*source),
            std::vector<std::string>{"01234|12.34|18000000000000000000|"
                                     "2024-01-02 01:04:05.123456+00|{\"a\":1}|7"});
  // DuckDB 1.4 detects a number beyond BIGINT as BIGINT, then fails on it: UBIGINT fixes it.
  DataError e = ReadError(path);
  EXPECT_EQ(e.location().object, path);
  EXPECT_NE(std::string(e.what()).find("18000000000000000000"), std::string::npos) << e.what();

  try {
    ReadRows(*Source(path, {{"column_types", {{"amout", "DOUBLE"}}}}));
    FAIL() << "no error";
  } catch (const ParameterError& error) {
    ASSERT_EQ(error.problems().size(), 1u);
    EXPECT_EQ(error.problems()[0].parameter, "column_types");
    EXPECT_EQ(error.problems()[0].suggestion, "did you mean 'amount'?");
  }
}

TEST_P(JsonRead, DatesAreDetectedInIsoFormOnly) {
  auto source = Source(WriteObjects(
      "dates", {R"({"d": "2024-01-02", "us": "01-02-2024", "ts": "2024-01-02 03:04:05",)"
                R"( "t": "03:04:05.5", "iso": "2024-01-02T03:04:05Z"})"}));
  EXPECT_EQ(source->GetSchema(""), Schema({{"d", DataType::Date()},
                                           {"us", DataType::String()},
                                           {"ts", DataType::Timestamp()},
                                           {"t", DataType::Time()},
                                           {"iso", DataType::String()}}));
  EXPECT_EQ(ReadRows(*source), std::vector<std::string>{"2024-01-02|01-02-2024|"
                                                        "2024-01-02 03:04:05|03:04:05.5|"
                                                        "2024-01-02T03:04:05Z"});
  auto typed = Source(source->params().GetString("path"),
                      {{"column_types", {{"iso", "TIMESTAMP"}, {"us", "VARCHAR"}}}});
  ReadRequest request;
  request.columns = {"iso"};
  EXPECT_EQ(ReadRows(*typed, request), std::vector<std::string>{"2024-01-02 03:04:05"});
}

TEST_P(JsonRead, SyntaxErrorsNameTheFileAndTheExactLine) {
  // The third line of both layouts holds the bad record.
  std::string path =
      dir_.Write("bad." + kind().extension,
                 kind().lines ? "{\"a\": 1}\n{\"a\": 2}\n{\"a\": 3,, \"b\": 1}\n{\"a\": 4}\n"
                              : "[\n  {\"a\": 1},\n  {\"a\": 3,, \"b\": 1},\n  {\"a\": 4}\n]\n");
  DataError e = ReadError(path);
  EXPECT_EQ(e.location().object, path);
  EXPECT_EQ(e.location().line, 3);
  EXPECT_STREQ(e.what(), (kind().type + " read: " + path +
                          ":3: malformed JSON: unexpected "
                          "character")
                             .c_str());

  // Cut after a record: DuckDB itself accepts "[{...}," as a complete array.
  std::string truncated = dir_.Write("cut." + kind().extension,
                                     kind().lines ? "{\"a\": 1}\n{\"a\": 2" : "[{\"a\": 1},\n");
  e = ReadError(truncated);
  EXPECT_EQ(e.location().object, truncated);
  EXPECT_STREQ(e.what(), kind().lines
                             ? (kind().type + " read: " + truncated +
                                ":2: malformed JSON: unexpected end of data")
                                   .c_str()
                             : (kind().type + " read: " + truncated +
                                ": truncated: the array of records is not closed (the file ends "
                                "with ',' instead of ']')")
                                   .c_str());
}

TEST_P(JsonRead, CompressedFilesAreReadByTheirExtension) {
  std::string path = PathOf("packed") + ".gz";
  duck::Connection conn(duck::Database::Open());
  conn.Execute("COPY (SELECT * FROM (VALUES (1, 'a'), (2, 'b')) t(id, s)) TO '" + path +
               "' (FORMAT json, COMPRESSION gzip" + (kind().lines ? "" : ", ARRAY true") + ")");
  EXPECT_EQ(ReadRows(*Source(path)), (std::vector<std::string>{"1|a", "2|b"}));
}

TEST_P(JsonRead, ValuesOfAnotherTypeNameTheRecord) {
  std::string path = WriteObjects("typed", {R"({"a": 1})", R"({"a": 2})", R"({"a": "x"})"});
  DataError e = ReadError(path, {{"column_types", {{"a", "BIGINT"}}}});
  EXPECT_EQ(e.location().object, path);
  // DuckDB counts JSONL lines exactly; the records of an array have no line of their own.
  EXPECT_EQ(e.location().line, kind().lines ? 3 : 0);
  std::string what = e.what();
  EXPECT_NE(what.find(kind().lines ? ":3: " : "record 3: "), std::string::npos) << what;
  EXPECT_NE(what.find("\"x\""), std::string::npos) << what;
  EXPECT_NE(what.find("set column_types"), std::string::npos) << what;
}

TEST_P(JsonRead, RecordsMustBeObjectsOfTheRightLayout) {
  std::string scalars =
      dir_.Write("scalars." + kind().extension, kind().lines ? "1\n2\n" : "[1, 2]");
  DataError e = ReadError(scalars);
  EXPECT_EQ(e.location().object, scalars);
  EXPECT_NE(std::string(e.what()).find("objects"), std::string::npos) << e.what();

  // A file of the other layout.
  std::string other = dir_.Write("other." + kind().extension,
                                 kind().lines ? "[{\"a\": 1}, {\"a\": 2}]\n" : "{\"a\": 1}\n");
  e = ReadError(other);
  EXPECT_EQ(e.location().object, other);
  EXPECT_NE(std::string(e.what()).find(kind().lines ? "type JSON" : "type JSONL"),
            std::string::npos)
      << e.what();

  // Among the files of a glob, the culprit is named.
  WriteObjects("a_good", {R"({"a": 1})"});
  std::string bad = dir_.Write("b_bad." + kind().extension, kind().lines ? "7\n" : "[7]");
  e = ReadError(dir_.Path("[ab]_*." + kind().extension));
  EXPECT_EQ(e.location().object, bad);
}

TEST_P(JsonRead, EmptyAndMissingFiles) {
  std::string empty = dir_.Write("empty." + kind().extension, "");
  DataError e = ReadError(empty);
  EXPECT_EQ(e.location().object, empty);
  EXPECT_NE(std::string(e.what()).find("file is empty (0 bytes)"), std::string::npos);

  std::string no_records = dir_.Write("none." + kind().extension, kind().lines ? "\n \n" : "[ ]\n");
  e = ReadError(no_records);
  EXPECT_EQ(e.location().object, no_records);
  EXPECT_NE(std::string(e.what()).find("holds no records"), std::string::npos) << e.what();

  try {
    Source(dir_.Path("missing." + kind().extension))->GetSchema("");
    FAIL() << "no error";
  } catch (const DataError&) {
    FAIL() << "a missing file is not bad data";
  } catch (const ConnectorError& error) {
    EXPECT_NE(std::string(error.what()).find("does not exist"), std::string::npos);
  }
  EXPECT_FALSE(Source(dir_.Path("missing." + kind().extension))->TestConnection().success);
}

TEST_P(JsonRead, PushdownRelationMatchesTheChunkPath) {
  std::string in = WriteObjects(
      "in", {R"({"id": 1, "doc": {"x": [1]}, "s": "\u00e9"})",
             R"({"id": 2, "doc": null, "s": "b"})", R"({"id": 3, "doc": [true], "s": null})"});
  auto source = Source(in);
  auto& scannable = dynamic_cast<DuckDbScannable&>(*source);
  ReadRequest request;
  request.filters = {Filter{"id", FilterOp::kNe, {Value::Int(2)}}};
  auto relation = scannable.DuckDbRelation(request);
  ASSERT_TRUE(relation.has_value());
  std::string out = PathOf("out");
  auto destination = Destination(out);
  WriteResult result =
      dynamic_cast<DuckDbWritable&>(*destination).WriteRelation("", *relation, scannable, {}, {});
  EXPECT_EQ(result.rows_written, 2);
  EXPECT_EQ(ReadRows(*Source(out)), ReadRows(*source, request));
  EXPECT_EQ(ReadRows(*Source(out)),
            (std::vector<std::string>{"1|{\"x\":[1]}|\xC3\xA9", "3|[true]|NULL"}));

  // Errors of a pushed-down scan are the connector's.
  std::string bad = dir_.Write("bad." + kind().extension, kind().Layout({R"({"id": 1})"}));
  auto bad_source = Source(bad, {{"column_types", {{"id", "DATE"}}}});
  auto& bad_scan = dynamic_cast<DuckDbScannable&>(*bad_source);
  auto bad_relation = bad_scan.DuckDbRelation({});
  ASSERT_TRUE(bad_relation.has_value());
  EXPECT_THROW(dynamic_cast<DuckDbWritable&>(*destination)
                   .WriteRelation("", *bad_relation, bad_scan, {}, {}),
               DataError);
  EXPECT_EQ(ReadRows(*Source(out)).size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Kinds, JsonRead, ::testing::Values(testing::kJson, testing::kJsonl),
                         testing::KindName);

TEST(JsonSpec, ParametersAndReadme) {
  const std::string readme = "src/sqlflow/connectors/json/README.md";
  ExpectReadmeMatchesSpec(readme, JsonSourceSpec(), "Source parameters");
  ExpectReadmeMatchesSpec(readme, JsonlSourceSpec(), "Source parameters");
  ExpectReadmeMatchesSpec(readme, JsonDestinationSpec(), "Destination parameters");
  ExpectReadmeMatchesSpec(readme, JsonlDestinationSpec(), "Destination parameters");
  auto source = MakeJsonlSource();
  try {
    source->Configure({{"path", "x.jsonl"},
                       {"column_types", {{"a", "NOT A TYPE"}, {"b", 3}}},
                       {"colum_types", {}}});
    FAIL() << "no error";
  } catch (const ParameterError& e) {
    ASSERT_EQ(e.problems().size(), 1u);
    EXPECT_EQ(e.problems()[0].parameter, "colum_types");
    EXPECT_EQ(e.problems()[0].suggestion, "did you mean 'column_types'?");
  }
  try {
    source->Configure({{"path", "x.jsonl"}, {"column_types", {{"a", "NOT A TYPE"}, {"b", 3}}}});
    FAIL() << "no error";
  } catch (const ParameterError& e) {
    ASSERT_EQ(e.problems().size(), 2u);
    EXPECT_EQ(e.problems()[0].parameter, "column_types");
  }
  EXPECT_EQ(JsonSourceSpec().type, "JSON");
  EXPECT_EQ(JsonlDestinationSpec().type, "JSONL");
  EXPECT_TRUE(JsonSourceSpec().capabilities.projection_pushdown);
  EXPECT_TRUE(JsonlSourceSpec().capabilities.filter_pushdown);
  EXPECT_TRUE(JsonSourceSpec().capabilities.incremental);
  EXPECT_TRUE(JsonDestinationSpec().capabilities.atomic_write);
  EXPECT_TRUE(JsonlDestinationSpec().capabilities.upsert);
}

}  // namespace
}  // namespace sqlflow::json
