#include <gtest/gtest.h>

#include "sqlflow/data/data_test_util.h"
#include "sqlflow/data/value.h"

namespace sqlflow {
namespace {

TEST(ValueFormatTest, FormatDateKnownDays) {
  EXPECT_EQ(FormatDate(0), "1970-01-01");
  EXPECT_EQ(FormatDate(-1), "1969-12-31");
  EXPECT_EQ(FormatDate(19723), "2024-01-01");
  EXPECT_EQ(FormatDate(19782), "2024-02-29");
  EXPECT_EQ(FormatDate(11016), "2000-02-29");
  EXPECT_EQ(FormatDate(-25567), "1900-01-01");
  EXPECT_EQ(FormatDate(-25508), "1900-03-01");  // 1900 is not a leap year.
  EXPECT_EQ(FormatDate(-719162), "0001-01-01");
  EXPECT_EQ(FormatDate(2932896), "9999-12-31");
}

TEST(ValueFormatTest, DatesRoundTripOverCenturies) {
  for (int32_t days = -719162; days <= 2932896; days += 97) {
    std::string text = FormatDate(days);
    int32_t parsed = 0;
    ASSERT_TRUE(ParseDate(text, &parsed)) << text;
    ASSERT_EQ(parsed, days) << text;
  }
}

TEST(ValueFormatTest, ParseDateChecksTheCalendar) {
  int32_t days = 0;
  EXPECT_TRUE(ParseDate("2024-02-29", &days));
  EXPECT_EQ(days, 19782);
  EXPECT_TRUE(ParseDate("1969-12-31", &days));
  EXPECT_EQ(days, -1);
  EXPECT_TRUE(ParseDate("2024-1-2", &days));
  EXPECT_EQ(days, 19724);
  days = 123;
  for (const char* bad :
       {"2023-02-29", "1900-02-29", "2024-13-01", "2024-00-10", "2024-04-31", "2024-01-00",
        "24-01-01", "2024/01/01", "2024-01-01 ", "2024-01-01x", "", "abcd-ef-gh", "2024-01"}) {
    EXPECT_FALSE(ParseDate(bad, &days)) << bad;
  }
  EXPECT_EQ(days, 123);
}

TEST(ValueFormatTest, FormatTimeTrimsTheFraction) {
  EXPECT_EQ(FormatTime(0), "00:00:00");
  EXPECT_EQ(FormatTime(11045123456), "03:04:05.123456");
  EXPECT_EQ(FormatTime(5100000), "00:00:05.1");
  EXPECT_EQ(FormatTime(5000001), "00:00:05.000001");
  EXPECT_EQ(FormatTime(86399999999), "23:59:59.999999");
  EXPECT_EQ(FormatTime(86400000000), "24:00:00");
}

TEST(ValueFormatTest, ParseTime) {
  int64_t micros = 0;
  EXPECT_TRUE(ParseTime("03:04:05.123456", &micros));
  EXPECT_EQ(micros, 11045123456);
  EXPECT_TRUE(ParseTime("03:04:05.1", &micros));
  EXPECT_EQ(micros, 11045100000);
  EXPECT_TRUE(ParseTime("03:04", &micros));
  EXPECT_EQ(micros, 11040000000);
  EXPECT_TRUE(ParseTime("24:00:00", &micros));
  EXPECT_EQ(micros, 86400000000);
  EXPECT_TRUE(ParseTime("00:00:00.123456789", &micros));
  EXPECT_EQ(micros, 123456);
  for (const char* bad : {"24:00:01", "25:00:00", "12:60:00", "12:00:60", "12", "12:0",
                          "12:00:", "12:00:00.", "12:00:00x", ""}) {
    EXPECT_FALSE(ParseTime(bad, &micros)) << bad;
  }
}

TEST(ValueFormatTest, FormatTimestamp) {
  EXPECT_EQ(FormatTimestamp(0, false), "1970-01-01 00:00:00");
  EXPECT_EQ(FormatTimestamp(0, true), "1970-01-01 00:00:00+00");
  EXPECT_EQ(FormatTimestamp(-1, false), "1969-12-31 23:59:59.999999");
  EXPECT_EQ(FormatTimestamp(1704164645123456, true), "2024-01-02 03:04:05.123456+00");
  EXPECT_EQ(FormatTimestamp(-2208988799999999, false), "1900-01-01 00:00:00.000001");
  EXPECT_EQ(FormatTimestamp(253402300799999999, false), "9999-12-31 23:59:59.999999");
}

TEST(ValueFormatTest, ParseTimestampForms) {
  struct Case {
    const char* text;
    int64_t micros;
  };
  const Case cases[] = {
      {"2024-01-02 03:04:05", 1704164645000000},
      {"2024-01-02T03:04:05", 1704164645000000},
      {"2024-01-02 03:04:05.123456", 1704164645123456},
      {"2024-01-02 03:04:05.123456789", 1704164645123456},
      {"2024-01-02 03:04:05.5", 1704164645500000},
      {"2024-01-02 03:04:05Z", 1704164645000000},
      {"2024-01-02 03:04:05+00", 1704164645000000},
      {"2024-01-02 03:04:05.123456+00", 1704164645123456},
      {"2024-01-02T04:04:05+01:00", 1704164645000000},
      {"2024-01-02T08:34:05+0530", 1704164645000000},
      {"2024-01-01T22:04:05-05", 1704164645000000},
      {"2024-01-02 03:04:05 +00:00", 1704164645000000},
      {"2024-01-02 03:04", 1704164640000000},
      {"2024-01-02", 1704153600000000},
      {"1969-12-31 23:59:59.999999", -1},
      {"1900-01-01 00:00:00.000001", -2208988799999999},
  };
  for (const Case& c : cases) {
    int64_t micros = 0;
    EXPECT_TRUE(ParseTimestamp(c.text, &micros)) << c.text;
    EXPECT_EQ(micros, c.micros) << c.text;
  }
}

TEST(ValueFormatTest, ParseTimestampRejectsMalformed) {
  int64_t micros = 42;
  for (const char* bad :
       {"", "2024-01-02 ", "2024-01-02X03:04:05", "2024-01-02 3:4:5", "2024-01-02 03:04:05+",
        "2024-01-02 03:04:05+1", "2024-01-02 03:04:05+24", "2024-01-02 03:04:05 UTC",
        "2024-02-30 00:00:00", "2024-01-02 03:04:05.", "2024-01-02 03:04:05Zjunk"}) {
    EXPECT_FALSE(ParseTimestamp(bad, &micros)) << bad;
  }
  EXPECT_EQ(micros, 42);
}

TEST(ValueFormatTest, FormatDecimal) {
  EXPECT_EQ(FormatDecimal(1250, 2), "12.50");
  EXPECT_EQ(FormatDecimal(-1250, 2), "-12.50");
  EXPECT_EQ(FormatDecimal(5, 2), "0.05");
  EXPECT_EQ(FormatDecimal(-5, 3), "-0.005");
  EXPECT_EQ(FormatDecimal(0, 0), "0");
  EXPECT_EQ(FormatDecimal(0, 3), "0.000");
  EXPECT_EQ(FormatDecimal(123, 0), "123");
  EXPECT_EQ(FormatDecimal(testing_util::MaxDecimal38(), 0),
            "99999999999999999999999999999999999999");
  EXPECT_EQ(FormatDecimal(-testing_util::MaxDecimal38(), 10),
            "-9999999999999999999999999999.9999999999");
}

TEST(ValueFormatTest, ParseDecimal) {
  Int128 v = 0;
  EXPECT_TRUE(ParseDecimal("12.5", 12, 2, &v));
  EXPECT_TRUE(v == 1250);
  EXPECT_TRUE(ParseDecimal("-0.05", 12, 2, &v));
  EXPECT_TRUE(v == -5);
  EXPECT_TRUE(ParseDecimal("+7", 3, 0, &v));
  EXPECT_TRUE(v == 7);
  EXPECT_TRUE(ParseDecimal(".5", 3, 1, &v));
  EXPECT_TRUE(v == 5);
  EXPECT_TRUE(ParseDecimal("5.", 3, 1, &v));
  EXPECT_TRUE(v == 50);
  EXPECT_TRUE(ParseDecimal("000123.40", 5, 2, &v));
  EXPECT_TRUE(v == 12340);
  EXPECT_TRUE(ParseDecimal("1.005", 12, 2, &v));  // Half away from zero.
  EXPECT_TRUE(v == 101);
  EXPECT_TRUE(ParseDecimal("-1.0049999", 12, 2, &v));
  EXPECT_TRUE(v == -100);
  EXPECT_TRUE(ParseDecimal("-1.995", 12, 2, &v));
  EXPECT_TRUE(v == -200);
  EXPECT_TRUE(ParseDecimal("99999999999999999999999999999999999999", 38, 0, &v));
  EXPECT_TRUE(v == testing_util::MaxDecimal38());
  EXPECT_TRUE(ParseDecimal("0.99999999999999999999999999999999999999", 38, 38, &v));
  EXPECT_TRUE(v == testing_util::MaxDecimal38());
  for (const char* bad : {"", "-", ".", "1e5", "1,5", " 1", "1 ", "1.2.3", "abc"}) {
    EXPECT_FALSE(ParseDecimal(bad, 12, 2, &v)) << bad;
  }
  EXPECT_FALSE(ParseDecimal("1000", 5, 2, &v));     // 1000.00 needs precision 6.
  EXPECT_FALSE(ParseDecimal("999.995", 5, 2, &v));  // Rounds up to 1000.00.
  EXPECT_TRUE(ParseDecimal("999.994", 5, 2, &v));
  EXPECT_TRUE(v == 99999);
}

}  // namespace
}  // namespace sqlflow
