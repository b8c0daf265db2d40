#include "sqlflow/resilience/config.h"

#include <gtest/gtest.h>

namespace sqlflow::resilience {
namespace {

using nlohmann::json;

ResilienceOptions Parse(const json& value, const char* type = "REST",
                        const EnvLookup& env = ProcessEnv()) {
  return ParseResilience("REST", value, DefaultProfile(type), env);
}

/// The ParameterError text of parsing `value` against the REST profile ("" if none).
std::string ErrorOf(const json& value, const char* type = "REST") {
  try {
    Parse(value, type);
  } catch (const ParameterError& error) {
    return error.what();
  }
  return "";
}

TEST(ConfigTest, TheParamIsAnOptionalObject) {
  const ParamSpec spec = ResilienceParam();
  EXPECT_EQ(spec.name, "resilience");
  EXPECT_EQ(spec.type, ParamType::kObject);
  EXPECT_FALSE(spec.required);
  EXPECT_FALSE(spec.default_value.has_value());
}

TEST(ConfigTest, Tier1IsTheProfile) {
  EXPECT_EQ(Parse(nullptr).ToJson(), DefaultProfile("REST").ToJson());
  EXPECT_EQ(Parse(json::object(), "POSTGRES").ToJson(), DefaultProfile("POSTGRES").ToJson());
}

TEST(ConfigTest, Tier2OverridesTheProfile) {
  const ResilienceOptions options =
      Parse(json::parse(R"({"retry_attempts": 5, "timeout": 60, "rate_limit": 100})"));
  json expected = DefaultProfile("REST").ToJson();
  expected["retry"]["max_attempts"] = 5;
  expected["retry"]["timeout"] = 60.0;
  expected["rate_limit"]["max_requests_per_minute"] = 100;
  EXPECT_EQ(options.ToJson(), expected);
  EXPECT_EQ(options.retry->deadline, std::chrono::seconds(60));
}

TEST(ConfigTest, Tier3TheSeedsExample) {
  const ResilienceOptions options = Parse(json::parse(R"({
      "retry": {"max_attempts": 5, "initial_delay": 2.0, "backoff_multiplier": 2.5,
                "jitter": true},
      "circuit_breaker": {"failure_threshold": 3, "recovery_timeout": 120.0},
      "rate_limit": {"max_requests_per_minute": 120, "burst_size": 20}})"));
  json expected = DefaultProfile("REST").ToJson();
  expected["retry"]["max_attempts"] = 5;
  expected["retry"]["initial_delay"] = 2.0;
  expected["retry"]["backoff_multiplier"] = 2.5;
  expected["circuit_breaker"]["failure_threshold"] = 3;
  expected["circuit_breaker"]["recovery_timeout"] = 120.0;
  expected["rate_limit"]["max_requests_per_minute"] = 120;
  expected["rate_limit"]["burst_size"] = 20;
  EXPECT_EQ(options.ToJson(), expected);
}

TEST(ConfigTest, Tier3EveryField) {
  const ResilienceOptions options = Parse(json::parse(R"({
      "retry": {"max_attempts": 4, "initial_delay": 0.25, "max_delay": 8, "backoff_multiplier": 3,
                "jitter": false, "timeout": 90},
      "circuit_breaker": {"failure_threshold": 7, "recovery_timeout": 15, "success_threshold": 3,
                          "half_open_max_probes": 2, "timeout": 12.5},
      "rate_limit": {"max_requests_per_minute": 30, "burst_size": 1,
                     "backpressure_strategy": "FAIL", "per_host": false},
      "recovery": {"enable_connection_recovery": false, "enable_credential_refresh": "no"}})"));
  EXPECT_EQ(options.ToJson(), json::parse(R"({
      "retry": {"max_attempts": 4, "initial_delay": 0.25, "max_delay": 8.0,
                "backoff_multiplier": 3.0, "jitter": false, "timeout": 90.0},
      "circuit_breaker": {"failure_threshold": 7, "recovery_timeout": 15.0,
                          "success_threshold": 3, "half_open_max_probes": 2, "timeout": 12.5},
      "rate_limit": {"max_requests_per_minute": 30, "burst_size": 1,
                     "backpressure_strategy": "fail", "per_host": false},
      "recovery": {"enable_connection_recovery": false, "enable_credential_refresh": false}})"));
  EXPECT_EQ(options.attempt_timeout, std::chrono::milliseconds(12500));
}

TEST(ConfigTest, Tier3WinsOverTier2) {
  const ResilienceOptions options = Parse(json::parse(
      R"({"retry_attempts": 5, "timeout": 60, "retry": {"max_attempts": 2, "timeout": 10}})"));
  EXPECT_EQ(options.retry->max_attempts, 2);
  EXPECT_EQ(options.retry->deadline, std::chrono::seconds(10));
}

TEST(ConfigTest, Tier2AloneKeepsTheOtherTier3Defaults) {
  const ResilienceOptions options = Parse(json::parse(R"({"retry_attempts": 1})"), "POSTGRES");
  EXPECT_EQ(options.retry->max_attempts, 1);
  EXPECT_EQ(options.retry->backoff.initial_delay, std::chrono::milliseconds(500));
  EXPECT_FALSE(options.rate_limit.has_value());
}

TEST(ConfigTest, FalseSwitchesAPartOff) {
  const ResilienceOptions options = Parse(json::parse(
      R"({"retry": false, "circuit_breaker": false, "rate_limit": false, "recovery": false})"));
  EXPECT_EQ(options.ToJson(), json::parse(R"({"retry": null, "circuit_breaker": null,
      "rate_limit": null, "recovery": {"enable_connection_recovery": false,
                                       "enable_credential_refresh": false}})"));
}

TEST(ConfigTest, APartTheProfileLacksStartsFromRest) {
  const ResilienceOptions postgres = Parse(json::parse(R"({"rate_limit": 30})"), "POSTGRES");
  EXPECT_EQ(postgres.ToJson()["rate_limit"],
            json::parse(R"({"max_requests_per_minute": 30, "burst_size": 10,
                            "backpressure_strategy": "wait", "per_host": true})"));
  const ResilienceOptions memory =
      Parse(json::parse(R"({"retry": {"max_attempts": 4}, "circuit_breaker": true})"), "MEMORY");
  json expected_retry = DefaultProfile("REST").ToJson()["retry"];
  expected_retry["max_attempts"] = 4;
  EXPECT_EQ(memory.ToJson()["retry"], expected_retry);
  EXPECT_EQ(memory.ToJson()["circuit_breaker"], DefaultProfile("REST").ToJson()["circuit_breaker"]);
}

TEST(ConfigTest, EnvironmentValuesAreResolved) {
  const EnvLookup env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "ATTEMPTS") return "6";
    if (name == "RPM") return "45";
    return std::nullopt;
  };
  const ResilienceOptions options = Parse(
      json::parse(R"({"retry_attempts": "${ATTEMPTS}", "rate_limit": "${RPM}"})"), "REST", env);
  EXPECT_EQ(options.retry->max_attempts, 6);
  EXPECT_EQ(options.rate_limit->requests_per_minute, 45);
}

TEST(ConfigTest, NotAnObject) {
  EXPECT_EQ(ErrorOf(json(5)),
            "REST configure: invalid parameter: 'resilience': must be an object, got integer 5");
}

TEST(ConfigTest, OneProblemNamesTheFullPath) {
  EXPECT_EQ(ErrorOf(json::parse(R"({"retry": {"max_attemps": 5}})")),
            "REST configure: invalid parameter: 'resilience.retry.max_attemps': unknown "
            "parameter (did you mean 'max_attempts'?)");
  EXPECT_EQ(ErrorOf(json::parse(R"({"rate_limit": {"burst_size": 2000000}})")),
            "REST configure: invalid parameter: 'resilience.rate_limit.burst_size': must be "
            "between 1 and 1000000, got 2000000");
  EXPECT_EQ(ErrorOf(json::parse(R"({"retry": {"initial_delay": 45}})")),
            "REST configure: invalid parameter: 'resilience.retry.initial_delay': must not "
            "exceed max_delay (30s), got 45s");
  EXPECT_EQ(ErrorOf(json::parse(R"({"rate_limit": 0})")),
            "REST configure: invalid parameter: 'resilience.rate_limit': must be between 1 and "
            "60000000, got 0");
  EXPECT_EQ(ErrorOf(json::parse(R"({"retry": "often"})")),
            "REST configure: invalid parameter: 'resilience.retry': must be an object or false, "
            "got string 'often'");
  EXPECT_EQ(ErrorOf(json::parse(R"({"rate_limit": [1]})")),
            "REST configure: invalid parameter: 'resilience.rate_limit': must be a number "
            "(requests per minute), an object or false, got an array");
  EXPECT_EQ(ErrorOf(json::parse(R"({"retry": {"timeout": -1}})")),
            "REST configure: invalid parameter: 'resilience.retry.timeout': must be between 0 "
            "and 31536000, got -1");
}

TEST(ConfigTest, EveryProblemAtOnce) {
  EXPECT_EQ(ErrorOf(json::parse(R"({
      "retry_atempts": 5, "timeout": -1,
      "retry": {"max_attempts": 0, "max_delay": 0.5, "initial_delay": 2,
                "backoff_multiplier": 0.5, "jiter": true},
      "circuit_breaker": {"failure_threshold": -3, "recovery_timeout": 0},
      "rate_limit": {"burst_size": 2000000, "backpressure_strategy": "drop"},
      "recovery": {"enable_connection_recovery": "maybe"}})")),
            "REST configure: 11 invalid parameters:\n"
            "  - 'resilience.retry_atempts': unknown parameter (did you mean 'retry_attempts'?)\n"
            "  - 'resilience.timeout': must be between 0.001 and 31536000, got -1\n"
            "  - 'resilience.circuit_breaker.failure_threshold': must be between 1 and 1000000, "
            "got -3\n"
            "  - 'resilience.circuit_breaker.recovery_timeout': must be between 0.001 and "
            "31536000, got 0\n"
            "  - 'resilience.rate_limit.backpressure_strategy': must be one of: wait, fail; got "
            "'drop'\n"
            "  - 'resilience.rate_limit.burst_size': must be between 1 and 1000000, got 2000000\n"
            "  - 'resilience.recovery.enable_connection_recovery': must be a boolean (true/false, "
            "yes/no or 1/0), got string 'maybe'\n"
            "  - 'resilience.retry.backoff_multiplier': must be at least 1, got 0.5\n"
            "  - 'resilience.retry.jiter': unknown parameter (did you mean 'jitter'?)\n"
            "  - 'resilience.retry.max_attempts': must be between 1 and 100, got 0\n"
            "  - 'resilience.retry.max_delay': must not be below initial_delay (2s), got 0.5s");
}

TEST(ConfigTest, ProblemsAreAlsoListedOneByOne) {
  try {
    Parse(json::parse(R"({"retry": {"max_attempts": -1}, "circuit_breaker": {"timeout": -2}})"));
    FAIL() << "expected ParameterError";
  } catch (const ParameterError& error) {
    ASSERT_EQ(error.problems().size(), 2u);
    EXPECT_EQ(error.problems()[0].parameter, "resilience.circuit_breaker.timeout");
    EXPECT_EQ(error.problems()[1].parameter, "resilience.retry.max_attempts");
    EXPECT_EQ(error.error_class(), ErrorClass::kPermanent);
  }
}

}  // namespace
}  // namespace sqlflow::resilience
