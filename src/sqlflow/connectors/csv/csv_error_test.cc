#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sqlflow/common/log.h"
#include "sqlflow/connectors/csv/csv_testing.h"

namespace sqlflow::csv {
namespace {

using namespace testing;  // NOLINT: the CSV test helpers

/// Collects log lines while alive.
class LogCapture {
 public:
  LogCapture() {
    log::SetSink([this](log::Level, std::string_view line) {
      std::lock_guard lock(mu_);
      lines_.emplace_back(line);
    });
  }
  ~LogCapture() { log::ResetSink(); }
  std::vector<std::string> lines() {
    std::lock_guard lock(mu_);
    return lines_;
  }

 private:
  std::mutex mu_;
  std::vector<std::string> lines_;
};

class CsvErrors : public ::testing::Test {
 protected:
  /// The DataError of reading a file holding `text` with `extra` parameters.
  DataError ErrorOf(const std::string& text, nlohmann::json extra = nlohmann::json::object()) {
    path_ = dir_.Write("bad.csv", text);
    nlohmann::json params = {{"path", path_}};
    params.update(extra);
    auto source = Source(params);
    return ReadError<DataError>(*source);
  }

  TempDir dir_;
  std::string path_;
};

TEST_F(CsvErrors, RaggedRowNamesFileLineAndRow) {
  DataError e = ErrorOf("id,amount\n1,10\n2,20,x\n3,30\n");
  EXPECT_EQ(e.location().object, path_);
  EXPECT_EQ(e.location().line, 3);
  EXPECT_EQ(e.location().value, "2,20,x");
  EXPECT_STREQ(e.what(),
               ("CSV read: " + path_ + ":3: expected 2 columns, found 3; value: '2,20,x'").c_str());
  EXPECT_EQ(e.error_class(), ErrorClass::kPermanent);
}

TEST_F(CsvErrors, LinesCountQuotedLineBreaksAndCrLf) {
  DataError e = ErrorOf("id,name\r\n1,\"a\r\nb\"\r\n\r\n2\r\n");
  EXPECT_EQ(e.location().line, 5);
  EXPECT_EQ(e.message(), path_ + ":5: expected 2 columns, found 1; value: '2'");
}

TEST_F(CsvErrors, UnparsableValueNamesColumnAndValue) {
  DataError e = ErrorOf("id,amount\n1,10\n2,abc\n", {{"column_types", {{"amount", "INTEGER"}}}});
  EXPECT_EQ(e.location().line, 3);
  EXPECT_EQ(e.location().column, "amount");
  EXPECT_EQ(e.location().column_index, 2);
  EXPECT_EQ(e.location().value, "abc");
  EXPECT_STREQ(e.what(), ("CSV read: " + path_ +
                          ":3: column 'amount' (#2): cannot convert the value to INTEGER (set "
                          "column_types to read the column as another type); value: 'abc'")
                             .c_str());
}

TEST_F(CsvErrors, BadValueBeyondTheDetectionSampleIsFoundAtItsLine) {
  std::string text = "n,label\n";
  for (int i = 0; i < 30000; ++i) text += std::to_string(i) + ",x\n";
  text += "oops,y\n";
  DataError e = ErrorOf(text);
  EXPECT_EQ(e.location().line, 30002);
  EXPECT_EQ(e.location().column, "n");
  EXPECT_EQ(e.location().column_index, 1);
  EXPECT_EQ(e.location().value, "oops");
}

TEST_F(CsvErrors, LongValuesAreCutShort) {
  std::string long_value(200, 'z');
  DataError e =
      ErrorOf("id,amount\n1," + long_value + "\n", {{"column_types", {{"amount", "INTEGER"}}}});
  EXPECT_EQ(e.location().value, TruncateForMessage(long_value));
  EXPECT_LT(e.location().value.size(), 100u);
}

TEST_F(CsvErrors, InvalidUtf8NamesLineAndColumn) {
  DataError e = ErrorOf(
      "id,name\n1,ok\n2,b\xFF"
      "d\n");
  EXPECT_EQ(e.location().line, 3);
  EXPECT_EQ(e.location().column, "name");
  EXPECT_EQ(e.location().column_index, 2);
  EXPECT_EQ(e.location().value, "b\\xFFd");
  EXPECT_STREQ(e.what(), ("CSV read: " + path_ +
                          ":3: column 'name' (#2): invalid UTF-8 byte sequence (set encoding: "
                          "'latin-1' if the file is Latin-1); value: 'b\\xFFd'")
                             .c_str());
}

TEST_F(CsvErrors, UnterminatedQuote) {
  DataError e = ErrorOf("id,name\n1,x\n2,\"abc\n3,def\n");
  EXPECT_EQ(e.location().line, 3);
  EXPECT_EQ(e.location().column, "name");
  EXPECT_EQ(e.location().value, "abc\\n3,def\\n");
  EXPECT_EQ(e.message(), path_ +
                             ":3: column 'name' (#2): unterminated quoted value: a quote opens "
                             "the value and never closes; value: 'abc\\n3,def\\n'");
}

TEST_F(CsvErrors, LineLongerThanMaxLineSize) {
  DataError e =
      ErrorOf("id,v\n1,ok\n2," + std::string(5000, 'q') + "\n", {{"max_line_size", 1024}});
  EXPECT_EQ(e.location().line, 3);
  EXPECT_EQ(e.location().value, TruncateForMessage("2," + std::string(5000, 'q')));
  EXPECT_EQ(e.message(), path_ + ":3: line longer than max_line_size (1024 bytes): raise " +
                             "max_line_size; value: '" + e.location().value + "'");
}

TEST_F(CsvErrors, GlobErrorNamesTheFileAtFault) {
  dir_.Write("a.csv", "id,amount\n1,10\n2,20\n");
  std::string b = dir_.Write("b.csv", "id,amount\n3,30\n4,x\n");
  dir_.Write("c.csv", "id,amount\n5,50\n");
  auto source = Source({{"path", dir_.Path("*.csv")}});
  DataError e = ReadError<DataError>(*source);
  EXPECT_EQ(e.location().object, b);
  EXPECT_EQ(e.location().line, 3);
  EXPECT_EQ(e.location().column, "amount");
  EXPECT_EQ(e.location().value, "x");
}

TEST_F(CsvErrors, MissingFileDirectoryAndGlob) {
  auto missing = Source({{"path", dir_.Path("nope.csv")}});
  EXPECT_STREQ(ReadError<ConnectorError>(*missing).what(),
               ("CSV read: file '" + dir_.Path("nope.csv") + "' does not exist").c_str());
  auto directory = Source({{"path", dir_.path()}});
  EXPECT_STREQ(ReadError<ConnectorError>(*directory).what(),
               ("CSV read: '" + dir_.path() + "' is a directory: give a file or a glob such as '" +
                dir_.path() + "/*.csv'")
                   .c_str());
  auto glob = Source({{"path", dir_.Path("*.csv")}});
  EXPECT_STREQ(ReadError<ConnectorError>(*glob).what(),
               ("CSV read: no file matches '" + dir_.Path("*.csv") + "'").c_str());
  auto empty = Source({{"path", dir_.Write("empty.csv", "")}});
  EXPECT_STREQ(ReadError<DataError>(*empty).what(),
               ("CSV read: " + dir_.Path("empty.csv") + ": file is empty (0 bytes)").c_str());
}

constexpr const char* kMixed =
    "id,amount,name\n"
    "1,10,a\n"
    "2,abc,b\n"
    "3,30\n"
    "4,40,\"d,x\"\n"
    "5,50,e,f\n"
    "6,60,\"multi\nline\"\n"
    "7,seven,g\n";

TEST_F(CsvErrors, SkipLeavesBadRowsOutAndSaysSo) {
  std::string p = dir_.Write("mixed.csv", kMixed);
  auto source =
      Source({{"path", p}, {"on_error", "skip"}, {"column_types", {{"amount", "INTEGER"}}}});
  LogCapture capture;
  EXPECT_EQ(ReadRows(*source),
            (std::vector<std::string>{"1|10|a", "4|40|d,x", "6|60|multi\nline"}));
  EXPECT_EQ(capture.lines(),
            std::vector<std::string>{
                "CSV read: skipped 4 rejected rows (see " + p +
                ":3: Error when converting column \"amount\". Could not convert string \"abc\" "
                "to 'INTEGER'; set on_error: quarantine to keep them)"});
  EXPECT_FALSE(dynamic_cast<DuckDbScannable&>(*source).DuckDbRelation({}).has_value());
}

TEST_F(CsvErrors, QuarantineWritesRejectedRowsWithReasons) {
  std::string p = dir_.Write("mixed.csv", kMixed);
  auto source =
      Source({{"path", p}, {"on_error", "quarantine"}, {"column_types", {{"amount", "INTEGER"}}}});
  LogCapture capture;
  EXPECT_EQ(ReadRows(*source).size(), 3u);
  EXPECT_EQ(ReadFileBytes(p + ".rejected.csv"),
            "file,line,column_number,column_name,error_type,reason,original_line\n" + p +
                ",3,2,amount,CAST,\"Error when converting column \"\"amount\"\". Could not "
                "convert string \"\"abc\"\" to 'INTEGER'\",\"2,abc,b\"\n" +
                p + ",4,0,,MISSING COLUMNS,Expected Number of Columns: 3 Found: 2,\"3,30\"\n" + p +
                ",6,0,,TOO MANY COLUMNS,Expected Number of Columns: 3 Found: 4,\"5,50,e,f\"\n" + p +
                ",9,2,amount,CAST,\"Error when converting column \"\"amount\"\". Could not "
                "convert string \"\"seven\"\" to 'INTEGER'\",\"7,seven,g\"\n");
  EXPECT_EQ(capture.lines(), std::vector<std::string>{"CSV read: quarantined 4 rejected rows to '" +
                                                      p + ".rejected.csv'"});
  // The quarantine file sits beside the data; a glob does not read it back.
  auto glob = Source({{"path", dir_.Path("*.csv")},
                      {"column_types", {{"amount", "INTEGER"}}},
                      {"on_error", "skip"}});
  EXPECT_EQ(glob->Discover(), std::vector<std::string>{p});
}

TEST_F(CsvErrors, QuarantinePathParameterAndACleanRead) {
  std::string p = dir_.Write("ok.csv", "id\n1\n");
  std::string q = dir_.Path("rejects.csv");
  auto source = Source({{"path", p}, {"on_error", "quarantine"}, {"quarantine_path", q}});
  EXPECT_EQ(ReadRows(*source), std::vector<std::string>{"1"});
  EXPECT_EQ(ReadFileBytes(q),
            "file,line,column_number,column_name,error_type,reason,original_line\n");
}

}  // namespace
}  // namespace sqlflow::csv
