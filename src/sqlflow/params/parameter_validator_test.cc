#include "sqlflow/params/parameter_validator.h"

#include <stdexcept>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqlflow/common/log.h"
#include "sqlflow/params/params_testing_internal.h"

namespace sqlflow {
namespace {

using nlohmann::json;
using params_testing::ErrorText;
using params_testing::FakeEnv;
using params_testing::PostgresLike;
using params_testing::Problems;
using params_testing::Spec;
using ::testing::ElementsAre;

ParameterValidator CsvLike() {
  ParamSpec path = StandardParam("path");
  path.required = true;
  ParamSpec delimiter = Spec("delimiter");
  delimiter.default_value = ",";
  delimiter.deprecated_names = {"sep"};
  return ParameterValidator("CSV", {path, delimiter, StandardParam("has_header")});
}

/// Captures warning lines for the life of the object.
class LogCapture {
 public:
  LogCapture() : level_(log::GetLevel()) {
    log::SetLevel(log::Level::kDebug);
    log::SetSink([this](log::Level level, std::string_view line) {
      if (level == log::Level::kWarning) lines_.emplace_back(line);
    });
  }
  ~LogCapture() {
    log::ResetSink();
    log::SetLevel(level_);
  }
  const std::vector<std::string>& lines() const { return lines_; }

 private:
  log::Level level_;
  std::vector<std::string> lines_;
};

TEST(ValidatorTest, ValidParametersAreNormalised) {
  ParameterSet set =
      PostgresLike().Validate({{"host", "db"}, {"port", "6543"}, {"table", "t"}}, FakeEnv());
  EXPECT_EQ(set.values(),
            (json{{"host", "db"}, {"port", 6543}, {"ssl_mode", "prefer"}, {"table", "t"}}));
  EXPECT_EQ(set.secret_names(), std::vector<std::string>{"password"});
}

TEST(ValidatorTest, DefaultsFillOnlyAbsentParameters) {
  ParameterSet set = CsvLike().Validate({{"path", "a.csv"}, {"has_header", false}}, FakeEnv());
  EXPECT_EQ(set.values(), (json{{"path", "a.csv"}, {"delimiter", ","}, {"has_header", false}}));
}

TEST(ValidatorTest, NullMeansNotGiven) {
  ParameterSet set = CsvLike().Validate({{"path", "a.csv"}, {"delimiter", nullptr}}, FakeEnv());
  EXPECT_EQ(set.GetString("delimiter"), ",");
  EXPECT_THAT(Problems(CsvLike(), {{"path", nullptr}}),
              ElementsAre("'path': is required (File path or glob pattern)"));
}

TEST(ValidatorTest, ParamsMustBeAnObject) {
  EXPECT_EQ(ErrorText(CsvLike(), json::array({"a.csv"})),
            "CSV configure: invalid parameter: parameters must be a JSON object, got array");
  EXPECT_THAT(Problems(CsvLike(), "path=a.csv"),
              ElementsAre("parameters must be a JSON object, got string"));
}

TEST(ValidatorTest, RequiredMissingShowsDescription) {
  EXPECT_EQ(ErrorText(CsvLike(), json::object()),
            "CSV configure: invalid parameter: 'path': is required (File path or glob pattern)");
  ParamSpec token = Spec("token");
  token.required = true;
  ParameterValidator bare("X", {token});
  EXPECT_THAT(Problems(bare, json::object()), ElementsAre("'token': is required"));
}

TEST(ValidatorNamesTest, UnknownNameSuggestsTheClosest) {
  EXPECT_EQ(ErrorText(CsvLike(), {{"path", "a.csv"}, {"delimeter", ";"}}),
            "CSV configure: invalid parameter: 'delimeter': unknown parameter "
            "(did you mean 'delimiter'?)");
  EXPECT_THAT(Problems(CsvLike(), {{"path", "a"}, {"HAS_HEADER", true}}),
              ElementsAre("'HAS_HEADER': unknown parameter (did you mean 'has_header'?)"));
}

TEST(ValidatorNamesTest, SuggestionsIncludeAliases) {
  EXPECT_THAT(Problems(PostgresLike(), {{"host", "h"}, {"table", "t"}, {"dbnme", "d"}}),
              ElementsAre("'dbnme': unknown parameter (did you mean 'dbname'?)"));
}

TEST(ValidatorNamesTest, UnknownNameWithNothingCloseListsValidNames) {
  EXPECT_THAT(Problems(CsvLike(), {{"path", "a"}, {"compression", "gzip"}}),
              ElementsAre("'compression': unknown parameter "
                          "(valid parameters: path, delimiter, has_header)"));
  ParameterValidator none("MEMORY", {});
  EXPECT_THAT(Problems(none, {{"x", 1}}),
              ElementsAre("'x': unknown parameter (this connector takes no parameters)"));
}

TEST(ValidatorNamesTest, AliasesMapToCanonicalNames) {
  ParameterSet set = PostgresLike().Validate(
      {{"host", "h"}, {"user", "ann"}, {"dbname", "shop"}, {"sslmode", "REQUIRE"}, {"query", "q"}},
      FakeEnv());
  EXPECT_EQ(set.GetString("username"), "ann");
  EXPECT_EQ(set.GetString("database"), "shop");
  EXPECT_EQ(set.GetString("ssl_mode"), "require");
  EXPECT_FALSE(set.Has("user"));
  EXPECT_FALSE(set.Has("dbname"));
}

TEST(ValidatorNamesTest, AliasProblemsNameTheAliasAsWritten) {
  EXPECT_THAT(Problems(PostgresLike(), {{"host", "h"}, {"table", "t"}, {"sslmode", "on"}}),
              ElementsAre("'sslmode': must be one of: disable, allow, prefer, require; got 'on'"));
}

TEST(ValidatorNamesTest, AliasAndNameBothGiven) {
  EXPECT_THAT(
      Problems(PostgresLike(), {{"host", "h"}, {"table", "t"}, {"user", "a"}, {"username", "b"}}),
      ElementsAre("'user': is another name for 'username', which is also given; "
                  "give only one"));
  ParamSpec spec = Spec("username");
  spec.aliases = {"user", "login"};
  EXPECT_THAT(Problems(params_testing::One(spec), {{"user", "a"}, {"login", "b"}}),
              ElementsAre("'user': is another name for 'username', already given as 'login'; "
                          "give only one"));
}

TEST(ValidatorNamesTest, DeprecatedNameIsAcceptedWithAWarning) {
  LogCapture capture;
  ParameterSet set = CsvLike().Validate({{"path", "a"}, {"sep", ";"}}, FakeEnv());
  EXPECT_EQ(set.GetString("delimiter"), ";");
  EXPECT_FALSE(set.Has("sep"));
  EXPECT_THAT(capture.lines(), ElementsAre("CSV: parameter 'sep' is deprecated; use 'delimiter'"));
}

TEST(ValidatorNamesTest, DeprecatedNameAndNewNameBothGiven) {
  LogCapture capture;
  EXPECT_THAT(Problems(CsvLike(), {{"path", "a"}, {"sep", ";"}, {"delimiter", ","}}),
              ElementsAre("'sep': is another name for 'delimiter', which is also given; "
                          "give only one"));
  EXPECT_TRUE(capture.lines().empty());
}

// Documented order: given names alphabetically with their own problems, then missing
// required parameters in spec order, then constraints in declaration order.
TEST(ValidatorTest, AllProblemsAreReportedTogetherInADocumentedOrder) {
  json params = {{"zone", 1}, {"port", 70000}, {"sslmode", "bogus"}, {"prot", 1}};
  EXPECT_THAT(
      Problems(PostgresLike(), params),
      ElementsAre("'port': must be between 1 and 65535, got 70000",
                  "'prot': unknown parameter (did you mean 'port'?)",
                  "'sslmode': must be one of: disable, allow, prefer, require; got 'bogus'",
                  "'zone': unknown parameter (valid parameters: host, port, database, username, "
                  "password, ssl_mode, table, query)",
                  "'host': is required (Server host name or IP address)",
                  "give exactly one of 'table' or 'query'"));
  EXPECT_EQ(ErrorText(CsvLike(), {{"has_header", "maybe"}}),
            "CSV configure: 2 invalid parameters:\n"
            "  - 'has_header': must be a boolean (true/false, yes/no or 1/0), got string 'maybe'\n"
            "  - 'path': is required (File path or glob pattern)");
}

TEST(ValidatorTest, ErrorIsPermanentAndNamesTheConnector) {
  try {
    CsvLike().Validate(json::object(), FakeEnv());
    FAIL() << "expected a ParameterError";
  } catch (const ParameterError& e) {
    EXPECT_EQ(e.connector(), "CSV");
    EXPECT_EQ(e.operation(), "configure");
    EXPECT_FALSE(e.retryable());
    ASSERT_EQ(e.problems().size(), 1u);
    EXPECT_EQ(e.problems()[0].parameter, "path");
  }
}

/// A spec named `name` with the given aliases.
ParamSpec Aliased(std::string name, std::vector<std::string> aliases) {
  ParamSpec spec = Spec(std::move(name));
  spec.aliases = std::move(aliases);
  return spec;
}

/// The std::logic_error message of constructing a validator, or "" if none is thrown.
std::string SpecError(std::vector<ParamSpec> specs, std::vector<ParamConstraint> constraints = {}) {
  try {
    ParameterValidator("X", std::move(specs), std::move(constraints));
  } catch (const std::logic_error& e) {
    return e.what();
  }
  return "";
}

TEST(ValidatorSpecTest, BrokenSpecsAreConnectorBugs) {
  using Kind = ParamConstraint::Kind;
  EXPECT_EQ(SpecError({Spec("a"), Spec("a")}), "X parameter spec: name 'a' is declared twice");
  EXPECT_EQ(SpecError({Aliased("a", {"b"}), Spec("b")}),
            "X parameter spec: name 'b' is declared twice");
  EXPECT_EQ(SpecError({Spec("")}), "X parameter spec: a parameter name is empty");
  ParamSpec secret = Spec("key");
  secret.secret = true;
  secret.default_value = "x";
  EXPECT_EQ(SpecError({secret}), "X parameter spec: secret 'key' must not have a default");
  EXPECT_EQ(SpecError({Spec("a")}, {{Kind::kAtLeastOneOf, {"a", "zz"}}}),
            "X parameter spec: constraint names 'zz', which is not a parameter");
  EXPECT_EQ(SpecError({Aliased("a", {"b"})}, {{Kind::kRequires, {"a", "b"}}}),
            "X parameter spec: constraint names 'b', which is not a parameter");
  EXPECT_EQ(SpecError({Spec("a")}, {{Kind::kAtLeastOneOf, {"a"}}}),
            "X parameter spec: a constraint needs at least two names");
  EXPECT_EQ(SpecError({Aliased("a", {"b", "b", "a"})}), "");
}

}  // namespace
}  // namespace sqlflow
