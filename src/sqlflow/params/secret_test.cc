// Secrets never appear in a message, a log line or an exception (CONNECTORS.md).
#include <stdexcept>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqlflow/common/log.h"
#include "sqlflow/params/parameter_validator.h"
#include "sqlflow/params/params_testing_internal.h"

namespace sqlflow {
namespace {

using nlohmann::json;
using params_testing::ErrorText;
using params_testing::FakeEnv;
using params_testing::Problems;
using params_testing::Spec;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kSecret = "Zq7hunter2SECRET";
constexpr const char* kSecretNumber = "987654321";

ParameterValidator WithSecrets() {
  ParamSpec password = StandardParam("password");
  password.aliases = {"pass"};
  password.deprecated_names = {"passwd"};
  ParamSpec pin = Spec("pin", ParamType::kInteger);
  pin.minimum = 1;
  pin.maximum = 9999;
  ParamSpec level = Spec("level");
  level.allowed = {"low", "high"};
  ParamSpec keys = Spec("keys", ParamType::kStringList);
  ParamSpec config = Spec("config", ParamType::kObject);
  for (ParamSpec* spec : {&pin, &level, &keys, &config}) spec->secret = true;
  return ParameterValidator("API", {StandardParam("host"), password, pin, level, keys, config});
}

/// Captures every log line for the life of the object.
class LogCapture {
 public:
  LogCapture() : level_(log::GetLevel()) {
    log::SetLevel(log::Level::kDebug);
    log::SetSink([this](log::Level, std::string_view line) { text_ += std::string(line) + "\n"; });
  }
  ~LogCapture() {
    log::ResetSink();
    log::SetLevel(level_);
  }
  const std::string& text() const { return text_; }

 private:
  log::Level level_;
  std::string text_;
};

TEST(SecretTest, WrongTypeNeverQuotesTheValue) {
  ParameterValidator validator = WithSecrets();
  EXPECT_THAT(Problems(validator, {{"password", json::array({kSecret})}}),
              ElementsAre("'password': must be a string"));
  EXPECT_THAT(Problems(validator, {{"pin", kSecret}}), ElementsAre("'pin': must be an integer"));
  EXPECT_THAT(Problems(validator, {{"keys", json::array({"a", 987654321})}}),
              ElementsAre("'keys': must be a string or a list of strings"));
  EXPECT_THAT(Problems(validator, {{"config", kSecret}}),
              ElementsAre("'config': must be an object"));
}

TEST(SecretTest, RangeAndEnumerationNeverQuoteTheValue) {
  ParameterValidator validator = WithSecrets();
  EXPECT_THAT(Problems(validator, {{"pin", 987654321}}),
              ElementsAre("'pin': must be between 1 and 9999"));
  EXPECT_THAT(Problems(validator, {{"level", "hihg"}}),
              ElementsAre("'level': must be one of: low, high"));
}

TEST(SecretTest, NoSecretInAnyMessageOrLogLine) {
  LogCapture capture;
  ParameterValidator validator = WithSecrets();
  EnvLookup env = FakeEnv({{"PIN", kSecretNumber}, {"PW", kSecret}});
  std::vector<json> cases = {
      {{"password", {{"nested", kSecret}}}},
      {{"passwrd", kSecret}},  // An unknown name near a secret one.
      {{"hots", kSecret}},
      {{"pass", kSecret}, {"password", kSecret}},
      {{"passwd", kSecret}, {"pin", "${PIN}"}},
      {{"pin", json::array({kSecretNumber})}},
      {{"pin", std::stoll(kSecretNumber)}},
      {{"level", kSecret}},
      {{"keys", json::array({kSecret, std::stoll(kSecretNumber)})}},
      {{"config", json::array({kSecret})}},
      {{"password", "${PW}"}, {"pin", "${PW}"}, {"host", 1}},
  };
  for (const json& params : cases) {
    std::string what = ErrorText(validator, params, env);
    EXPECT_FALSE(what.empty()) << params.dump();
    EXPECT_THAT(what, Not(HasSubstr(kSecret)));
    EXPECT_THAT(what, Not(HasSubstr(kSecretNumber)));
    EXPECT_THAT(what, Not(HasSubstr("Zq7")));
  }
  EXPECT_THAT(capture.text(), HasSubstr("'passwd' is deprecated"));
  EXPECT_THAT(capture.text(), Not(HasSubstr(kSecret)));
}

TEST(SecretTest, ValidatedSecretsAreRedacted) {
  LogCapture capture;
  EnvLookup env = FakeEnv({{"PW", kSecret}});
  ParameterSet set = WithSecrets().Validate({{"host", "h"}, {"passwd", "${PW}"}, {"pin", 42}}, env);
  EXPECT_EQ(set.GetString("password"), kSecret);
  EXPECT_EQ(set.Redacted(), (json{{"host", "h"}, {"password", "***"}, {"pin", "***"}}));
  EXPECT_THAT(set.Redacted().dump(), Not(HasSubstr(kSecret)));
  EXPECT_THAT(capture.text(), Not(HasSubstr(kSecret)));
  try {
    set.GetInt("password");
    FAIL() << "expected std::logic_error";
  } catch (const std::logic_error& e) {
    EXPECT_THAT(e.what(), Not(HasSubstr(kSecret)));
  }
}

}  // namespace
}  // namespace sqlflow
