#include "sqlflow/cli/cli.h"

#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqlflow/cli/interrupt.h"
#include "sqlflow/cli/test_fakes.h"

namespace sqlflow::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::StartsWith;

class CliTest : public ::testing::Test {
 protected:
  int Run(const std::vector<std::string>& args, bool terminal = false) {
    out_.str("");
    err_.str("");
    CliEnv env{.out = out_,
               .err = err_,
               .registry = *registry_,
               .clock = clock_,
               .err_is_terminal = terminal,
               .env_lookup = [](const std::string&) { return std::optional<std::string>(); }};
    return RunCli(args, env);
  }

  std::unique_ptr<ConnectorRegistry> registry_ = testing::MakeFakeRegistry();
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(CliTest, NoArgumentsPrintsHelpAndExitsTwo) {
  EXPECT_EQ(Run({}), 2);
  EXPECT_EQ(out_.str(), "");
  EXPECT_THAT(err_.str(), HasSubstr("Usage: sqlflow"));
  EXPECT_THAT(err_.str(), HasSubstr("connectors"));
  EXPECT_THAT(err_.str(), HasSubstr("copy"));
}

TEST_F(CliTest, HelpExitsZero) {
  EXPECT_EQ(Run({"--help"}), 0);
  EXPECT_THAT(out_.str(), HasSubstr("Usage: sqlflow"));
  EXPECT_EQ(Run({"copy", "--help"}), 0);
  EXPECT_THAT(out_.str(), HasSubstr("--source-params"));
}

TEST_F(CliTest, Version) {
  EXPECT_EQ(Run({"--version"}), 0);
  EXPECT_THAT(out_.str(), MatchesRegex("sqlflow [0-9]+\\.[0-9]+\\.[0-9]+\n"));
}

TEST_F(CliTest, BadFlagsExitTwo) {
  EXPECT_EQ(Run({"--frobnicate"}), 2);
  EXPECT_THAT(err_.str(), StartsWith("error: "));
  EXPECT_THAT(err_.str(), HasSubstr("--frobnicate"));
  EXPECT_EQ(Run({"copy", "--source", "FAKE"}), 2);
  EXPECT_THAT(err_.str(), StartsWith("error: --destination is required"));
  EXPECT_EQ(Run({"connectors", "spec"}), 2);
  EXPECT_EQ(Run({"--verbose", "--quiet", "connectors", "list"}), 2);
}

TEST_F(CliTest, GroupWithoutCommandShowsItsHelp) {
  EXPECT_EQ(Run({"connectors"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("list"));
  EXPECT_THAT(err_.str(), HasSubstr("spec"));
}

TEST_F(CliTest, ConnectorsListJson) {
  EXPECT_EQ(Run({"connectors", "list", "--json"}), 0);
  nlohmann::json json = nlohmann::json::parse(out_.str());
  EXPECT_EQ(json["sources"][0]["type"], "FAKE");
  EXPECT_EQ(err_.str(), "");
}

TEST_F(CliTest, SpecOfUnknownTypeSuggests) {
  EXPECT_EQ(Run({"connectors", "spec", "fak"}), 2);
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(err_.str(), "error: unknown connector type 'fak' (did you mean 'FAKE'?)\n");
}

TEST_F(CliTest, CopyPrintsASummary) {
  EXPECT_EQ(Run({"copy", "--source", "FAKE", "--source-params", R"({"rows": 5})", "--destination",
                 "SINK", "--destination-params", R"({"path": "x"})"}),
            0);
  EXPECT_EQ(out_.str(), "Copied 5 rows (50 B) in 0.00 s \u2014 0 rows/s\n");
  EXPECT_EQ(err_.str(), "");
}

TEST_F(CliTest, CopyJson) {
  EXPECT_EQ(Run({"copy", "--source", "FAST", "--destination", "FAST", "--destination-params",
                 R"({"path": "x"})", "--json", "--quiet"}),
            0);
  nlohmann::json json = nlohmann::json::parse(out_.str());
  EXPECT_EQ(json["rows"], 42);
  EXPECT_EQ(json["bytes"], 4096);
  EXPECT_EQ(json["path"], "pushdown");
  EXPECT_EQ(json["seconds"], 0.0);
}

TEST_F(CliTest, CopyQuietPrintsNothing) {
  EXPECT_EQ(Run({"--quiet", "copy", "--source", "FAKE", "--destination", "SINK",
                 "--destination-params", R"({"path": "x"})"},
                /*terminal=*/true),
            0);
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(err_.str(), "");
}

TEST_F(CliTest, CopyWithBadParametersListsEveryProblem) {
  EXPECT_EQ(Run({"copy", "--source", "FAKE", "--source-params", R"({"rowz": 1, "pasword": "x"})",
                 "--destination", "SINK", "--destination-params", R"({"compression": "zip"})"}),
            2);
  EXPECT_EQ(out_.str(), "");
  std::string err = err_.str();
  EXPECT_THAT(err, StartsWith("error: invalid parameters for source FAKE:\n"));
  EXPECT_THAT(err, HasSubstr("  - 'rowz': "));
  EXPECT_THAT(err, HasSubstr("  - 'pasword': "));
  EXPECT_THAT(err, HasSubstr("\nerror: invalid parameters for destination SINK:\n"));
  EXPECT_THAT(err, HasSubstr("  - 'compression': "));
}

TEST_F(CliTest, CopyUpsertWithoutKeyExitsTwo) {
  EXPECT_EQ(Run({"copy", "--source", "FAKE", "--destination", "SINK", "--destination-params",
                 R"({"path": "x"})", "--mode", "upsert"}),
            2);
  EXPECT_EQ(err_.str(),
            "error: --mode upsert needs the key columns: add --key COLUMN (repeat it for a "
            "composite key)\n");
  EXPECT_EQ(Run({"copy", "--source", "FAKE", "--destination", "SINK", "--destination-params",
                 R"({"path": "x"})", "--mode", "upsert", "--key", "id", "--key", "b,c"}),
            0);
}

TEST_F(CliTest, CopyRuntimeFailureExitsOne) {
  EXPECT_EQ(Run({"copy", "--source", "FAKE", "--source-params", R"({"fail": true})",
                 "--destination", "SINK", "--destination-params", R"({"path": "x"})"}),
            1);
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(err_.str(), "error: FAKE read: file 'missing.csv' not found\n");
}

TEST_F(CliTest, CopyInterruptedExits130) {
  RequestInterrupt();
  int code = Run({"copy", "--source", "FAKE", "--destination", "SINK", "--destination-params",
                  R"({"path": "x"})"});
  ClearInterrupt();
  EXPECT_EQ(code, 130);
  EXPECT_EQ(err_.str(), "interrupted\n");
}

TEST_F(CliTest, GlobalFlagsWorkAfterTheCommand) {
  EXPECT_EQ(Run({"copy", "--source", "FAKE", "--destination", "SINK", "--destination-params",
                 R"({"path": "x"})", "--quiet"}),
            0);
  EXPECT_EQ(out_.str(), "");
}

}  // namespace
}  // namespace sqlflow::cli
