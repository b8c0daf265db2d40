#include "sqlflow/pipeline/parser.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "sqlflow/common/error.h"
#include "sqlflow/common/strings.h"
#include "sqlflow/pipeline/lexer.h"
#include "sqlflow/pipeline/parser_internal.h"

namespace sqlflow::pipeline {
namespace {

const std::vector<std::string>& StatementKeywords() {
  static const std::vector<std::string> kKeywords = {"SOURCE", "LOAD",    "CREATE", "EXPORT",
                                                     "SET",    "INCLUDE", "IF"};
  return kKeywords;
}

constexpr char kStatementHelp[] =
    "a statement starts with SOURCE, LOAD, CREATE TABLE, EXPORT, SET, INCLUDE or IF";

bool IsBlockEnd(const Token& token) {
  return token.Is("ELSE") || token.Is("ELSEIF") || token.Is("END") || token.Is("ENDIF");
}

bool StartsStatement(const Token& token) {
  if (token.kind != TokenKind::kWord) return false;
  const auto& keywords = StatementKeywords();
  return IsBlockEnd(token) || std::any_of(keywords.begin(), keywords.end(),
                                          [&](const std::string& k) { return token.Is(k); });
}

std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates) {
  const std::string match = ClosestMatch(word, candidates);
  return match.empty() ? "" : fmt::format("did you mean '{}'?", match);
}

/// "MODE, KEY or ';'" for the keywords a statement could have continued with.
std::string ExpectedList(const std::vector<std::string>& keywords) {
  if (keywords.empty()) return "';'";
  return fmt::format("{} or ';'", Join(keywords, ", "));
}

/// Recursive-descent parser of one file; collects every error it can recover from.
class Parser {
 public:
  Parser(std::shared_ptr<const SourceFile> file, DiagnosticList* diagnostics)
      : file_(std::move(file)), lexer_(file_->text), diagnostics_(diagnostics) {
    // Editors on Windows may start a UTF-8 file with a byte order mark.
    if (StartsWith(file_->text, "\xEF\xBB\xBF")) lexer_.set_position(3);
  }

  Block ParseFile() {
    Token end;
    return ParseBlock(/*in_if=*/false, &end);
  }

 private:
  Block ParseBlock(bool in_if, Token* terminator);
  Statement ParseStatement();
  [[noreturn]] void FailUnknownStatement(const Token& token);
  SourceStmt ParseSource();
  LoadStmt ParseLoad();
  LoadMode ParseLoadMode(const Token& mode);
  CreateTableStmt ParseCreate();
  void ParseTransformMode(CreateTableStmt* create);
  Text ParseLookback();
  ExportStmt ParseExport(const Token& keyword);
  const ToWord* FindExportTo(const SqlSpan& span);
  bool IsSingleName(size_t begin, size_t end, Text* query);
  void ParseExportTarget(ExportStmt* export_stmt);
  SetStmt ParseSet();
  IncludeStmt ParseInclude();
  IfStmt ParseIf(const Token& if_token);
  Text ParseCondition(const Token& keyword);
  void FinishIf(const Token& end);

  // Building blocks.
  Token Next();
  Token Peek() { return lexer_.Peek(); }
  bool Accept(std::string_view keyword);
  Token Expect(std::string_view keyword, std::string_view where);
  Text ExpectName(std::string_view what);
  std::vector<Text> ParseKeys();
  void RequireUpsertKey(const Location& mode_location);
  Text ParseJson(const Token& keyword);
  Text ParseSqlBody(const Token& after);
  void ExpectStatementEnd(const std::vector<std::string>& keywords);
  std::string Describe(const Token& token) const;
  [[noreturn]] void Fail(const Token& token, std::string message, std::string suggestion = "");
  void Report(const SyntaxError& error);
  void Recover(const SyntaxError& error);
  Location LocationOf(size_t offset, size_t length) const;
  Text TextOf(const Token& token) const;
  Text RawText(size_t begin, size_t end) const;

  std::shared_ptr<const SourceFile> file_;
  Lexer lexer_;
  DiagnosticList* diagnostics_;
  size_t last_end_ = 0;  ///< One past the last byte consumed: where a missing ';' goes.
};

// ---------------------------------------------------------------------------------------------
// Blocks and statements

Block Parser::ParseBlock(bool in_if, Token* terminator) {
  Block block;
  while (true) {
    Token token;
    try {
      token = Peek();
    } catch (const SyntaxError& error) {
      Recover(error);
      continue;
    }
    if (token.kind == TokenKind::kEnd || (in_if && IsBlockEnd(token))) {
      *terminator = token;
      return block;
    }
    if (token.IsSymbol(';')) {  // An empty statement.
      Next();
      continue;
    }
    try {
      block.push_back(ParseStatement());
    } catch (const SyntaxError& error) {
      Recover(error);
    }
  }
}

Statement Parser::ParseStatement() {
  const Token keyword = Next();
  Statement statement;
  statement.location = LocationOf(keyword.offset, keyword.length);
  if (keyword.Is("SOURCE")) {
    statement.node = ParseSource();
  } else if (keyword.Is("LOAD")) {
    statement.node = ParseLoad();
  } else if (keyword.Is("CREATE")) {
    statement.node = ParseCreate();
  } else if (keyword.Is("EXPORT")) {
    statement.node = ParseExport(keyword);
  } else if (keyword.Is("SET")) {
    statement.node = ParseSet();
  } else if (keyword.Is("INCLUDE")) {
    statement.node = ParseInclude();
  } else if (keyword.Is("IF")) {
    statement.node = ParseIf(keyword);
  } else {
    FailUnknownStatement(keyword);
  }
  return statement;
}

void Parser::FailUnknownStatement(const Token& token) {
  if (IsBlockEnd(token)) {
    Fail(token, fmt::format("'{}' without a matching IF", ToUpper(token.text)));
  }
  if (token.kind != TokenKind::kWord) {
    Fail(token, fmt::format("expected a statement, found {}", Describe(token)), kStatementHelp);
  }
  std::string suggestion = DidYouMean(token.text, StatementKeywords());
  if (token.Is("SELECT") || token.Is("WITH")) {
    suggestion =
        "a query goes in a statement: CREATE TABLE name AS SELECT ... or EXPORT SELECT "
        "... TO \"file\" TYPE type";
  }
  Fail(token, fmt::format("unknown statement '{}'", token.text),
       suggestion.empty() ? kStatementHelp : suggestion);
}

SourceStmt Parser::ParseSource() {
  SourceStmt source;
  source.name = ExpectName("a source name after SOURCE");
  const Token form = Next();
  if (form.Is("TYPE")) {
    source.type = ExpectName("a connector type after TYPE");
    const Token next = Peek();
    if (next.Is("OPTIONS")) {
      Fail(next, "SOURCE ... TYPE takes PARAMS, not OPTIONS",
           "write SOURCE name TYPE type PARAMS {...}; OPTIONS goes with SOURCE name FROM "
           "\"connection\"");
    }
    if (Accept("PARAMS")) source.json = ParseJson(next);
  } else if (form.Is("FROM")) {
    source.connection = ExpectName("a connection name after FROM");
    const Token next = Peek();
    if (next.Is("PARAMS")) {
      Fail(next, "SOURCE ... FROM \"connection\" takes OPTIONS, not PARAMS",
           "write SOURCE name FROM \"connection\" OPTIONS {...}; PARAMS goes with SOURCE name "
           "TYPE type");
    }
    if (Accept("OPTIONS")) source.json = ParseJson(next);
  } else {
    Fail(form, fmt::format("expected TYPE or FROM after the source name, found {}", Describe(form)),
         "write SOURCE name TYPE type PARAMS {...} or SOURCE name FROM \"connection\"");
  }
  if (source.json) {
    ExpectStatementEnd({});
  } else {
    ExpectStatementEnd({source.type ? "PARAMS" : "OPTIONS"});
  }
  return source;
}

LoadStmt Parser::ParseLoad() {
  LoadStmt load;
  load.table = ExpectName("a table name after LOAD");
  Expect("FROM", "after the table name");
  load.source = ExpectName("a source name after FROM");
  if (Peek().Is("MODE")) {
    const Token keyword = Next();
    const Token mode = Next();
    load.mode = ParseLoadMode(mode);
    load.mode_location = LocationOf(keyword.offset, mode.end() - keyword.offset);
    if (load.mode == LoadMode::kUpsert) RequireUpsertKey(*load.mode_location);
  }
  if (Peek().Is("KEY")) {
    const Token key = Next();
    if (load.mode != LoadMode::kUpsert) {
      Fail(key, "KEY is only used with MODE UPSERT", "write MODE UPSERT KEY (...) or drop KEY");
    }
    load.keys = ParseKeys();
  }
  std::vector<std::string> more;
  if (!load.mode_location) more.push_back("MODE");
  ExpectStatementEnd(more);
  return load;
}

LoadMode Parser::ParseLoadMode(const Token& mode) {
  if (mode.Is("REPLACE")) return LoadMode::kReplace;
  if (mode.Is("APPEND")) return LoadMode::kAppend;
  if (mode.Is("UPSERT")) return LoadMode::kUpsert;
  std::string suggestion =
      mode.kind == TokenKind::kWord ? DidYouMean(mode.text, {"REPLACE", "APPEND", "UPSERT"}) : "";
  if (mode.Is("INCREMENTAL")) {
    suggestion = "LOAD reads incrementally when its SOURCE has \"sync_mode\": \"incremental\"";
  }
  Fail(mode, fmt::format("unknown LOAD mode {}", Describe(mode)),
       suggestion.empty() ? "LOAD modes are REPLACE, APPEND and UPSERT" : suggestion);
}

CreateTableStmt Parser::ParseCreate() {
  CreateTableStmt create;
  if (Accept("OR")) {
    Expect("REPLACE", "after CREATE OR");
    create.or_replace = true;
  }
  const Token table = Next();
  if (!table.Is("TABLE")) {
    Fail(table, fmt::format("expected TABLE after CREATE, found {}", Describe(table)),
         "a pipeline creates tables: CREATE [OR REPLACE] TABLE name AS query");
  }
  create.table = ExpectName("a table name after TABLE");
  if (Peek().Is("MODE")) ParseTransformMode(&create);
  const Token as = Next();
  if (!as.Is("AS")) {
    Fail(as, fmt::format("expected AS before the query, found {}", Describe(as)),
         as.kind == TokenKind::kWord ? DidYouMean(as.text, {"AS", "MODE", "LOOKBACK"}) : "");
  }
  create.query = ParseSqlBody(as);
  return create;
}

void Parser::ParseTransformMode(CreateTableStmt* create) {
  const Token keyword = Next();
  const Token mode = Next();
  create->mode_location = LocationOf(keyword.offset, mode.end() - keyword.offset);
  if (mode.Is("REPLACE")) {
    create->mode = TransformMode::kReplace;
  } else if (mode.Is("APPEND")) {
    create->mode = TransformMode::kAppend;
  } else if (mode.Is("UPSERT")) {
    create->mode = TransformMode::kUpsert;
    RequireUpsertKey(*create->mode_location);
    Next();
    create->keys = ParseKeys();
  } else if (mode.Is("INCREMENTAL")) {
    create->mode = TransformMode::kIncremental;
    Expect("BY", "after MODE INCREMENTAL");
    create->incremental_by = ExpectName("a column name after INCREMENTAL BY");
    if (Accept("LOOKBACK")) create->lookback = ParseLookback();
  } else {
    const std::string suggestion =
        mode.kind == TokenKind::kWord
            ? DidYouMean(mode.text, {"REPLACE", "APPEND", "UPSERT", "INCREMENTAL"})
            : "";
    Fail(mode, fmt::format("unknown CREATE TABLE mode {}", Describe(mode)),
         suggestion.empty()
             ? "modes are REPLACE, APPEND, UPSERT KEY (...) and INCREMENTAL BY column"
             : suggestion);
  }
}

Text Parser::ParseLookback() {
  const Token amount = Next();
  if (amount.kind == TokenKind::kString) return TextOf(amount);
  if (amount.kind != TokenKind::kNumber) {
    Fail(amount, fmt::format("expected a duration after LOOKBACK, found {}", Describe(amount)),
         "write LOOKBACK '2 days' or LOOKBACK 2 DAYS");
  }
  const Token unit = Peek();
  if (unit.kind != TokenKind::kWord || unit.Is("AS")) return TextOf(amount);
  Next();
  return RawText(amount.offset, unit.end());
}

SetStmt Parser::ParseSet() {
  SetStmt set;
  set.name = ExpectName("a variable name after SET");
  const Token equals = Next();
  if (!equals.IsSymbol('=')) {
    Fail(equals, fmt::format("expected '=' after the variable name, found {}", Describe(equals)),
         "write SET name = value;");
  }
  const Token value = Next();
  if (value.kind == TokenKind::kEnd || value.kind == TokenKind::kSymbol) {
    Fail(value, fmt::format("expected a value after '=', found {}", Describe(value)),
         "a value is a quoted string, a number, true or false");
  }
  set.value = TextOf(value);
  ExpectStatementEnd({});
  return set;
}

IncludeStmt Parser::ParseInclude() {
  IncludeStmt include;
  const Token path = Next();
  if (path.kind != TokenKind::kString) {
    Fail(path, fmt::format("expected a quoted file path after INCLUDE, found {}", Describe(path)),
         "write INCLUDE \"common.sf\";");
  }
  include.path = TextOf(path);
  if (Accept("AS")) include.alias = ExpectName("an alias after AS");
  if (include.alias) {
    ExpectStatementEnd({});
  } else {
    ExpectStatementEnd({"AS"});
  }
  return include;
}

// ---------------------------------------------------------------------------------------------
// EXPORT

ExportStmt Parser::ParseExport(const Token& keyword) {
  const SqlSpan span = lexer_.ScanSql();
  const size_t stop = lexer_.position();
  const ToWord* to = FindExportTo(span);
  lexer_.set_position(stop);  // On an error below, recovery starts at the ';'.
  if (to == nullptr) {
    Fail(keyword, "expected TO \"uri\" TYPE type or TO connection after the EXPORT query",
         "write EXPORT <query or table> TO \"output/file.csv\" TYPE CSV;");
  }
  if (to->query_end == span.begin) {
    Fail(keyword, "expected a query or a table name after EXPORT",
         "write EXPORT <query or table> TO \"output/file.csv\" TYPE CSV;");
  }
  ExportStmt export_stmt;
  export_stmt.query = RawText(span.begin, to->query_end);
  export_stmt.is_table = IsSingleName(span.begin, to->query_end, &export_stmt.query);
  lexer_.set_position(to->offset);
  Next();  // TO
  ParseExportTarget(&export_stmt);
  return export_stmt;
}

/// The query ends at its last top-level TO followed by a quoted URI or a name and then TYPE,
/// OPTIONS or ';' (or the end, reported as a missing ';' afterwards).
const ToWord* Parser::FindExportTo(const SqlSpan& span) {
  for (auto it = span.tos.rbegin(); it != span.tos.rend(); ++it) {
    lexer_.set_position(it->offset + 2);
    try {
      const Token target = lexer_.Next();
      if (target.kind != TokenKind::kString && target.kind != TokenKind::kWord) continue;
      const Token after = lexer_.Next();
      if (after.Is("TYPE") || after.Is("OPTIONS") || after.IsSymbol(';') ||
          after.kind == TokenKind::kEnd) {
        return &*it;
      }
    } catch (const SyntaxError&) {
      // Not a target: try the TO before it.
    }
  }
  return nullptr;
}

/// Return whether [begin, end) is one name (`orders`, `${schema}.orders`, "My Table"); a
/// quoted name replaces `query` by its unquoted text.
bool Parser::IsSingleName(size_t begin, size_t end, Text* query) {
  Lexer probe(file_->text);
  probe.set_position(begin);
  try {
    const Token token = probe.Next();
    if (token.end() != end) return false;
    if (token.kind == TokenKind::kWord) return true;
    if (token.kind == TokenKind::kString && token.quote == '"') {
      *query = TextOf(token);
      return true;
    }
  } catch (const SyntaxError&) {
    // Not a single name.
  }
  return false;
}

void Parser::ParseExportTarget(ExportStmt* export_stmt) {
  const Token target = Next();
  export_stmt->target = TextOf(target);
  export_stmt->to_connection = target.kind == TokenKind::kWord;
  if (Accept("TYPE")) {
    export_stmt->type = ExpectName("a destination type after TYPE");
  } else if (!export_stmt->to_connection) {
    Fail(target, "EXPORT to a URI needs TYPE",
         "add TYPE after the URI: TYPE CSV, PARQUET, JSON, ...");
  }
  const Token options = Peek();
  if (Accept("OPTIONS")) export_stmt->options = ParseJson(options);
  if (export_stmt->options) {
    ExpectStatementEnd({});
  } else {
    ExpectStatementEnd({"OPTIONS"});
  }
}

// ---------------------------------------------------------------------------------------------
// IF

IfStmt Parser::ParseIf(const Token& if_token) {
  IfStmt if_stmt;
  Text condition = ParseCondition(if_token);
  bool in_else = false;
  while (true) {
    Token terminator;
    Block body = ParseBlock(/*in_if=*/true, &terminator);
    if (in_else) {
      if_stmt.else_body = std::move(body);
    } else {
      if_stmt.branches.push_back(IfStmt::Branch{std::move(condition), std::move(body)});
    }
    if (terminator.kind == TokenKind::kEnd) {
      Fail(if_token, "IF without END IF", "close the block with END IF;");
    }
    Next();
    if (terminator.Is("END") || terminator.Is("ENDIF")) {
      FinishIf(terminator);
      return if_stmt;
    }
    const bool else_if = terminator.Is("ELSEIF") || Accept("IF");  // ELSE IF = ELSEIF
    if (in_else) {
      Report(SyntaxError{terminator.offset, terminator.length,
                         else_if ? "ELSE IF after ELSE" : "a second ELSE in the same IF",
                         "ELSE comes last in an IF block"});
    }
    in_else = !else_if;
    if (else_if) condition = ParseCondition(terminator);
  }
}

/// Parse the condition after IF or ELSE IF through THEN. A missing THEN is reported and the
/// text to the next ';' skipped; the block that follows is still parsed.
Text Parser::ParseCondition(const Token& keyword) {
  const size_t begin = lexer_.position();
  std::optional<size_t> then;
  try {
    then = lexer_.FindThen();
    if (!then) {
      Fail(keyword, "expected THEN after the IF condition", "write IF condition THEN ... END IF;");
    }
  } catch (const SyntaxError& error) {
    Recover(error);
    return Text{};
  }
  lexer_.set_position(*then + 4);
  last_end_ = *then + 4;
  size_t first = begin;
  size_t last = *then;
  while (first < last && std::isspace(static_cast<unsigned char>(file_->text[first]))) ++first;
  while (last > first && std::isspace(static_cast<unsigned char>(file_->text[last - 1]))) --last;
  if (first == last) {
    Report(SyntaxError{keyword.offset, keyword.length, "expected a condition before THEN",
                       "write IF ${env} == 'prod' THEN ..."});
  }
  return RawText(first, last);
}

void Parser::FinishIf(const Token& end) {
  if (end.Is("END")) {
    const Token if_word = Peek();
    if (!if_word.Is("IF")) {
      Fail(if_word, fmt::format("expected IF after END, found {}", Describe(if_word)),
           "close the block with END IF;");
    }
    Next();
  }
  if (Peek().IsSymbol(';')) Next();
}

// ---------------------------------------------------------------------------------------------
// Building blocks

Token Parser::Next() {
  Token token = lexer_.Next();
  if (token.kind != TokenKind::kEnd) last_end_ = token.end();
  return token;
}

bool Parser::Accept(std::string_view keyword) {
  if (!Peek().Is(keyword)) return false;
  Next();
  return true;
}

Token Parser::Expect(std::string_view keyword, std::string_view where) {
  const Token token = Next();
  if (!token.Is(keyword)) {
    Fail(token, fmt::format("expected {} {}, found {}", keyword, where, Describe(token)),
         token.kind == TokenKind::kWord ? DidYouMean(token.text, {std::string(keyword)}) : "");
  }
  return token;
}

Text Parser::ExpectName(std::string_view what) {
  const Token token = Next();
  if (token.kind != TokenKind::kWord && token.kind != TokenKind::kString) {
    Fail(token, fmt::format("expected {}, found {}", what, Describe(token)));
  }
  return TextOf(token);
}

/// KEY (a, b) | KEY a, b — the KEY word already consumed.
std::vector<Text> Parser::ParseKeys() {
  std::vector<Text> keys;
  const bool parenthesized = Peek().IsSymbol('(');
  if (parenthesized) Next();
  keys.push_back(ExpectName("a key column"));
  while (Peek().IsSymbol(',')) {
    Next();
    keys.push_back(ExpectName("a key column after ','"));
  }
  if (parenthesized) {
    const Token close = Next();
    if (!close.IsSymbol(')')) {
      Fail(close, fmt::format("expected ')' after the key columns, found {}", Describe(close)));
    }
  }
  return keys;
}

/// After MODE UPSERT: KEY must follow. A stray word is named; otherwise the error is the
/// missing KEY, at MODE UPSERT.
void Parser::RequireUpsertKey(const Location& mode_location) {
  const Token next = Peek();
  if (next.Is("KEY")) return;
  if (next.kind == TokenKind::kWord && !next.Is("AS") && !StartsStatement(next)) {
    Fail(next, fmt::format("expected KEY after MODE UPSERT, found {}", Describe(next)),
         DidYouMean(next.text, {"KEY"}));
  }
  throw SyntaxError{mode_location.offset, mode_location.length, "MODE UPSERT requires KEY",
                    "add KEY (column, ...) naming the columns that identify a row"};
}

Text Parser::ParseJson(const Token& keyword) {
  const auto range = lexer_.ScanJsonObject();
  if (!range) {
    const Token found = Peek();
    Fail(found,
         fmt::format("expected a JSON object after {}, found {}", ToUpper(keyword.text),
                     Describe(found)),
         "write the parameters as {\"name\": value, ...}");
  }
  last_end_ = range->second;
  return RawText(range->first, range->second);
}

Text Parser::ParseSqlBody(const Token& after) {
  const SqlSpan span = lexer_.ScanSql();
  if (span.begin == span.end) {
    Fail(after, fmt::format("expected a query after {}", ToUpper(after.text)),
         "write CREATE TABLE name AS SELECT ...;");
  }
  last_end_ = span.end;
  Text query = RawText(span.begin, span.end);
  ExpectStatementEnd({});
  return query;
}

/// Consume the ';' that ends a statement. A missing one before the end of the file or before
/// the next statement is reported at the end of the statement without skipping anything.
void Parser::ExpectStatementEnd(const std::vector<std::string>& keywords) {
  const Token token = Peek();
  if (token.IsSymbol(';')) {
    Next();
    return;
  }
  if (token.kind == TokenKind::kEnd || StartsStatement(token)) {
    Report(SyntaxError{last_end_, 1, "missing ';' at the end of the statement", "add ';'"});
    return;
  }
  Fail(token, fmt::format("expected {}, found {}", ExpectedList(keywords), Describe(token)),
       token.kind == TokenKind::kWord ? DidYouMean(token.text, keywords) : "");
}

std::string Parser::Describe(const Token& token) const {
  if (token.kind == TokenKind::kEnd) return "the end of the file";
  return fmt::format(
      "'{}'",
      TruncateForMessage(std::string_view(file_->text).substr(token.offset, token.length), 40));
}

void Parser::Fail(const Token& token, std::string message, std::string suggestion) {
  // The end of the file has no text: point just after the last token instead.
  const size_t offset = token.kind == TokenKind::kEnd ? last_end_ : token.offset;
  throw SyntaxError{offset, std::max<size_t>(token.length, 1), std::move(message),
                    std::move(suggestion)};
}

void Parser::Report(const SyntaxError& error) {
  diagnostics_->Add(LocationOf(error.offset, std::max<size_t>(error.length, 1)), error.message,
                    error.suggestion);
}

void Parser::Recover(const SyntaxError& error) {
  Report(error);
  // When the offending token was the statement's ';' (`LOAD t FROM;`), the statement is over.
  const bool at_semicolon =
      lexer_.position() == error.offset + 1 && file_->text[error.offset] == ';';
  if (!at_semicolon) lexer_.SkipStatement();
}

Location Parser::LocationOf(size_t offset, size_t length) const {
  return Location{file_, offset, length};
}

Text Parser::TextOf(const Token& token) const {
  const bool quoted = token.kind == TokenKind::kString;
  return Text{token.text, LocationOf(token.offset, token.length), quoted ? 1u : 0u, quoted};
}

Text Parser::RawText(size_t begin, size_t end) const {
  return Text{file_->text.substr(begin, end - begin), LocationOf(begin, end - begin), 0, false};
}

}  // namespace

Block ParseInto(const std::shared_ptr<const SourceFile>& file, DiagnosticList* diagnostics) {
  return Parser(file, diagnostics).ParseFile();
}

Block ParseStatements(const std::shared_ptr<const SourceFile>& file) {
  DiagnosticList diagnostics;
  Block block = ParseInto(file, &diagnostics);
  diagnostics.Check();
  return block;
}

}  // namespace sqlflow::pipeline
