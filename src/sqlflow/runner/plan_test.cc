#include "sqlflow/runner/plan.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqlflow/runner/planner_internal.h"
#include "sqlflow/runner/runner_testing.h"

namespace sqlflow::runner {
namespace {

using ::testing::HasSubstr;

TEST(PlanTest, JsonMermaidAndDotDescribeTheDag) {
  testing::TempProject project;
  Plan plan = testing::PlanText(
      "SOURCE s TYPE CSV PARAMS {\"path\": \"a.csv\"};\nLOAD a FROM s MODE APPEND;\n"
      "CREATE TABLE b AS SELECT * FROM a;\nEXPORT b TO \"out/b.csv\" TYPE CSV;\n",
      project);
  nlohmann::json j = plan.ToJson();
  EXPECT_EQ(j["pipeline"], "test");
  EXPECT_EQ(j["profile"], "dev");
  EXPECT_EQ(j["engine"]["mode"], "memory");
  EXPECT_EQ(j["sources"][0]["name"], "s");
  EXPECT_EQ(j["sources"][0]["type"], "CSV");
  EXPECT_EQ(j["steps"].size(), 3u);
  EXPECT_EQ(j["steps"][0]["mode"], "append");
  EXPECT_EQ(j["steps"][1]["depends_on"], nlohmann::json::array({"load_a"}));
  EXPECT_EQ(j["steps"][1]["line"], 3);
  EXPECT_EQ(j["steps"][2]["type"], "CSV");
  EXPECT_EQ(plan.ToMermaid(),
            "flowchart TD\n"
            "    load_a[/\"LOAD a FROM s MODE APPEND\"/]\n"
            "    transform_b[\"CREATE TABLE b\"]\n"
            "    export_b[\\\"EXPORT b TO out/b.csv (CSV)\"\\]\n"
            "    load_a --> transform_b\n"
            "    transform_b --> export_b\n");
  EXPECT_THAT(plan.ToDot(), HasSubstr("\"load_a\" -> \"transform_b\";"));
  EXPECT_THAT(plan.ToDot(), HasSubstr("\"transform_b\" [label=\"CREATE TABLE b\", shape=box];"));
}

// `pipeline compile` writes the plan: a variable that fed a secret parameter, or whose name
// looks secret, must not show its value there.
TEST(PlanTest, JsonHidesTheValuesOfSecretVariables) {
  Plan plan;
  SourceDef source;
  source.name = "api";
  source.type = "REST";
  source.validated = ParameterSet(
      {{"url", "http://x/items"}, {"auth", {{"type", "bearer"}, {"token", "t0k-123"}}}}, {"auth"});
  plan.sources["api"] = source;
  plan.variables = {{"BEARER", "t0k-123"}, {"DB_PASSWORD", "hunter2"}, {"region", "eu"}};
  EXPECT_EQ(plan.ToJson()["variables"],
            nlohmann::json::parse(R"({"BEARER": "***", "DB_PASSWORD": "***", "region": "eu"})"));
  EXPECT_EQ(plan.ToJson().dump().find("t0k-123"), std::string::npos);
}

TEST(PlanInternalTest, TimeMacrosExpandToLiterals) {
  EXPECT_EQ(internal::ExpandTimeMacros("a > @start_date AND b <= '@end_dt' AND c = @start_dt_x",
                                       "2026-01-01T00:00:00.000000", "2026-01-03T10:00:00.000000"),
            "a > '2026-01-01' AND b <= '2026-01-03T10:00:00.000000' AND c = @start_dt_x");
}

TEST(PlanInternalTest, Lookback) {
  EXPECT_EQ(internal::ParseLookback("2 DAYS")->first, "2 days");
  EXPECT_EQ(internal::ParseLookback("1 hour")->second, 3600LL * 1000000);
  EXPECT_EQ(internal::ParseLookback("90seconds")->second, 90LL * 1000000);
  EXPECT_FALSE(internal::ParseLookback("2 fortnights"));
  EXPECT_FALSE(internal::ParseLookback("-1 day"));
}

TEST(PlanInternalTest, IdWords) {
  EXPECT_EQ(internal::IdWord("Daily Revenue!"), "daily_revenue");
  EXPECT_EQ(internal::IdWord("main.orders"), "main_orders");
  EXPECT_EQ(internal::IdWord("***"), "step");
}

}  // namespace
}  // namespace sqlflow::runner
