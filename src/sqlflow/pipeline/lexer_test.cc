#include "sqlflow/pipeline/lexer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sqlflow::pipeline {
namespace {

/// Every token of `text` as "kind:text" (w word, s string, n number, y symbol).
std::vector<std::string> Tokens(std::string_view text) {
  Lexer lexer(text);
  std::vector<std::string> out;
  for (Token token = lexer.Next(); token.kind != TokenKind::kEnd; token = lexer.Next()) {
    const char* kinds = "wsny";
    out.push_back(std::string(1, kinds[static_cast<int>(token.kind)]) + ":" + token.text);
  }
  return out;
}

/// The error the lexer throws for `text` as "offset+length: message".
std::string LexError(std::string_view text) {
  Lexer lexer(text);
  try {
    while (lexer.Next().kind != TokenKind::kEnd) {
    }
  } catch (const SyntaxError& error) {
    return std::to_string(error.offset) + "+" + std::to_string(error.length) + ": " + error.message;
  }
  return "no error";
}

std::string SqlOf(std::string_view text, SqlSpan* span_out = nullptr) {
  Lexer lexer(text);
  const SqlSpan span = lexer.ScanSql();
  if (span_out != nullptr) *span_out = span;
  return std::string(text.substr(span.begin, span.end - span.begin));
}

TEST(LexerTest, WordsNumbersStringsAndSymbols) {
  EXPECT_THAT(Tokens("LOAD t1 FROM src_2.x MODE UPSERT KEY (a, b);"),
              testing::ElementsAre("w:LOAD", "w:t1", "w:FROM", "w:src_2.x", "w:MODE", "w:UPSERT",
                                   "w:KEY", "y:(", "w:a", "y:,", "w:b", "y:)", "y:;"));
  EXPECT_THAT(Tokens("SET n = -12.5e3; SET b = 2 DAYS"),
              testing::ElementsAre("w:SET", "w:n", "y:=", "n:-12.5e3", "y:;", "w:SET", "w:b",
                                   "y:=", "n:2", "w:DAYS"));
  EXPECT_THAT(Tokens(R"("a\"b;c" 'it''s')"), testing::ElementsAre(R"(s:a\"b;c)", "s:it", "s:s"));
}

TEST(LexerTest, WordsHoldVariableReferences) {
  EXPECT_THAT(
      Tokens("LOAD ${tbl} FROM raw_${env|\"d}v\"}.orders;"),
      testing::ElementsAre("w:LOAD", "w:${tbl}", "w:FROM", "w:raw_${env|\"d}v\"}.orders", "y:;"));
}

TEST(LexerTest, SkipsCommentsOfBothKinds) {
  EXPECT_THAT(Tokens("-- a ; comment\nSET /* b ; c */ x -- d\n= 1"),
              testing::ElementsAre("w:SET", "w:x", "y:=", "n:1"));
}

TEST(LexerTest, TokenCoversItsBytes) {
  Lexer lexer("  \"ab\" x");
  const Token token = lexer.Next();
  EXPECT_EQ(token.offset, 2u);
  EXPECT_EQ(token.length, 4u);
  EXPECT_EQ(token.quote, '"');
  EXPECT_TRUE(lexer.Peek().Is("X"));
  EXPECT_EQ(lexer.Next().offset, 7u);
}

TEST(LexerTest, ErrorsPointAtTheOffendingText) {
  EXPECT_EQ(LexError("SET a = 'abc;\nSET b = 1;"), "8+1: unterminated string");
  EXPECT_EQ(LexError("SET a /* never closed"), "6+2: unterminated comment");
  EXPECT_EQ(LexError("LOAD ${tbl FROM s;\n"), "5+2: unterminated variable reference");
  EXPECT_EQ(LexError("SET a = @x;"), "8+1: unexpected character '@'");
  EXPECT_EQ(LexError("SET é = 1;"), "4+2: unexpected character 'é'");
}

TEST(LexerTest, SkipStatementRecoversAfterAnError) {
  Lexer lexer("SET a = 'abc;\nSET b = 1;");
  for (int i = 0; i < 3; ++i) lexer.Next();
  EXPECT_THROW(lexer.Next(), SyntaxError);
  lexer.SkipStatement();
  EXPECT_TRUE(lexer.Next().Is("SET"));
  EXPECT_TRUE(lexer.Next().Is("b"));
}

TEST(LexerTest, SkipStatementStopsAfterTheSemicolon) {
  Lexer lexer("x 'a;b' @ ; SET");
  lexer.SkipStatement();
  EXPECT_TRUE(lexer.Next().Is("SET"));
}

TEST(LexerTest, SqlBodyIsByteForByte) {
  const std::string sql =
      "WITH a AS (SELECT 1::INT AS v, 'a;b' AS s -- c;\n) SELECT * FROM a WHERE v <> 2";
  SqlSpan span;
  EXPECT_EQ(SqlOf("  " + sql + " ;\nSET x = 1;", &span), sql);
  EXPECT_TRUE(span.terminated);
  EXPECT_EQ(span.begin, 2u);
}

TEST(LexerTest, SqlBodyKeepsQuotingOfEveryKind) {
  EXPECT_EQ(SqlOf(R"(SELECT "a;b", E'x\';y', $$ ; $$, $tag$ $$; $tag$, $1 FROM t; rest)"),
            R"(SELECT "a;b", E'x\';y', $$ ; $$, $tag$ $$; $tag$, $1 FROM t)");
  EXPECT_EQ(SqlOf("SELECT 'it''s;' /* ; */ FROM t;"), "SELECT 'it''s;' /* ; */ FROM t");
  EXPECT_EQ(SqlOf("SELECT f(g(1; 2)), [3;4] FROM t WHERE x = '${a;b}';"),
            "SELECT f(g(1; 2)), [3;4] FROM t WHERE x = '${a;b}'");
}

TEST(LexerTest, SqlBodyDropsTrailingCommentsAndWhiteSpace) {
  SqlSpan span;
  EXPECT_EQ(SqlOf("SELECT 1 -- note\n  /* more */\n;", &span), "SELECT 1");
  EXPECT_EQ(SqlOf("SELECT 1\n", &span), "SELECT 1");
  EXPECT_FALSE(span.terminated);
}

TEST(LexerTest, SqlErrorsPointAtTheOpening) {
  auto error_of = [](std::string_view text) {
    Lexer lexer(text);
    try {
      lexer.ScanSql();
    } catch (const SyntaxError& error) {
      return std::to_string(error.offset) + ": " + error.message;
    }
    return std::string("no error");
  };
  EXPECT_EQ(error_of("SELECT 'abc;"), "7: unterminated string");
  EXPECT_EQ(error_of("SELECT $q$ abc; $Q$;"), "7: unterminated dollar-quoted string");
  EXPECT_EQ(error_of("SELECT (1 FROM t;"), "7: unclosed '('");
}

TEST(LexerTest, SqlRecordsTopLevelToWords) {
  SqlSpan span;
  SqlOf("SELECT t.to, (SELECT 1 TO) 'to' FROM x tO \"a\" -- c\n TO b TYPE CSV;", &span);
  ASSERT_EQ(span.tos.size(), 2u);
  EXPECT_EQ(span.tos[0].offset, 39u);
  EXPECT_EQ(span.tos[0].query_end, 38u);
  EXPECT_EQ(span.tos[1].offset, 52u);
  EXPECT_EQ(span.tos[1].query_end, 45u);  // After "a", before the comment.
}

TEST(LexerTest, JsonObjectIsCapturedRaw) {
  const std::string json = R"({"a": {"b": "}\"{"}, "n": ${n}, "p": "${p|x}"})";
  const std::string text = " -- c\n " + json + ";";
  Lexer lexer(text);
  const auto range = lexer.ScanJsonObject();
  ASSERT_TRUE(range.has_value());
  EXPECT_EQ(range->first, 7u);
  EXPECT_EQ(range->second, 7 + json.size());
  EXPECT_TRUE(lexer.Next().IsSymbol(';'));
}

TEST(LexerTest, JsonObjectErrorsAtItsBrace) {
  for (std::string_view text : {R"(  {"a": "x.csv";)", R"(  {"a": "x.csv})", "  {\"a\": {}"}) {
    Lexer lexer(text);
    try {
      lexer.ScanJsonObject();
      ADD_FAILURE() << text;
    } catch (const SyntaxError& error) {
      EXPECT_EQ(error.offset, 2u) << text;
      EXPECT_EQ(error.message, "unterminated JSON object");
    }
  }
  Lexer none("PARAMS");
  EXPECT_FALSE(none.ScanJsonObject().has_value());
  EXPECT_EQ(none.position(), 0u);
}

TEST(LexerTest, FindThenSkipsStringsAndVariables) {
  Lexer lexer(" ${then} == 'THEN' AND x_then THEN LOAD");
  EXPECT_EQ(lexer.FindThen(), std::optional<size_t>(30));
  EXPECT_EQ(lexer.position(), 0u);
  Lexer missing(" x == 1 ; THEN");
  EXPECT_EQ(missing.FindThen(), std::nullopt);
}

}  // namespace
}  // namespace sqlflow::pipeline
