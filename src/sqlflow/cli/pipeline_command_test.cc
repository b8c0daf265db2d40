#include "sqlflow/cli/pipeline_command.h"

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqlflow/cli/interrupt.h"
#include "sqlflow/cli/test_fakes.h"

namespace sqlflow::cli {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::StartsWith;

// A pipeline over one CSV file: LOAD, a GROUP BY transform and a CSV export.
constexpr const char* kSalesPipeline =
    "SOURCE sales_src TYPE CSV PARAMS {\"path\": \"data/sales.csv\"};\n"
    "LOAD sales FROM sales_src;\n"
    "CREATE TABLE totals AS SELECT region, sum(amount) AS total FROM sales GROUP BY region;\n"
    "EXPORT SELECT * FROM totals ORDER BY region TO \"${out|output}/totals.csv\" TYPE CSV;\n";

constexpr const char* kSalesCsv = "region,amount\nnorth,10\nsouth,5\nnorth,7\n";

class CliPipelineCommandTest : public testing::CliCommandTest {
 protected:
  CliPipelineCommandTest() : CliCommandTest("sqlflow-pipeline") {}
  void SetUp() override {
    CliCommandTest::SetUp();
    Write("data/sales.csv", kSalesCsv);
    Write("pipelines/sales.sf", kSalesPipeline);
    Write("profiles/dev.yml", "engines:\n  duckdb:\n    mode: memory\n    threads: 1\n");
    fs::create_directories(dir_ / "output");
  }
  // Run `sqlflow ARGS --project-dir DIR`.
  int Run(std::vector<std::string> args) { return RunInProject(std::move(args)); }
};

TEST_F(CliPipelineCommandTest, ListPrintsNamesAndPaths) {
  Write("pipelines/another.sf", "");
  EXPECT_EQ(Run({"pipeline", "list"}), 0);
  EXPECT_EQ(out_.str(),
            "  NAME     PATH\n"
            "  another  pipelines/another.sf\n"
            "  sales    pipelines/sales.sf\n");
  EXPECT_EQ(err_.str(), "");
  EXPECT_EQ(Run({"pipeline", "list", "--json"}), 0);
  nlohmann::json json = nlohmann::json::parse(out_.str());
  EXPECT_EQ(json["pipelines"][1]["name"], "sales");
  EXPECT_EQ(json["pipelines"][1]["path"], "pipelines/sales.sf");
  EXPECT_EQ(json["project"], dir_.string());
}

TEST_F(CliPipelineCommandTest, FlagsWorkBeforeTheCommandToo) {
  EXPECT_EQ(Run({"pipeline", "--json", "list"}), 0);
  EXPECT_NO_THROW(nlohmann::json::parse(out_.str()));
}

TEST_F(CliPipelineCommandTest, ValidateEveryPipeline) {
  EXPECT_EQ(Run({"pipeline", "validate"}), 0) << err_.str();
  EXPECT_EQ(out_.str(), "\u2713 sales: 3 steps\n");
  EXPECT_EQ(err_.str(), "");
  EXPECT_FALSE(fs::exists(dir_ / "output" / "totals.csv"));  // No data touched.
}

TEST_F(CliPipelineCommandTest, ValidateShowsEveryDiagnosticWithACaret) {
  Write("pipelines/bad.sf",
        "SOURCE sales_src TYPE CSV PARAMS {\"path\": \"data/sales.csv\"};\n"
        "LOAD t FROM sales_scr;\n");
  EXPECT_EQ(Run({"pipeline", "validate"}), 2);
  EXPECT_EQ(out_.str(), "\u2717 bad: 1 error\n\u2713 sales: 3 steps\n");
  EXPECT_THAT(err_.str(), HasSubstr("pipelines/bad.sf:2:13"));
  EXPECT_THAT(err_.str(), HasSubstr("LOAD t FROM sales_scr;"));
  EXPECT_THAT(err_.str(), HasSubstr("             ^^^^^^^^^\n"));
  EXPECT_THAT(err_.str(), HasSubstr("'sales_src'"));  // The suggestion.

  EXPECT_EQ(Run({"pipeline", "validate", "bad", "--json"}), 2);
  nlohmann::json json = nlohmann::json::parse(out_.str());
  EXPECT_EQ(json["valid"], false);
  EXPECT_EQ(json["pipelines"][0]["errors"][0]["line"], 2);
  EXPECT_EQ(json["pipelines"][0]["errors"][0]["column"], 13);
  EXPECT_EQ(json["pipelines"][0]["errors"][0]["file"], "pipelines/bad.sf");
}

TEST_F(CliPipelineCommandTest, MissingVariableIsInvalid) {
  Write("pipelines/vars.sf",
        "SOURCE s TYPE CSV PARAMS {\"path\": \"data/${file}.csv\"};\nLOAD t FROM s;\n");
  EXPECT_EQ(Run({"pipeline", "validate", "vars"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("pipelines/vars.sf:1:"));
  EXPECT_THAT(err_.str(), HasSubstr("file"));
  EXPECT_EQ(Run({"pipeline", "validate", "vars", "--vars", "file=sales"}), 0) << err_.str();
  EXPECT_EQ(Run({"pipeline", "validate", "vars", "--vars", R"({"file": "sales"})"}), 0);
}

TEST_F(CliPipelineCommandTest, UnknownPipelineAndProfileExitTwo) {
  EXPECT_EQ(Run({"pipeline", "run", "sale"}), 2);
  EXPECT_THAT(err_.str(), StartsWith("error: pipeline 'sale' not found in "));
  EXPECT_THAT(err_.str(), HasSubstr("(did you mean 'sales'?); pipelines found: sales\n"));
  EXPECT_EQ(Run({"pipeline", "run", "sales", "--profile", "prod"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("profile 'prod' not found"));
  EXPECT_THAT(err_.str(), HasSubstr("dev"));
  EXPECT_EQ(Run({"pipeline", "run", "sales", "--vars", "=x"}), 2);
  EXPECT_THAT(err_.str(), StartsWith("error: "));
}

TEST_F(CliPipelineCommandTest, CompileWritesThePlanTheDagAndShowsTheSteps) {
  EXPECT_EQ(Run({"pipeline", "compile", "sales"}), 0) << err_.str();
  for (const char* ext : {".json", ".mmd", ".dot"}) {
    EXPECT_TRUE(fs::exists(dir_ / "target" / "compiled" / (std::string("sales") + ext))) << ext;
  }
  nlohmann::json plan = nlohmann::json::parse(Read("target/compiled/sales.json"));
  EXPECT_EQ(plan["pipeline"], "sales");
  EXPECT_EQ(plan["steps"].size(), 3u);
  EXPECT_THAT(Read("target/compiled/sales.mmd"), StartsWith("flowchart TD"));
  EXPECT_THAT(Read("target/compiled/sales.dot"), StartsWith("digraph pipeline {"));
  std::string out = out_.str();
  EXPECT_THAT(out, StartsWith("Pipeline sales (pipelines/sales.sf), profile dev: 3 steps\n"));
  EXPECT_THAT(out, MatchesRegex("(.|\n)*\n  1  load_sales +LOAD sales FROM sales_src(.|\n)*"));
  EXPECT_THAT(out, HasSubstr("load_sales\n"));  // The transform runs after the load.
  EXPECT_THAT(out, HasSubstr("\nWrote target/compiled/sales.json, .mmd and .dot\n"));

  EXPECT_EQ(Run({"pipeline", "compile", "sales", "--json"}), 0);
  EXPECT_EQ(nlohmann::json::parse(out_.str()), plan);
}

TEST_F(CliPipelineCommandTest, CompileShowsTheBranchTaken) {
  Write("pipelines/branchy.sf",
        "SOURCE s TYPE CSV PARAMS {\"path\": \"data/sales.csv\"};\n"
        "IF ${env|dev} == 'prod' THEN\n  LOAD prod_sales FROM s;\n"
        "ELSE\n  LOAD dev_sales FROM s;\nEND IF;\n");
  EXPECT_EQ(Run({"pipeline", "compile", "branchy"}), 0) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("\nBranches:\n  pipelines/branchy.sf:2  IF "));
  EXPECT_THAT(out_.str(), HasSubstr("(false), ELSE \u2192 taken\n"));
  EXPECT_THAT(out_.str(), HasSubstr("load_dev_sales"));
  EXPECT_THAT(out_.str(), Not(HasSubstr("load_prod_sales")));
}

TEST_F(CliPipelineCommandTest, RunPrintsProgressSummaryAndWritesTheOutput) {
  EXPECT_EQ(Run({"pipeline", "run", "sales"}), 0) << err_.str();
  EXPECT_EQ(Read("output/totals.csv"), "region,total\nnorth,17\nsouth,5\n");
  std::string err = err_.str();
  EXPECT_THAT(err, HasSubstr("[1/3] LOAD sales FROM sales_src"));
  EXPECT_THAT(err, HasSubstr(" ... 3 rows in 0.00 s\n"));
  EXPECT_THAT(err, HasSubstr("[3/3] "));
  std::string out = out_.str();
  EXPECT_THAT(out, StartsWith("  STEP "));
  EXPECT_THAT(out, MatchesRegex("(.|\n)*\n  load_sales +success +3 +0.00 +-\n(.|\n)*"));
  EXPECT_THAT(out, HasSubstr("\nPipeline sales succeeded in 0.00 s (3 of 3 steps succeeded, "
                             "profile dev)\n"));
  EXPECT_THAT(out, MatchesRegex("(.|\n)*Run report: target/runs/.*\\.json\n"));
}

TEST_F(CliPipelineCommandTest, RunWithVarsAndJson) {
  fs::create_directories(dir_ / "elsewhere");
  EXPECT_EQ(Run({"pipeline", "run", "sales", "--vars", "out=elsewhere", "--json"}), 0)
      << err_.str();
  EXPECT_TRUE(fs::exists(dir_ / "elsewhere" / "totals.csv"));
  nlohmann::json json = nlohmann::json::parse(out_.str());
  EXPECT_EQ(json["status"], "success");
  EXPECT_EQ(json["pipeline"], "sales");
  ASSERT_EQ(json["steps"].size(), 3u);
  EXPECT_EQ(json["steps"][0]["rows"], 3);
}

TEST_F(CliPipelineCommandTest, QuietRunPrintsNothing) {
  EXPECT_EQ(Run({"pipeline", "run", "sales", "--quiet"}), 0) << err_.str();
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(err_.str(), "");
}

TEST_F(CliPipelineCommandTest, FailedStepExitsOne) {
  fs::remove(dir_ / "data" / "sales.csv");
  EXPECT_EQ(Run({"pipeline", "run", "sales"}), 1);
  EXPECT_THAT(err_.str(), HasSubstr("error: step 'load_sales' failed: "));
  EXPECT_THAT(err_.str(), HasSubstr("sales.csv"));
  EXPECT_THAT(out_.str(), HasSubstr("load_sales"));
  EXPECT_THAT(out_.str(), HasSubstr("Pipeline sales failed"));
}

TEST_F(CliPipelineCommandTest, InterruptedBeforeTheRunExits130) {
  RequestInterrupt();
  int code = Run({"pipeline", "run", "sales"});
  ClearInterrupt();
  EXPECT_EQ(code, 130);
  EXPECT_THAT(err_.str(), HasSubstr("interrupted\n"));
  EXPECT_FALSE(fs::exists(dir_ / "output" / "totals.csv"));
}

TEST_F(CliPipelineCommandTest, ValidateAndCompileCreateNoState) {
  Write("profiles/prod.yml",
        "engines:\n  duckdb:\n    mode: persistent\n    path: target/prod.duckdb\n");
  for (const char* profile : {"dev", "prod"}) {
    EXPECT_EQ(Run({"pipeline", "validate", "--profile", profile}), 0) << err_.str();
    EXPECT_EQ(Run({"pipeline", "compile", "sales", "--profile", profile}), 0) << err_.str();
  }
  EXPECT_FALSE(fs::exists(dir_ / "target" / "state.duckdb"));
  EXPECT_FALSE(fs::exists(dir_ / "target" / "prod.duckdb"));
}

TEST_F(CliPipelineCommandTest, RunWritesTheMetricsFile) {
  fs::path metrics = dir_ / "output" / "sales.prom";
  EXPECT_EQ(Run({"pipeline", "run", "sales", "--metrics-file", metrics.string()}), 0) << err_.str();
  std::string text = Read(metrics);
  EXPECT_THAT(text, StartsWith("# HELP sqlflow_connector_connection_time_ms "));
  EXPECT_THAT(text, HasSubstr("\nsqlflow_run_success{pipeline=\"sales\",run_id=\""));
  EXPECT_THAT(text, HasSubstr("\"} 1\n"));
  EXPECT_THAT(out_.str(), HasSubstr("\nMetrics: " + metrics.string() + "\n"));
  // Only the file itself is left: the temporary file was renamed.
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir_ / "output")) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  EXPECT_THAT(names, ElementsAre("sales.prom", "totals.csv"));
}

TEST_F(CliPipelineCommandTest, AFailedRunWritesItsMetricsToo) {
  fs::remove(dir_ / "data" / "sales.csv");
  fs::path metrics = dir_ / "output" / "sales.prom";
  Write("output/sales.prom", "old");
  EXPECT_EQ(Run({"pipeline", "run", "sales", "--metrics-file", metrics.string()}), 1);
  EXPECT_THAT(Read(metrics), HasSubstr("\"} 0\n# HELP sqlflow_run_duration_seconds "));
}

TEST_F(CliPipelineCommandTest, AMetricsFileInAMissingDirectoryIsInvalidBeforeTheRun) {
  fs::path metrics = dir_ / "nope" / "sales.prom";
  EXPECT_EQ(Run({"pipeline", "run", "sales", "--metrics-file", metrics.string()}), 2);
  EXPECT_EQ(err_.str(), "error: --metrics-file '" + metrics.string() + "': directory '" +
                            (dir_ / "nope").string() + "' does not exist\n");
  EXPECT_FALSE(fs::exists(dir_ / "output" / "totals.csv"));
  EXPECT_EQ(Run({"pipeline", "run", "sales", "--metrics-file", dir_.string()}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("is a directory; name a file"));
}

TEST_F(CliPipelineCommandTest, ARunIsRecordedInTheStateFile) {
  EXPECT_EQ(Run({"pipeline", "run", "sales", "--json"}), 0) << err_.str();
  std::string run_id = nlohmann::json::parse(out_.str())["run_id"];
  EXPECT_TRUE(fs::exists(dir_ / "target" / "state.duckdb"));
  EXPECT_EQ(Run({"pipeline", "history", "sales", "--json"}), 0) << err_.str();
  nlohmann::json history = nlohmann::json::parse(out_.str());
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0]["run_id"], run_id);
  EXPECT_EQ(history[0]["status"], "success");
  ASSERT_EQ(history[0]["steps"].size(), 3u);
  EXPECT_EQ(history[0]["steps"][0]["step_id"], "load_sales");
  EXPECT_EQ(history[0]["steps"][0]["rows"], 3);
}

TEST(CliPipelineTextTest, StepLines) {
  runner::StepResult step;
  step.description = "LOAD orders FROM orders_src (CSV)";
  step.status = runner::StepStatus::kSuccess;
  step.rows = 10000;
  step.seconds = 0.05;
  EXPECT_EQ(StepLineText(1, 5, step),
            "[1/5] LOAD orders FROM orders_src (CSV) ... 10,000 rows "
            "in 0.05 s");
  step.rows = 1;
  EXPECT_EQ(StepLineText(2, 5, step),
            "[2/5] LOAD orders FROM orders_src (CSV) ... 1 row in 0.05 s");
  step.status = runner::StepStatus::kFailed;
  EXPECT_EQ(StepLineText(2, 5, step),
            "[2/5] LOAD orders FROM orders_src (CSV) ... failed after 0.05 s");
}

TEST(CliPipelineTextTest, Summary) {
  runner::RunResult result;
  result.pipeline = "daily";
  result.profile = "dev";
  result.seconds = 1.5;
  result.steps.resize(3);
  result.steps[0].id = "load_orders";
  result.steps[0].status = runner::StepStatus::kSuccess;
  result.steps[0].rows = 5000;
  result.steps[0].seconds = 0.5;
  result.steps[1].id = "transform_daily";
  result.steps[1].status = runner::StepStatus::kFailed;
  result.steps[1].seconds = 0.25;
  result.steps[2].id = "export_daily_csv";
  result.steps[2].status = runner::StepStatus::kSkipped;
  std::vector<std::string> lines;
  std::istringstream in(RunSummaryText(result));
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  EXPECT_THAT(lines, ElementsAre(MatchesRegex("  STEP +STATUS +ROWS +SECONDS +ROWS/S"),
                                 MatchesRegex("  load_orders +success +5,000 +0.50 +10,000"),
                                 MatchesRegex("  transform_daily +failed +0 +0.25 +-"),
                                 MatchesRegex("  export_daily_csv +skipped +- +- +-"), IsEmpty(),
                                 "Pipeline daily failed in 1.50 s (1 of 3 steps succeeded, profile "
                                 "dev)"));
}

}  // namespace
}  // namespace sqlflow::cli
