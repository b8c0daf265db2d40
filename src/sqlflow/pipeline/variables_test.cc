#include "sqlflow/pipeline/variables.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqlflow/common/error.h"

namespace sqlflow::pipeline {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using Vars = std::map<std::string, std::string>;

EnvLookup FakeEnv(Vars values) {
  return [values = std::move(values)](const std::string& name) -> std::optional<std::string> {
    auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

/// The ConfigError message ParseVarsArgument throws for `text`, or "" when it does not throw.
std::string VarsError(const std::string& text) {
  try {
    ParseVarsArgument(text);
  } catch (const ConfigError& e) {
    return e.message();
  }
  return "";
}

/// A whole file holding `content`, as a Text at its start.
Text FileText(const std::string& content) {
  auto file = std::make_shared<SourceFile>(SourceFile{"pipelines/daily.sf", content});
  return Text{content, Location{file, 0, content.size()}, 0, false};
}

// ---- ParseVarsArgument ------------------------------------------------------------------------

TEST(VarsArgumentTest, ParsesJsonObjectRenderingValuesAsText) {
  EXPECT_EQ(ParseVarsArgument(R"({"a": 1, "b": "x y", "c": true, "d": 1.5, "e": "", "f": -7})"),
            (Vars{{"a", "1"}, {"b", "x y"}, {"c", "true"}, {"d", "1.5"}, {"e", ""}, {"f", "-7"}}));
  EXPECT_EQ(ParseVarsArgument("  {}  "), Vars{});
}

TEST(VarsArgumentTest, JsonValuesMustBeScalars) {
  EXPECT_EQ(VarsError(R"({"a": [1]})"),
            "--vars: 'a' must be a string, number or boolean, got an array");
  EXPECT_EQ(VarsError(R"({"a": {"b": 1}})"),
            "--vars: 'a' must be a string, number or boolean, got an object");
  EXPECT_EQ(VarsError(R"({"a": null})"),
            "--vars: 'a' must be a string, number or boolean, got null");
}

TEST(VarsArgumentTest, JsonSyntaxErrorsAndBadNames) {
  EXPECT_EQ(VarsError(R"({"a": })"),
            "--vars: invalid JSON: parse error at line 1, column 7: syntax error while parsing "
            "value - unexpected '}'; expected '[', '{', or a literal");
  EXPECT_EQ(VarsError(R"({"a b": 1})"),
            "--vars: 'a b' is not a valid variable name (letters, digits and underscores, not "
            "starting with a digit)");
}

TEST(VarsArgumentTest, ParsesKeyValueListTrimmingNamesAndUnquotedValues) {
  EXPECT_EQ(ParseVarsArgument("env=prod,region=eu"), (Vars{{"env", "prod"}, {"region", "eu"}}));
  EXPECT_EQ(ParseVarsArgument(" a = 1 , b=2 "), (Vars{{"a", "1"}, {"b", "2"}}));
  EXPECT_EQ(ParseVarsArgument("url=a=b"), (Vars{{"url", "a=b"}}));
  EXPECT_EQ(ParseVarsArgument("empty="), (Vars{{"empty", ""}}));
}

TEST(VarsArgumentTest, QuotedValuesHoldCommasAndSpaces) {
  EXPECT_EQ(ParseVarsArgument(R"(k="a,b",k2=' x, y ',k3="",k4=plain)"),
            (Vars{{"k", "a,b"}, {"k2", " x, y "}, {"k3", ""}, {"k4", "plain"}}));
  EXPECT_EQ(ParseVarsArgument(R"(q="it's")"), (Vars{{"q", "it's"}}));
}

TEST(VarsArgumentTest, EmptyInputTrailingCommaAndRepeatedNames) {
  EXPECT_EQ(ParseVarsArgument(""), Vars{});
  EXPECT_EQ(ParseVarsArgument("   "), Vars{});
  EXPECT_EQ(ParseVarsArgument("a=1,"), (Vars{{"a", "1"}}));
  EXPECT_EQ(ParseVarsArgument("a=1,a=2"), (Vars{{"a", "2"}}));  // The later one wins.
}

TEST(VarsArgumentTest, KeyValueErrorsNameTheEntry) {
  EXPECT_EQ(VarsError("abc"), "--vars: 'abc' is not name=value");
  EXPECT_EQ(VarsError("a=1,b"), "--vars: 'b' is not name=value");
  EXPECT_EQ(VarsError("=v"), "--vars: '=v' has no variable name");
  EXPECT_EQ(VarsError("1x=2"),
            "--vars: '1x' is not a valid variable name (letters, digits and underscores, not "
            "starting with a digit)");
  EXPECT_EQ(VarsError(R"(a="x,b=2)"), "--vars: the value of 'a' has no closing double quote");
  EXPECT_EQ(VarsError("a='x"), "--vars: the value of 'a' has no closing quote");
  EXPECT_EQ(VarsError(R"(a="x"y,b=2)"),
            "--vars: unexpected text after the quoted value of 'a'; separate entries with ','");
}

// ---- VariableScope ----------------------------------------------------------------------------

struct PrecedenceRow {
  bool cli, set, profile, env;
  std::optional<std::string> value;
  std::optional<std::string> source;
};

// Every combination of the four layers: the highest one present wins.
TEST(ProfileSettingsTest, EngineSettingsAndLogLevelResolveVariables) {
  Profile profile;
  profile.path = "profiles/dev.yml";
  profile.engine.memory_limit = "${MEM|1GB}";
  profile.engine.path = "${dir}/db.duckdb";
  profile.log_level = "${level|info}";
  VariableScope scope({{"dir", "state"}}, {{"level", "debug"}}, FakeEnv({{"MEM", "3GB"}}));
  ResolveProfileSettings(&profile, scope);
  EXPECT_EQ(profile.engine.memory_limit, "3GB");
  EXPECT_EQ(profile.engine.path, "state/db.duckdb");
  EXPECT_EQ(profile.log_level, "debug");

  Profile missing;
  missing.path = "profiles/dev.yml";
  missing.engine.temp_directory = "${spill}/tmp";
  try {
    ResolveProfileSettings(&missing, VariableScope({}, {}, FakeEnv({})));
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.message(),
              "profiles/dev.yml: engines.duckdb.temp_directory '${spill}/tmp' uses variable "
              "'spill', which is not set");
  }
  Profile bad_level;
  bad_level.log_level = "${level}";
  EXPECT_THROW(
      ResolveProfileSettings(&bad_level, VariableScope({{"level", "loud"}}, {}, FakeEnv({}))),
      ConfigError);
}

TEST(VariableScopeTest, PrecedenceTable) {
  const std::vector<PrecedenceRow> rows = {
      {false, false, false, false, std::nullopt, std::nullopt},
      {false, false, false, true, "e", "environment"},
      {false, false, true, false, "p", "profile"},
      {false, false, true, true, "p", "profile"},
      {false, true, false, false, "s", "SET"},
      {false, true, false, true, "s", "SET"},
      {false, true, true, false, "s", "SET"},
      {false, true, true, true, "s", "SET"},
      {true, false, false, false, "c", "--vars"},
      {true, false, false, true, "c", "--vars"},
      {true, false, true, false, "c", "--vars"},
      {true, false, true, true, "c", "--vars"},
      {true, true, false, false, "c", "--vars"},
      {true, true, false, true, "c", "--vars"},
      {true, true, true, false, "c", "--vars"},
      {true, true, true, true, "c", "--vars"},
  };
  for (const PrecedenceRow& row : rows) {
    SCOPED_TRACE(::testing::Message() << "cli=" << row.cli << " set=" << row.set
                                      << " profile=" << row.profile << " env=" << row.env);
    VariableScope scope(row.cli ? Vars{{"x", "c"}} : Vars{},
                        row.profile ? Vars{{"x", "p"}} : Vars{},
                        FakeEnv(row.env ? Vars{{"x", "e"}} : Vars{}));
    if (row.set) scope.Set("x", "s");
    EXPECT_EQ(scope.Lookup("x"), row.value);
    EXPECT_EQ(scope.SourceOf("x"), row.source);
  }
}

TEST(VariableScopeTest, LaterSetReplacesEarlierAndEmptyValuesCount) {
  VariableScope scope({{"empty", ""}}, {{"empty", "profile"}}, FakeEnv({}));
  scope.Set("a", "1");
  scope.Set("a", "2");
  EXPECT_EQ(scope.Lookup("a"), "2");
  EXPECT_EQ(scope.Lookup("empty"), "");  // Set but empty: the lower layers are not consulted.
  EXPECT_EQ(scope.SourceOf("empty"), "--vars");
}

TEST(VariableScopeTest, KnownNamesAreSortedAndExcludeTheEnvironment) {
  VariableScope scope({{"zeta", "1"}, {"alpha", "1"}}, {{"alpha", "2"}, {"mid", "3"}},
                      FakeEnv({{"HOME", "/root"}}));
  scope.Set("beta", "4");
  EXPECT_THAT(scope.KnownNames(), ElementsAre("alpha", "beta", "mid", "zeta"));
}

TEST(VariableScopeTest, AsEnvLookupResolvesThroughEveryLayerAndOutlivesTheScope) {
  EnvLookup lookup;
  {
    VariableScope scope({{"a", "cli"}}, {{"b", "profile"}}, FakeEnv({{"c", "env"}, {"a", "x"}}));
    scope.Set("d", "set");
    lookup = scope.AsEnvLookup();
  }
  EXPECT_EQ(lookup("a"), "cli");
  EXPECT_EQ(lookup("b"), "profile");
  EXPECT_EQ(lookup("c"), "env");
  EXPECT_EQ(lookup("d"), "set");
  EXPECT_EQ(lookup("missing"), std::nullopt);
  EXPECT_EQ(SubstituteEnv("${a}/${b}/${c}/${d}", lookup, nullptr), "cli/profile/env/set");
}

TEST(VariableScopeTest, NoEnvironmentLookupMeansNoEnvironment) {
  VariableScope scope({}, {}, nullptr);
  EXPECT_EQ(scope.Lookup("HOME"), std::nullopt);
  EXPECT_EQ(scope.SourceOf("HOME"), std::nullopt);
}

// ---- Substitute -----------------------------------------------------------------------------

class VariablesSubstituteTest : public ::testing::Test {
 protected:
  std::string Run(const std::string& text) {
    return Substitute(FileText(text), scope_, &problems_);
  }

  VariableScope scope_{{{"region", "eu"}, {"quote", "O'Brien"}, {"nested", "${region}"}},
                       {{"regions", "all"}, {"empty", ""}},
                       FakeEnv({{"HOME", "/home/me"}})};
  DiagnosticList problems_;
};

TEST_F(VariablesSubstituteTest, ReplacesReferencesTextually) {
  EXPECT_EQ(Run("SELECT * FROM t WHERE region = '${region}'"),
            "SELECT * FROM t WHERE region = 'eu'");
  EXPECT_EQ(Run("{\"path\": \"${HOME}/data/${region}.csv\"}"),
            "{\"path\": \"/home/me/data/eu.csv\"}");
  EXPECT_EQ(Run("name = '${quote}'"), "name = 'O'Brien'");  // No quoting is added.
  EXPECT_EQ(Run("no variables"), "no variables");
  EXPECT_EQ(Run(""), "");
  EXPECT_THAT(problems_.items(), IsEmpty());
}

TEST_F(VariablesSubstituteTest, DefaultsQuotedAndUnquoted) {
  EXPECT_EQ(Run("${missing|us}"), "us");
  EXPECT_EQ(Run("${missing|'us east'}"), "us east");
  EXPECT_EQ(Run("${missing|\"x}|y\"}!"), "x}|y!");
  EXPECT_EQ(Run("${ missing | a b }"), "a b");
  EXPECT_EQ(Run("${ missing | 'padded ' }"), "padded ");
  EXPECT_EQ(Run("${missing|}"), "");
  EXPECT_EQ(Run("${region|us}"), "eu");  // A value beats the default.
  EXPECT_EQ(Run("${empty|x}"), "");      // Set but empty: the empty value is kept.
  EXPECT_THAT(problems_.items(), IsEmpty());
}

TEST_F(VariablesSubstituteTest, ValuesAreNotScannedAgainAndDollarDollarIsNotSpecial) {
  EXPECT_EQ(Run("${nested}"), "${region}");
  EXPECT_EQ(Run("$${region}"), "$eu");
  EXPECT_EQ(Run("$region and $"), "$region and $");
  EXPECT_THAT(problems_.items(), IsEmpty());
}

TEST_F(VariablesSubstituteTest, UnsetVariableIsReportedAtItsReferenceAndLeftAsWritten) {
  auto file = std::make_shared<SourceFile>(
      SourceFile{"pipelines/daily.sf", "SET a = 1;\nEXPORT x TO \"s3://b/${regoin}/x.csv\";"});
  // The quoted URI: its text starts after the opening quote at byte 23.
  Text uri{"s3://b/${regoin}/x.csv", Location{file, 23, 24}, 1, true};
  EXPECT_EQ(Substitute(uri, scope_, &problems_), "s3://b/${regoin}/x.csv");
  ASSERT_EQ(problems_.size(), 1u);
  const Diagnostic& problem = problems_.items()[0];
  EXPECT_EQ(problem.message, "variable 'regoin' is not set");
  EXPECT_EQ(problem.suggestion, "did you mean 'region'?");
  EXPECT_EQ(problem.location.file, file);
  EXPECT_EQ(problem.location.offset, 31u);
  EXPECT_EQ(problem.location.length, 9u);
  EXPECT_EQ(file->LineColumn(problem.location.offset), (std::pair<int, int>{2, 21}));
  EXPECT_EQ(file->text.substr(31, 9), "${regoin}");
}

TEST_F(VariablesSubstituteTest, UnsetVariableWithNoNearNameSaysHowToSetIt) {
  EXPECT_EQ(Run("a ${zzz_unknown} b ${zzz_unknown}"), "a ${zzz_unknown} b ${zzz_unknown}");
  ASSERT_EQ(problems_.size(), 2u);  // Each reference has its own place.
  EXPECT_EQ(problems_.items()[0].message, "variable 'zzz_unknown' is not set");
  EXPECT_EQ(problems_.items()[0].suggestion,
            "set it with --vars zzz_unknown=..., SET zzz_unknown = ...; or the profile's "
            "variables");
  EXPECT_EQ(problems_.items()[0].location.offset, 2u);
  EXPECT_EQ(problems_.items()[1].location.offset, 19u);
  EXPECT_EQ(problems_.items()[1].location.length, 14u);
}

TEST_F(VariablesSubstituteTest, EnvironmentNamesAreNotSuggested) {
  Run("${HOMEE}");
  ASSERT_EQ(problems_.size(), 1u);
  EXPECT_EQ(problems_.items()[0].suggestion,
            "set it with --vars HOMEE=..., SET HOMEE = ...; or the profile's variables");
}

TEST_F(VariablesSubstituteTest, UnterminatedReferenceIsAnError) {
  EXPECT_EQ(Run("a ${region} ${b"), "a eu ${b");
  ASSERT_EQ(problems_.size(), 1u);
  EXPECT_EQ(problems_.items()[0].message,
            "unterminated variable reference: '${' without a closing '}'");
  EXPECT_EQ(problems_.items()[0].suggestion, "write ${name} or ${name|default}");
  EXPECT_EQ(problems_.items()[0].location.offset, 12u);
  EXPECT_EQ(problems_.items()[0].location.length, 2u);
}

TEST_F(VariablesSubstituteTest, InvalidNameIsAnError) {
  EXPECT_EQ(Run("x ${a b} ${} ${1x|d}"), "x ${a b} ${} ${1x|d}");
  ASSERT_EQ(problems_.size(), 3u);
  EXPECT_EQ(problems_.items()[0].message, "invalid variable name 'a b' in '${a b}'");
  EXPECT_EQ(problems_.items()[0].suggestion,
            "a variable name is letters, digits and underscores and does not start with a digit");
  EXPECT_EQ(problems_.items()[0].location.offset, 2u);
  EXPECT_EQ(problems_.items()[0].location.length, 6u);
  EXPECT_EQ(problems_.items()[1].message, "invalid variable name '' in '${}'");
  EXPECT_EQ(problems_.items()[2].message, "invalid variable name '1x' in '${1x|d}'");
}

TEST_F(VariablesSubstituteTest, ProblemsMayBeNull) {
  EXPECT_EQ(Substitute(FileText("${nope} ${region}"), scope_, nullptr), "${nope} eu");
}

// ---- ReferencedVariables ----------------------------------------------------------------------

TEST(VariablesReferencedTest, NamesInOrderOnce) {
  EXPECT_THAT(ReferencedVariables("${b} ${a|x} ${b} ${ c } ${bad name} $${d} ${e"),
              ElementsAre("b", "a", "c", "d"));
  EXPECT_THAT(ReferencedVariables("none"), IsEmpty());
}

}  // namespace
}  // namespace sqlflow::pipeline
