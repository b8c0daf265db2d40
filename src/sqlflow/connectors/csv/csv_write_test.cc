#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sqlflow/connectors/csv/csv_testing.h"

namespace sqlflow::csv {
namespace {

using namespace testing;  // NOLINT: the CSV test helpers
using file::testing::MakeChunk;
using file::testing::ScriptedStream;

Value Dec(int64_t cents) { return Value::Decimal(cents, DataType::Decimal(10, 2)); }

const Schema kOrders({{"region", DataType::String()},
                      {"id", DataType::Int64()},
                      {"note", DataType::String()},
                      {"amount", DataType::Decimal(10, 2)}});

class CsvWrite : public ::testing::Test {
 protected:
  /// Write `rows` of `schema` to `name` in `mode`, two rows per chunk.
  WriteResult WriteRows(const std::string& name, const Schema& schema,
                        const std::vector<std::vector<Value>>& rows, WriteOptions options = {},
                        nlohmann::json extra = nlohmann::json::object()) {
    std::vector<DataChunk> chunks;
    for (size_t i = 0; i < rows.size(); i += 2) {
      std::vector<std::vector<Value>> part(
          rows.begin() + static_cast<long>(i),
          rows.begin() + static_cast<long>(std::min(i + 2, rows.size())));
      chunks.push_back(MakeChunk(schema, part));
    }
    ScriptedStream input(schema, std::move(chunks));
    nlohmann::json params = {{"path", dir_.Path(name)}};
    params.update(extra);
    return Destination(params)->Write("", input, options);
  }

  TempDir dir_;
};

TEST_F(CsvWrite, ReplaceWritesQuotesLineBreaksNullsAndNonAscii) {
  WriteResult result =
      WriteRows("out.csv", kOrders,
                {{Value::String("eu"), Value::Int(1), Value::String("a,b"), Dec(1050)},
                 {Value::String("eu"), Value::Int(2), Value::String("say \"hi\""),
                  Value::Null(DataType::Decimal(10, 2))},
                 {Value::String("us"), Value::Int(3), Value::String("two\nlines"), Dec(0)},
                 {Value::String("us"), Value::Int(4), Value::String(""), Dec(-125)},
                 {Value::String("\xC3\xA9t\xC3\xA9"), Value::Int(5),
                  Value::Null(DataType::String()), Dec(200)}});
  const std::string expected =
      "region,id,note,amount\n"
      "eu,1,\"a,b\",10.50\n"
      "eu,2,\"say \"\"hi\"\"\",\n"
      "us,3,\"two\nlines\",0.00\n"
      "us,4,\"\",-1.25\n"
      "\xC3\xA9t\xC3\xA9,5,,2.00\n";
  EXPECT_EQ(ReadFileBytes(dir_.Path("out.csv")), expected);
  EXPECT_EQ(result.rows_written, 5);
  EXPECT_EQ(result.bytes_written, static_cast<int64_t>(expected.size()));
  EXPECT_EQ(dir_.List(), std::vector<std::string>{"out.csv"});
  // NULL and "" stay apart when read back.
  auto source = Source({{"path", dir_.Path("out.csv")}});
  EXPECT_EQ(ReadRows(*source)[1], "eu|2|say \"hi\"|NULL");
  EXPECT_EQ(ReadRows(*source)[3], "us|4||-1.25");
}

TEST_F(CsvWrite, DestinationOptions) {
  WriteRows("out.csv", kOrders,
            {{Value::String("eu"), Value::Int(1), Value::Null(DataType::String()), Dec(150)},
             {Value::String("a;b"), Value::Int(2), Value::String("'q'"), Dec(1)}},
            {},
            {{"delimiter", ";"}, {"has_header", false}, {"quote", "'"}, {"null_value", "NULL"}});
  EXPECT_EQ(ReadFileBytes(dir_.Path("out.csv")), "eu;1;NULL;1.50\n'a;b';2;'''q''';0.01\n");
}

TEST_F(CsvWrite, GzipCompression) {
  WriteRows("out.csv.gz", kOrders,
            {{Value::String("eu"), Value::Int(1), Value::String("x"), Dec(1)}}, {},
            {{"compression", "gzip"}});
  std::string bytes = ReadFileBytes(dir_.Path("out.csv.gz"));
  ASSERT_GE(bytes.size(), 2u);
  EXPECT_EQ(bytes.substr(0, 2), "\x1F\x8B");
  auto source = Source({{"path", dir_.Path("out.csv.gz")}});
  EXPECT_EQ(ReadRows(*source), std::vector<std::string>{"eu|1|x|0.01"});
}

TEST_F(CsvWrite, AppendAddsRowsAfterTheExistingOnes) {
  dir_.Write("out.csv", "region,id,note,amount\neu,1,first,1.00\n");
  Schema partial({{"id", DataType::Int32()}, {"region", DataType::String()}});
  WriteOptions append;
  append.mode = WriteMode::kAppend;
  WriteResult result = WriteRows("out.csv", partial,
                                 {{Value::Int(2, DataType::Int32()), Value::String("us")},
                                  {Value::Int(3, DataType::Int32()), Value::String("eu")},
                                  {Value::Int(4, DataType::Int32()), Value::String("ap")}},
                                 append);
  EXPECT_EQ(result.rows_written, 3);
  EXPECT_EQ(ReadFileBytes(dir_.Path("out.csv")),
            "region,id,note,amount\neu,1,first,1.00\nus,2,,\neu,3,,\nap,4,,\n");
}

TEST_F(CsvWrite, AppendToAMissingFileCreatesIt) {
  WriteOptions append;
  append.mode = WriteMode::kAppend;
  WriteRows("new.csv", kOrders, {{Value::String("eu"), Value::Int(1), Value::String("x"), Dec(1)}},
            append);
  EXPECT_EQ(ReadFileBytes(dir_.Path("new.csv")), "region,id,note,amount\neu,1,x,0.01\n");
}

TEST_F(CsvWrite, AppendRejectsColumnsTheFileDoesNotHave) {
  std::string before = "region,id\neu,1\n";
  dir_.Write("out.csv", before);
  WriteOptions append;
  append.mode = WriteMode::kAppend;
  try {
    WriteRows("out.csv", kOrders,
              {{Value::String("eu"), Value::Int(2), Value::String("x"), Dec(1)}}, append);
    FAIL() << "no error";
  } catch (const SchemaError& e) {
    EXPECT_STREQ(e.what(), ("CSV write: column 'note' of the input is not in the target file '" +
                            dir_.Path("out.csv") +
                            "' (its columns: region, id); write with mode replace to change the "
                            "file's columns")
                               .c_str());
  }
  EXPECT_EQ(ReadFileBytes(dir_.Path("out.csv")), before);
  EXPECT_EQ(dir_.List(), std::vector<std::string>{"out.csv"});
}

TEST_F(CsvWrite, AppendRejectsAnotherTypeFamily) {
  dir_.Write("out.csv", "id,day\n1,2024-01-01\n");
  WriteOptions append;
  append.mode = WriteMode::kAppend;
  Schema input({{"id", DataType::Int64()}, {"day", DataType::Boolean()}});
  EXPECT_THROW(WriteRows("out.csv", input, {{Value::Int(2), Value::Boolean(true)}}, append),
               SchemaError);
  // A text column of a CSV file takes any type.
  dir_.Write("text.csv", "id,label\n1,a\n");
  Schema numbers({{"id", DataType::Int64()}, {"label", DataType::Int64()}});
  WriteRows("text.csv", numbers, {{Value::Int(2), Value::Int(42)}}, append);
  EXPECT_EQ(ReadFileBytes(dir_.Path("text.csv")), "id,label\n1,a\n2,42\n");
}

TEST_F(CsvWrite, UpsertByCompositeKeyLastDuplicateWins) {
  dir_.Write("out.csv",
             "region,id,note,amount\neu,1,old,1.00\neu,2,old,2.00\nus,1,old,3.00\nus,2,old,4.00\n");
  WriteOptions upsert;
  upsert.mode = WriteMode::kUpsert;
  upsert.keys = {"region", "ID"};
  WriteResult result =
      WriteRows("out.csv", kOrders,
                {{Value::String("us"), Value::Int(1), Value::String("new"), Dec(3100)},
                 {Value::String("eu"), Value::Int(3), Value::String("added"), Dec(500)},
                 {Value::String("us"), Value::Int(1), Value::String("newer"), Dec(3200)}},
                upsert);
  EXPECT_EQ(result.rows_written, 3);
  EXPECT_EQ(ReadFileBytes(dir_.Path("out.csv")),
            "region,id,note,amount\neu,1,old,1.00\neu,2,old,2.00\nus,2,old,4.00\n"
            "eu,3,added,5.00\nus,1,newer,32.00\n");
}

TEST_F(CsvWrite, UpsertNeedsKeysOnBothSides) {
  dir_.Write("out.csv", "region,id,note,amount\neu,1,old,1.00\n");
  WriteOptions upsert;
  upsert.mode = WriteMode::kUpsert;
  std::vector<std::vector<Value>> rows = {
      {Value::String("eu"), Value::Int(1), Value::String("x"), Dec(1)}};
  EXPECT_THROW(WriteRows("out.csv", kOrders, rows, upsert), ParameterError);
  upsert.keys = {"order_id"};
  try {
    WriteRows("out.csv", kOrders, rows, upsert);
    FAIL() << "no error";
  } catch (const SchemaError& e) {
    EXPECT_STREQ(e.what(),
                 "CSV write: upsert key 'order_id' is not a column of the input (columns: region, "
                 "id, note, amount)");
  }
  EXPECT_EQ(ReadFileBytes(dir_.Path("out.csv")), "region,id,note,amount\neu,1,old,1.00\n");
}

TEST_F(CsvWrite, FailedInputLeavesTheOldFileAndNoTempFile) {
  const std::string before = "region,id,note,amount\neu,1,old,1.00\n";
  for (WriteMode mode : {WriteMode::kReplace, WriteMode::kAppend, WriteMode::kUpsert}) {
    SCOPED_TRACE(WriteModeName(mode));
    dir_.Write("out.csv", before);
    std::vector<DataChunk> chunks;
    for (int i = 0; i < 3; ++i) {
      chunks.push_back(MakeChunk(
          kOrders, {{Value::String("eu"), Value::Int(10 + i), Value::String("x"), Dec(i)}}));
    }
    ScriptedStream input(kOrders, chunks, /*fail_after=*/2);
    WriteOptions options;
    options.mode = mode;
    options.keys = {"id"};
    auto destination = Destination({{"path", dir_.Path("out.csv")}});
    try {
      destination->Write("", input, options);
      FAIL() << "no error";
    } catch (const DataError& e) {
      EXPECT_EQ(e.connector(), "TEST");  // the input's own error, unchanged
      EXPECT_EQ(e.location().line, 42);
    }
    EXPECT_EQ(ReadFileBytes(dir_.Path("out.csv")), before);
    EXPECT_EQ(dir_.List(), std::vector<std::string>{"out.csv"});
  }
}

TEST_F(CsvWrite, MissingDirectoryIsNamed) {
  std::string target = dir_.Path("no/such/out.csv");
  ScriptedStream input(kOrders, {});
  try {
    Destination({{"path", target}})->Write("", input, {});
    FAIL() << "no error";
  } catch (const ConnectorError& e) {
    EXPECT_STREQ(e.what(), ("CSV write: directory '" + dir_.Path("no/such") +
                            "' does not exist: create it before writing '" + target + "'")
                               .c_str());
  }
}

TEST_F(CsvWrite, TestConnectionChecksTheDirectory) {
  auto ok = Destination({{"path", dir_.Path("out.csv")}});
  ConnectionTestResult result = ok->TestConnection();
  EXPECT_TRUE(result.success);
  EXPECT_EQ(result.message, "directory '" + dir_.path() + "' exists and is writable");
  auto bad = Destination({{"path", dir_.Path("missing/out.csv")}});
  EXPECT_FALSE(bad->TestConnection().success);
}

TEST_F(CsvWrite, PushdownGivesTheSameFileAsTheChunkPath) {
  std::string in = dir_.Write("in.csv",
                              "id,name,amount\n1,\"a,b\",1.5\n2,\"x\ny\",\n3,caf\xC3\xA9,3.25\n"
                              "4,\"\",4\n");
  auto source = Source({{"path", in}});
  ReadRequest request;
  request.columns = {"amount", "name", "id"};
  request.filters = {Filter{"id", FilterOp::kNe, {Value::Int(3)}}};
  auto stream = source->Read(request);
  Destination({{"path", dir_.Path("chunks.csv")}})->Write("", *stream, {});

  auto& scannable = dynamic_cast<DuckDbScannable&>(*source);
  auto relation = scannable.DuckDbRelation(request);
  ASSERT_TRUE(relation.has_value());
  auto destination = Destination({{"path", dir_.Path("pushdown.csv")}});
  int progress_calls = 0;
  WriteResult result = dynamic_cast<DuckDbWritable&>(*destination)
                           .WriteRelation("", *relation, scannable, {},
                                          [&](const StreamProgress&) { ++progress_calls; });
  EXPECT_EQ(result.rows_written, 3);
  EXPECT_EQ(ReadFileBytes(dir_.Path("pushdown.csv")), ReadFileBytes(dir_.Path("chunks.csv")));
  EXPECT_EQ(ReadFileBytes(dir_.Path("pushdown.csv")),
            "amount,name,id\n1.5,\"a,b\",1\n,\"x\ny\",2\n4.0,\"\",4\n");
}

TEST_F(CsvWrite, PushdownScanErrorsAreTranslatedAndTheTargetKept) {
  std::string in = dir_.Write("in.csv", "id,amount\n1,10\n2,20,x\n");
  dir_.Write("out.csv", "before\n");
  auto source = Source({{"path", in}});
  auto& scannable = dynamic_cast<DuckDbScannable&>(*source);
  auto relation = scannable.DuckDbRelation({});
  ASSERT_TRUE(relation.has_value());
  auto destination = Destination({{"path", dir_.Path("out.csv")}});
  try {
    dynamic_cast<DuckDbWritable&>(*destination).WriteRelation("", *relation, scannable, {}, {});
    FAIL() << "no error";
  } catch (const DataError& e) {
    EXPECT_EQ(e.location().object, in);
    EXPECT_EQ(e.location().line, 3);
  }
  EXPECT_EQ(ReadFileBytes(dir_.Path("out.csv")), "before\n");
  EXPECT_EQ(dir_.List(), (std::vector<std::string>{"in.csv", "out.csv"}));
}

}  // namespace
}  // namespace sqlflow::csv
