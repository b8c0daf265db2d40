#include "sqlflow/common/error.h"

#include <algorithm>

#include <fmt/format.h>

#include "sqlflow/common/strings.h"

namespace sqlflow {

const char* ErrorClassName(ErrorClass error_class) {
  switch (error_class) {
    case ErrorClass::kTransient:
      return "transient";
    case ErrorClass::kThrottled:
      return "throttled";
    case ErrorClass::kAuth:
      return "auth";
    case ErrorClass::kPermanent:
      return "permanent";
  }
  return "unknown";
}

namespace {

std::string Prefixed(const std::string& connector, const std::string& operation,
                     const std::string& message) {
  if (connector.empty() && operation.empty()) return message;
  if (operation.empty()) return fmt::format("{}: {}", connector, message);
  return fmt::format("{} {}: {}", connector, operation, message);
}

std::string DescribeProblems(const std::vector<ParameterProblem>& problems) {
  std::string out = problems.size() == 1 ? "invalid parameter: "
                                         : fmt::format("{} invalid parameters:", problems.size());
  for (const ParameterProblem& p : problems) {
    if (problems.size() > 1) out += "\n  - ";
    if (!p.parameter.empty()) out += fmt::format("'{}': ", p.parameter);
    out += p.message;
    if (!p.suggestion.empty()) out += fmt::format(" ({})", p.suggestion);
  }
  return out;
}

std::string DescribeLocation(const DataLocation& loc, const std::string& message) {
  std::string out;
  if (!loc.object.empty()) out += loc.object;
  if (loc.line > 0) out += fmt::format(":{}", loc.line);
  if (!out.empty()) out += ": ";
  if (!loc.column.empty()) {
    out += fmt::format("column '{}'", loc.column);
    if (loc.column_index > 0) out += fmt::format(" (#{})", loc.column_index);
    out += ": ";
  } else if (loc.column_index > 0) {
    out += fmt::format("column #{}: ", loc.column_index);
  }
  out += message;
  if (!loc.value.empty()) out += fmt::format("; value: '{}'", loc.value);
  return out;
}

}  // namespace

ConnectorError::ConnectorError(std::string connector, std::string operation, std::string message,
                               ErrorClass error_class)
    : Error(Prefixed(connector, operation, message), message, error_class),
      connector_(std::move(connector)),
      operation_(std::move(operation)) {}

ParameterError::ParameterError(std::string connector, std::vector<ParameterProblem> problems)
    : ConnectorError(std::move(connector), "configure", DescribeProblems(problems)),
      problems_(std::move(problems)) {}

ParameterError::ParameterError(std::string connector, std::string parameter, std::string message,
                               std::string suggestion)
    : ParameterError(std::move(connector),
                     std::vector<ParameterProblem>{
                         {std::move(parameter), std::move(message), std::move(suggestion)}}) {}

DataError::DataError(std::string connector, std::string operation, DataLocation location,
                     std::string message)
    : ConnectorError(std::move(connector), std::move(operation),
                     DescribeLocation(location, message)),
      location_(std::move(location)) {}

PipelineError::PipelineError(std::string file, int line, int column, std::string message,
                             std::string suggestion)
    : Error(fmt::format("{}:{}:{}: {}{}", file, line, column, message,
                        suggestion.empty() ? "" : fmt::format(" ({})", suggestion)),
            message, ErrorClass::kPermanent),
      file_(std::move(file)),
      line_(line),
      column_(column),
      suggestion_(std::move(suggestion)) {}

ConfigError::ConfigError(std::string message, std::string suggestion)
    : Error(suggestion.empty() ? message : fmt::format("{} ({})", message, suggestion), message,
            ErrorClass::kPermanent),
      suggestion_(std::move(suggestion)) {}

std::string TruncateForMessage(std::string_view value, size_t max_bytes) {
  if (value.size() <= max_bytes) return std::string(value);
  size_t cut = max_bytes;
  // Step back over UTF-8 continuation bytes so the result stays valid UTF-8.
  while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
  return std::string(value.substr(0, cut)) + "...";
}

std::string QuoteForMessage(std::string_view body, size_t max_bytes) {
  size_t cut = std::min(body.size(), max_bytes);
  // Step back over UTF-8 continuation bytes so a character is not split.
  if (cut < body.size()) {
    while (cut > 0 && (static_cast<unsigned char>(body[cut]) & 0xC0) == 0x80) --cut;
  }
  std::string_view head = body.substr(0, cut);
  bool utf8 = IsValidUtf8(head);
  std::string out;
  for (char c : head) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (byte < 0x20 || byte == 0x7F || (byte >= 0x80 && !utf8)) {
      out += fmt::format("\\x{:02x}", byte);
    } else {
      out += c;
    }
  }
  if (cut < body.size()) out += "...";
  return out;
}

}  // namespace sqlflow
