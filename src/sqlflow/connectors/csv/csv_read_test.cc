#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sqlflow/connectors/csv/csv_testing.h"

namespace sqlflow::csv {
namespace {

using namespace testing;  // NOLINT: the CSV test helpers

constexpr const char* kOrders =
    "id,name,amount,day\n"
    "1,Alice,10.5,2024-01-01\n"
    "2,\"Bob, Jr.\",20,2024-01-02\n"
    "3,\"Carol \"\"CJ\"\"\",,2024-01-03\n"
    "4,\"multi\nline\",40.25,2024-01-04\n"
    "5,Eve,50,2024-01-05\n";

class CsvRead : public ::testing::Test {
 protected:
  std::unique_ptr<SourceConnector> Orders(nlohmann::json extra = nlohmann::json::object()) {
    nlohmann::json params = {{"path", dir_.Write("orders.csv", kOrders)},
                             {"column_types", {{"amount", "DECIMAL(10,2)"}}}};
    params.update(extra);
    return Source(params);
  }
  std::vector<std::string> Ids(const std::vector<Filter>& filters) {
    ReadRequest request;
    request.columns = {"id"};
    request.filters = filters;
    return ReadRows(*Orders(), request);
  }

  TempDir dir_;
};

TEST_F(CsvRead, TypedRowsWithQuotedDelimitersQuotesAndLineBreaks) {
  auto source = Orders();
  EXPECT_EQ(source->GetSchema(""), Schema({{"id", DataType::Int64()},
                                           {"name", DataType::String()},
                                           {"amount", DataType::Decimal(10, 2)},
                                           {"day", DataType::Date()}}));
  EXPECT_EQ(ReadRows(*source), (std::vector<std::string>{
                                   "1|Alice|10.50|2024-01-01",
                                   "2|Bob, Jr.|20.00|2024-01-02",
                                   "3|Carol \"CJ\"|NULL|2024-01-03",
                                   "4|multi\nline|40.25|2024-01-04",
                                   "5|Eve|50.00|2024-01-05",
                               }));
}

TEST_F(CsvRead, CrLfLineEndingsAndByteOrderMark) {
  auto source =
      Source({{"path", dir_.Write("a.csv", "\xEF\xBB\xBFid,name\r\n1,\"a\r\nb\"\r\n2,c\r\n")}});
  EXPECT_EQ(source->GetSchema("").names(), (std::vector<std::string>{"id", "name"}));
  EXPECT_EQ(ReadRows(*source), (std::vector<std::string>{"1|a\r\nb", "2|c"}));
}

TEST_F(CsvRead, HeaderOnlyFileHasColumnsAndNoRows) {
  auto source = Source({{"path", dir_.Write("a.csv", "id,name\n")}});
  EXPECT_EQ(source->GetSchema(""),
            Schema({{"id", DataType::String()}, {"name", DataType::String()}}));
  auto stream = source->Read({});
  EXPECT_EQ(stream->schema().names(), (std::vector<std::string>{"id", "name"}));
  EXPECT_FALSE(stream->Next().has_value());
}

TEST_F(CsvRead, TenMegabyteFieldIsReadIntact) {
  std::string big(10 * 1000 * 1000, 'x');
  big[12345] = ',';
  big[777777] = '"';
  std::string quoted = big;
  size_t at = quoted.find('"');
  quoted.insert(at, "\"");  // double the quote inside the quoted value
  std::string path = dir_.Write("big.csv", "id,blob,n\n1,\"" + quoted + "\",2\n");
  // The default limit (2 MiB, DuckDB's) refuses the line with a DataError saying what to raise.
  try {
    auto refused = Source({{"path", path}});
    auto s = refused->Read({});
    while (s->Next()) {
    }
    FAIL() << "a 10 MB line was read under the 2 MiB default";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("raise max_line_size"), std::string::npos) << e.what();
  }
  auto source = Source({{"path", path}, {"max_line_size", 16 << 20}});
  auto stream = source->Read({});
  auto chunk = stream->Next();
  ASSERT_TRUE(chunk.has_value());
  ASSERT_EQ(chunk->num_rows(), 1);
  EXPECT_EQ(chunk->column(1).StringAt(0).size(), big.size());
  EXPECT_TRUE(chunk->column(1).StringAt(0) == big);
  EXPECT_EQ(chunk->column(2).GetValue(0).ToString(), "2");
}

TEST_F(CsvRead, Latin1IsDecodedToUtf8) {
  auto source = Source({{"path", dir_.Write("a.csv", "id,nom\xE9\n1,caf\xE9\n2,na\xEFve\n")},
                        {"encoding", "latin-1"}});
  EXPECT_EQ(source->GetSchema("").names(), (std::vector<std::string>{"id", "nom\xC3\xA9"}));
  EXPECT_EQ(ReadRows(*source), (std::vector<std::string>{"1|caf\xC3\xA9", "2|na\xC3\xAFve"}));
}

TEST_F(CsvRead, TabSeparatedWithBackslashTOrATabCharacter) {
  std::string p = dir_.Write("a.tsv", "id\tname\n1\ta,b\n2\tc\n");
  for (std::string delimiter : {"\\t", "\t"}) {
    auto source = Source({{"path", p}, {"delimiter", delimiter}});
    EXPECT_EQ(ReadRows(*source), (std::vector<std::string>{"1|a,b", "2|c"}));
  }
}

TEST_F(CsvRead, CustomNullStringsAndQuotedEmptyStrings) {
  auto source = Source({{"path", dir_.Write("a.csv", "id,v\n1,NA\n2,\n3,\"\"\n4,x\n5,\"NA\"\n")},
                        {"null_values", {"NA", ""}}});
  EXPECT_EQ(ReadRows(*source), (std::vector<std::string>{"1|NULL", "2|NULL", "3|", "4|x", "5|NA"}));
}

TEST_F(CsvRead, HeaderlessFileGetsNumberedColumns) {
  auto source = Source({{"path", dir_.Write("a.csv", "1,a\n2,b\n")}, {"has_header", false}});
  EXPECT_EQ(source->GetSchema("").names(), (std::vector<std::string>{"column0", "column1"}));
  EXPECT_EQ(ReadRows(*source), (std::vector<std::string>{"1|a", "2|b"}));
}

TEST_F(CsvRead, CustomQuoteAndEscape) {
  auto source = Source({{"path", dir_.Write("a.csv", "id;v\n1;'it\\'s; ok'\n")},
                        {"delimiter", ";"},
                        {"quote", "'"},
                        {"escape", "\\"}});
  EXPECT_EQ(ReadRows(*source), std::vector<std::string>{"1|it's; ok"});
}

TEST_F(CsvRead, ProjectionInTheRequestedOrder) {
  ReadRequest request;
  request.columns = {"AMOUNT", "id"};
  EXPECT_EQ(ReadRows(*Orders(), request),
            (std::vector<std::string>{"10.50|1", "20.00|2", "NULL|3", "40.25|4", "50.00|5"}));
}

TEST_F(CsvRead, EveryFilterOperator) {
  auto id = [](FilterOp op, std::vector<int64_t> values) {
    Filter f{"id", op, {}};
    for (auto v : values) f.values.push_back(Value::Int(v));
    return std::vector<Filter>{f};
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(Ids(id(FilterOp::kEq, {2})), (V{"2"}));
  EXPECT_EQ(Ids(id(FilterOp::kNe, {2})), (V{"1", "3", "4", "5"}));
  EXPECT_EQ(Ids(id(FilterOp::kLt, {3})), (V{"1", "2"}));
  EXPECT_EQ(Ids(id(FilterOp::kLe, {3})), (V{"1", "2", "3"}));
  EXPECT_EQ(Ids(id(FilterOp::kGt, {3})), (V{"4", "5"}));
  EXPECT_EQ(Ids(id(FilterOp::kGe, {3})), (V{"3", "4", "5"}));
  EXPECT_EQ(Ids(id(FilterOp::kIn, {5, 1, 9})), (V{"1", "5"}));
  EXPECT_EQ(Ids(id(FilterOp::kIn, {})), V{});
  // Strings, dates and decimals, combined with AND.
  int32_t day = 0;
  ASSERT_TRUE(ParseDate("2024-01-02", &day));
  EXPECT_EQ(Ids({Filter{"name", FilterOp::kEq, {Value::String("Bob, Jr.")}}}), (V{"2"}));
  EXPECT_EQ(
      Ids({Filter{"day", FilterOp::kGt, {Value::Date(day)}},
           Filter{"amount", FilterOp::kLt, {Value::Decimal(5000, DataType::Decimal(10, 2))}}}),
      (V{"4"}));
}

TEST_F(CsvRead, FiltersParsedFromJsonAreTypedByTheSchema) {
  auto source = Orders();
  Schema schema = source->GetSchema("");
  ReadRequest request;
  request.columns = {"id"};
  request.filters =
      ParseFilters("CSV", {{"id", {{">=", 2}, {"<", 5}}}, {"name", {{"!=", "Eve"}}}}, &schema);
  EXPECT_EQ(ReadRows(*source, request), (std::vector<std::string>{"2", "3", "4"}));
}

TEST_F(CsvRead, UnknownColumnsAreSchemaErrorsWithASuggestion) {
  ReadRequest request;
  request.columns = {"amout"};
  std::string path = dir_.Path("orders.csv");
  EXPECT_STREQ(ReadError<SchemaError>(*Orders(), request).what(),
               ("CSV read: column 'amout' is not a column of '" + path +
                "' (columns: id, name, amount, day); did you mean 'amount'?")
                   .c_str());
  ReadRequest filtered;
  filtered.filters = {Filter{"nme", FilterOp::kEq, {Value::String("x")}}};
  EXPECT_STREQ(ReadError<SchemaError>(*Orders(), filtered).what(),
               ("CSV read: filter column 'nme' is not a column of '" + path +
                "' (columns: id, name, amount, day); did you mean 'name'?")
                   .c_str());
}

TEST_F(CsvRead, BatchSizesAreExact) {
  std::string text = "n\n";
  for (int i = 1; i <= 25; ++i) text += std::to_string(i) + "\n";
  std::string p = dir_.Write("n.csv", text);
  std::vector<int64_t> sizes;
  ReadRequest request;
  request.batch_size = 10;
  auto rows = ReadRows(*Source({{"path", p}}), request, &sizes);
  EXPECT_EQ(sizes, (std::vector<int64_t>{10, 10, 5}));
  EXPECT_EQ(rows.front(), "1");
  EXPECT_EQ(rows.back(), "25");
  // The batch_size parameter applies when the request keeps the default size.
  sizes.clear();
  ReadRows(*Source({{"path", p}, {"batch_size", 7}}), {}, &sizes);
  EXPECT_EQ(sizes, (std::vector<int64_t>{7, 7, 7, 4}));
}

TEST_F(CsvRead, ProgressCountsRowsAndBytes) {
  std::string p = dir_.Write("n.csv", "n\n1\n2\n3\n");
  auto source = Source({{"path", p}});
  ReadRequest request;
  request.batch_size = 2;
  auto stream = source->Read(request);
  EXPECT_EQ(stream->progress().bytes_total, 8);
  ASSERT_TRUE(stream->Next().has_value());
  EXPECT_EQ(stream->progress().rows, 2);
  while (stream->Next()) {
  }
  StreamProgress done = stream->progress();
  EXPECT_EQ(done.rows, 3);
  EXPECT_EQ(done.bytes_read, 8);
  EXPECT_EQ(source->performance_metrics().rows_transferred, 3);
}

TEST_F(CsvRead, GlobOverThreeFilesInNameOrder) {
  dir_.Write("c.csv", "id,v\n5,e\n");
  dir_.Write("a.csv", "id,v\n1,a\n2,b\n");
  dir_.Write("b.csv", "id,v\n3,c\n4,d\n");
  dir_.Write("notes.txt", "not csv");
  auto source = Source({{"path", dir_.Path("*.csv")}});
  EXPECT_EQ(source->Discover(),
            (std::vector<std::string>{dir_.Path("a.csv"), dir_.Path("b.csv"), dir_.Path("c.csv")}));
  EXPECT_EQ(ReadRows(*source), (std::vector<std::string>{"1|a", "2|b", "3|c", "4|d", "5|e"}));
  // One file of the glob, as discovered.
  ReadRequest one;
  one.object = dir_.Path("b.csv");
  EXPECT_EQ(ReadRows(*source, one), (std::vector<std::string>{"3|c", "4|d"}));
}

TEST_F(CsvRead, GlobFilesMustShareTheirHeader) {
  dir_.Write("a.csv", "id,v\n1,a\n");
  dir_.Write("b.csv", "id,w\n2,b\n");
  auto source = Source({{"path", dir_.Path("*.csv")}});
  EXPECT_STREQ(
      ReadError<SchemaError>(*source).what(),
      ("CSV read: '" + dir_.Path("b.csv") + "' has the columns (id, w) but '" + dir_.Path("a.csv") +
       "' has (id, v): the files of one path must have the same " + "columns")
          .c_str());
}

TEST_F(CsvRead, IncrementalReadsRowsStrictlyAfterTheWatermark) {
  auto source = Orders({{"sync_mode", "incremental"}, {"cursor_field", "day"}});
  EXPECT_TRUE(source->SupportsIncremental());
  int32_t day = 0;
  ASSERT_TRUE(ParseDate("2024-01-03", &day));
  IncrementalRequest request;
  request.cursor_field = "day";
  request.cursor_value = Value::Date(day);
  request.columns = {"id", "day"};
  auto stream = source->ReadIncremental(request);
  std::vector<DataChunk> chunks;
  std::vector<std::string> rows;
  while (auto chunk = stream->Next()) {
    file::testing::AppendRowStrings(*chunk, &rows);
    chunks.push_back(*chunk);
  }
  EXPECT_EQ(rows, (std::vector<std::string>{"4|2024-01-04", "5|2024-01-05"}));
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_EQ(source->CursorValue(chunks[0], "day")->ToString(), "2024-01-05");
  // No watermark yet: everything.
  request.cursor_value.reset();
  auto all = source->ReadIncremental(request);
  EXPECT_EQ(DrainRows(*all).size(), 5u);
}

TEST_F(CsvRead, ColumnTypesMustNameColumnsOfTheFile) {
  auto source = Source({{"path", dir_.Write("a.csv", "id,amount\n1,2\n")},
                        {"column_types", {{"amout", "INTEGER"}}}});
  try {
    source->GetSchema("");
    FAIL() << "no error";
  } catch (const ParameterError& e) {
    ASSERT_EQ(e.problems().size(), 1u);
    EXPECT_EQ(e.problems()[0].parameter, "column_types");
    EXPECT_EQ(e.problems()[0].message,
              "'amout' is not a column of '" + dir_.Path("a.csv") + "' (columns: id, amount)");
    EXPECT_EQ(e.problems()[0].suggestion, "did you mean 'amount'?");
  }
}

TEST_F(CsvRead, TestConnectionCountsFilesAndBytes) {
  dir_.Write("a.csv", "id\n1\n");
  dir_.Write("b.csv", "id\n22\n");
  dir_.Write("c.csv", "");
  auto source = Source({{"path", dir_.Path("*.csv")}});
  ConnectionTestResult result = source->TestConnection();
  EXPECT_TRUE(result.success);
  EXPECT_EQ(result.message, "2 files (11 B) match '" + dir_.Path("*.csv") + "'; 1 empty skipped");
  EXPECT_EQ(source->state(), ConnectorState::kReady);
  auto one = Source({{"path", dir_.Path("a.csv")}});
  EXPECT_EQ(one->TestConnection().message, "1 file (5 B) matches '" + dir_.Path("a.csv") + "'");
  auto missing = Source({{"path", dir_.Path("none.csv")}});
  ConnectionTestResult failed = missing->TestConnection();
  EXPECT_FALSE(failed.success);
  EXPECT_EQ(failed.message,
            "CSV test_connection: file '" + dir_.Path("none.csv") + "' does not exist");
  EXPECT_EQ(missing->CheckHealth().ToJson()["status"], "unhealthy");
}

}  // namespace
}  // namespace sqlflow::csv
