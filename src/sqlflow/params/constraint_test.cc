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
using params_testing::Problems;
using params_testing::Spec;
using ::testing::ElementsAre;
using Kind = ParamConstraint::Kind;

ParameterValidator Make(std::vector<ParamConstraint> constraints) {
  ParamSpec table = StandardParam("table");
  table.aliases = {"tbl"};
  return ParameterValidator(
      "DB",
      {table, StandardParam("query"), Spec("file"), StandardParam("sync_mode"),
       StandardParam("cursor_field"), StandardParam("primary_key")},
      std::move(constraints));
}

TEST(ConstraintTest, ExactlyOneOf) {
  ParameterValidator v = Make({{Kind::kExactlyOneOf, {"table", "query"}}});
  EXPECT_NO_THROW(v.Validate({{"table", "t"}}, FakeEnv()));
  EXPECT_NO_THROW(v.Validate({{"query", "q"}}, FakeEnv()));
  EXPECT_NO_THROW(v.Validate({{"tbl", "t"}}, FakeEnv()));
  EXPECT_THAT(Problems(v, json::object()), ElementsAre("give exactly one of 'table' or 'query'"));
  EXPECT_THAT(Problems(v, {{"tbl", "t"}, {"query", "q"}}),
              ElementsAre("'table' and 'query' cannot both be given"));
  EXPECT_THAT(Problems(v, {{"table", nullptr}}),
              ElementsAre("give exactly one of 'table' or 'query'"));
}

TEST(ConstraintTest, ExactlyOneOfThree) {
  ParameterValidator v = Make({{Kind::kExactlyOneOf, {"table", "query", "file"}}});
  EXPECT_THAT(Problems(v, json::object()),
              ElementsAre("give exactly one of 'table', 'query' or 'file'"));
  EXPECT_THAT(Problems(v, {{"file", "f"}, {"query", "q"}}),
              ElementsAre("'query' and 'file' cannot both be given"));
  EXPECT_THAT(Problems(v, {{"file", "f"}, {"query", "q"}, {"table", "t"}}),
              ElementsAre("'table', 'query' and 'file' cannot be given together; give only one"));
}

TEST(ConstraintTest, AtLeastOneOf) {
  ParameterValidator v = Make({{Kind::kAtLeastOneOf, {"table", "query"}}});
  EXPECT_NO_THROW(v.Validate({{"table", "t"}, {"query", "q"}}, FakeEnv()));
  EXPECT_THAT(Problems(v, json::object()), ElementsAre("give at least one of 'table' or 'query'"));
}

TEST(ConstraintTest, RequiresWhenGiven) {
  ParameterValidator v = Make({{Kind::kRequires, {"cursor_field", "table", "primary_key"}}});
  EXPECT_NO_THROW(v.Validate(json::object(), FakeEnv()));
  EXPECT_NO_THROW(
      v.Validate({{"cursor_field", "ts"}, {"table", "t"}, {"primary_key", "id"}}, FakeEnv()));
  EXPECT_THAT(Problems(v, {{"cursor_field", "ts"}}),
              ElementsAre("'table': is required when 'cursor_field' is given",
                          "'primary_key': is required when 'cursor_field' is given"));
}

TEST(ConstraintTest, DefaultsDoNotCountAsGiven) {
  ParameterValidator v = Make({{Kind::kRequires, {"sync_mode", "cursor_field"}}});
  EXPECT_NO_THROW(v.Validate(json::object(), FakeEnv()));
  EXPECT_THAT(Problems(v, {{"sync_mode", "full_refresh"}}),
              ElementsAre("'cursor_field': is required when 'sync_mode' is given"));
}

TEST(ConstraintTest, AnInvalidTriggerStillCountsAsGiven) {
  ParameterValidator v = Make({{Kind::kRequires, {"sync_mode", "cursor_field"}}});
  EXPECT_THAT(Problems(v, {{"sync_mode", "incremntal"}}),
              ElementsAre("'sync_mode': must be one of: full_refresh, incremental, cdc; "
                          "got 'incremntal' (did you mean 'incremental'?)",
                          "'cursor_field': is required when 'sync_mode' is given"));
}

TEST(ConstraintTest, ConstraintsComeLastInDeclarationOrder) {
  ParameterValidator v = Make(
      {{Kind::kAtLeastOneOf, {"file", "primary_key"}}, {Kind::kExactlyOneOf, {"table", "query"}}});
  EXPECT_THAT(Problems(v, {{"tabel", "t"}}),
              ElementsAre("'tabel': unknown parameter (did you mean 'table'?)",
                          "give at least one of 'file' or 'primary_key'",
                          "give exactly one of 'table' or 'query'"));
}

}  // namespace
}  // namespace sqlflow
