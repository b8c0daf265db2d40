#include "sqlflow/cli/connect_command.h"

#include <map>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqlflow/cli/test_fakes.h"

namespace sqlflow::cli {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr const char* kProfile = R"(connections:
  orders:
    type: csv
    path: data/orders.csv
  templated:
    type: csv
    path: ${data_dir}/orders.csv
  missing:
    type: csv
    path: /nonexistent-sqlflow-dir/orders.csv
  report:
    type: csv
    path: output/report.csv
  typo:
    type: csv
    path: data/orders.csv
    delimeter: ";"
    has_headr: true
  mystery:
    type: cvs
    path: data/orders.csv
  fake:
    type: fake
    rows: 3
    password: hunter2
)";

class CliConnectCommandTest : public testing::CliCommandTest {
 protected:
  CliConnectCommandTest() : CliCommandTest("sqlflow-connect") {}
  void SetUp() override {
    CliCommandTest::SetUp();
    Write("profiles/dev.yml", kProfile);
    Write("data/orders.csv", "id,amount\n1,2.5\n");
    fs::create_directories(dir_ / "output");
  }
  int Run(std::vector<std::string> args, const ConnectorRegistry* registry = nullptr) {
    return RunInProject(std::move(args), registry);
  }

  std::unique_ptr<ConnectorRegistry> fakes_ = testing::MakeFakeRegistry();
};

TEST_F(CliConnectCommandTest, RedactsSecretsAndTyposOfSecrets) {
  const ConnectorSpec& spec = fakes_->sources().Spec("FAKE");
  nlohmann::json params = {{"rows", 3}, {"password", "hunter2"}, {"pasword", "x"}};
  EXPECT_EQ(RedactConnectionParams(params, &spec),
            (nlohmann::json{{"rows", 3}, {"password", "***"}, {"pasword", "***"}}));
  EXPECT_EQ(RedactConnectionParams(params, nullptr),
            (nlohmann::json{{"rows", "***"}, {"password", "***"}, {"pasword", "***"}}));
}

TEST_F(CliConnectCommandTest, ListShowsTypesParamsAndProblemsWithoutSecrets) {
  EXPECT_EQ(Run({"connect", "list"}, fakes_.get()), 0) << err_.str();
  std::string out = out_.str();
  EXPECT_THAT(out, StartsWith("Connections of profile dev (profiles/dev.yml):\n  NAME "));
  EXPECT_THAT(out, HasSubstr("password=***, rows=3"));
  EXPECT_THAT(out, Not(HasSubstr("hunter2")));
  EXPECT_THAT(out, HasSubstr("\nmystery:\n  - unknown connector type 'cvs'"));
  EXPECT_EQ(err_.str(), "");

  EXPECT_EQ(Run({"connect", "list", "--json"}), 0);
  nlohmann::json json = nlohmann::json::parse(out_.str());
  EXPECT_EQ(json["profile"], "dev");
  std::map<std::string, nlohmann::json> by_name;
  for (const auto& c : json["connections"]) by_name[c["name"]] = c;
  EXPECT_EQ(by_name["orders"]["type"], "CSV");
  EXPECT_EQ(by_name["orders"]["valid"], true);
  EXPECT_EQ(by_name["orders"]["params"]["path"], "data/orders.csv");
  EXPECT_EQ(by_name["typo"]["valid"], false);
  EXPECT_EQ(by_name["typo"]["problems"].size(), 2u);
  EXPECT_THAT(by_name["typo"]["problems"][0].get<std::string>(),
              HasSubstr("'delimeter': unknown parameter (did you mean 'delimiter'?)"));
  EXPECT_EQ(by_name["templated"]["valid"], false);  // ${data_dir} is not set.
  EXPECT_EQ(by_name["mystery"]["valid"], false);
}

TEST_F(CliConnectCommandTest, TestHealthyRelativePath) {
  EXPECT_EQ(Run({"connect", "test", "orders"}), 0) << err_.str();
  EXPECT_EQ(out_.str(),
            "\u2713 orders (CSV source): healthy, 0.0 ms\n"
            "  connected: yes, last check: 2023-11-14T22:13:20.000Z, capabilities: incremental, "
            "batch_reading, health_monitoring\n");
  EXPECT_EQ(err_.str(), "");
}

TEST_F(CliConnectCommandTest, TestHealthyJsonIsTheFullHealthReport) {
  EXPECT_EQ(Run({"connect", "test", "orders", "--json"}), 0) << err_.str();
  nlohmann::json json = nlohmann::json::parse(out_.str());
  EXPECT_EQ(json["status"], "healthy");
  EXPECT_EQ(json["connected"], true);
  EXPECT_EQ(json["response_time_ms"], 0.0);  // The FakeClock does not move.
  EXPECT_EQ(json["last_check"], "2023-11-14T22:13:20.000Z");
  EXPECT_EQ(json["capabilities"],
            (nlohmann::json{
                {"incremental", true}, {"batch_reading", true}, {"health_monitoring", true}}));
  EXPECT_FALSE(json.contains("error"));
  EXPECT_EQ(json["connection"], "orders");
  EXPECT_EQ(json["type"], "CSV");
  EXPECT_EQ(json["role"], "source");
}

TEST_F(CliConnectCommandTest, TestResolvesVariables) {
  EXPECT_EQ(Run({"connect", "test", "templated", "--vars", "data_dir=data"}), 0) << err_.str();
  EXPECT_EQ(Run({"connect", "test", "templated"}), 2);
  EXPECT_THAT(err_.str(), StartsWith("error: invalid parameters for connection 'templated' (CSV)"));
  EXPECT_THAT(err_.str(), HasSubstr("data_dir"));
}

TEST_F(CliConnectCommandTest, TestUnhealthyExitsOne) {
  EXPECT_EQ(Run({"connect", "test", "missing"}), 1);
  EXPECT_THAT(out_.str(), StartsWith("\u2717 missing (CSV source): unhealthy: "));
  EXPECT_THAT(out_.str(), HasSubstr("/nonexistent-sqlflow-dir/orders.csv"));

  EXPECT_EQ(Run({"connect", "test", "missing", "--json"}), 1);
  nlohmann::json json = nlohmann::json::parse(out_.str());
  EXPECT_EQ(json["status"], "unhealthy");
  EXPECT_EQ(json["connected"], false);
  EXPECT_TRUE(json.contains("response_time_ms"));
  EXPECT_TRUE(json.contains("last_check"));
  EXPECT_TRUE(json.contains("capabilities"));
  EXPECT_EQ(json["connection"], "missing");
  EXPECT_EQ(json["role"], "source");
  EXPECT_FALSE(json["error"].get<std::string>().empty());
}

TEST_F(CliConnectCommandTest, AFileToWriteIsHealthyAsADestination) {
  EXPECT_EQ(Run({"connect", "test", "report", "--json"}), 0) << err_.str();
  nlohmann::json json = nlohmann::json::parse(out_.str());
  EXPECT_EQ(json["status"], "healthy");
  EXPECT_EQ(json["role"], "destination");
  EXPECT_EQ(json["type"], "CSV");
}

TEST_F(CliConnectCommandTest, InvalidConfigurationExitsTwo) {
  EXPECT_EQ(Run({"connect", "test", "typo", "--json"}), 2);
  EXPECT_EQ(out_.str(), "");  // No health report: nothing was connected.
  EXPECT_EQ(Run({"connect", "test", "ordrs"}), 2);
  EXPECT_THAT(err_.str(), StartsWith("error: connection 'ordrs' not found in profile dev "
                                     "(profiles/dev.yml) (did you mean 'orders'?); connections: "));
  EXPECT_EQ(Run({"connect", "test", "mystery"}), 2);
  EXPECT_EQ(err_.str(),
            "error: connection 'mystery': unknown connector type 'cvs' (did you mean 'CSV'?)\n");
  EXPECT_EQ(Run({"connect", "test", "typo"}), 2);
  EXPECT_EQ(err_.str(),
            "error: invalid parameters for connection 'typo' (CSV):\n"
            "  - 'delimeter': unknown parameter (did you mean 'delimiter'?)\n"
            "  - 'has_headr': unknown parameter (did you mean 'has_header'?)\n");
}

TEST_F(CliConnectCommandTest, NoConnections) {
  Write("profiles/dev.yml", "log_level: info\n");
  EXPECT_EQ(Run({"connect", "list"}), 0);
  EXPECT_EQ(out_.str(), "Profile dev (profiles/dev.yml) has no connections\n");
  EXPECT_EQ(Run({"connect", "test", "x"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("the profile has no connections"));
}

}  // namespace
}  // namespace sqlflow::cli
