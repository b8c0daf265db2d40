#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sqlflow/params/parameter_validator.h"

namespace sqlflow {
namespace {

using nlohmann::json;

ParameterSet Sample() {
  return ParameterSet({{"host", "db"},
                       {"port", 5432},
                       {"ratio", 0.25},
                       {"has_header", true},
                       {"key", "id"},
                       {"keys", {"id", "region"}},
                       {"password", "pw"},
                       {"opts", {{"a", 1}}}},
                      {"password", "token"});
}

/// Return the std::logic_error message of `f`, or "" if it does not throw one.
template <typename F>
std::string LogicError(F f) {
  try {
    f();
  } catch (const std::logic_error& e) {
    return e.what();
  }
  return "";
}

TEST(ParameterSetTest, TypedGetters) {
  ParameterSet set = Sample();
  EXPECT_TRUE(set.Has("host"));
  EXPECT_FALSE(set.Has("database"));
  EXPECT_EQ(set.GetString("host"), "db");
  EXPECT_EQ(set.GetInt("port"), 5432);
  EXPECT_EQ(set.GetDouble("ratio"), 0.25);
  EXPECT_EQ(set.GetDouble("port"), 5432.0);
  EXPECT_TRUE(set.GetBool("has_header"));
  EXPECT_EQ(set.Get("opts"), (json{{"a", 1}}));
  EXPECT_EQ(set.GetOptionalString("host"), "db");
  EXPECT_EQ(set.GetOptionalString("database"), std::nullopt);
}

TEST(ParameterSetTest, StringListsFromAStringOrAList) {
  ParameterSet set = Sample();
  EXPECT_EQ(set.GetStringList("key"), std::vector<std::string>{"id"});
  EXPECT_EQ(set.GetStringList("keys"), (std::vector<std::string>{"id", "region"}));
}

TEST(ParameterSetTest, AbsentParameterIsAConnectorBug) {
  ParameterSet set = Sample();
  EXPECT_EQ(LogicError([&] { set.GetString("database"); }),
            "parameter 'database' is not set and has no default (make it required or give it a "
            "default)");
  EXPECT_THROW(set.GetInt("database"), std::logic_error);
  EXPECT_THROW(set.GetDouble("database"), std::logic_error);
  EXPECT_THROW(set.GetBool("database"), std::logic_error);
  EXPECT_THROW(set.GetStringList("database"), std::logic_error);
  EXPECT_THROW(set.Get("database"), std::logic_error);
}

TEST(ParameterSetTest, WrongTypeIsAConnectorBugNamingOnlyTheParameter) {
  ParameterSet set = Sample();
  EXPECT_EQ(LogicError([&] { set.GetInt("password"); }), "parameter 'password' is not an integer");
  EXPECT_EQ(LogicError([&] { set.GetInt("ratio"); }), "parameter 'ratio' is not an integer");
  EXPECT_EQ(LogicError([&] { set.GetString("port"); }), "parameter 'port' is not a string");
  EXPECT_EQ(LogicError([&] { set.GetDouble("host"); }), "parameter 'host' is not a number");
  EXPECT_EQ(LogicError([&] { set.GetBool("host"); }), "parameter 'host' is not a boolean");
  EXPECT_EQ(LogicError([&] { set.GetStringList("port"); }),
            "parameter 'port' is not a string list");
  EXPECT_EQ(LogicError([&] { set.GetOptionalString("port"); }), "parameter 'port' is not a string");
  ParameterSet mixed({{"keys", {"a", 1}}, {"big", 18446744073709551615u}}, {});
  EXPECT_EQ(LogicError([&] { mixed.GetStringList("keys"); }),
            "parameter 'keys' is not a string list");
  EXPECT_EQ(LogicError([&] { mixed.GetInt("big"); }),
            "parameter 'big' does not fit in a 64-bit integer");
}

TEST(ParameterSetTest, RedactedHidesSecretsOnly) {
  ParameterSet set = Sample();
  json redacted = set.Redacted();
  EXPECT_EQ(redacted["password"], "***");
  EXPECT_FALSE(redacted.contains("token"));  // Absent secrets stay absent.
  EXPECT_EQ(redacted["host"], "db");
  EXPECT_EQ(set.values()["password"], "pw");
  EXPECT_EQ(set.secret_names(), (std::vector<std::string>{"password", "token"}));
}

// A REST source's headers and query parameters are objects of a non-secret parameter: the
// members whose names look secret are hidden all the same, at any depth.
TEST(ParameterSetTest, RedactedHidesSecretLookingMembersOfObjects) {
  ParameterSet set(json{{"headers", {{"Authorization", "Bearer t0k"}, {"X-Trace", "on"}}},
                        {"params", {{"api_key", "k3y"}, {"page", 1}}},
                        {"body", json::array({{{"client_secret", "s3c"}, {"n", 2}}})},
                        {"monkey", "named like a key"}},
                   {});
  EXPECT_EQ(set.Redacted(), json::parse(R"({"headers": {"Authorization": "***", "X-Trace": "on"},
                            "params": {"api_key": "***", "page": 1},
                            "body": [{"client_secret": "***", "n": 2}],
                            "monkey": "named like a key"})"));
  EXPECT_TRUE(LooksLikeSecretName("X-Api-Key"));
  EXPECT_TRUE(LooksLikeSecretName("SIG"));
  EXPECT_FALSE(LooksLikeSecretName("design"));
  EXPECT_FALSE(LooksLikeSecretName("author"));
}

TEST(ParameterSetTest, ProblemsUnderNameTheFullPath) {
  std::vector<ParameterProblem> problems =
      ProblemsUnder("auth", {{"token_url", "is required", ""}, {"", "must be an object", ""}});
  EXPECT_EQ(problems[0].parameter, "auth.token_url");
  EXPECT_EQ(problems[1].parameter, "auth");
  EXPECT_EQ(ProblemsUnder("resilience.retry", {{"max_delay", "x", ""}})[0].parameter,
            "resilience.retry.max_delay");
}

TEST(ParameterSetTest, DefaultIsEmpty) {
  ParameterSet set;
  EXPECT_EQ(set.values(), json::object());
  EXPECT_EQ(set.Redacted(), json::object());
  EXPECT_FALSE(set.Has("x"));
}

}  // namespace
}  // namespace sqlflow
