#include "sqlflow/pipeline/diagnostics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqlflow/pipeline/parser.h"
#include "sqlflow/pipeline/pipeline_testing.h"

namespace sqlflow::pipeline {
namespace {

using pipeline_testing::MakeFile;

/// Parse `text` and return its diagnostics as "line:column+length: message [suggestion]".
std::vector<std::string> Errors(std::string text) {
  try {
    ParseStatements(MakeFile(std::move(text)));
  } catch (const PipelineDiagnostics& error) {
    std::vector<std::string> out;
    for (const Diagnostic& d : error.diagnostics()) {
      out.push_back(pipeline_testing::Where(d.location) + ": " + d.message +
                    (d.suggestion.empty() ? "" : " [" + d.suggestion + "]"));
    }
    return out;
  }
  return {"no error"};
}

TEST(SourceFileTest, LineColumnAndLineText) {
  const SourceFile file{"f", "ab\r\n\tcd\n\nlast"};
  EXPECT_EQ(file.LineColumn(0), std::make_pair(1, 1));
  EXPECT_EQ(file.LineColumn(2), std::make_pair(1, 3));
  EXPECT_EQ(file.LineColumn(5), std::make_pair(2, 2));
  EXPECT_EQ(file.LineColumn(99), std::make_pair(4, 5));
  EXPECT_EQ(file.LineText(1), "ab");
  EXPECT_EQ(file.LineText(3), "ab");
  EXPECT_EQ(file.LineText(4), "\tcd");
  EXPECT_EQ(file.LineText(7), "\tcd");
  EXPECT_EQ(file.LineText(8), "");
  EXPECT_EQ(file.LineText(99), "last");
}

TEST(DiagnosticTest, FormatMatchesTheDocumentedExample) {
  const auto file = MakeFile("SOURCE orders_src TYPE CSV PARAMS {};\n\nLOAD orders FROM ordrs;\n",
                             "pipelines/daily.sf");
  const Diagnostic diagnostic{Location{file, 39 + 17, 5}, "unknown source 'ordrs'",
                              "did you mean 'orders_src'?"};
  EXPECT_EQ(diagnostic.Position(), "pipelines/daily.sf:3:18");
  EXPECT_EQ(FormatDiagnostic(diagnostic),
            "error: unknown source 'ordrs'\n"
            "  --> pipelines/daily.sf:3:18\n"
            "   |\n"
            " 3 | LOAD orders FROM ordrs;\n"
            "   |                  ^^^^^\n"
            "   = help: did you mean 'orders_src'?");
}

TEST(DiagnosticTest, FormatExpandsTabsAndWidensTheGutter) {
  const auto file = MakeFile(std::string(11, '\n') + "\tLOAD\tx FROM s;");
  EXPECT_EQ(FormatDiagnostic(Diagnostic{Location{file, 11, 7}, "m", ""}),
            "error: m\n"
            "   --> p.sf:12:1\n"
            "    |\n"
            " 12 |     LOAD    x FROM s;\n"
            "    | ^^^^^^^^^^^^^");
}

TEST(DiagnosticTest, FormatCutsTheCaretAtTheEndOfTheLine) {
  const auto file = MakeFile("SELECT é x\nnext");
  EXPECT_EQ(FormatDiagnostic(Diagnostic{Location{file, 10, 50}, "m", ""}),
            "error: m\n  --> p.sf:1:11\n   |\n 1 | SELECT é x\n   |          ^");
  // Just past the last byte of a line (a missing ';'): one caret after the text.
  EXPECT_EQ(FormatDiagnostic(Diagnostic{Location{file, 11, 0}, "m", ""}),
            "error: m\n  --> p.sf:1:12\n   |\n 1 | SELECT é x\n   |           ^");
}

TEST(DiagnosticTest, FormatWithoutAFile) {
  EXPECT_EQ(FormatDiagnostic(Diagnostic{Location{}, "bad --vars", "write k=v"}),
            "error: bad --vars\n  = help: write k=v");
  EXPECT_EQ(Diagnostic{}.Position(), "");
}

TEST(DiagnosticTest, PipelineDiagnosticsCarriesTheFirstAsPipelineError) {
  try {
    ParseStatements(MakeFile("SET a = 1;\n  SOURC s TYPE CSV;\nLOAD t FROM s"));
    FAIL() << "no error";
  } catch (const PipelineError& error) {
    EXPECT_STREQ(error.what(), "p.sf:2:3: unknown statement 'SOURC' (did you mean 'SOURCE'?)");
    EXPECT_EQ(error.file(), "p.sf");
    EXPECT_EQ(error.line(), 2);
    EXPECT_EQ(error.column(), 3);
    EXPECT_EQ(error.suggestion(), "did you mean 'SOURCE'?");
    const auto& all = dynamic_cast<const PipelineDiagnostics&>(error);
    ASSERT_EQ(all.diagnostics().size(), 2u);
    EXPECT_EQ(all.Format(), FormatDiagnostic(all.diagnostics()[0]) + "\n\n" +
                                FormatDiagnostic(all.diagnostics()[1]));
  }
}

TEST(DiagnosticTest, DiagnosticListThrowsOnlyWhenNotEmpty) {
  DiagnosticList list;
  EXPECT_NO_THROW(list.Check());
  list.Add(Location{MakeFile("x"), 0, 1}, "m", "s");
  EXPECT_EQ(list.size(), 1u);
  EXPECT_THROW(list.Check(), PipelineDiagnostics);
}

// ---------------------------------------------------------------------------------------------
// The parser's errors: where they point and how it recovers.

TEST(ParserErrorTest, UnknownStatementSuggestsTheNearestKeyword) {
  EXPECT_THAT(Errors("\tLAOD t FROM s;"),
              testing::ElementsAre("1:2+4: unknown statement 'LAOD' [did you mean 'LOAD'?]"));
  EXPECT_THAT(Errors("frobnicate;"),
              testing::ElementsAre("1:1+10: unknown statement 'frobnicate' [a statement starts "
                                   "with SOURCE, LOAD, CREATE TABLE, EXPORT, SET, INCLUDE or IF]"));
  EXPECT_THAT(Errors("SELECT 1;"),
              testing::ElementsAre(testing::StartsWith("1:1+6: unknown statement 'SELECT' [a "
                                                       "query goes in a statement")));
}

TEST(ParserErrorTest, MissingSemicolon) {
  EXPECT_THAT(Errors("LOAD t FROM s  \n"),
              testing::ElementsAre("1:14+1: missing ';' at the end of the statement [add ';']"));
  EXPECT_THAT(Errors("CREATE TABLE t AS SELECT 1 -- done\n"),
              testing::ElementsAre("1:27+1: missing ';' at the end of the statement [add ';']"));
  // Before the next statement: reported, and the next statement is still parsed.
  EXPECT_THAT(Errors("LOAD a FROM s\nLOAD b FROM s MODE UPSRT;"),
              testing::ElementsAre("1:14+1: missing ';' at the end of the statement [add ';']",
                                   "2:20+5: unknown LOAD mode 'UPSRT' [did you mean 'UPSERT'?]"));
}

TEST(ParserErrorTest, UnterminatedStringAndJson) {
  EXPECT_THAT(Errors("SET a = \"abc;\nLOAD t FROM s;"),
              testing::ElementsAre("1:9+1: unterminated string [close it with \"]"));
  EXPECT_THAT(Errors("SOURCE s TYPE CSV PARAMS {\"path\": \"x.csv\";\nLOAD t FROM s;"),
              testing::ElementsAre("1:26+1: unterminated JSON object [close it with }]"));
  EXPECT_THAT(Errors("CREATE TABLE t AS SELECT (1;\n"),
              testing::ElementsAre(testing::StartsWith("1:26+1: unclosed '('")));
}

TEST(ParserErrorTest, SourceFormsNameTheFormToUse) {
  EXPECT_THAT(Errors("SOURCE s TYPE CSV OPTIONS {};"),
              testing::ElementsAre(testing::StartsWith(
                  "1:19+7: SOURCE ... TYPE takes PARAMS, not OPTIONS [write SOURCE name TYPE "
                  "type PARAMS {...}")));
  EXPECT_THAT(Errors("SOURCE s FROM \"pg\" PARAMS {};"),
              testing::ElementsAre(testing::StartsWith(
                  "1:20+6: SOURCE ... FROM \"connection\" takes OPTIONS, not PARAMS [write SOURCE "
                  "name FROM \"connection\" OPTIONS {...}")));
  EXPECT_THAT(Errors("SOURCE s TYPE CSV PARAM {};"),
              testing::ElementsAre(
                  "1:19+5: expected PARAMS or ';', found 'PARAM' [did you mean 'PARAMS'?]"));
}

TEST(ParserErrorTest, UpsertNeedsKeyAndKeyNeedsUpsert) {
  const std::string help = " [add KEY (column, ...) naming the columns that identify a row]";
  EXPECT_THAT(Errors("LOAD t FROM s MODE UPSERT;"),
              testing::ElementsAre("1:15+11: MODE UPSERT requires KEY" + help));
  EXPECT_THAT(Errors("CREATE TABLE t MODE upsert AS SELECT 1;"),
              testing::ElementsAre("1:16+11: MODE UPSERT requires KEY" + help));
  EXPECT_THAT(Errors("LOAD t FROM s MODE UPSERT KEYS id;"),
              testing::ElementsAre(
                  "1:27+4: expected KEY after MODE UPSERT, found 'KEYS' [did you mean 'KEY'?]"));
  EXPECT_THAT(Errors("LOAD t FROM s KEY id;"),
              testing::ElementsAre("1:15+3: KEY is only used with MODE UPSERT [write MODE UPSERT "
                                   "KEY (...) or drop KEY]"));
}

TEST(ParserErrorTest, ExportErrors) {
  EXPECT_THAT(Errors("EXPORT SELECT 1;\nSET a = 1;"),
              testing::ElementsAre(testing::StartsWith(
                  "1:1+6: expected TO \"uri\" TYPE type or TO connection after the EXPORT query")));
  EXPECT_THAT(Errors("EXPORT t TO \"x.csv\";"),
              testing::ElementsAre(testing::StartsWith("1:13+7: EXPORT to a URI needs TYPE")));
  EXPECT_THAT(Errors("EXPORT TO \"x.csv\" TYPE CSV;"),
              testing::ElementsAre(
                  testing::StartsWith("1:1+6: expected a query or a table name after EXPORT")));
}

TEST(ParserErrorTest, IfBlocks) {
  EXPECT_THAT(Errors("SET x = 1;\nIF a THEN\n  LOAD t FROM s;\n"),
              testing::ElementsAre("2:1+2: IF without END IF [close the block with END IF;]"));
  EXPECT_THAT(Errors("END IF;\nELSE;"),
              testing::ElementsAre("1:1+3: 'END' without a matching IF",
                                   "2:1+4: 'ELSE' without a matching IF"));
  EXPECT_THAT(Errors("IF x == 1\n  LOAD a FROM b;\nEND IF;"),
              testing::ElementsAre("1:1+2: expected THEN after the IF condition [write IF "
                                   "condition THEN ... END IF;]"));
  // Errors inside a branch are reported and the block still closes.
  EXPECT_THAT(Errors("IF a THEN\n  LAOD t FROM s;\nELSE\n  LOAD t FROM;\nEND IF;\nSET b = 1;"),
              testing::ElementsAre("2:3+4: unknown statement 'LAOD' [did you mean 'LOAD'?]",
                                   "4:14+1: expected a source name after FROM, found ';'"));
}

TEST(ParserErrorTest, RecoversToReportSeveralErrors) {
  EXPECT_THAT(
      Errors("SOURC s TYPE CSV PARAMS {\"a\": \";\"};\n"
             "SET a = 'unterminated;\n"
             "LOAD t FROM s MODE UPSERT;\n"
             "CREATE VIEW v AS SELECT 1;\n"
             "SET ok = 1;\n"
             "SET = 2;"),
      testing::ElementsAre("1:1+5: unknown statement 'SOURC' [did you mean 'SOURCE'?]",
                           "2:9+1: unterminated string [close it with ']",
                           testing::StartsWith("3:15+11: MODE UPSERT requires KEY"),
                           testing::StartsWith("4:8+4: expected TABLE after CREATE, found 'VIEW'"),
                           "6:5+1: expected a variable name after SET, found '='"));
}

}  // namespace
}  // namespace sqlflow::pipeline
