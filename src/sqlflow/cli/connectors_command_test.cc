#include "sqlflow/cli/connectors_command.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqlflow/cli/test_fakes.h"
#include "sqlflow/connectors/builtin/builtin.h"

namespace sqlflow::cli {
namespace {

using ::testing::HasSubstr;

class CliConnectorsCommandTest : public ::testing::Test {
 protected:
  std::unique_ptr<ConnectorRegistry> registry_ = testing::MakeFakeRegistry();
};

TEST_F(CliConnectorsCommandTest, ListTextIsOneAlignedTablePerDirection) {
  EXPECT_EQ(ConnectorListText(*registry_),
            "Sources:\n"
            "  TYPE  DESCRIPTION           CAPABILITIES\n"
            "  FAKE  Fake rows for tests.  projection\n"
            "  FAST  Fake rows for tests.  projection\n"
            "\n"
            "Destinations:\n"
            "  TYPE  DESCRIPTION           CAPABILITIES\n"
            "  SINK  Counts rows.          upsert, atomic\n"
            "  FAST  Counts rows.          atomic\n");
}

TEST_F(CliConnectorsCommandTest, ListJson) {
  nlohmann::json json = ConnectorListJson(*registry_);
  ASSERT_EQ(json["sources"].size(), 2u);
  EXPECT_EQ(json["sources"][0]["type"], "FAKE");
  EXPECT_EQ(json["sources"][0]["description"], "Fake rows for tests.");
  EXPECT_TRUE(json["sources"][0]["capabilities"].is_object());
  ASSERT_EQ(json["destinations"].size(), 2u);
  EXPECT_EQ(json["destinations"][1]["type"], "FAST");
}

TEST_F(CliConnectorsCommandTest, SpecTextShowsEveryParameterDetail) {
  EXPECT_EQ(ConnectorSpecText(*registry_, "sink"),
            "SINK destination: Counts rows.\n"
            "\n"
            "  NAME         TYPE    REQUIRED  DEFAULT   DESCRIPTION\n"
            "  path         string  yes       -         Where to write.\n"
            "  compression  string  no        \"snappy\"  Codec. [one of: snappy, zstd]\n"
            "  token        string  no        -         Secret token. [secret]\n"
            "\n"
            "  capabilities: batch_reading, health_monitoring, upsert, atomic_write\n"
            "  resilience: none (nothing to retry)\n");
}

TEST_F(CliConnectorsCommandTest, SpecTextCoversBothDirections) {
  std::string text = ConnectorSpecText(*registry_, "FAST");
  EXPECT_THAT(text, HasSubstr("FAST source: Fake rows for tests.\n"));
  EXPECT_THAT(text, HasSubstr("\nFAST destination: Counts rows.\n"));
  EXPECT_THAT(text, HasSubstr("  rows        integer  no        3        Rows to produce. "
                              "[range: 0..1000000]\n"));
  EXPECT_THAT(text, HasSubstr("[aliases: pass] [secret]"));
}

TEST_F(CliConnectorsCommandTest, SpecJsonNeverShowsASecretDefault) {
  nlohmann::json json = ConnectorSpecJson(*registry_, "fast");
  EXPECT_EQ(json["type"], "FAST");
  ASSERT_TRUE(json.contains("source"));
  ASSERT_TRUE(json.contains("destination"));
  for (const auto& p : json["source"]["parameters"]) {
    if (p.value("secret", false)) {
      EXPECT_FALSE(p.contains("default")) << p.dump();
    }
  }
  EXPECT_FALSE(ConnectorSpecJson(*registry_, "FAKE").contains("destination"));
}

TEST_F(CliConnectorsCommandTest, UnknownTypeSuggestsTheNearestName) {
  try {
    ConnectorSpecText(*registry_, "fak");
    FAIL() << "expected InvalidInput";
  } catch (const InvalidInput& e) {
    ASSERT_EQ(e.problems().size(), 1u);
    EXPECT_EQ(e.problems()[0], "unknown connector type 'fak' (did you mean 'FAKE'?)");
  }
  EXPECT_THROW(ConnectorSpecJson(*registry_, "nothing-like-it"), InvalidInput);
}

}  // namespace
}  // namespace sqlflow::cli

namespace sqlflow::cli {
namespace {

// RESILIENCE.md: `connectors spec TYPE` shows the effective resilience defaults.
TEST(CliConnectorsSpecResilienceTest, SpecShowsTheTypesResilienceDefaults) {
  ConnectorRegistry registry;
  RegisterBuiltinConnectors(registry);
  const std::string rest = ConnectorSpecText(registry, "REST");
  EXPECT_THAT(rest, HasSubstr("  resilience defaults (override with the `resilience` parameter; "
                              "seconds):\n"
                              "    retry: backoff_multiplier=2.0 initial_delay=1.0 jitter=true "
                              "max_attempts=3 max_delay=30.0 timeout=0.0\n"
                              "    circuit_breaker: failure_threshold=5 half_open_max_probes=1 "
                              "recovery_timeout=60.0 success_threshold=2 timeout=30.0\n"
                              "    rate_limit: backpressure_strategy=wait burst_size=10 "
                              "max_requests_per_minute=60 per_host=true\n"
                              "    recovery: enable_connection_recovery=true "
                              "enable_credential_refresh=true\n"));
  const std::string csv = ConnectorSpecText(registry, "CSV");
  EXPECT_THAT(csv, HasSubstr("    retry: backoff_multiplier=2.0 initial_delay=0.1 jitter=true "
                             "max_attempts=2 max_delay=1.0 timeout=0.0\n"
                             "    circuit_breaker: none\n"
                             "    rate_limit: none\n"));
  EXPECT_THAT(ConnectorSpecText(registry, "MEMORY"), HasSubstr("  resilience: none"));
  EXPECT_EQ(ConnectorSpecJson(registry, "REST")["source"]["resilience"]["retry"]["max_attempts"],
            3);
}

}  // namespace
}  // namespace sqlflow::cli
