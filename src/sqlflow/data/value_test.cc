#include "sqlflow/data/value.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "sqlflow/common/error.h"
#include "sqlflow/data/data_test_util.h"

namespace sqlflow {
namespace {

using testing_util::MaxDecimal38;

std::optional<std::weak_ordering> Cmp(const Value& a, const Value& b) { return a.Compare(b); }
constexpr std::weak_ordering kLess = std::weak_ordering::less;
constexpr std::weak_ordering kEqual = std::weak_ordering::equivalent;
constexpr std::weak_ordering kGreater = std::weak_ordering::greater;

Value Dec(Int128 unscaled, int precision, int scale) {
  return Value::Decimal(unscaled, DataType::Decimal(precision, scale));
}

TEST(ValueTest, DefaultIsNullString) {
  Value v;
  EXPECT_TRUE(v.is_null());
  EXPECT_EQ(v.type(), DataType::String());
  EXPECT_EQ(v.ToString(), "NULL");
  EXPECT_EQ(v.ToSqlLiteral(), "NULL");
}

TEST(ValueTest, FactoriesSetTypesAndPayloads) {
  EXPECT_EQ(Value::Int(-5, DataType::Int16()).int_value(), -5);
  EXPECT_EQ(Value::Int(-5, DataType::Int16()).type(), DataType::Int16());
  EXPECT_EQ(Value::UInt(UINT64_MAX).uint_value(), UINT64_MAX);
  EXPECT_EQ(Value::Double(1.5, DataType::Float32()).double_value(), 1.5);
  EXPECT_TRUE(Dec(1250, 12, 2).decimal_value() == 1250);
  EXPECT_EQ(Value::Date(-1).int_value(), -1);
  EXPECT_EQ(Value::Date(-1).type(), DataType::Date());
  EXPECT_EQ(Value::Time(5).int_value(), 5);
  EXPECT_EQ(Value::Timestamp(7, "UTC").type(), DataType::Timestamp("UTC"));
  EXPECT_EQ(Value::Json("{}").type(), DataType::Json());
  EXPECT_EQ(Value::Binary("ab").string_value(), "ab");
  EXPECT_TRUE(Value::Boolean(true).bool_value());
  EXPECT_TRUE(Value::Null(DataType::Date()).is_null());
  EXPECT_EQ(Value::Null(DataType::Date()).type(), DataType::Date());
}

TEST(ValueTest, FactoriesRejectWrongTypes) {
  EXPECT_THROW(Value::Int(1, DataType::UInt8()), SchemaError);
  EXPECT_THROW(Value::Int(1, DataType::String()), SchemaError);
  EXPECT_THROW(Value::UInt(1, DataType::Int64()), SchemaError);
  EXPECT_THROW(Value::Double(1, DataType::Int64()), SchemaError);
  EXPECT_THROW(Value::Decimal(1, DataType::Int64()), SchemaError);
  try {
    Value::Int(1, DataType::Date());
    FAIL() << "no exception";
  } catch (const SchemaError& e) {
    EXPECT_STREQ(e.what(), "data value: Value::Int cannot make a value of type DATE");
  }
}

TEST(ValueTest, CompareIntegersAcrossWidthsAndSignedness) {
  EXPECT_EQ(Cmp(Value::Int(5, DataType::Int8()), Value::Int(5)), kEqual);
  EXPECT_EQ(Cmp(Value::Int(-1), Value::UInt(UINT64_MAX)), kLess);
  EXPECT_EQ(Cmp(Value::UInt(UINT64_MAX), Value::Int(INT64_MAX)), kGreater);
  EXPECT_EQ(Cmp(Value::Int(INT64_MIN), Value::Int(INT64_MAX)), kLess);
  EXPECT_EQ(Cmp(Value::Int(INT64_MIN), Value::UInt(0)), kLess);
  EXPECT_EQ(Cmp(Value::UInt(9223372036854775808ull), Value::Int(INT64_MAX)), kGreater);
  EXPECT_EQ(Cmp(Value::UInt(3, DataType::UInt8()), Value::Int(3, DataType::Int32())), kEqual);
}

TEST(ValueTest, CompareDecimalsOfDifferentScalesExactly) {
  EXPECT_EQ(Cmp(Dec(150, 5, 2), Dec(15, 5, 1)), kEqual);
  EXPECT_EQ(Cmp(Dec(105, 5, 2), Dec(15, 5, 1)), kLess);
  EXPECT_EQ(Cmp(Dec(-5, 5, 1), Dec(3, 5, 1)), kLess);
  EXPECT_EQ(Cmp(Dec(-5, 5, 1), Dec(-51, 5, 2)), kGreater);
  EXPECT_EQ(Cmp(Dec(-50, 5, 2), Dec(-5, 5, 1)), kEqual);
  // Rescaling 10^37 to scale 38 would overflow 128 bits; the comparison must not.
  Int128 big = MaxDecimal38() / 10;
  EXPECT_EQ(Cmp(Dec(big, 38, 0), Dec(MaxDecimal38(), 38, 38)), kGreater);
  EXPECT_EQ(Cmp(Dec(-big, 38, 0), Dec(-MaxDecimal38(), 38, 38)), kLess);
  EXPECT_EQ(Cmp(Dec(MaxDecimal38(), 38, 38), Dec(MaxDecimal38() - 1, 38, 38)), kGreater);
  EXPECT_EQ(Cmp(Dec(1, 38, 38), Dec(0, 38, 0)), kGreater);
}

TEST(ValueTest, CompareDecimalsWithIntegersAndDoubles) {
  EXPECT_EQ(Cmp(Dec(1200, 12, 2), Value::Int(12)), kEqual);
  EXPECT_EQ(Cmp(Value::Int(12), Dec(1201, 12, 2)), kLess);
  EXPECT_EQ(Cmp(Value::UInt(UINT64_MAX), Dec(MaxDecimal38(), 38, 0)), kLess);
  EXPECT_EQ(Cmp(Dec(125, 12, 2), Value::Double(1.25)), kEqual);
  EXPECT_EQ(Cmp(Dec(125, 12, 2), Value::Double(1.5)), kLess);
}

TEST(ValueTest, CompareDoublesExactlyAgainstIntegers) {
  // 2^53 + 1 is not a double; converting the integer to double would call them equal.
  EXPECT_EQ(Cmp(Value::Int(9007199254740993), Value::Double(9007199254740992.0)), kGreater);
  EXPECT_EQ(Cmp(Value::UInt(UINT64_MAX), Value::Double(18446744073709551616.0)), kLess);
  EXPECT_EQ(Cmp(Value::Double(0.5, DataType::Float32()), Value::Double(0.5)), kEqual);
  EXPECT_EQ(Cmp(Value::Double(-0.0), Value::Double(0.0)), kEqual);
}

TEST(ValueTest, NanSortsLastAndEqualsItself) {
  Value nan = Value::Double(std::nan(""));
  Value inf = Value::Double(std::numeric_limits<double>::infinity());
  EXPECT_EQ(Cmp(nan, nan), kEqual);
  EXPECT_EQ(Cmp(nan, inf), kGreater);
  EXPECT_EQ(Cmp(inf, nan), kLess);
  EXPECT_EQ(Cmp(Value::Int(INT64_MAX), nan), kLess);
  EXPECT_TRUE(nan == nan);
}

TEST(ValueTest, CompareTemporalValues) {
  EXPECT_EQ(Cmp(Value::Timestamp(5), Value::Timestamp(5, "UTC")), kEqual);
  EXPECT_EQ(Cmp(Value::Timestamp(-1), Value::Timestamp(0)), kLess);
  EXPECT_EQ(Cmp(Value::Date(1), Value::Timestamp(86400000000)), kEqual);
  EXPECT_EQ(Cmp(Value::Date(-1), Value::Timestamp(-1)), kLess);
  EXPECT_EQ(Cmp(Value::Date(0), Value::Date(-1)), kGreater);
  EXPECT_EQ(Cmp(Value::Time(1), Value::Time(2)), kLess);
  EXPECT_EQ(Cmp(Value::Time(1), Value::Timestamp(1)), std::nullopt);
}

TEST(ValueTest, CompareStringsBytewise) {
  EXPECT_EQ(Cmp(Value::String("a"), Value::String("b")), kLess);
  EXPECT_EQ(Cmp(Value::String("abc"), Value::String("ab")), kGreater);
  EXPECT_EQ(Cmp(Value::String("\xc3\xa9"), Value::String("z")), kGreater);  // é after z
  EXPECT_EQ(Cmp(Value::String(""), Value::String("")), kEqual);
  EXPECT_EQ(Cmp(Value::String("{}"), Value::Json("{}")), kEqual);
  EXPECT_EQ(Cmp(Value::Binary(std::string("\0", 1)), Value::Binary("\xff")), kLess);
  EXPECT_EQ(Cmp(Value::Binary("a"), Value::String("a")), std::nullopt);
  EXPECT_EQ(Cmp(Value::Boolean(false), Value::Boolean(true)), kLess);
}

TEST(ValueTest, IncomparableAndNull) {
  EXPECT_EQ(Cmp(Value::String("1"), Value::Int(1)), std::nullopt);
  EXPECT_EQ(Cmp(Value::Boolean(true), Value::Int(1)), std::nullopt);
  EXPECT_EQ(Cmp(Value::Date(0), Value::Int(0)), std::nullopt);
  EXPECT_EQ(Cmp(Value::Null(DataType::Int64()), Value::Int(1)), std::nullopt);
  EXPECT_EQ(Cmp(Value::Int(1), Value::Null(DataType::Int64())), std::nullopt);
}

TEST(ValueTest, Equality) {
  EXPECT_TRUE(Value::Null(DataType::Int64()) == Value::Null(DataType::Int64()));
  EXPECT_FALSE(Value::Null(DataType::Int64()) == Value::Null(DataType::Int32()));
  EXPECT_FALSE(Value::Null(DataType::Int64()) == Value::Int(0));
  EXPECT_FALSE(Value::Int(0) == Value::Null(DataType::Int64()));
  EXPECT_TRUE(Dec(150, 5, 2) == Dec(15, 5, 1));
  EXPECT_FALSE(Value::String("1") == Value::Int(1));
  EXPECT_TRUE(Value::String("x") == Value::String("x"));
}

TEST(ValueTest, ToString) {
  EXPECT_EQ(Value::Boolean(true).ToString(), "true");
  EXPECT_EQ(Value::Boolean(false).ToString(), "false");
  EXPECT_EQ(Value::Int(INT64_MIN).ToString(), "-9223372036854775808");
  EXPECT_EQ(Value::UInt(UINT64_MAX).ToString(), "18446744073709551615");
  EXPECT_EQ(Value::Double(0.1).ToString(), "0.1");
  EXPECT_EQ(Value::Double(0.1f, DataType::Float32()).ToString(), "0.1");
  EXPECT_EQ(Value::Double(1e20).ToString(), "1e+20");
  EXPECT_EQ(Value::Double(-2.5).ToString(), "-2.5");
  EXPECT_EQ(Value::Double(3).ToString(), "3");
  EXPECT_EQ(Value::Double(std::nan("")).ToString(), "nan");
  EXPECT_EQ(Value::Double(-std::numeric_limits<double>::infinity()).ToString(), "-inf");
  EXPECT_EQ(Dec(1250, 12, 2).ToString(), "12.50");
  EXPECT_EQ(Dec(-5, 12, 2).ToString(), "-0.05");
  EXPECT_EQ(Dec(0, 12, 2).ToString(), "0.00");
  EXPECT_EQ(Dec(42, 12, 0).ToString(), "42");
  EXPECT_EQ(Dec(-MaxDecimal38(), 38, 38).ToString(), "-0.99999999999999999999999999999999999999");
  EXPECT_EQ(Value::Date(19724).ToString(), "2024-01-02");
  EXPECT_EQ(Value::Date(-1).ToString(), "1969-12-31");
  EXPECT_EQ(Value::Time(11045123456).ToString(), "03:04:05.123456");
  EXPECT_EQ(Value::Time(11045000000).ToString(), "03:04:05");
  EXPECT_EQ(Value::Timestamp(1704164645123456, "UTC").ToString(), "2024-01-02 03:04:05.123456+00");
  EXPECT_EQ(Value::Timestamp(1704164645000000).ToString(), "2024-01-02 03:04:05");
  EXPECT_EQ(Value::String("it's").ToString(), "it's");
  EXPECT_EQ(Value::Json(R"({"a":1})").ToString(), R"({"a":1})");
  EXPECT_EQ(Value::Binary(std::string("a\0\xff\\'", 5)).ToString(), "a\\x00\\xFF\\x5C\\x27");
  EXPECT_EQ(Value::Null(DataType::Date()).ToString(), "NULL");
}

TEST(ValueTest, ToSqlLiteral) {
  EXPECT_EQ(Value::Int(42).ToSqlLiteral(), "42");
  EXPECT_EQ(Value::Int(-42, DataType::Int8()).ToSqlLiteral(), "-42");
  EXPECT_EQ(Value::UInt(UINT64_MAX).ToSqlLiteral(), "18446744073709551615");
  EXPECT_EQ(Value::Boolean(true).ToSqlLiteral(), "true");
  EXPECT_EQ(Value::Double(1.5).ToSqlLiteral(), "1.5::DOUBLE");
  EXPECT_EQ(Value::Double(0.1f, DataType::Float32()).ToSqlLiteral(), "0.1::FLOAT");
  EXPECT_EQ(Value::Double(std::nan("")).ToSqlLiteral(), "'nan'::DOUBLE");
  EXPECT_EQ(Value::Double(-std::numeric_limits<double>::infinity()).ToSqlLiteral(),
            "'-inf'::DOUBLE");
  EXPECT_EQ(Dec(1250, 12, 2).ToSqlLiteral(), "12.50::DECIMAL(12,2)");
  EXPECT_EQ(Value::Date(19724).ToSqlLiteral(), "DATE '2024-01-02'");
  EXPECT_EQ(Value::Time(1).ToSqlLiteral(), "TIME '00:00:00.000001'");
  EXPECT_EQ(Value::Timestamp(0).ToSqlLiteral(), "TIMESTAMP '1970-01-01 00:00:00'");
  EXPECT_EQ(Value::Timestamp(1704164645123456, "UTC").ToSqlLiteral(),
            "TIMESTAMPTZ '2024-01-02 03:04:05.123456+00'");
  EXPECT_EQ(Value::String("it's").ToSqlLiteral(), "'it''s'");
  EXPECT_EQ(Value::Json(R"({"a":"it's"})").ToSqlLiteral(), R"('{"a":"it''s"}'::JSON)");
  EXPECT_EQ(Value::Binary("a'\x01").ToSqlLiteral(), "'a\\x27\\x01'::BLOB");
  EXPECT_EQ(Value::Null(DataType::Int64()).ToSqlLiteral(), "NULL");
}

TEST(ValueTest, TimestampToStringParsesBack) {
  for (int64_t micros : {int64_t{0}, int64_t{-1}, int64_t{1704164645123456},
                         int64_t{-2208988799999999}, int64_t{253402300799999999}}) {
    for (bool tz : {false, true}) {
      Value v = Value::Timestamp(micros, tz ? "UTC" : "");
      int64_t parsed = 0;
      ASSERT_TRUE(ParseTimestamp(v.ToString(), &parsed)) << v.ToString();
      EXPECT_EQ(parsed, micros) << v.ToString();
    }
  }
}

}  // namespace
}  // namespace sqlflow
