#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sqlflow/connectors/csv/csv_testing.h"
#include "sqlflow/connectors/readme_check.h"

namespace sqlflow::csv {
namespace {

/// The problems of configuring a connector with `params`, as "parameter: message (suggestion)".
std::vector<std::string> Problems(Connector& connector, const nlohmann::json& params) {
  std::vector<std::string> out;
  try {
    connector.Configure(params);
  } catch (const ParameterError& e) {
    for (const auto& p : e.problems()) {
      out.push_back(p.parameter + ": " + p.message +
                    (p.suggestion.empty() ? "" : " (" + p.suggestion + ")"));
    }
  }
  return out;
}

bool Mentions(const std::vector<std::string>& problems, const std::string& prefix) {
  for (const auto& p : problems) {
    if (p.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

TEST(CsvParams, ReadmeTablesMatchTheSpecs) {
  ExpectReadmeMatchesSpec("src/sqlflow/connectors/csv/README.md", CsvSourceSpec(),
                          "Source parameters");
  ExpectReadmeMatchesSpec("src/sqlflow/connectors/csv/README.md", CsvDestinationSpec(),
                          "Destination parameters");
}

TEST(CsvParams, Capabilities) {
  const Capabilities& source = CsvSourceSpec().capabilities;
  EXPECT_TRUE(source.incremental);
  EXPECT_TRUE(source.projection_pushdown);
  EXPECT_TRUE(source.filter_pushdown);
  EXPECT_TRUE(source.discovery);
  EXPECT_FALSE(source.upsert);
  const Capabilities& destination = CsvDestinationSpec().capabilities;
  EXPECT_TRUE(destination.upsert);
  EXPECT_TRUE(destination.atomic_write);
  EXPECT_EQ(CsvSourceSpec().type, "CSV");
  EXPECT_EQ(CsvDestinationSpec().type, "CSV");
}

TEST(CsvParams, DefaultsAreApplied) {
  auto source = MakeCsvSource();
  source->Configure({{"path", "a.csv"}});
  const ParameterSet& p = source->params();
  EXPECT_EQ(p.GetString("delimiter"), ",");
  EXPECT_TRUE(p.GetBool("has_header"));
  EXPECT_EQ(p.GetString("encoding"), "utf-8");
  EXPECT_EQ(p.GetString("quote"), "\"");
  EXPECT_EQ(p.GetStringList("null_values"), std::vector<std::string>{""});
  EXPECT_EQ(p.GetString("on_error"), "fail");
  EXPECT_EQ(p.GetInt("max_line_size"), 2 << 20);
  EXPECT_EQ(p.GetInt("batch_size"), 10000);
  EXPECT_EQ(source->state(), ConnectorState::kConfigured);
}

TEST(CsvParams, EveryTypeProblemIsListedAtOnce) {
  auto source = MakeCsvSource();
  auto problems = Problems(*source, {{"path", 5},
                                     {"has_header", "maybe"},
                                     {"batch_size", "lots"},
                                     {"null_values", 3},
                                     {"column_types", "amount"}});
  EXPECT_EQ(problems.size(), 5u);
  for (const char* name : {"path", "has_header", "batch_size", "null_values", "column_types"}) {
    EXPECT_TRUE(Mentions(problems, std::string(name) + ":")) << name;
  }
}

TEST(CsvParams, UnknownParameterGetsASuggestion) {
  auto source = MakeCsvSource();
  auto problems = Problems(*source, {{"path", "a.csv"}, {"delimeter", ";"}});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("did you mean 'delimiter'?"), std::string::npos) << problems[0];
  EXPECT_EQ(problems[0].rfind("delimeter:", 0), 0u) << problems[0];
}

TEST(CsvParams, MissingPathEnumsAndRanges) {
  auto source = MakeCsvSource();
  auto problems = Problems(*source, {{"encoding", "utf-16"},
                                     {"on_error", "ignore"},
                                     {"max_line_size", 10},
                                     {"sync_mode", "cdc"}});
  EXPECT_EQ(problems.size(), 5u);
  for (const char* name : {"path", "encoding", "on_error", "max_line_size", "sync_mode"}) {
    EXPECT_TRUE(Mentions(problems, std::string(name) + ":")) << name;
  }
}

TEST(CsvParams, DialectProblemsAreListedTogether) {
  auto source = MakeCsvSource();
  auto problems = Problems(*source, {{"path", "a.csv"},
                                     {"delimiter", ";;"},
                                     {"quote", "<>"},
                                     {"escape", "\\\\"},
                                     {"column_types", {{"amount", "MONEY"}, {"id", "BIGINT"}}}});
  EXPECT_EQ(problems,
            (std::vector<std::string>{
                "delimiter: must be one character (or \\t for tab), got ';;'",
                "quote: must be one character or \"\", got '<>'",
                "escape: must be one character or \"\", got '\\\\'",
                "column_types: type of 'amount' must be a SQL type such as BIGINT, DOUBLE, "
                "DECIMAL(12,2), DATE, TIMESTAMP or VARCHAR, got \"MONEY\"",
            }));
  EXPECT_EQ(source->state(), ConnectorState::kCreated);
}

TEST(CsvParams, QuoteMustDifferFromTheDelimiter) {
  auto source = MakeCsvSource();
  EXPECT_EQ(Problems(*source, {{"path", "a.csv"}, {"delimiter", "|"}, {"quote", "|"}}),
            std::vector<std::string>{"quote: must differ from the delimiter"});
}

TEST(CsvParams, IncrementalNeedsACursorField) {
  auto source = MakeCsvSource();
  auto problems = Problems(*source, {{"path", "a.csv"}, {"sync_mode", "incremental"}});
  EXPECT_TRUE(Mentions(problems, "cursor_field")) << ::testing::PrintToString(problems);
}

TEST(CsvParams, DestinationProblems) {
  auto destination = MakeCsvDestination();
  auto problems =
      Problems(*destination,
               {{"path", "out.csv"}, {"quote", ""}, {"compression", "lz4"}, {"null_values", "NA"}});
  EXPECT_EQ(problems.size(), 2u) << ::testing::PrintToString(problems);
  EXPECT_TRUE(Mentions(problems, "compression:"));
  EXPECT_TRUE(Mentions(problems, "null_values:"));
  // Checks the validator cannot make run once it has passed.
  EXPECT_EQ(Problems(*destination, {{"path", "out.csv"}, {"quote", ""}}),
            std::vector<std::string>{"quote: must be one character: values holding the "
                                     "delimiter or a line break need quotes"});
}

}  // namespace
}  // namespace sqlflow::csv
