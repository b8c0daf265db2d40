// The type rule of RecordsCollector (rest_records.h), one case per test.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqlflow/connectors/rest/rest_test_util.h"

namespace sqlflow::rest {
namespace {

using testing::Collect;
using ::testing::ElementsAre;
using Row = std::vector<std::string>;

TEST(RestTypesTest, OnlyNullsOrAbsentIsVarcharOfNulls) {
  auto c = Collect({R"([{"a":null,"b":1},{"b":2}])"});
  EXPECT_EQ(c.schema, "a VARCHAR, b BIGINT");
  EXPECT_THAT(c.rows, ElementsAre(Row{"NULL", "1"}, Row{"NULL", "2"}));
}

TEST(RestTypesTest, BooleansAreBoolean) {
  auto c = Collect({R"([{"a":true},{"a":false},{"a":null}])"});
  EXPECT_EQ(c.schema, "a BOOLEAN");
  EXPECT_THAT(c.rows, ElementsAre(Row{"true"}, Row{"false"}, Row{"NULL"}));
}

TEST(RestTypesTest, IntegersAreBigint) {
  auto c = Collect({R"([{"a":-9223372036854775808},{"a":9223372036854775807}])"});
  EXPECT_EQ(c.schema, "a BIGINT");
  EXPECT_THAT(c.rows, ElementsAre(Row{"-9223372036854775808"}, Row{"9223372036854775807"}));
}

TEST(RestTypesTest, IntegersAndFloatsAreDouble) {
  auto c = Collect({R"([{"a":1}])", R"([{"a":2.5}])"});
  EXPECT_EQ(c.schema, "a DOUBLE");
  EXPECT_THAT(c.rows, ElementsAre(Row{"1"}, Row{"2.5"}));
}

TEST(RestTypesTest, IntegersOutsideInt64AreVarcharWithTheExactDigits) {
  auto c = Collect({R"([{"a":1},{"a":18446744073709551615},{"a":-9223372036854775809},)"
                    R"({"a":123456789012345678901234567890}])"});
  EXPECT_EQ(c.schema, "a VARCHAR");
  EXPECT_THAT(c.rows,
              ElementsAre(Row{"1"}, Row{"18446744073709551615"}, Row{"-9223372036854775809"},
                          Row{"123456789012345678901234567890"}));
}

TEST(RestTypesTest, BigNumbersInsideJsonKeepTheirText) {
  auto c = Collect({R"([{"a":[123456789012345678901234567890,"x\"y",1E400]}])"});
  EXPECT_EQ(c.schema, "a JSON");
  EXPECT_THAT(c.rows, ElementsAre(Row{R"([123456789012345678901234567890,"x\"y",1E400])"}));
}

TEST(RestTypesTest, IsoDatesAreDate) {
  auto c = Collect({R"([{"d":"2024-02-29"},{"d":"1969-12-31"}])"});
  EXPECT_EQ(c.schema, "d DATE");
  EXPECT_THAT(c.rows, ElementsAre(Row{"2024-02-29"}, Row{"1969-12-31"}));
}

TEST(RestTypesTest, InvalidDateIsText) {
  auto c = Collect({R"([{"d":"2023-02-29"},{"d":"2024-01-01"}])"});
  EXPECT_EQ(c.schema, "d VARCHAR");
}

TEST(RestTypesTest, ZonedTimestampsAreTimestampWithTimeZoneInUtc) {
  auto c = Collect({R"([{"t":"2024-01-02T03:04:05Z"},{"t":"2024-01-02T05:04:05.123456+02:00"}])"});
  EXPECT_EQ(c.schema, "t TIMESTAMPTZ");
  EXPECT_THAT(c.rows,
              ElementsAre(Row{"2024-01-02 03:04:05+00"}, Row{"2024-01-02 03:04:05.123456+00"}));
}

TEST(RestTypesTest, TimestampsWithoutZoneAreTimestamp) {
  auto c = Collect({R"([{"t":"2024-01-02T03:04:05"},{"t":"2024-01-02 03:04"}])"});
  EXPECT_EQ(c.schema, "t TIMESTAMP");
  EXPECT_THAT(c.rows, ElementsAre(Row{"2024-01-02 03:04:05"}, Row{"2024-01-02 03:04:00"}));
}

TEST(RestTypesTest, MixOfStringKindsIsVarchar) {
  auto c =
      Collect({R"([{"t":"2024-01-02"},{"t":"2024-01-02T03:04:05Z"},{"t":"2024-01-02T03:04"}])"});
  EXPECT_EQ(c.schema, "t VARCHAR");
  EXPECT_THAT(c.rows,
              ElementsAre(Row{"2024-01-02"}, Row{"2024-01-02T03:04:05Z"}, Row{"2024-01-02T03:04"}));
}

TEST(RestTypesTest, MixedScalarKindsAreVarcharOfTheirText) {
  auto c = Collect({R"([{"a":true,"b":1},{"a":2,"b":"x"},{"a":"s","b":2.5}])"});
  EXPECT_EQ(c.schema, "a VARCHAR, b VARCHAR");
  EXPECT_THAT(c.rows, ElementsAre(Row{"true", "1"}, Row{"2", "x"}, Row{"s", "2.5"}));
}

TEST(RestTypesTest, ArraysAreMinifiedJson) {
  auto c = Collect({R"([{"a":[1, {"b" : "c"}]},{"a":[]}])"});
  EXPECT_EQ(c.schema, "a JSON");
  EXPECT_THAT(c.rows, ElementsAre(Row{R"([1,{"b":"c"}])"}, Row{"[]"}));
}

TEST(RestTypesTest, ArraysMixedWithScalarsAreJsonWithQuotedStrings) {
  auto c = Collect({R"([{"a":[1]},{"a":"x"},{"a":3}])"});
  EXPECT_EQ(c.schema, "a JSON");
  EXPECT_THAT(c.rows, ElementsAre(Row{"[1]"}, Row{R"("x")"}, Row{"3"}));
}

TEST(RestTypesTest, ObjectsFlattenRecursivelyAndEmptyObjectsContributeNothing) {
  auto c = Collect({R"([{"id":1,"user":{"name":"ann","address":{"city":"Oslo"},"tags":{}}}])"});
  EXPECT_EQ(c.schema, "id BIGINT, user__name VARCHAR, user__address__city VARCHAR");
  EXPECT_THAT(c.rows, ElementsAre(Row{"1", "ann", "Oslo"}));
}

TEST(RestTypesTest, ObjectsStayJsonWithoutFlatten) {
  auto c = Collect({R"([{"u":{"n" : 1}},{"u":5}])"}, {.flatten = false});
  EXPECT_EQ(c.schema, "u JSON");
  EXPECT_THAT(c.rows, ElementsAre(Row{R"({"n":1})"}, Row{"5"}));
}

// The rule that never loses data: the parent column is JSON holding the raw value wherever
// the field was not an object; its children hold the object's leaves.
TEST(RestTypesTest, FieldThatIsAnObjectOnlySometimesGetsAJsonParentColumn) {
  auto c = Collect({R"([{"a":{"x":1}},{"a":5},{"a":"s"},{"a":[1]},{"a":{}}])"});
  EXPECT_EQ(c.schema, "a__x BIGINT, a JSON");
  EXPECT_THAT(c.rows, ElementsAre(Row{"1", "NULL"}, Row{"NULL", "5"}, Row{"NULL", R"("s")"},
                                  Row{"NULL", "[1]"}, Row{"NULL", "NULL"}));
  // Scalar first, object later: the same columns, in order of first appearance.
  c = Collect({R"([{"a":5}])", R"([{"a":{"x":1}}])"});
  EXPECT_EQ(c.schema, "a JSON, a__x BIGINT");
  EXPECT_THAT(c.rows, ElementsAre(Row{"5", "NULL"}, Row{"NULL", "1"}));
}

TEST(RestTypesTest, CollidingNamesGetANumericSuffix) {
  auto c = Collect({R"([{"a__b":1,"a":{"b":2},"A__B":3,"a__b_2":4}])"});
  EXPECT_EQ(c.schema, "a__b BIGINT, a__b_2 BIGINT, A__B_3 BIGINT, a__b_2_2 BIGINT");
  EXPECT_THAT(c.rows, ElementsAre(Row{"1", "2", "3", "4"}));
}

TEST(RestTypesTest, ColumnsFollowFirstAppearanceAcrossPagesAndAreNullBefore) {
  auto c = Collect({R"([{"a":1}])", R"([{"b":"x","a":2}])"});
  EXPECT_EQ(c.schema, "a BIGINT, b VARCHAR");
  EXPECT_THAT(c.rows, ElementsAre(Row{"1", "NULL"}, Row{"2", "x"}));
}

TEST(RestTypesTest, TypeChangeOnALaterPageWidensTheWholeColumn) {
  auto c = Collect({R"([{"a":1},{"a":2}])", R"([{"a":"three"}])"});
  EXPECT_EQ(c.schema, "a VARCHAR");
  EXPECT_THAT(c.rows, ElementsAre(Row{"1"}, Row{"2"}, Row{"three"}));
}

TEST(RestTypesTest, DuplicateKeyKeepsTheLastValue) {
  auto c = Collect({R"([{"a":1,"a":2}])"});
  EXPECT_EQ(c.schema, "a BIGINT");
  EXPECT_THAT(c.rows, ElementsAre(Row{"2"}));
}

TEST(RestTypesTest, EmptyKeyIsUnderscore) {
  auto c = Collect({R"([{"":1}])"});
  EXPECT_EQ(c.schema, "_ BIGINT");
}

}  // namespace
}  // namespace sqlflow::rest
