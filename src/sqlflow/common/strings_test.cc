#include "sqlflow/common/strings.h"

#include <gtest/gtest.h>

namespace sqlflow {
namespace {

TEST(StringsTest, CaseAndTrim) {
  EXPECT_EQ(ToLower("CsV"), "csv");
  EXPECT_EQ(ToUpper("csv"), "CSV");
  EXPECT_TRUE(EqualsIgnoreCase("Parquet", "PARQUET"));
  EXPECT_FALSE(EqualsIgnoreCase("csv", "csvx"));
  EXPECT_EQ(Trim("  a b \n"), "a b");
  EXPECT_EQ(Split("a,,b", ','), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(Join({"a", "b", "c"}, ", "), "a, b, c");
}

TEST(StringsTest, SuggestionsFindLikelyTypos) {
  std::vector<std::string> names = {"path", "delimiter", "has_header", "encoding"};
  EXPECT_EQ(EditDistance("delimeter", "delimiter"), 1u);
  EXPECT_EQ(ClosestMatch("delimeter", names), "delimiter");
  EXPECT_EQ(ClosestMatch("hasheader", names), "has_header");
  EXPECT_EQ(ClosestMatch("delim", names), "delimiter");
  EXPECT_EQ(ClosestMatch("zzzzzz", names), "");
  EXPECT_EQ(EditDistance("prot", "port"), 1u);  // adjacent transposition
  EXPECT_EQ(ClosestMatch("tabel", {"table", "query"}), "table");
}

TEST(StringsTest, Utf8Validation) {
  size_t bad = 0;
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  // Bad bytes found at every position of the word-at-a-time ASCII path and after it.
  for (size_t at = 0; at < 20; ++at) {
    std::string text(20, 'a');
    text[at] = '\xFF';
    size_t where = 99;
    EXPECT_FALSE(IsValidUtf8(text, &where)) << at;
    EXPECT_EQ(where, at);
    text[at] = 'b';
    EXPECT_TRUE(IsValidUtf8(text));
  }
  EXPECT_TRUE(IsValidUtf8("0123456789abcde\xC3\xBC"));
  EXPECT_TRUE(IsValidUtf8("M\xC3\xBCnchen \xE2\x82\xAC \xF0\x9F\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("ab\xFF", &bad));
  EXPECT_EQ(bad, 2u);
  EXPECT_FALSE(IsValidUtf8("\xC3", &bad));          // truncated
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF", &bad));      // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80", &bad));  // surrogate
}

TEST(StringsTest, SqlQuoting) {
  EXPECT_EQ(QuoteIdentifier("we\"ird"), "\"we\"\"ird\"");
  EXPECT_EQ(QuoteLiteral("it's"), "'it''s'");
  EXPECT_EQ(FormatBytes(999), "999 B");
  EXPECT_EQ(FormatBytes(412'300'000), "412.3 MB");
}

}  // namespace
}  // namespace sqlflow
