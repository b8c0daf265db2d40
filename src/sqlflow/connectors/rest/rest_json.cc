// JSON helpers of the REST records collector: body excerpts for errors, numbers simdjson
// cannot hold, value kinds and texts, dot paths.

#include <charconv>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "sqlflow/common/strings.h"
#include "sqlflow/connectors/rest/rest_json_internal.h"
#include "sqlflow/data/value.h"

namespace sqlflow::rest::internal {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

/// Whether `text` is a whole JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
bool IsJsonNumber(std::string_view text, bool* is_integer) {
  size_t i = 0;
  auto digits = [&] {
    size_t start = i;
    while (i < text.size() && IsDigit(text[i])) ++i;
    return i > start;
  };
  if (i < text.size() && text[i] == '-') ++i;
  if (i < text.size() && text[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  *is_integer = true;
  if (i < text.size() && text[i] == '.') {
    ++i;
    *is_integer = false;
    if (!digits()) return false;
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    *is_integer = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == text.size();
}

/// Whether simdjson cannot hold the number token `text` (valid JSON number grammar).
bool IsBigNumber(std::string_view text) {
  bool is_integer = false;
  if (!IsJsonNumber(text, &is_integer)) return false;
  const char* end = text.data() + text.size();
  if (is_integer) {
    int64_t i = 0;
    uint64_t u = 0;
    if (std::from_chars(text.data(), end, i).ec == std::errc()) return false;
    return std::from_chars(text.data(), end, u).ec != std::errc();
  }
  std::string copy(text);
  return std::isinf(std::strtod(copy.c_str(), nullptr));
}

bool IsDateShape(std::string_view s) {
  if (s.size() < 10) return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!IsDigit(s[i])) return false;
  }
  return s[4] == '-' && s[7] == '-';
}

}  // namespace

DataError BadResponse(const std::string& connector, const std::string& url, const std::string& what,
                      std::string_view body) {
  std::string message = what;
  message += body.empty()
                 ? "; the body is empty"
                 : fmt::format("; the body begins: '{}'", QuoteForMessage(body, kBodyExcerptBytes));
  DataLocation location;
  location.object = url;
  return DataError(connector, "read", std::move(location), std::move(message));
}

std::optional<std::string> QuoteBigNumbers(std::string_view body) {
  std::string out;
  bool changed = false;
  size_t i = 0;
  while (i < body.size()) {
    char c = body[i];
    if (c == '"') {  // Copy a string whole: a number inside it is text.
      size_t j = i + 1;
      while (j < body.size() && body[j] != '"') j += body[j] == '\\' ? 2 : 1;
      j = std::min(j + 1, body.size());
      out.append(body.substr(i, j - i));
      i = j;
    } else if (c == '-' || IsDigit(c)) {
      size_t j = i;
      while (j < body.size() && (IsDigit(body[j]) || body[j] == '-' || body[j] == '+' ||
                                 body[j] == '.' || body[j] == 'e' || body[j] == 'E')) {
        ++j;
      }
      std::string_view token = body.substr(i, j - i);
      if (IsBigNumber(token)) {
        out += '"';
        out += kBigNumberMarker;
        out += token;
        out += '"';
        changed = true;
      } else {
        out += token;
      }
      i = j;
    } else {
      out += c;
      ++i;
    }
  }
  if (!changed) return std::nullopt;
  return out;
}

std::optional<std::string_view> BigNumberText(std::string_view text) {
  if (!StartsWith(text, kBigNumberMarker)) return std::nullopt;
  std::string_view number = text.substr(kBigNumberMarker.size());
  bool is_integer = false;
  if (!IsJsonNumber(number, &is_integer)) return std::nullopt;
  return number;
}

Kind ClassifyString(std::string_view s) {
  if (s.size() == 10 && IsDateShape(s)) {
    int32_t days = 0;
    return ParseDate(s, &days) ? kKindDate : kKindText;
  }
  if (s.size() < 16 || !IsDateShape(s) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ')) {
    return kKindText;
  }
  int64_t micros = 0;
  if (!ParseTimestamp(s, &micros)) return kKindText;
  char last = s.back();
  bool zoned = last == 'Z' || last == 'z' || s.find_first_of("+-", 11) != std::string_view::npos;
  return zoned ? kKindTsTz : kKindTs;
}

Kind ClassifyScalar(simdjson::dom::element value) {
  switch (value.type()) {
    case simdjson::dom::element_type::BOOL:
      return kKindBool;
    case simdjson::dom::element_type::INT64:
      return kKindInt;
    case simdjson::dom::element_type::UINT64:  // Only values above INT64_MAX are UINT64.
      return kKindBig;
    case simdjson::dom::element_type::DOUBLE:
      return kKindDouble;
    case simdjson::dom::element_type::STRING: {
      std::string_view text = value.get_string().value_unsafe();
      return BigNumberText(text) ? kKindBig : ClassifyString(text);
    }
    default:
      return kKindJson;
  }
}

std::string ScalarText(simdjson::dom::element value) {
  if (value.type() == simdjson::dom::element_type::STRING) {
    std::string_view text = value.get_string().value_unsafe();
    if (auto number = BigNumberText(text)) return std::string(*number);
    return std::string(text);
  }
  return simdjson::minify(value);
}

std::string JsonText(simdjson::dom::element value) {
  std::string text = simdjson::minify(value);
  // Put marked big numbers back as they were written: "\uFDD0123..." → 123...
  size_t pos = text.find(kBigNumberMarker);
  while (pos != std::string::npos) {
    size_t close = text.find('"', pos);
    if (pos > 0 && text[pos - 1] == '"' && close != std::string::npos) {
      std::string_view marked(text.data() + pos, close - pos);
      if (auto number = BigNumberText(marked)) {
        std::string digits(*number);
        text.replace(pos - 1, close - pos + 2, digits);
        pos = text.find(kBigNumberMarker, pos - 1 + digits.size());
        continue;
      }
    }
    pos = text.find(kBigNumberMarker, pos + kBigNumberMarker.size());
  }
  return text;
}

std::optional<simdjson::dom::element> AtPath(simdjson::dom::element root, std::string_view path) {
  if (path.empty()) return root;
  simdjson::dom::element current = root;
  for (const std::string& step : Split(path, '.')) {
    simdjson::simdjson_result<simdjson::dom::element> next;
    if (current.is_object()) {
      next = current.get_object().value_unsafe().at_key(step);
    } else if (current.is_array() && !step.empty() &&
               step.find_first_not_of("0123456789") == std::string::npos && step.size() < 10) {
      next = current.get_array().value_unsafe().at(std::stoul(step));
    } else {
      return std::nullopt;
    }
    if (next.error()) return std::nullopt;
    current = next.value_unsafe();
  }
  return current;
}

}  // namespace sqlflow::rest::internal
