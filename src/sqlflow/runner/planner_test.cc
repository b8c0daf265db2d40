#include "sqlflow/runner/planner.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqlflow/runner/runner_testing.h"

namespace sqlflow::runner {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::PlanErrors;
using testing::PlanText;
using testing::TempProject;

std::vector<std::string> Ids(const Plan& plan) {
  std::vector<std::string> ids;
  for (const Step& s : plan.steps) ids.push_back(s.id);
  return ids;
}

constexpr const char* kBasic = R"(-- a pipeline
SOURCE orders_src TYPE CSV PARAMS {"path": "data/orders.csv", "has_header": true};
SOURCE customers_src TYPE CSV PARAMS {"path": "data/customers.csv"};
LOAD orders FROM orders_src;
LOAD customers FROM customers_src MODE UPSERT KEY (id);
CREATE TABLE totals AS
  SELECT c.name, sum(o.amount) AS total FROM orders o JOIN customers c ON c.id = o.customer_id
  GROUP BY 1;
EXPORT SELECT * FROM totals ORDER BY name TO "output/totals.csv" TYPE CSV OPTIONS {"header": true};
EXPORT totals TO "output/totals.parquet" TYPE PARQUET;
)";

TEST(PlannerTest, BuildsStepsWithDependenciesFromTheSql) {
  TempProject project;
  Plan plan = PlanText(kBasic, project);
  EXPECT_THAT(Ids(plan), ElementsAre("load_orders", "load_customers", "transform_totals",
                                     "export_totals", "export_totals_2"));
  EXPECT_TRUE(plan.steps[0].depends_on.empty());
  EXPECT_THAT(plan.steps[2].depends_on, ElementsAre("load_orders", "load_customers"));
  EXPECT_THAT(plan.steps[3].depends_on, ElementsAre("transform_totals"));
  EXPECT_EQ(plan.steps[1].mode, engine::TableMode::kUpsert);
  EXPECT_THAT(plan.steps[1].keys, ElementsAre("id"));
  EXPECT_EQ(plan.steps[3].destination_type, "CSV");
  EXPECT_EQ(plan.steps[3].destination_validated.GetString("path"),
            (project.dir() / "output/totals.csv").string());
  EXPECT_TRUE(plan.steps[3].destination_validated.GetBool("has_header"));
  EXPECT_EQ(plan.steps[4].sql, "SELECT * FROM \"totals\"");
  EXPECT_EQ(plan.sources.at("orders_src").validated.GetString("path"),
            (project.dir() / "data/orders.csv").string());
}

TEST(PlannerTest, SqlBodiesAreKeptByteForByte) {
  TempProject project;
  Plan plan = PlanText(
      "SOURCE s TYPE CSV PARAMS {\"path\": \"a.csv\"};\nLOAD a FROM s;\n"
      "CREATE TABLE b AS WITH x AS (SELECT v::INT AS v, 'a;b' AS t FROM a -- note;\n) "
      "SELECT * FROM x WHERE v <> 2;\n",
      project);
  EXPECT_EQ(plan.steps[1].sql,
            "WITH x AS (SELECT v::INT AS v, 'a;b' AS t FROM a -- note;\n) SELECT * FROM x WHERE "
            "v <> 2");
  EXPECT_THAT(plan.steps[1].reads, ElementsAre("a"));
}

TEST(PlannerTest, UnknownSourceSuggestsTheNearestName) {
  TempProject project;
  EXPECT_THAT(PlanErrors("SOURCE orders_src TYPE CSV PARAMS {\"path\": \"a.csv\"};\n"
                         "LOAD orders FROM order_src;\n",
                         project),
              ElementsAre("2:18: unknown source 'order_src' [did you mean 'orders_src'?]"));
}

TEST(PlannerTest, UnknownTablePointsIntoTheSql) {
  TempProject project;
  EXPECT_THAT(PlanErrors("SOURCE s TYPE CSV PARAMS {\"path\": \"a.csv\"};\nLOAD orders FROM s;\n"
                         "CREATE TABLE t AS SELECT * FROM ordres;\n",
                         project),
              ElementsAre("3:33: unknown table 'ordres': no LOAD or CREATE TABLE makes it "
                          "[did you mean 'orders'?]"));
}

TEST(PlannerTest, UnknownConnectorTypeAndBadParametersAreAllReported) {
  TempProject project;
  std::vector<std::string> errors = PlanErrors(
      "SOURCE a TYPE CVS PARAMS {\"path\": \"a.csv\"};\n"
      "SOURCE b TYPE CSV PARAMS {\"path\": \"b.csv\", \"delimter\": \";\"};\n"
      "SOURCE c TYPE CSV PARAMS {\"has_header\": true};\n",
      project);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0], "1:15: unknown source connector type 'CVS' [did you mean 'CSV'?]");
  EXPECT_THAT(errors[1], HasSubstr("2:44: invalid parameter 'delimter' for source 'b' (CSV)"));
  EXPECT_THAT(errors[1], HasSubstr("[did you mean 'delimiter'?]"));
  EXPECT_THAT(errors[2], HasSubstr("3:26: invalid parameter 'path' for source 'c' (CSV)"));
}

TEST(PlannerTest, ASourceDefinedTwiceIsReportedEvenWhenTheFirstIsInvalid) {
  TempProject project;
  EXPECT_THAT(PlanErrors("SOURCE a TYPE CVS PARAMS {\"path\": \"a.csv\"};\n"
                         "SOURCE a TYPE CSV PARAMS {\"path\": \"b.csv\"};\nLOAD t FROM a;\n",
                         project),
              ElementsAre("1:15: unknown source connector type 'CVS' [did you mean 'CSV'?]",
                          "2:8: source 'a' is defined twice [the first definition is at "
                          "pipelines/test.sf:1]"));
}

TEST(PlannerTest, MissingVariableIsAnErrorAtItsReference) {
  TempProject project;
  std::vector<std::string> errors = PlanErrors(
      "SOURCE s TYPE CSV PARAMS {\"path\": \"${data_dir}/a.csv\"};\nLOAD a FROM s;\n", project);
  EXPECT_THAT(errors, ElementsAre(HasSubstr("1:36: variable 'data_dir' is not set")));
}

TEST(PlannerTest, VariablesFollowTheirPrecedence) {
  TempProject project;
  const char* text =
      "SET dir = 'set_dir';\n"
      "SOURCE s TYPE CSV PARAMS {\"path\": \"${dir}/${file|a.csv}\"};\nLOAD a FROM s;\n";
  Plan from_set = PlanText(text, project);
  EXPECT_EQ(from_set.sources.at("s").validated.GetString("path"),
            (project.dir() / "set_dir/a.csv").string());
  Plan from_cli = PlanText(text, project, {{"dir", "cli_dir"}, {"file", "b.csv"}});
  EXPECT_EQ(from_cli.sources.at("s").validated.GetString("path"),
            (project.dir() / "cli_dir/b.csv").string());
  EXPECT_EQ(from_cli.variables.at("dir"), "cli_dir");
}

TEST(PlannerTest, IfBranchesAreChosenAtPlanningTime) {
  TempProject project;
  const char* text =
      "SOURCE s TYPE CSV PARAMS {\"path\": \"a.csv\"};\nLOAD a FROM s;\n"
      "IF ${env|dev} == 'prod' AND true THEN\n"
      "  CREATE TABLE p AS SELECT * FROM a;\n"
      "ELSE IF ${env|dev} = 'staging' THEN\n"
      "  CREATE TABLE s AS SELECT * FROM a;\n"
      "ELSE\n"
      "  CREATE TABLE d AS SELECT * FROM a;\n"
      "END IF;\n";
  EXPECT_THAT(Ids(PlanText(text, project)), ElementsAre("load_a", "transform_d"));
  EXPECT_THAT(Ids(PlanText(text, project, {{"env", "prod"}})),
              ElementsAre("load_a", "transform_p"));
  Plan staging = PlanText(text, project, {{"env", "staging"}});
  EXPECT_THAT(Ids(staging), ElementsAre("load_a", "transform_s"));
  ASSERT_EQ(staging.branches.size(), 1u);
  EXPECT_EQ(staging.branches[0].taken, 1);
  EXPECT_THAT(staging.branches[0].conditions,
              ElementsAre("staging == 'prod' AND true", "staging = 'staging'"));
}

TEST(PlannerTest, ForwardReferencesAreOrderedAndCyclesRejected) {
  TempProject project;
  Plan plan = PlanText(
      "CREATE TABLE b AS SELECT * FROM a;\n"
      "SOURCE s TYPE CSV PARAMS {\"path\": \"a.csv\"};\nLOAD a FROM s;\n",
      project);
  EXPECT_THAT(Ids(plan), ElementsAre("load_a", "transform_b"));
  std::vector<std::string> errors = PlanErrors(
      "CREATE TABLE x AS SELECT * FROM y;\nCREATE TABLE y AS SELECT * FROM x;\n", project);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0], HasSubstr("dependency cycle: transform_"));
}

TEST(PlannerTest, RepeatedWritesOfATableRunInFileOrder) {
  TempProject project;
  Plan plan = PlanText(
      "SOURCE s TYPE CSV PARAMS {\"path\": \"a.csv\"};\nSOURCE t TYPE CSV PARAMS {\"path\": "
      "\"b.csv\"};\nLOAD a FROM s;\nLOAD a FROM t MODE APPEND;\nCREATE TABLE c AS SELECT * FROM "
      "a;\n",
      project);
  EXPECT_THAT(Ids(plan), ElementsAre("load_a", "load_a_2", "transform_c"));
  EXPECT_THAT(plan.steps[1].depends_on, ElementsAre("load_a"));
  EXPECT_THAT(plan.steps[2].depends_on, ElementsAre("load_a_2"));
}

TEST(PlannerTest, ALaterWriteWaitsForEarlierReaders) {
  TempProject project;
  Plan plan = PlanText(
      "SOURCE s TYPE CSV PARAMS {\"path\": \"a.csv\"};\nLOAD t FROM s;\n"
      "EXPORT t TO \"out/first.csv\" TYPE CSV;\nLOAD t FROM s MODE APPEND;\n"
      "EXPORT t TO \"out/second.csv\" TYPE CSV;\n",
      project);
  EXPECT_THAT(Ids(plan), ElementsAre("load_t", "export_t", "load_t_2", "export_t_2"));
  EXPECT_THAT(plan.steps[2].depends_on, ElementsAre("load_t", "export_t"));
  EXPECT_THAT(plan.steps[3].depends_on, ElementsAre("load_t_2"));
}

TEST(PlannerTest, ProfileConnectionsWithOptions) {
  TempProject project;
  pipeline::Profile profile;
  profile.name = "dev";
  profile.path = "profiles/dev.yml";
  profile.connections["files"] = {"files", "csv", {{"path", "data/x.csv"}, {"delimiter", ";"}}, {}};
  profile.connections["out"] = {"out", "parquet", {{"path", "${out_dir}/o.parquet"}}, {}};
  profile.variables["out_dir"] = "output";
  Plan plan = PlanText(
      "SOURCE s FROM \"files\" OPTIONS {\"delimiter\": \"|\"};\nLOAD a FROM s;\n"
      "EXPORT a TO out OPTIONS {\"mode\": \"upsert\", \"keys\": [\"id\"]};\n",
      project, {}, profile);
  const SourceDef& s = plan.sources.at("s");
  EXPECT_EQ(s.type, "CSV");
  EXPECT_EQ(s.connection, "files");
  EXPECT_EQ(s.validated.GetString("delimiter"), "|");
  EXPECT_EQ(s.validated.GetString("path"), (project.dir() / "data/x.csv").string());
  const Step& e = plan.steps[1];
  EXPECT_EQ(e.destination_type, "PARQUET");
  // Variables in connection parameters resolve before relative paths become absolute.
  EXPECT_EQ(e.destination_validated.GetString("path"),
            (project.dir() / "output/o.parquet").string());
  EXPECT_EQ(e.write_options.mode, WriteMode::kUpsert);
  EXPECT_THAT(e.write_options.keys, ElementsAre("id"));
  EXPECT_THAT(PlanErrors("SOURCE s FROM \"file\" OPTIONS {};\n", project, {}, profile),
              ElementsAre(HasSubstr("1:15: unknown connection 'file' in SOURCE s")));
}

TEST(PlannerTest, ExportChecks) {
  TempProject project;
  const char* head = "SOURCE s TYPE CSV PARAMS {\"path\": \"a.csv\"};\nLOAD a FROM s;\n";
  EXPECT_THAT(PlanErrors(std::string(head) +
                             "EXPORT a TO \"a.csv\" TYPE CSV OPTIONS {\"mode\": \"upsert\"};\n",
                         project),
              ElementsAre(HasSubstr("EXPORT with mode \"upsert\" needs keys")));
  EXPECT_THAT(PlanErrors(std::string(head) + "EXPORT a TO \"a.csv\" TYPE CSVV;\n", project),
              ElementsAre("3:26: unknown destination connector type 'CSVV' [did you mean 'CSV'?]"));
}

TEST(PlannerTest, PlanRendersAsJsonMermaidAndDot) {
  TempProject project;
  pipeline::Profile profile;
  profile.name = "dev";
  Plan plan = PlanText("SOURCE s TYPE CSV PARAMS {\"path\": \"a.csv\"};\nLOAD a FROM s;\n", project,
                       {}, profile);
  std::string json = plan.ToJson().dump();
  EXPECT_THAT(json, HasSubstr("\"steps\""));
  EXPECT_THAT(plan.ToMermaid(), HasSubstr("flowchart TD"));
  EXPECT_THAT(plan.ToDot(), HasSubstr("digraph pipeline {"));
}

TEST(PlannerTest, IncrementalTransformAndLookback) {
  TempProject project;
  Plan plan = PlanText(
      "SOURCE s TYPE CSV PARAMS {\"path\": \"a.csv\"};\nLOAD events FROM s;\n"
      "CREATE TABLE daily MODE INCREMENTAL BY day LOOKBACK '2 DAYS' AS SELECT day, count(*) "
      "FROM events WHERE day > @start_date AND day <= @end_date GROUP BY 1;\n",
      project);
  const Step& t = plan.steps[1];
  EXPECT_TRUE(t.incremental);
  EXPECT_EQ(t.incremental_column, "day");
  EXPECT_EQ(t.lookback, "2 days");
  EXPECT_EQ(t.lookback_micros, 2LL * 86400 * 1000000);
  EXPECT_THAT(t.reads, ElementsAre("events"));
  EXPECT_THAT(PlanErrors("CREATE TABLE d MODE INCREMENTAL BY day LOOKBACK 'soon' AS SELECT 1 AS "
                         "day;\n",
                         project),
              ElementsAre(HasSubstr("invalid LOOKBACK 'soon'")));
}

TEST(PlannerTest, SqlThatDoesNotParseIsReported) {
  TempProject project;
  EXPECT_THAT(PlanErrors("CREATE TABLE t AS SELEC 1;\n", project),
              ElementsAre(HasSubstr("1:19: SQL does not parse:")));
}

}  // namespace
}  // namespace sqlflow::runner
