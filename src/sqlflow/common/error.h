#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace sqlflow {

/// How a failure should be treated by the caller (RESILIENCE.md): this, not the message
/// text, decides whether a retry can help.
enum class ErrorClass {
  kTransient,  ///< Retry with backoff: connection reset, timeout, 503.
  kThrottled,  ///< Retry after the server's hint: 429, SlowDown.
  kAuth,       ///< Refresh credentials once, then fail; never retried blindly.
  kPermanent,  ///< Fail at once: bad parameters, bad data, syntax errors.
};

/// Return the lower-case name of an error class ("transient", ...).
const char* ErrorClassName(ErrorClass error_class);

/// Root of every exception SQLFlow throws.
class Error : public std::runtime_error {
 public:
  Error(std::string message, ErrorClass error_class)
      : std::runtime_error(message), message_(std::move(message)), error_class_(error_class) {}

  /// The message without any context prefix.
  const std::string& message() const { return message_; }
  ErrorClass error_class() const { return error_class_; }
  /// Whether trying the same operation again can succeed.
  bool retryable() const {
    return error_class_ == ErrorClass::kTransient || error_class_ == ErrorClass::kThrottled;
  }

 protected:
  Error(std::string what, std::string message, ErrorClass error_class)
      : std::runtime_error(what), message_(std::move(message)), error_class_(error_class) {}

 private:
  std::string message_;
  ErrorClass error_class_;
};

/// An error raised by a connector: names the connector and the operation.
/// what() reads "<connector> <operation>: <message>", e.g. "CSV read: file 'a.csv' not found".
class ConnectorError : public Error {
 public:
  ConnectorError(std::string connector, std::string operation, std::string message,
                 ErrorClass error_class = ErrorClass::kPermanent);

  const std::string& connector() const { return connector_; }
  const std::string& operation() const { return operation_; }

 private:
  std::string connector_;
  std::string operation_;
};

/// One problem found while validating parameters.
struct ParameterProblem {
  std::string parameter;   ///< The parameter's name as the user wrote it ("" for the whole set).
  std::string message;     ///< What is wrong, e.g. "must be between 1 and 65535, got 70000".
  std::string suggestion;  ///< A fix when one is near ("did you mean 'delimiter'?"), else "".
};

/// Invalid parameters. Carries every problem found, not just the first.
class ParameterError : public ConnectorError {
 public:
  ParameterError(std::string connector, std::vector<ParameterProblem> problems);
  ParameterError(std::string connector, std::string parameter, std::string message,
                 std::string suggestion = "");

  const std::vector<ParameterProblem>& problems() const { return problems_; }

 private:
  std::vector<ParameterProblem> problems_;
};

/// The service cannot be reached or the connection dropped (transient).
class ConnectionError : public ConnectorError {
 public:
  ConnectionError(std::string connector, std::string operation, std::string message,
                  ErrorClass error_class = ErrorClass::kTransient)
      : ConnectorError(std::move(connector), std::move(operation), std::move(message),
                       error_class) {}
};

/// Credentials were rejected; never retried blindly.
class AuthenticationError : public ConnectorError {
 public:
  AuthenticationError(std::string connector, std::string operation, std::string message)
      : ConnectorError(std::move(connector), std::move(operation), std::move(message),
                       ErrorClass::kAuth) {}
};

/// The server asked us to slow down; retry_after is its hint when it gave one.
class RateLimitError : public ConnectorError {
 public:
  RateLimitError(std::string connector, std::string operation, std::string message,
                 std::optional<std::chrono::milliseconds> retry_after = std::nullopt)
      : ConnectorError(std::move(connector), std::move(operation), std::move(message),
                       ErrorClass::kThrottled),
        retry_after_(retry_after) {}

  std::optional<std::chrono::milliseconds> retry_after() const { return retry_after_; }

 private:
  std::optional<std::chrono::milliseconds> retry_after_;
};

/// An operation ran past its time limit (transient).
class TimeoutError : public ConnectorError {
 public:
  TimeoutError(std::string connector, std::string operation, std::string message)
      : ConnectorError(std::move(connector), std::move(operation), std::move(message),
                       ErrorClass::kTransient) {}
};

/// A query or statement failed at the source or destination.
class QueryError : public ConnectorError {
 public:
  using ConnectorError::ConnectorError;
};

/// Schemas do not match, a column is missing, a type cannot be mapped.
class SchemaError : public ConnectorError {
 public:
  SchemaError(std::string connector, std::string operation, std::string message)
      : ConnectorError(std::move(connector), std::move(operation), std::move(message)) {}
};

/// Where bad data was found. Unknown parts are empty / 0.
struct DataLocation {
  std::string object;        ///< File path, object key or table.
  int64_t line = 0;          ///< 1-based line (files) or row number (tables); 0 if unknown.
  std::string column;        ///< Column name, or "" if unknown.
  int64_t column_index = 0;  ///< 1-based column position; 0 if unknown.
  std::string value;         ///< The offending value, cut short to 80 bytes.
};

/// Bad input data: malformed file, unparsable value, invalid UTF-8.
/// what() reads "<connector> <operation>: <object>:<line>: column '<c>' (#<n>): <message>;
/// value: '<v>'"; unknown parts are left out.
class DataError : public ConnectorError {
 public:
  DataError(std::string connector, std::string operation, DataLocation location,
            std::string message);

  const DataLocation& location() const { return location_; }

 private:
  DataLocation location_;
};

/// The incremental (watermark) configuration or state is unusable.
class IncrementalError : public ConnectorError {
 public:
  IncrementalError(std::string connector, std::string operation, std::string message)
      : ConnectorError(std::move(connector), std::move(operation), std::move(message)) {}
};

/// A health check could not be carried out.
class HealthCheckError : public ConnectorError {
 public:
  using ConnectorError::ConnectorError;
};

/// The circuit breaker is open: the call was not attempted.
class CircuitOpenError : public ConnectorError {
 public:
  CircuitOpenError(std::string connector, std::string operation, std::string message)
      : ConnectorError(std::move(connector), std::move(operation), std::move(message),
                       ErrorClass::kTransient) {}
};

/// A pipeline-language or planning error with its position in the pipeline file.
class PipelineError : public Error {
 public:
  PipelineError(std::string file, int line, int column, std::string message,
                std::string suggestion = "");

  const std::string& file() const { return file_; }
  int line() const { return line_; }
  int column() const { return column_; }
  const std::string& suggestion() const { return suggestion_; }

 private:
  std::string file_;
  int line_;
  int column_;
  std::string suggestion_;
};

/// Invalid configuration outside a pipeline file: a missing or malformed profile, bad --vars,
/// a bad engine option. Not retryable; the CLI exits 2.
class ConfigError : public Error {
 public:
  explicit ConfigError(std::string message, std::string suggestion = "");
  const std::string& suggestion() const { return suggestion_; }

 private:
  std::string suggestion_;
};

/// The user interrupted the work (Ctrl-C); the running statement was stopped cleanly.
class InterruptedError : public Error {
 public:
  explicit InterruptedError(std::string message = "interrupted")
      : Error(std::move(message), ErrorClass::kPermanent) {}
};

/// Return `value` cut to at most `max_bytes` bytes (on a UTF-8 boundary) with "..." appended
/// when cut.
std::string TruncateForMessage(std::string_view value, size_t max_bytes = 80);

/// Return the first `max_bytes` bytes of `bytes` (a response body, a file's head) fit for a
/// one-line message: cut on a UTF-8 boundary, control bytes escaped ("\n", "\t", "\x01"),
/// every byte >= 0x80 escaped too when the part shown is not valid UTF-8, "..." when cut.
std::string QuoteForMessage(std::string_view bytes, size_t max_bytes = 200);

}  // namespace sqlflow
