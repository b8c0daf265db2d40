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
using params_testing::PostgresLike;
using params_testing::Problems;
using params_testing::Spec;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

const EnvLookup kEnv = FakeEnv({{"HOST", "db.local"}, {"PORT", "6543"}, {"EMPTY", ""}});

std::string Substitute(const std::string& text, std::vector<std::string>* missing = nullptr) {
  return SubstituteEnv(text, kEnv, missing);
}

TEST(EnvSubstitutionTest, ReplacesVariables) {
  EXPECT_EQ(Substitute("${HOST}"), "db.local");
  EXPECT_EQ(Substitute("postgres://${HOST}:${PORT}/x"), "postgres://db.local:6543/x");
  EXPECT_EQ(Substitute("no variables"), "no variables");
  EXPECT_EQ(Substitute(""), "");
}

TEST(EnvSubstitutionTest, DefaultsApplyOnlyWhenUnset) {
  EXPECT_EQ(Substitute("${NOPE|fallback}"), "fallback");
  EXPECT_EQ(Substitute("${HOST|fallback}"), "db.local");
  EXPECT_EQ(Substitute("${NOPE|}"), "");
  EXPECT_EQ(Substitute("${EMPTY|fallback}"), "");  // Set but empty: the empty value is kept.
  EXPECT_EQ(Substitute("${NOPE|a b}"), "a b");
}

TEST(EnvSubstitutionTest, QuotedDefaultsMayHoldBracesAndBars) {
  EXPECT_EQ(Substitute("${NOPE|'quoted default'}"), "quoted default");
  EXPECT_EQ(Substitute("${NOPE|\"x}|y\"}!"), "x}|y!");
  EXPECT_EQ(Substitute("${NOPE|'a}b'}"), "a}b");
  EXPECT_EQ(Substitute("${NOPE|'unclosed}"), "'unclosed");
}

TEST(EnvSubstitutionTest, MissingVariablesAreReportedOnceAndLeftAsWritten) {
  std::vector<std::string> missing;
  EXPECT_EQ(Substitute("${A}-${HOST}-${B}-${A}", &missing), "${A}-db.local-${B}-${A}");
  EXPECT_THAT(missing, ElementsAre("A", "B"));
  EXPECT_EQ(Substitute("${A}"), "${A}");  // A null `missing` is allowed.
}

TEST(EnvSubstitutionTest, MalformedReferencesAreLeftAsWritten) {
  std::vector<std::string> missing;
  EXPECT_EQ(Substitute("${HOST", &missing), "${HOST");
  EXPECT_EQ(Substitute("abc${", &missing), "abc${");
  EXPECT_EQ(Substitute("${}", &missing), "${}");
  EXPECT_EQ(Substitute("${1X}", &missing), "${1X}");
  EXPECT_EQ(Substitute("${A B}", &missing), "${A B}");
  EXPECT_EQ(Substitute("$HOST and $", &missing), "$HOST and $");
  EXPECT_EQ(Substitute("${ ${HOST}", &missing), "${ db.local");
  EXPECT_THAT(missing, IsEmpty());
}

TEST(EnvSubstitutionTest, SubstitutedTextIsNotScannedAgain) {
  EnvLookup env = FakeEnv({{"A", "${B}"}, {"B", "b"}});
  EXPECT_EQ(SubstituteEnv("${A}", env, nullptr), "${B}");
}

TEST(EnvSubstitutionTest, ProcessEnvReadsTheEnvironment) {
  ASSERT_EQ(setenv("SQLFLOW_PARAMS_TEST_VAR", "v1", 1), 0);
  EXPECT_EQ(ProcessEnv()("SQLFLOW_PARAMS_TEST_VAR"), "v1");
  ASSERT_EQ(unsetenv("SQLFLOW_PARAMS_TEST_VAR"), 0);
  EXPECT_EQ(ProcessEnv()("SQLFLOW_PARAMS_TEST_VAR"), std::nullopt);
}

TEST(ValidatorEnvTest, SubstitutionHappensBeforeTypeChecks) {
  ParameterSet set = PostgresLike().Validate(
      {{"host", "${HOST}"}, {"port", "${PORT}"}, {"table", "${TABLE|orders}"}}, kEnv);
  EXPECT_EQ(set.GetString("host"), "db.local");
  EXPECT_EQ(set.GetInt("port"), 6543);
  EXPECT_EQ(set.GetString("table"), "orders");
}

TEST(ValidatorEnvTest, MissingVariableIsAProblemNamingIt) {
  EXPECT_THAT(Problems(PostgresLike(),
                       {{"host", "h"}, {"table", "t"}, {"password", "${PGPASSWORD}"}}, kEnv),
              ElementsAre("'password': environment variable 'PGPASSWORD' is not set"));
  EXPECT_THAT(
      Problems(PostgresLike(), {{"host", "${H1}${H2}"}, {"port", "${P}"}, {"query", "q"}}, kEnv),
      ElementsAre("'host': environment variable 'H1' is not set",
                  "'host': environment variable 'H2' is not set",
                  "'port': environment variable 'P' is not set"));
}

TEST(ValidatorEnvTest, SubstitutedValuesAreTypeChecked) {
  EXPECT_THAT(Problems(PostgresLike(), {{"host", "h"}, {"table", "t"}, {"port", "${HOST}"}}, kEnv),
              ElementsAre("'port': must be an integer, got string 'db.local'"));
}

TEST(ValidatorEnvTest, SubstitutionReachesIntoObjectsAndArrays) {
  ParamSpec headers = Spec("headers", ParamType::kObject);
  json params = {
      {"headers", {{"X-Host", "${HOST}"}, {"n", {"${PORT}", 1, {{"deep", "${HOST}"}}}}}}};
  ParameterSet set = One(headers).Validate(params, kEnv);
  EXPECT_EQ(set.Get("headers"),
            (json{{"X-Host", "db.local"}, {"n", {"6543", 1, {{"deep", "db.local"}}}}}));
  EXPECT_THAT(Problems(One(headers), {{"headers", {{"a", {"${NOPE}"}}}}}, kEnv),
              ElementsAre("'headers': environment variable 'NOPE' is not set"));
}

TEST(ValidatorEnvTest, UnknownParametersAreNotSubstituted) {
  EXPECT_THAT(Problems(One(Spec("path")), {{"path", "p"}, {"pathh", "${NOPE}"}}, kEnv),
              ElementsAre("'pathh': unknown parameter (did you mean 'path'?)"));
}

}  // namespace
}  // namespace sqlflow
