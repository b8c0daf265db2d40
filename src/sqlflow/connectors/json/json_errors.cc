#include <algorithm>
#include <fstream>
#include <regex>

#include "sqlflow/common/strings.h"
#include "sqlflow/connectors/json/json_internal.h"

#include <nlohmann/json.hpp>

namespace sqlflow::json {
namespace {

/// A SAX handler accepting every value and keeping the byte position of the first error.
class ErrorPosition final : public nlohmann::json_sax<nlohmann::json> {
 public:
  bool null() override { return true; }
  bool boolean(bool /*val*/) override { return true; }
  bool number_integer(number_integer_t /*val*/) override { return true; }
  bool number_unsigned(number_unsigned_t /*val*/) override { return true; }
  bool number_float(number_float_t /*val*/, const string_t& /*s*/) override { return true; }
  bool string(string_t& /*val*/) override { return true; }
  bool binary(binary_t& /*val*/) override { return true; }
  bool start_object(std::size_t /*elements*/) override { return true; }
  bool key(string_t& /*val*/) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t /*elements*/) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t position, const std::string& /*last_token*/,
                   const nlohmann::detail::exception& /*ex*/) override {
    position_ = static_cast<int64_t>(position);
    return false;
  }

  /// Bytes read when the error was found (the bad token ends there), or 0.
  int64_t position() const { return position_; }

 private:
  int64_t position_ = 0;
};

/// The 1-based line holding byte `position` (1-based) of `path`.
int64_t LineOfByte(const std::string& path, int64_t position) {
  std::ifstream in(path, std::ios::binary);
  int64_t line = 1;
  char c = 0;
  for (int64_t i = 1; i < position && in.get(c); ++i) {
    if (c == '\n') ++line;
  }
  return line;
}

/// The first line of a DuckDB message without its "Invalid Input Error: " style prefix.
std::string FirstLine(const std::string& message) {
  std::string line = message.substr(0, message.find('\n'));
  size_t colon = line.find("Error: ");
  line = colon == std::string::npos ? line : line.substr(colon + 7);
  return std::string(Trim(line));
}

DataLocation At(const std::string& file, int64_t line) {
  DataLocation loc;
  loc.object = file;
  loc.line = line;
  return loc;
}

}  // namespace

int64_t FindSyntaxErrorLine(const std::string& path, JsonLayout layout) {
  std::ifstream in(path, std::ios::binary);
  if (layout == JsonLayout::kLines) {
    std::string text;
    for (int64_t line = 1; std::getline(in, text); ++line) {
      if (Trim(text).empty()) continue;
      if (!nlohmann::json::accept(text)) return line;
    }
    return 0;
  }
  ErrorPosition handler;
  if (nlohmann::json::sax_parse(in, &handler) || handler.position() == 0) return 0;
  return LineOfByte(path, handler.position());
}

void ThrowReadError(const std::string& connector, const std::string& operation,
                    const duck::DuckError& error, const std::vector<std::string>& files,
                    JsonLayout layout) {
  static const std::regex kMalformed(
      R"re(Malformed JSON in file "(.*)", at byte \d+ in (line|record/value) (\d+): (.*?)\.?$)re");
  static const std::regex kTransform(
      R"re(JSON transform error in file "(.*)", in (line|record/value) (\d+): (.*)$)re");
  static const std::regex kNotArray(
      R"re(Expected top-level JSON array .*but first character is '(.*)' in file "(.*)"\.?$)re");
  const std::string message = FirstLine(error.message());
  std::smatch m;
  auto known = [&](const std::string& file) {
    return std::find(files.begin(), files.end(), file) != files.end();
  };
  if (std::regex_search(message, m, kMalformed) && known(m[1])) {
    // DuckDB's line of a syntax error can be off by one: ours is exact.
    int64_t line = FindSyntaxErrorLine(m[1], layout);
    std::string where = line > 0 ? "" : " (" + m[2].str() + " " + m[3].str() + ")";
    throw DataError(connector, operation, At(m[1], line), "malformed JSON: " + m[4].str() + where);
  }
  if (std::regex_search(message, m, kTransform) && known(m[1])) {
    // DuckDB counts the lines of JSONL exactly here; the records of an array have no line.
    bool by_line = m[2] == "line";
    int64_t line = by_line ? std::stoll(m[3]) : 0;
    std::string record = by_line ? "" : "record " + m[3].str() + ": ";
    std::string detail = m[4];
    if (StartsWith(detail, "Expected OBJECT")) {
      throw DataError(connector, operation, At(m[1], line),
                      record + "not a JSON object (" + detail + ")");
    }
    throw DataError(connector, operation, At(m[1], line),
                    record + detail + " (set column_types to read the key as another type)");
  }
  if (std::regex_search(message, m, kNotArray) && known(m[2])) {
    throw DataError(connector, operation, At(m[2], 0),
                    "not a JSON array of objects (it starts with '" + m[1].str() +
                        "'); read newline-delimited JSON with type JSONL");
  }
  static const std::regex kAnyFile(R"re(file "(.*?)")re");
  if (std::regex_search(message, m, kAnyFile) && known(m[1])) {
    throw DataError(connector, operation, At(m[1], 0), message);
  }
}

void ThrowNotObjects(const std::string& connector, const std::string& operation,
                     const std::string& file, JsonLayout layout) {
  if (HoldsNoRecords(file, layout)) {
    throw DataError(connector, operation, At(file, 0),
                    std::string("holds no records") +
                        (layout == JsonLayout::kArray ? " (an empty array)" : "") +
                        ", so there are no columns to read");
  }
  if (layout == JsonLayout::kLines) {
    throw DataError(connector, operation, At(file, 0),
                    "not newline-delimited JSON objects (one object per line); read a JSON "
                    "array of objects with type JSON");
  }
  throw DataError(connector, operation, At(file, 0),
                  "the elements of the array must be JSON objects ({\"key\": value, ...})");
}

}  // namespace sqlflow::json
