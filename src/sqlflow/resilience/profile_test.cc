#include "sqlflow/resilience/profile.h"

#include <gtest/gtest.h>

namespace sqlflow::resilience {
namespace {

using nlohmann::json;

json Retry(int attempts, double initial, double max) {
  return {{"max_attempts", attempts},  {"initial_delay", initial}, {"max_delay", max},
          {"backoff_multiplier", 2.0}, {"jitter", true},           {"timeout", 0.0}};
}

json Breaker(int failures, double recovery, double timeout) {
  return {{"failure_threshold", failures},
          {"recovery_timeout", recovery},
          {"success_threshold", 2},
          {"half_open_max_probes", 1},
          {"timeout", timeout}};
}

json Limit(int per_minute, int burst) {
  return {{"max_requests_per_minute", per_minute},
          {"burst_size", burst},
          {"backpressure_strategy", "wait"},
          {"per_host", true}};
}

json Recovery(bool reconnect, bool refresh) {
  return {{"enable_connection_recovery", reconnect}, {"enable_credential_refresh", refresh}};
}

json Profile(json retry, json breaker, json limit, json recovery) {
  return {{"retry", retry},
          {"circuit_breaker", breaker},
          {"rate_limit", limit},
          {"recovery", recovery}};
}

TEST(ProfileTest, RestMatchesTheSeed) {
  EXPECT_EQ(DefaultProfile("REST").ToJson(), Profile(Retry(3, 1.0, 30.0), Breaker(5, 60.0, 30.0),
                                                     Limit(60, 10), Recovery(true, true)));
}

TEST(ProfileTest, S3MatchesTheSeed) {
  EXPECT_EQ(DefaultProfile("S3").ToJson(), Profile(Retry(3, 1.0, 60.0), Breaker(3, 30.0, 60.0),
                                                   Limit(100, 5), Recovery(true, true)));
}

TEST(ProfileTest, PostgresMatchesTheSeed) {
  EXPECT_EQ(DefaultProfile("POSTGRES").ToJson(),
            Profile(Retry(3, 0.5, 10.0), Breaker(3, 30.0, 30.0), nullptr, Recovery(true, false)));
}

TEST(ProfileTest, GoogleSheetsAndShopifyAreRestWithTheirRates) {
  EXPECT_EQ(DefaultProfile("GOOGLE_SHEETS").ToJson(), DefaultProfile("REST").ToJson());
  EXPECT_EQ(DefaultProfile("SHOPIFY").ToJson(), Profile(Retry(3, 1.0, 30.0), Breaker(5, 60.0, 30.0),
                                                        Limit(120, 40), Recovery(true, true)));
}

TEST(ProfileTest, FileTypesRetryBrieflyWithoutBreakerOrLimiter) {
  const json file = Profile(Retry(2, 0.1, 1.0), nullptr, nullptr, Recovery(false, false));
  for (const char* type : {"CSV", "TSV", "PARQUET", "JSON", "JSONL"}) {
    EXPECT_EQ(DefaultProfile(type).ToJson(), file) << type;
    EXPECT_FALSE(IsEmpty(DefaultProfile(type))) << type;
  }
}

TEST(ProfileTest, MemoryAndUnknownTypesHaveNothing) {
  const json none = Profile(nullptr, nullptr, nullptr, Recovery(false, false));
  EXPECT_EQ(DefaultProfile("MEMORY").ToJson(), none);
  EXPECT_EQ(DefaultProfile("NO_SUCH_TYPE").ToJson(), none);
  EXPECT_TRUE(IsEmpty(DefaultProfile("MEMORY")));
  EXPECT_FALSE(IsEmpty(DefaultProfile("REST")));
}

TEST(ProfileTest, TypeNamesIgnoreCase) {
  EXPECT_EQ(DefaultProfile("rest").ToJson(), DefaultProfile("REST").ToJson());
  EXPECT_EQ(DefaultProfile("Postgres").ToJson(), DefaultProfile("POSTGRES").ToJson());
  EXPECT_EQ(DefaultProfile("csv").ToJson(), DefaultProfile("CSV").ToJson());
}

TEST(ProfileTest, EveryProfileIsValid) {
  for (const char* type : {"REST", "S3", "POSTGRES", "GOOGLE_SHEETS", "SHOPIFY", "CSV", "MEMORY"}) {
    EXPECT_NO_THROW(DefaultProfile(type).Validate()) << type;
  }
}

TEST(ProfileTest, ValidateNamesTheFieldUnderResilience) {
  ResilienceOptions options = DefaultProfile("REST");
  options.retry->backoff.max_delay = std::chrono::milliseconds(500);
  try {
    options.Validate();
    FAIL() << "expected ParameterError";
  } catch (const ParameterError& error) {
    EXPECT_STREQ(error.what(),
                 "resilience configure: invalid parameter: 'resilience.retry.max_delay': must "
                 "not be below retry.initial_delay (1000 ms), got 500 ms");
  }
  options = DefaultProfile("REST");
  options.rate_limit->burst = 0;
  EXPECT_THROW(options.Validate(), ParameterError);
  options = DefaultProfile("REST");
  options.attempt_timeout = std::chrono::milliseconds(-1);
  try {
    options.Validate();
    FAIL() << "expected ParameterError";
  } catch (const ParameterError& error) {
    EXPECT_EQ(error.problems().at(0).parameter, "resilience.circuit_breaker.timeout");
  }
}

}  // namespace
}  // namespace sqlflow::resilience
