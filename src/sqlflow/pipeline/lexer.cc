#include "sqlflow/pipeline/lexer.h"

#include <algorithm>

#include <fmt/format.h>

#include "sqlflow/common/strings.h"

namespace sqlflow::pipeline {
namespace {

constexpr std::string_view kSymbols = ";(),={}";

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
/// A byte of an SQL word or a dollar-quote tag: a name byte other than '.'.
bool IsWordByte(char c) { return IsNamePart(c) && c != '.'; }

/// Return the length of the UTF-8 sequence led by `lead` (1 for ASCII or a stray byte).
size_t Utf8Length(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

}  // namespace

bool IsNameStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool IsNamePart(char c) { return IsNameStart(c) || IsDigit(c) || c == '.'; }

bool Token::Is(std::string_view keyword) const {
  return kind == TokenKind::kWord && EqualsIgnoreCase(text, keyword);
}

Token Lexer::Next() {
  SkipTrivia();
  if (pos_ >= text_.size()) return Token{TokenKind::kEnd, text_.size(), 0, "", 0};
  const char c = text_[pos_];
  if (IsNameStart(c) || At("${")) return ScanWord();
  if (IsDigit(c) || (c == '-' && pos_ + 1 < text_.size() && IsDigit(text_[pos_ + 1]))) {
    return ScanNumber();
  }
  if (c == '"' || c == '\'') return ScanString();
  if (c != '\0' && kSymbols.find(c) != std::string_view::npos) {
    return Token{TokenKind::kSymbol, pos_++, 1, std::string(1, c), 0};
  }
  ThrowUnexpected();
}

Token Lexer::Peek() {
  const size_t saved = pos_;
  try {
    Token token = Next();
    pos_ = saved;
    return token;
  } catch (const SyntaxError&) {
    pos_ = saved;
    throw;
  }
}

void Lexer::SkipTrivia() {
  while (pos_ < text_.size()) {
    if (IsSpace(text_[pos_])) {
      ++pos_;
    } else if (At("--")) {
      SkipLineComment();
    } else if (At("/*")) {
      SkipBlockComment();
    } else {
      return;
    }
  }
}

void Lexer::SkipStatement() {
  while (true) {
    try {
      const Token token = Next();
      if (token.kind == TokenKind::kEnd || token.IsSymbol(';')) return;
    } catch (const SyntaxError&) {
      // Every throw moved past the offending text, so this loop ends.
    }
  }
}

SqlSpan Lexer::ScanSql() {
  while (pos_ < text_.size() && IsSpace(text_[pos_])) ++pos_;
  SqlSpan span;
  span.begin = span.end = pos_;
  std::vector<size_t> open;  // Offsets of the brackets not closed yet.
  for (SkipTrivia(); pos_ < text_.size(); SkipTrivia()) {
    if (text_[pos_] == ';' && open.empty()) {
      span.terminated = true;
      break;
    }
    ScanSqlPiece(&open, &span);
    span.end = pos_;
  }
  if (!span.terminated && !open.empty()) {
    const char bracket = text_[open.back()];
    throw SyntaxError{open.back(), 1, fmt::format("unclosed '{}'", bracket),
                      "the query ends at the first ';' outside brackets; close the bracket"};
  }
  return span;
}

void Lexer::ScanSqlPiece(std::vector<size_t>* open, SqlSpan* span) {
  const size_t start = pos_;
  const char c = text_[pos_];
  if (c == '\'') {
    // E'...' strings take backslash escapes; plain SQL strings double the quote instead.
    const bool escape_string = start > 0 && (text_[start - 1] == 'E' || text_[start - 1] == 'e') &&
                               (start < 2 || !IsWordByte(text_[start - 2]));
    SkipQuoted(escape_string);
  } else if (c == '"') {
    // Inside braces (EXPORT ... OPTIONS {json}) a double-quoted string is JSON: '\' escapes.
    SkipQuoted(!open->empty() && text_[open->back()] == '{');
  } else if (c == '$') {
    if (At("${")) {
      SkipVariable();
    } else if (!SkipDollarQuoted()) {
      ++pos_;
    }
  } else if (c == '(' || c == '[' || c == '{') {
    open->push_back(pos_++);
  } else if (c == ')' || c == ']' || c == '}') {
    if (!open->empty()) open->pop_back();
    ++pos_;
  } else if (IsWordByte(c)) {
    while (pos_ < text_.size() && IsWordByte(text_[pos_])) ++pos_;
    const bool after_dot = start > 0 && text_[start - 1] == '.';  // t.to is a column
    if (open->empty() && !after_dot && pos_ - start == 2 &&
        EqualsIgnoreCase(text_.substr(start, 2), "TO")) {
      span->tos.push_back(ToWord{start, span->end});
    }
  } else {
    ++pos_;
  }
}

std::optional<std::pair<size_t, size_t>> Lexer::ScanJsonObject() {
  SkipTrivia();
  if (pos_ >= text_.size() || text_[pos_] != '{') return std::nullopt;
  const size_t start = pos_;
  int depth = 0;
  try {
    while (pos_ < text_.size() && !(text_[pos_] == ';' && depth > 0)) {
      const char c = text_[pos_];
      if (c == '"') {
        SkipQuoted(/*backslash=*/true);
        continue;
      }
      if (At("${")) {
        SkipVariable();  // `"batch_size": ${n}` has braces that are not the object's.
        continue;
      }
      ++pos_;
      if (c == '{') ++depth;
      if (c == '}' && --depth == 0) return std::make_pair(start, pos_);
    }
  } catch (const SyntaxError&) {
    // An unterminated string inside means the object is unterminated: report the object.
  }
  // A ';' outside strings cannot be JSON: the '}' is missing (pinned by parser_test).
  pos_ = start + 1;
  throw SyntaxError{start, 1, "unterminated JSON object", "close it with }"};
}

std::optional<size_t> Lexer::FindThen() {
  const size_t saved = pos_;
  std::optional<size_t> then;
  while (pos_ < text_.size() && text_[pos_] != ';') {
    const char c = text_[pos_];
    if (c == '"' || c == '\'') {
      SkipQuoted(/*backslash=*/true);
    } else if (IsNameStart(c) || At("${")) {
      const size_t start = pos_;
      SkipWord();
      if (EqualsIgnoreCase(text_.substr(start, pos_ - start), "THEN")) {
        then = start;
        break;
      }
    } else {
      ++pos_;
    }
  }
  pos_ = saved;
  return then;
}

void Lexer::SkipLineComment() {
  const size_t newline = text_.find('\n', pos_);
  pos_ = newline == std::string_view::npos ? text_.size() : newline + 1;
}

void Lexer::SkipBlockComment() {
  const size_t start = pos_;
  const size_t close = text_.find("*/", pos_ + 2);
  if (close == std::string_view::npos) {
    pos_ = start + 2;
    throw SyntaxError{start, 2, "unterminated comment", "close it with */"};
  }
  pos_ = close + 2;
}

void Lexer::SkipQuoted(bool backslash) {
  const size_t start = pos_;
  const char quote = text_[pos_];
  for (size_t i = pos_ + 1; i < text_.size(); ++i) {
    if (backslash && text_[i] == '\\') {
      ++i;
    } else if (text_[i] == quote) {
      pos_ = i + 1;
      return;
    }
  }
  pos_ = start + 1;
  throw SyntaxError{start, 1, "unterminated string", fmt::format("close it with {}", quote)};
}

void Lexer::SkipVariable() {
  const size_t start = pos_;
  for (size_t i = pos_ + 2; i < text_.size() && text_[i] != '\n'; ++i) {
    const char c = text_[i];
    if (c == '}') {
      pos_ = i + 1;
      return;
    }
    // A quoted default (${name|"a}b"}) may hold '}'.
    if ((c == '"' || c == '\'') && text_[i - 1] == '|') {
      const size_t close = text_.find(c, i + 1);
      if (close == std::string_view::npos) break;
      i = close;
    }
  }
  pos_ = start + 2;
  throw SyntaxError{start, 2, "unterminated variable reference",
                    "write ${name} or ${name|default}"};
}

bool Lexer::SkipDollarQuoted() {
  size_t i = pos_ + 1;
  if (i < text_.size() && IsNameStart(text_[i])) {
    while (i < text_.size() && IsWordByte(text_[i])) ++i;
  }
  if (i >= text_.size() || text_[i] != '$') return false;  // `$1` or a lone '$'
  const std::string_view tag = text_.substr(pos_, i + 1 - pos_);
  const size_t close = text_.find(tag, i + 1);
  if (close == std::string_view::npos) {
    const size_t start = pos_;
    pos_ = i + 1;
    throw SyntaxError{start, tag.size(), "unterminated dollar-quoted string",
                      fmt::format("close it with {}", tag)};
  }
  pos_ = close + tag.size();
  return true;
}

void Lexer::SkipWord() {
  while (pos_ < text_.size()) {
    if (IsNamePart(text_[pos_])) {
      ++pos_;
    } else if (At("${")) {
      SkipVariable();
    } else {
      return;
    }
  }
}

Token Lexer::ScanWord() {
  const size_t start = pos_;
  SkipWord();
  return Token{TokenKind::kWord, start, pos_ - start,
               std::string(text_.substr(start, pos_ - start)), 0};
}

Token Lexer::ScanNumber() {
  const size_t start = pos_;
  auto digits = [this] {
    while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
  };
  if (text_[pos_] == '-') ++pos_;
  digits();
  if (pos_ + 1 < text_.size() && text_[pos_] == '.' && IsDigit(text_[pos_ + 1])) {
    ++pos_;
    digits();
  }
  if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
    size_t exponent = pos_ + 1;
    if (exponent < text_.size() && (text_[exponent] == '+' || text_[exponent] == '-')) ++exponent;
    if (exponent < text_.size() && IsDigit(text_[exponent])) {
      pos_ = exponent;
      digits();
    }
  }
  return Token{TokenKind::kNumber, start, pos_ - start,
               std::string(text_.substr(start, pos_ - start)), 0};
}

Token Lexer::ScanString() {
  const size_t start = pos_;
  SkipQuoted(/*backslash=*/true);
  return Token{TokenKind::kString, start, pos_ - start,
               std::string(text_.substr(start + 1, pos_ - start - 2)), text_[start]};
}

void Lexer::ThrowUnexpected() {
  const size_t start = pos_;
  const size_t length =
      std::min(Utf8Length(static_cast<unsigned char>(text_[pos_])), text_.size() - pos_);
  pos_ += length;
  throw SyntaxError{start, length,
                    fmt::format("unexpected character '{}'", text_.substr(start, length))};
}

}  // namespace sqlflow::pipeline
