#include <stdexcept>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqlflow/params/parameter_validator.h"
#include "sqlflow/params/params_testing_internal.h"

namespace sqlflow {
namespace {

using nlohmann::json;
using params_testing::FakeEnv;
using params_testing::Problems;
using ::testing::ElementsAre;

TEST(StandardParamTest, NamesFollowTheInterfaceSpec) {
  EXPECT_THAT(
      StandardParamNames(),
      ElementsAre("host", "port", "database", "username", "password", "sync_mode", "cursor_field",
                  "primary_key", "initial_value", "batch_size", "timeout_seconds", "max_retries",
                  "schema", "table", "query", "path", "has_header"));
}

TEST(StandardParamTest, EveryStandardParamIsDescribedAndOptional) {
  for (const std::string& name : StandardParamNames()) {
    ParamSpec spec = StandardParam(name);
    EXPECT_EQ(spec.name, name);
    EXPECT_FALSE(spec.description.empty()) << name;
    EXPECT_FALSE(spec.required) << name;  // Each connector decides what it requires.
  }
}

TEST(StandardParamTest, DefaultsAndRanges) {
  struct Expect {
    const char* name;
    json default_value;
    double minimum;
    double maximum;
  };
  for (const Expect& e :
       {Expect{"batch_size", 10000, 1, 1000000}, Expect{"timeout_seconds", 300, 1, 86400},
        Expect{"max_retries", 3, 0, 100}, Expect{"port", nullptr, 1, 65535}}) {
    ParamSpec spec = StandardParam(e.name);
    EXPECT_EQ(spec.type, ParamType::kInteger) << e.name;
    EXPECT_EQ(spec.default_value.value_or(nullptr), e.default_value) << e.name;
    EXPECT_EQ(spec.minimum, e.minimum) << e.name;
    EXPECT_EQ(spec.maximum, e.maximum) << e.name;
  }
}

TEST(StandardParamTest, TypesAliasesSecretsAndEnumerations) {
  EXPECT_EQ(StandardParam("username").aliases, std::vector<std::string>{"user"});
  EXPECT_TRUE(StandardParam("password").secret);
  EXPECT_FALSE(StandardParam("password").default_value.has_value());
  EXPECT_EQ(StandardParam("primary_key").type, ParamType::kStringList);
  EXPECT_EQ(StandardParam("has_header").type, ParamType::kBoolean);
  EXPECT_EQ(StandardParam("has_header").default_value, json(true));
  ParamSpec sync_mode = StandardParam("sync_mode");
  EXPECT_EQ(sync_mode.allowed, (std::vector<std::string>{"full_refresh", "incremental", "cdc"}));
  EXPECT_EQ(sync_mode.default_value, json("full_refresh"));
  for (const char* name :
       {"host", "database", "cursor_field", "schema", "table", "query", "path"}) {
    EXPECT_EQ(StandardParam(name).type, ParamType::kString) << name;
  }
}

TEST(StandardParamTest, UnknownNameIsAConnectorBug) {
  try {
    StandardParam("hostname");
    FAIL() << "expected std::logic_error";
  } catch (const std::logic_error& e) {
    EXPECT_STREQ(e.what(), "'hostname' is not a standard parameter");
  }
}

TEST(StandardParamTest, WorkInAValidator) {
  std::vector<ParamSpec> specs;
  for (const std::string& name : StandardParamNames()) specs.push_back(StandardParam(name));
  ParameterValidator validator("ALL", specs);
  ParameterSet set = validator.Validate({{"user", "ann"}, {"primary_key", "id"}}, FakeEnv());
  EXPECT_EQ(set.values(), (json{{"username", "ann"},
                                {"primary_key", {"id"}},
                                {"sync_mode", "full_refresh"},
                                {"batch_size", 10000},
                                {"timeout_seconds", 300},
                                {"max_retries", 3},
                                {"has_header", true}}));
  EXPECT_THAT(Problems(validator, {{"batch_size", 0}, {"sync_mode", "incremntal"}}),
              ElementsAre("'batch_size': must be between 1 and 1000000, got 0",
                          "'sync_mode': must be one of: full_refresh, incremental, cdc; "
                          "got 'incremntal' (did you mean 'incremental'?)"));
}

TEST(ParamTypeNameTest, NamesEveryType) {
  EXPECT_STREQ(ParamTypeName(ParamType::kString), "string");
  EXPECT_STREQ(ParamTypeName(ParamType::kInteger), "integer");
  EXPECT_STREQ(ParamTypeName(ParamType::kNumber), "number");
  EXPECT_STREQ(ParamTypeName(ParamType::kBoolean), "boolean");
  EXPECT_STREQ(ParamTypeName(ParamType::kStringList), "string list");
  EXPECT_STREQ(ParamTypeName(ParamType::kObject), "object");
  EXPECT_STREQ(ParamTypeName(ParamType::kArray), "array");
  EXPECT_STREQ(ParamTypeName(ParamType::kAny), "any");
}

}  // namespace
}  // namespace sqlflow
