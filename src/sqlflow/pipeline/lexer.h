#pragma once

// Private to the pipeline component: the parser's tokenizer and raw scanners. Not included
// from other components.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sqlflow::pipeline {

/// A syntax error at a byte range of the text being lexed or parsed.
struct SyntaxError {
  size_t offset = 0;       ///< First byte of the offending text.
  size_t length = 1;       ///< Bytes covered by the caret; at least 1.
  std::string message;     ///< "unterminated string"
  std::string suggestion;  ///< A fix, or "".
};

enum class TokenKind {
  kWord,    ///< A name or keyword: [A-Za-z_][A-Za-z0-9_.]*, `${...}` allowed anywhere in it.
  kString,  ///< "double" or 'single' quoted; backslash escapes the next byte.
  kNumber,  ///< -?digits[.digits][e[+-]digits]
  kSymbol,  ///< One of ; ( ) , = { }
  kEnd,     ///< End of the text.
};

/// One token, with the bytes it covers in the text.
struct Token {
  TokenKind kind = TokenKind::kEnd;
  size_t offset = 0;  ///< First byte (the opening quote of a string).
  size_t length = 0;  ///< Bytes in the text, quotes included.
  std::string text;   ///< As written; a string without its quotes (escapes kept as written).
  char quote = 0;     ///< The quote character of a kString.

  /// Return whether this is the word `keyword`, ignoring case.
  bool Is(std::string_view keyword) const;
  /// Return whether this is the symbol `symbol`.
  bool IsSymbol(char symbol) const { return kind == TokenKind::kSymbol && text[0] == symbol; }
  size_t end() const { return offset + length; }
};

/// A top-level `TO` inside a scanned query (EXPORT's query ends at one of them).
struct ToWord {
  size_t offset = 0;     ///< The T of TO.
  size_t query_end = 0;  ///< One past the last byte of SQL before it (white space and
                         ///< comments excluded).
};

/// Raw SQL found by Lexer::ScanSql.
struct SqlSpan {
  size_t begin = 0;         ///< First byte after leading white space.
  size_t end = 0;           ///< One past the last SQL byte: trailing white space and
                            ///< comments are not part of the query.
  bool terminated = false;  ///< A top-level ';' ended the query (the lexer stops at it).
  std::vector<ToWord> tos;  ///< Top-level TO words, in order.
};

/// Tokenizer of pipeline statements, with raw scanners for what is not tokenized: SQL bodies,
/// JSON objects and IF conditions. Every throw of SyntaxError leaves the position past the
/// offending text so a caller can skip to the next statement.
class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  /// Return the next token, skipping white space and comments.
  Token Next();
  /// Return the next token without consuming it.
  Token Peek();
  /// Skip white space, `--` comments and `/* */` comments.
  void SkipTrivia();
  /// Consume tokens through the next ';' (or to the end) ignoring errors: error recovery.
  void SkipStatement();

  /// Scan SQL from the position to its first top-level ';' (outside strings, quoted
  /// identifiers, comments, dollar quotes and brackets) or the end; stop at the ';'.
  SqlSpan ScanSql();
  /// Scan the JSON object at the position (after trivia) and return its [begin, end), braces
  /// included; nullopt, consuming nothing, when no '{' is there.
  std::optional<std::pair<size_t, size_t>> ScanJsonObject();
  /// Return the offset of the word THEN ending an IF condition that starts at the position;
  /// nullopt when a ';' or the end comes first. Consumes nothing.
  std::optional<size_t> FindThen();

  size_t position() const { return pos_; }
  void set_position(size_t offset) { pos_ = offset; }
  std::string_view text() const { return text_; }

 private:
  bool At(std::string_view prefix) const { return text_.substr(pos_, prefix.size()) == prefix; }
  void SkipLineComment();
  void SkipBlockComment();
  /// Skip a quoted run at the position; `backslash` makes '\' escape the next byte.
  void SkipQuoted(bool backslash);
  /// Skip `${...}` at the position (a quoted default may hold '}').
  void SkipVariable();
  /// Skip a `$tag$ ... $tag$` string when one opens at the position; return whether it did.
  bool SkipDollarQuoted();
  /// Skip the bytes of one word at the position (`${...}` included).
  void SkipWord();
  /// Skip one piece of SQL at the position (not white space or a comment), tracking brackets
  /// in `open` and top-level TO words in `span`.
  void ScanSqlPiece(std::vector<size_t>* open, SqlSpan* span);
  Token ScanWord();
  Token ScanNumber();
  Token ScanString();
  [[noreturn]] void ThrowUnexpected();

  std::string_view text_;
  size_t pos_ = 0;
};

/// Return whether `c` may start a name.
bool IsNameStart(char c);
/// Return whether `c` may continue a name.
bool IsNamePart(char c);

}  // namespace sqlflow::pipeline
