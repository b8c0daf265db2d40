#include "sqlflow/connectors/csv/csv_records.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sqlflow/connectors/csv/csv_rejects.h"
#include "sqlflow/connectors/file/file_testing.h"

namespace sqlflow::csv::internal {
namespace {

using file::testing::TempDir;

TEST(FindRecords, CountsLinesLikeDuckDbAndReportsPhysicalLines) {
  TempDir dir;
  // DuckDB's line numbers: header 1, "1,..." 2, blank 3, "2,..." 4 (its quoted line breaks do
  // not count), "3,..." 5.
  std::string p =
      dir.Write("a.csv", "id,name\r\n1,\"multi\r\nline\"\r\n\r\n2,\"x\ny\nz\"\r\n3,c\r\n");
  auto records = FindRecords(p, CsvDialect{}, {2, 4, 5});
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[2].physical_line, 2);
  EXPECT_EQ(records[2].fields, (std::vector<std::string>{"1", "multi\rline"}));
  EXPECT_EQ(records[4].physical_line, 5);
  EXPECT_EQ(records[4].fields, (std::vector<std::string>{"2", "x\ny\nz"}));
  EXPECT_EQ(records[5].physical_line, 8);
  EXPECT_EQ(records[5].text, "3,c");
}

TEST(FindRecords, HandlesDoubledQuotesEscapesAndTheByteOrderMark) {
  TempDir dir;
  std::string p = dir.Write("a.csv", "\xEF\xBB\xBFh1,h2\n\"a \"\"q\"\", b\",2\n");
  auto records = FindRecords(p, CsvDialect{}, {1, 2});
  EXPECT_EQ(records[1].fields, (std::vector<std::string>{"h1", "h2"}));
  EXPECT_EQ(records[2].fields, (std::vector<std::string>{"a \"q\", b", "2"}));

  CsvDialect backslash;
  backslash.escape = "\\";
  std::string q = dir.Write("b.csv", "h\n\"a\\\"b\nc\"\nnext\n");
  auto escaped = FindRecords(q, backslash, {2, 3});
  EXPECT_EQ(escaped[2].fields, std::vector<std::string>{"a\"b\nc"});
  EXPECT_EQ(escaped[3].physical_line, 4);
}

TEST(FindRecords, UnterminatedQuoteRunsToTheEnd) {
  TempDir dir;
  std::string p = dir.Write("a.csv", "id,name\n1,\"abc\n2,def\n");
  auto records = FindRecords(p, CsvDialect{}, {2});
  ASSERT_EQ(records.count(2), 1u);
  EXPECT_EQ(records[2].fields, (std::vector<std::string>{"1", "abc\n2,def\n"}));
}

TEST(FindRecords, SkipsCompressedFiles) {
  TempDir dir;
  std::string p = dir.Write("a.csv.gz", "not really gzip");
  EXPECT_TRUE(FindRecords(p, CsvDialect{}, {1}).empty());
}

TEST(ReadFirstRecord, ConvertsLatin1) {
  TempDir dir;
  CsvDialect latin1;
  latin1.encoding = "latin-1";
  std::string p = dir.Write("a.csv", "caf\xE9,b\n1,2\n");
  EXPECT_EQ(*ReadFirstRecord(p, latin1), (std::vector<std::string>{"caf\xC3\xA9", "b"}));
}

TEST(Printable, EscapesControlAndInvalidBytes) {
  EXPECT_EQ(Printable("a\nb\rc\x01\td", "utf-8"), "a\\nb\\rc\\x01\td");
  EXPECT_EQ(Printable("ab\xFF\xFE"
                      "c",
                      "utf-8"),
            "ab\\xFF\\xFEc");
  EXPECT_EQ(Printable("caf\xE9", "latin-1"), "caf\xC3\xA9");
}

TEST(FirstInvalidUtf8Field, FindsTheColumn) {
  RawRecord r;
  r.fields = {"ok", "caf\xC3\xA9", "bad\xFF"};
  EXPECT_EQ(FirstInvalidUtf8Field(r), 2);
  r.fields.pop_back();
  EXPECT_EQ(FirstInvalidUtf8Field(r), -1);
}

TEST(CsvField, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvField(" padded"), "\" padded\"");
  EXPECT_EQ(CsvField(""), "");
}

}  // namespace
}  // namespace sqlflow::csv::internal
