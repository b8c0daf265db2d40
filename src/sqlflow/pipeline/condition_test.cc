#include "sqlflow/pipeline/condition.h"

#include <gtest/gtest.h>

#include "sqlflow/pipeline/parser.h"
#include "sqlflow/pipeline/pipeline_testing.h"

namespace sqlflow::pipeline {
namespace {

using pipeline_testing::MakeFile;
using pipeline_testing::Where;

bool Eval(const std::string& text) { return EvaluateCondition(text, Text{text}); }

/// The condition of `IF <written> THEN END IF;` as the parser records it.
Text Written(const std::string& written) {
  const Block block =
      ParseStatements(MakeFile("SET a = 1;\nIF " + written + " THEN END IF;", "c.sf"));
  return std::get<IfStmt>(block.at(1).node).branches.at(0).condition;
}

/// The error of evaluating `substituted` for the condition `written`, as
/// "line:column+length: message".
std::string ErrorOf(const std::string& substituted, const std::string& written) {
  try {
    EvaluateCondition(substituted, Written(written));
  } catch (const PipelineDiagnostics& error) {
    const Diagnostic& d = error.diagnostics().at(0);
    return Where(d.location) + ": " + d.message;
  }
  return "no error";
}

std::string ErrorOf(const std::string& condition) { return ErrorOf(condition, condition); }

TEST(ConditionTest, ComparesStrings) {
  EXPECT_TRUE(Eval("prod == prod"));
  EXPECT_TRUE(Eval("'prod' == \"prod\""));
  EXPECT_FALSE(Eval("dev == 'production'"));
  EXPECT_FALSE(Eval("Prod == prod"));
  EXPECT_TRUE(Eval("dev != prod"));
  EXPECT_TRUE(Eval("dev <> prod"));
  EXPECT_TRUE(Eval("a = a"));
  EXPECT_TRUE(Eval("abc < abd"));
  EXPECT_TRUE(Eval("2024-01-02 > 2024-01-01"));
  EXPECT_TRUE(Eval("us-east-1=='us-east-1'"));
  EXPECT_TRUE(Eval("'it\\'s' == \"it's\""));
}

TEST(ConditionTest, ComparesNumbersNumerically) {
  EXPECT_TRUE(Eval("10 > 9"));
  EXPECT_TRUE(Eval("'10' > 9"));
  EXPECT_TRUE(Eval("1.0 == 1"));
  EXPECT_TRUE(Eval("-2 < 1e1"));
  EXPECT_TRUE(Eval("1000 >= 1000"));
  EXPECT_FALSE(Eval("1000 <= 999.5"));
  EXPECT_TRUE(Eval("inf > 9"));  // Not a number: compared as strings.
}

TEST(ConditionTest, BooleansAndBareOperands) {
  EXPECT_TRUE(Eval("true"));
  EXPECT_FALSE(Eval("FALSE"));
  EXPECT_TRUE(Eval("TRUE == 'true'"));
  EXPECT_TRUE(Eval("false == False"));
  EXPECT_FALSE(Eval("0"));
  EXPECT_FALSE(Eval("-0.0"));
  EXPECT_TRUE(Eval("1"));
  EXPECT_TRUE(Eval("yes"));
  EXPECT_FALSE(Eval("''"));
  EXPECT_FALSE(Eval("'false'"));
}

TEST(ConditionTest, PrecedenceIsNotThenAndThenOr) {
  EXPECT_TRUE(Eval("true OR false AND false"));
  EXPECT_FALSE(Eval("(true OR false) AND false"));
  EXPECT_FALSE(Eval("NOT false AND false"));
  EXPECT_TRUE(Eval("not true or true"));
  EXPECT_TRUE(Eval("NOT 1 == 2"));
  EXPECT_TRUE(Eval("NOT NOT (a == a)"));
  EXPECT_TRUE(Eval("prod == prod aNd (1 < 2 Or x == y)"));
  EXPECT_TRUE(Eval("((a == a))"));
  EXPECT_TRUE(Eval("(1 == 1) == true"));
}

TEST(ConditionTest, ErrorsPointIntoTheFileWhileTheTextIsAsWritten) {
  // `IF ` is 3 bytes, so the condition starts at column 4 of line 2.
  EXPECT_EQ(ErrorOf("a =="), "2:8+1: expected a value after '=='");
  EXPECT_EQ(ErrorOf("(a == b"), "2:4+1: unbalanced parenthesis");
  EXPECT_EQ(ErrorOf("a == b)"), "2:10+1: unbalanced parenthesis");
  EXPECT_EQ(ErrorOf("a b"), "2:6+1: expected AND or OR, found 'b'");
  EXPECT_EQ(ErrorOf("== 1"), "2:4+2: expected a value before '=='");
  EXPECT_EQ(ErrorOf("a AND"), "2:9+1: expected a value after 'AND'");
  EXPECT_EQ(ErrorOf("a ! b"), "2:6+1: unexpected '!'");
  EXPECT_EQ(ErrorOf("'abc == x", "'abc' == x"), "2:4+1: unterminated string");
}

TEST(ConditionTest, ErrorsAfterASubstitutionPointAtTheWholeCondition) {
  EXPECT_EQ(ErrorOf("prod ==", "${env} =="), "2:4+9: expected a value after '=='");
  EXPECT_EQ(ErrorOf(" > 10", "${n} > 10"), "2:4+9: expected a value before '>'");
  // Before the first substituted byte the position is still exact.
  EXPECT_EQ(ErrorOf("a b == prod", "a b == ${env}"), "2:6+1: expected AND or OR, found 'b'");
  EXPECT_THROW(EvaluateCondition("", Text{}), PipelineDiagnostics);
}

}  // namespace
}  // namespace sqlflow::pipeline
