// Types, coercions, ranges and enumerations, through ParameterValidator::Validate.
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqlflow/params/parameter_validator.h"
#include "sqlflow/params/params_testing_internal.h"

namespace sqlflow {
namespace {

using nlohmann::json;
using params_testing::FakeEnv;
using params_testing::One;
using params_testing::Problems;
using params_testing::Spec;
using ::testing::ElementsAre;

/// Validate {"v": value} against `spec` (named "v"); return the stored value.
json Accepted(const ParamSpec& spec, const json& value) {
  return One(spec).Validate({{"v", value}}, FakeEnv()).Get("v");
}

/// Validate {"v": value} against `spec` (named "v"); return the single problem.
std::string Rejected(const ParamSpec& spec, const json& value) {
  std::vector<std::string> problems = Problems(One(spec), {{"v", value}});
  EXPECT_EQ(problems.size(), 1u);
  return problems.empty() ? "" : problems[0];
}

const ParamSpec kString = Spec("v");
const ParamSpec kInteger = Spec("v", ParamType::kInteger);
const ParamSpec kNumber = Spec("v", ParamType::kNumber);
const ParamSpec kBoolean = Spec("v", ParamType::kBoolean);
const ParamSpec kList = Spec("v", ParamType::kStringList);

/// A spec with an inclusive range; NaN leaves a side open.
ParamSpec Ranged(ParamType type, double minimum, double maximum) {
  ParamSpec spec = Spec("v", type);
  if (!std::isnan(minimum)) spec.minimum = minimum;
  if (!std::isnan(maximum)) spec.maximum = maximum;
  return spec;
}

/// A spec with an enumeration.
ParamSpec OneOf(ParamType type, std::vector<std::string> allowed) {
  ParamSpec spec = Spec("v", type);
  spec.allowed = std::move(allowed);
  return spec;
}

TEST(ParamValueTest, Strings) {
  EXPECT_EQ(Accepted(kString, "x"), "x");
  EXPECT_EQ(Rejected(kString, 5), "'v': must be a string, got integer 5");
  EXPECT_EQ(Rejected(kString, true), "'v': must be a string, got boolean true");
  EXPECT_EQ(Rejected(kString, json::array()), "'v': must be a string, got an array");
}

TEST(ParamValueTest, IntegersAcceptIntegralNumbersAndDigitStrings) {
  EXPECT_EQ(Accepted(kInteger, 42), 42);
  EXPECT_EQ(Accepted(kInteger, 42.0), 42);
  EXPECT_TRUE(Accepted(kInteger, 42.0).is_number_integer());
  EXPECT_EQ(Accepted(kInteger, "42"), 42);
  EXPECT_EQ(Accepted(kInteger, " -7 "), -7);
  EXPECT_EQ(Accepted(kInteger, "+7"), 7);
  EXPECT_EQ(Accepted(kInteger, "9223372036854775807"), INT64_MAX);
}

TEST(ParamValueTest, IntegersRejectEverythingElse) {
  EXPECT_EQ(Rejected(kInteger, "abc"), "'v': must be an integer, got string 'abc'");
  EXPECT_EQ(Rejected(kInteger, 1.5), "'v': must be an integer, got number 1.5");
  EXPECT_EQ(Rejected(kInteger, "1.5"), "'v': must be an integer, got string '1.5'");
  EXPECT_EQ(Rejected(kInteger, ""), "'v': must be an integer, got string ''");
  EXPECT_EQ(Rejected(kInteger, "+-1"), "'v': must be an integer, got string '+-1'");
  EXPECT_EQ(Rejected(kInteger, "12abc"), "'v': must be an integer, got string '12abc'");
  EXPECT_EQ(Rejected(kInteger, "9223372036854775808"),
            "'v': must be an integer, got string '9223372036854775808'");
  EXPECT_EQ(Rejected(kInteger, 18446744073709551615u),
            "'v': must be an integer, got integer 18446744073709551615");
  EXPECT_EQ(Rejected(kInteger, 1e19), "'v': must be an integer, got number 1e+19");
  EXPECT_EQ(Rejected(kInteger, true), "'v': must be an integer, got boolean true");
  EXPECT_EQ(Rejected(kInteger, json::object()), "'v': must be an integer, got an object");
}

TEST(ParamValueTest, Numbers) {
  EXPECT_EQ(Accepted(kNumber, 2.5), 2.5);
  EXPECT_EQ(Accepted(kNumber, 3), 3);
  EXPECT_EQ(Accepted(kNumber, "2.5"), 2.5);
  EXPECT_EQ(Accepted(kNumber, "1e3"), 1000.0);
  EXPECT_EQ(Accepted(kNumber, "-4"), -4.0);
  EXPECT_EQ(Rejected(kNumber, "nan"), "'v': must be a number, got string 'nan'");
  EXPECT_EQ(Rejected(kNumber, "inf"), "'v': must be a number, got string 'inf'");
  EXPECT_EQ(Rejected(kNumber, "2,5"), "'v': must be a number, got string '2,5'");
  EXPECT_EQ(Rejected(kNumber, false), "'v': must be a number, got boolean false");
}

TEST(ParamValueTest, Booleans) {
  EXPECT_EQ(Accepted(kBoolean, true), true);
  EXPECT_EQ(Accepted(kBoolean, false), false);
  for (const char* yes : {"true", "TRUE", "Yes", "1", " yes "}) {
    EXPECT_EQ(Accepted(kBoolean, yes), true) << yes;
  }
  for (const char* no : {"false", "False", "NO", "0"}) EXPECT_EQ(Accepted(kBoolean, no), false);
  EXPECT_EQ(Rejected(kBoolean, "maybe"),
            "'v': must be a boolean (true/false, yes/no or 1/0), got string 'maybe'");
  EXPECT_EQ(Rejected(kBoolean, 1),
            "'v': must be a boolean (true/false, yes/no or 1/0), got integer 1");
}

TEST(ParamValueTest, StringLists) {
  EXPECT_EQ(Accepted(kList, "id"), json::array({"id"}));
  EXPECT_EQ(Accepted(kList, json::array({"id", "region"})), json::array({"id", "region"}));
  EXPECT_EQ(Accepted(kList, json::array()), json::array());
  EXPECT_EQ(Rejected(kList, 5), "'v': must be a string or a list of strings, got integer 5");
  EXPECT_EQ(Rejected(kList, json::array({"id", 3})),
            "'v': must be a string or a list of strings, got integer 3 at index 1");
}

TEST(ParamValueTest, ObjectsArraysAndAny) {
  ParamSpec object = Spec("v", ParamType::kObject);
  ParamSpec array = Spec("v", ParamType::kArray);
  ParamSpec any = Spec("v", ParamType::kAny);
  EXPECT_EQ(Accepted(object, {{"a", 1}}), (json{{"a", 1}}));
  EXPECT_EQ(Rejected(object, "a"), "'v': must be an object, got string 'a'");
  EXPECT_EQ(Accepted(array, json::array({1, "a"})), json::array({1, "a"}));
  EXPECT_EQ(Rejected(array, 1), "'v': must be an array, got integer 1");
  EXPECT_EQ(Accepted(any, 1.5), 1.5);
  EXPECT_EQ(Accepted(any, {{"a", json::array()}}), (json{{"a", json::array()}}));
}

TEST(ParamValueTest, LongValuesAreCutShortInMessages) {
  std::string value(200, 'x');
  EXPECT_EQ(Rejected(kInteger, value),
            "'v': must be an integer, got string '" + std::string(80, 'x') + "...'");
}

TEST(ParamValueTest, RangesAreInclusive) {
  ParamSpec port = Ranged(ParamType::kInteger, 1, 65535);
  EXPECT_EQ(Accepted(port, 1), 1);
  EXPECT_EQ(Accepted(port, "65535"), 65535);
  EXPECT_EQ(Rejected(port, 70000), "'v': must be between 1 and 65535, got 70000");
  EXPECT_EQ(Rejected(port, "0"), "'v': must be between 1 and 65535, got 0");
}

TEST(ParamValueTest, OneSidedRanges) {
  constexpr double kOpen = std::numeric_limits<double>::quiet_NaN();
  ParamSpec at_least = Ranged(ParamType::kInteger, 1, kOpen);
  ParamSpec at_most = Ranged(ParamType::kNumber, kOpen, 0.5);
  EXPECT_EQ(Rejected(at_least, 0), "'v': must be at least 1, got 0");
  EXPECT_EQ(Accepted(at_least, 1000000000), 1000000000);
  EXPECT_EQ(Rejected(at_most, 0.75), "'v': must be at most 0.5, got 0.75");
  EXPECT_EQ(Accepted(at_most, "-3.5"), -3.5);
}

const ParamSpec kMode = OneOf(ParamType::kString, {"replace", "append", "upsert"});

TEST(ParamValueTest, EnumerationsMatchIgnoringCaseAndStoreTheCanonicalSpelling) {
  EXPECT_EQ(Accepted(kMode, "APPEND"), "append");
  EXPECT_EQ(Accepted(kMode, "Upsert"), "upsert");
}

TEST(ParamValueTest, EnumerationsSuggestTheClosestChoice) {
  EXPECT_EQ(Rejected(kMode, "apend"),
            "'v': must be one of: replace, append, upsert; got 'apend' (did you mean 'append'?)");
  EXPECT_EQ(Rejected(kMode, "uspert"),
            "'v': must be one of: replace, append, upsert; got 'uspert' (did you mean 'upsert'?)");
  EXPECT_EQ(Rejected(kMode, "merge"), "'v': must be one of: replace, append, upsert; got 'merge'");
}

TEST(ParamValueTest, EnumerationsApplyToEveryListItem) {
  ParamSpec objects = OneOf(ParamType::kStringList, {"orders", "customers"});
  EXPECT_EQ(Accepted(objects, json::array({"Orders", "CUSTOMERS"})),
            json::array({"orders", "customers"}));
  EXPECT_EQ(Accepted(objects, "orders"), json::array({"orders"}));
  EXPECT_EQ(Rejected(objects, json::array({"orders", "ordrs"})),
            "'v': must be one of: orders, customers; got 'ordrs' (did you mean 'orders'?)");
}

TEST(ParamValueTest, EnumerationsOfNonStrings) {
  ParamSpec version = OneOf(ParamType::kInteger, {"1", "2"});
  EXPECT_EQ(Accepted(version, "2"), 2);
  EXPECT_EQ(Rejected(version, 3), "'v': must be one of: 1, 2; got '3'");
}

}  // namespace
}  // namespace sqlflow
