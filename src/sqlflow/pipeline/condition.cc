#include "sqlflow/pipeline/condition.h"

#include <algorithm>
#include <charconv>
#include <cstring>

#include <fmt/format.h>

#include "sqlflow/common/strings.h"

namespace sqlflow::pipeline {
namespace {

enum class Kind { kValue, kOperator, kOpen, kClose, kAnd, kOr, kNot, kEnd };

/// One token of a condition, with its byte range in the substituted text.
struct CondToken {
  Kind kind = Kind::kEnd;
  std::string text;  ///< As written; a quoted string without quotes or escapes.
  bool quoted = false;
  size_t offset = 0;
  size_t length = 0;
};

/// A value met while evaluating: a word, a string, a number or a boolean.
struct Operand {
  std::string text;
  bool is_bool = false;  ///< true/false written unquoted, or the result of a comparison.
};

constexpr std::string_view kOperatorBytes = "=!<>";

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/// Parse `text` as a whole as a number (no inf/nan).
bool ParseNumber(const std::string& text, double* value) {
  if (text.empty()) return false;
  const char first = text[0];
  if (!(first == '-' || first == '.' || (first >= '0' && first <= '9'))) return false;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return error == std::errc() && end == text.data() + text.size();
}

Operand Boolean(bool value) { return Operand{value ? "true" : "false", true}; }

bool Truthy(const Operand& operand) {
  double number = 0;
  if (ParseNumber(operand.text, &number)) return number != 0;
  const std::string lower = ToLower(operand.text);
  return !lower.empty() && lower != "false" && lower != "0";
}

bool Compare(const Operand& left, std::string_view op, const Operand& right) {
  double a = 0;
  double b = 0;
  int order = 0;
  if (ParseNumber(left.text, &a) && ParseNumber(right.text, &b)) {
    order = a < b ? -1 : (a > b ? 1 : 0);
  } else if (left.is_bool || right.is_bool) {
    order = ToLower(left.text).compare(ToLower(right.text));
  } else {
    order = left.text.compare(right.text);
  }
  if (op == "==" || op == "=") return order == 0;
  if (op == "!=" || op == "<>") return order != 0;
  if (op == "<") return order < 0;
  if (op == "<=") return order <= 0;
  if (op == ">") return order > 0;
  return order >= 0;  // ">="
}

/// Recursive descent over the tokens: or := and (OR and)*, and := not (AND not)*,
/// not := NOT not | comparison, comparison := primary [op primary], primary := ( or ) | value.
class ConditionEvaluator {
 public:
  ConditionEvaluator(const std::string& input, const Text& original)
      : input_(input), original_(original) {}

  bool Evaluate() {
    Tokenize();
    const Operand result = ParseOr();
    const CondToken& rest = tokens_[index_];
    if (rest.kind == Kind::kClose) Fail(rest, "unbalanced parenthesis");
    if (rest.kind != Kind::kEnd) {
      Fail(rest,
           fmt::format("expected AND or OR, found '{}'", input_.substr(rest.offset, rest.length)));
    }
    return Truthy(result);
  }

 private:
  void Tokenize();
  CondToken ScanString(size_t start);
  Operand ParseOr();
  Operand ParseAnd();
  Operand ParseNot();
  Operand ParseComparison();
  Operand ParsePrimary();
  [[noreturn]] void Fail(const CondToken& token, std::string message, std::string suggestion = "");
  Location MapLocation(size_t offset, size_t length) const;

  const std::string& input_;
  const Text& original_;
  std::vector<CondToken> tokens_;
  size_t index_ = 0;
};

void ConditionEvaluator::Tokenize() {
  size_t i = 0;
  while (i < input_.size()) {
    const char c = input_[i];
    if (IsSpace(c)) {
      ++i;
    } else if (c == '(' || c == ')') {
      tokens_.push_back(
          CondToken{c == '(' ? Kind::kOpen : Kind::kClose, std::string(1, c), false, i, 1});
      ++i;
    } else if (c == '"' || c == '\'') {
      tokens_.push_back(ScanString(i));
      i += tokens_.back().length;
    } else if (kOperatorBytes.find(c) != std::string_view::npos) {
      static const char* const kOperators[] = {"==", "!=", "<>", "<=", ">=", "=", "<", ">"};
      const auto* op =
          std::find_if(std::begin(kOperators), std::end(kOperators),
                       [&](const char* o) { return input_.compare(i, std::strlen(o), o) == 0; });
      const size_t length = op == std::end(kOperators) ? 1 : std::strlen(*op);
      CondToken token{Kind::kOperator, input_.substr(i, length), false, i, length};
      if (op == std::end(kOperators)) Fail(token, "unexpected '!'", "write != for not equal");
      tokens_.push_back(std::move(token));
      i += length;
    } else {
      size_t end = i;
      while (end < input_.size() && !IsSpace(input_[end]) && input_[end] != '(' &&
             input_[end] != ')' && input_[end] != '"' && input_[end] != '\'' &&
             kOperatorBytes.find(input_[end]) == std::string_view::npos) {
        ++end;
      }
      std::string word = input_.substr(i, end - i);
      Kind kind = Kind::kValue;
      if (EqualsIgnoreCase(word, "AND")) kind = Kind::kAnd;
      if (EqualsIgnoreCase(word, "OR")) kind = Kind::kOr;
      if (EqualsIgnoreCase(word, "NOT")) kind = Kind::kNot;
      tokens_.push_back(CondToken{kind, std::move(word), false, i, end - i});
      i = end;
    }
  }
  tokens_.push_back(CondToken{Kind::kEnd, "", false, input_.size(), 1});
}

CondToken ConditionEvaluator::ScanString(size_t start) {
  const char quote = input_[start];
  std::string text;
  for (size_t i = start + 1; i < input_.size(); ++i) {
    if (input_[i] == '\\' && i + 1 < input_.size()) {
      text.push_back(input_[++i]);
    } else if (input_[i] == quote) {
      return CondToken{Kind::kValue, std::move(text), true, start, i + 1 - start};
    } else {
      text.push_back(input_[i]);
    }
  }
  Fail(CondToken{Kind::kValue, "", true, start, 1}, "unterminated string",
       fmt::format("close it with {}", quote));
}

Operand ConditionEvaluator::ParseOr() {
  Operand left = ParseAnd();
  while (tokens_[index_].kind == Kind::kOr) {
    ++index_;
    const Operand right = ParseAnd();
    // Both sides are parsed (and checked) before combining: no short cut past an error.
    left = Boolean(Truthy(left) || Truthy(right));
  }
  return left;
}

Operand ConditionEvaluator::ParseAnd() {
  Operand left = ParseNot();
  while (tokens_[index_].kind == Kind::kAnd) {
    ++index_;
    const Operand right = ParseNot();
    left = Boolean(Truthy(left) && Truthy(right));
  }
  return left;
}

Operand ConditionEvaluator::ParseNot() {
  if (tokens_[index_].kind != Kind::kNot) return ParseComparison();
  ++index_;
  return Boolean(!Truthy(ParseNot()));
}

Operand ConditionEvaluator::ParseComparison() {
  const Operand left = ParsePrimary();
  if (tokens_[index_].kind != Kind::kOperator) return left;
  const std::string op = tokens_[index_++].text;
  const Operand right = ParsePrimary();
  return Boolean(Compare(left, op, right));
}

Operand ConditionEvaluator::ParsePrimary() {
  const CondToken& token = tokens_[index_];
  if (token.kind == Kind::kOpen) {
    ++index_;
    Operand inner = ParseOr();
    if (tokens_[index_].kind != Kind::kClose)
      Fail(token, "unbalanced parenthesis", "close it with )");
    ++index_;
    return inner;
  }
  if (token.kind == Kind::kValue) {
    ++index_;
    const bool is_bool = !token.quoted && (EqualsIgnoreCase(token.text, "true") ||
                                           EqualsIgnoreCase(token.text, "false"));
    return Operand{is_bool ? ToLower(token.text) : token.text, is_bool};
  }
  if (token.kind == Kind::kClose) Fail(token, "unbalanced parenthesis");
  if (index_ > 0 && token.kind == Kind::kEnd) {
    Fail(token, fmt::format("expected a value after '{}'", tokens_[index_ - 1].text));
  }
  if (token.kind == Kind::kEnd) Fail(token, "expected a value, found an empty condition");
  Fail(token, fmt::format("expected a value before '{}'", token.text));
}

void ConditionEvaluator::Fail(const CondToken& token, std::string message, std::string suggestion) {
  throw PipelineDiagnostics({Diagnostic{MapLocation(token.offset, token.length), std::move(message),
                                        std::move(suggestion)}});
}

/// Map a byte range of the substituted text to the file: exact while the text up to its end
/// is as written, else the whole condition.
Location ConditionEvaluator::MapLocation(size_t offset, size_t length) const {
  const std::string& written = original_.text;
  const auto mismatch = std::mismatch(input_.begin(), input_.end(), written.begin(), written.end());
  const size_t same = static_cast<size_t>(mismatch.first - input_.begin());
  if (input_ == written || offset + length <= same) {
    Location location = original_.location;
    location.offset += original_.text_offset + offset;
    location.length = std::max<size_t>(length, 1);
    return location;
  }
  return original_.location;
}

}  // namespace

bool EvaluateCondition(const std::string& substituted, const Text& original) {
  return ConditionEvaluator(substituted, original).Evaluate();
}

}  // namespace sqlflow::pipeline
