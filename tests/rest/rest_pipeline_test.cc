// The REST source in real pipeline runs of the `sqlflow` binary against the local HTTP test
// server: a load with retries and its metrics file, an incremental load across runs, and a
// failing authenticated run whose whole output must not contain the secret.
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/files.h"
#include "tests/support/http_test_server.h"
#include "tests/support/process.h"
#include "tests/support/sqlflow_binary.h"
#include <nlohmann/json.hpp>

namespace sqlflow {
namespace {

using ::sqlflow::testing::EnvironmentWithout;
using ::sqlflow::testing::Fault;
using ::sqlflow::testing::HttpTestServer;
using ::sqlflow::testing::ProcessResult;
using ::sqlflow::testing::ReadFile;
using ::sqlflow::testing::WriteFile;
using ::testing::HasSubstr;
using ::testing::Not;

class RestPipelineTest : public sqlflow::testing::SqlflowBinaryTest {
 protected:
  RestPipelineTest() : SqlflowBinaryTest("sqlflow-rest-pipeline") {}

  void SetUp() override {
    SqlflowBinaryTest::SetUp();
    server_.Start();
    WriteFile(dir_ / "profiles/dev.yml", "engines:\n  duckdb:\n    mode: memory\n");
  }

  /// `sqlflow ARGS --project-dir DIR` from the project directory, with `env` added.
  ProcessResult InProject(std::vector<std::string> args,
                          const std::vector<std::string>& env = {}) const {
    args.push_back("--project-dir");
    args.push_back(dir_.path().string());
    std::vector<std::string> environment = EnvironmentWithout({"API_SECRET"});
    environment.insert(environment.end(), env.begin(), env.end());
    return Run(args, {.cwd = dir_.path(), .env = environment});
  }

  HttpTestServer server_;
};

TEST_F(RestPipelineTest, LoadsEveryPageThroughServerErrorsAndCountsTheRetries) {
  WriteFile(dir_ / "pipelines/items.sf",
            "SOURCE items_api TYPE REST PARAMS {\"url\": \"" + server_.base_url() +
                "/items/page\", \"records_path\": \"data\", \"pagination\": {\"type\": "
                "\"page\", \"page_size\": 10}, \"resilience\": {\"retry\": {\"initial_delay\": "
                "0.01, \"max_delay\": 0.05}}};\n"
                "LOAD items FROM items_api;\n"
                "EXPORT SELECT id, name, meta__rank FROM items ORDER BY id\n"
                "  TO \"output/items.csv\" TYPE CSV;\n");
  Fault fault;
  fault.status = 502;
  server_.InjectFault("/items/page", fault, 2);
  ProcessResult run = InProject({"pipeline", "run", "items", "--metrics-file", "metrics.prom"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string csv = ReadFile(dir_ / "output/items.csv");
  EXPECT_THAT(csv, ::testing::StartsWith("id,name,meta__rank\n1,item-1,1\n2,item-2,2\n"));
  EXPECT_THAT(csv, HasSubstr("\n25,item-25,25\n"));
  EXPECT_EQ(server_.request_count("/items/page"), 5);  // three pages, two of them retried once
  const std::string metrics = ReadFile(dir_ / "metrics.prom");
  EXPECT_THAT(metrics,
              HasSubstr("connector_retries_total{connector_type=\"rest\",operation=\"read\"} 2"));
  EXPECT_THAT(metrics, HasSubstr("connector_circuit_breaker_state{connector_type=\"rest\"} 0"));
}

TEST_F(RestPipelineTest, IncrementalLoadsSendTheWatermarkAndAppendOnlyNewRecords) {
  server_.set_record_count(10);
  WriteFile(dir_ / "profiles/dev.yml",
            "engines:\n  duckdb:\n    mode: persistent\n    path: target/dev.duckdb\n");
  WriteFile(dir_ / "pipelines/items.sf",
            "SOURCE items_api TYPE REST PARAMS {\"url\": \"" + server_.base_url() +
                "/items/since\", \"sync_mode\": \"incremental\", \"cursor_field\": "
                "\"updated_at\", \"cursor_param\": \"updated_since\", \"primary_key\": \"id\"};\n"
                "LOAD items FROM items_api MODE APPEND;\n"
                "EXPORT SELECT count(*) AS n, count(DISTINCT id) AS ids FROM items\n"
                "  TO \"output/count.csv\" TYPE CSV;\n");
  ProcessResult first = InProject({"pipeline", "run", "items"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(ReadFile(dir_ / "output/count.csv"), "n,ids\n10,10\n");
  EXPECT_EQ(server_.requests().back().Param("updated_since"), "");

  server_.set_record_count(15);
  ProcessResult second = InProject({"pipeline", "run", "items"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(ReadFile(dir_ / "output/count.csv"), "n,ids\n15,15\n");
  EXPECT_NE(server_.requests().back().Param("updated_since"), "");
}

TEST_F(RestPipelineTest, AFailingAuthenticatedRunNeverPrintsTheSecret) {
  const std::string secret = "Sup3r-Secret-Value-9";
  server_.set_oauth_client("client-1", "the-right-secret");
  WriteFile(dir_ / "pipelines/items.sf",
            "SOURCE items_api TYPE REST PARAMS {\"url\": \"" + server_.base_url() +
                "/secure/items/all\", \"headers\": {\"X-Api-Key\": \"" + secret +
                "\"}, \"auth\": {\"type\": \"oauth2\", \"token_url\": \"" + server_.base_url() +
                "/oauth/token\", \"client_id\": \"client-1\", \"client_secret\": "
                "\"${API_SECRET}\"}};\n"
                "LOAD items FROM items_api;\n");
  std::string everything;
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"pipeline", "run", "items", "--verbose"},
        std::vector<std::string>{"pipeline", "run", "items", "--json"},
        std::vector<std::string>{"pipeline", "compile", "items"},
        std::vector<std::string>{"connectors", "spec", "REST"}}) {
    ProcessResult result = InProject(args, {"API_SECRET=" + secret});
    everything += result.out + result.err;
    if (args[1] == "run") {
      EXPECT_NE(result.exit_code, 0);
    }
  }
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_.path() / "target")) {
    if (entry.is_regular_file()) {  // run reports and the compiled plan
      everything += ReadFile(entry.path());
    }
  }
  EXPECT_THAT(everything, HasSubstr("/oauth/token"));
  EXPECT_THAT(everything, Not(HasSubstr(secret)));
  EXPECT_EQ(server_.request_count("/oauth/token"), 2);  // one per run: never retried blindly
}

TEST_F(RestPipelineTest, ValidateReportsEveryResilienceMistakeAtItsPlace) {
  WriteFile(dir_ / "pipelines/items.sf",
            "SOURCE items_api TYPE REST PARAMS {\"url\": \"" + server_.base_url() +
                "/items/all\",\n"
                "  \"resilience\": {\"retry\": {\"max_atempts\": 5}, \"rate_limit\": 0}};\n"
                "LOAD items FROM items_api;\n");
  ProcessResult result = InProject({"pipeline", "validate", "items"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("error: invalid parameter 'resilience.retry.max_atempts' for "
                                    "source 'items_api' (REST): unknown parameter\n"
                                    "  --> pipelines/items.sf:2:28\n"));
  EXPECT_THAT(result.err, HasSubstr("= help: did you mean 'max_attempts'?"));
  EXPECT_THAT(result.err, HasSubstr("error: invalid parameter 'resilience.rate_limit' for source "
                                    "'items_api' (REST): must be between 1 and 60000000, got 0\n"
                                    "  --> pipelines/items.sf:2:47\n"));
  EXPECT_EQ(server_.request_count(), 0);  // validation never calls the API
}

}  // namespace
}  // namespace sqlflow
