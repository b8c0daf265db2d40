// The parts of http_client.h that need no libcurl: options, response headers, and the
// classification of a response's status into the error hierarchy (RESILIENCE.md).
#include <fmt/format.h>

#include "sqlflow/common/error.h"
#include "sqlflow/common/strings.h"
#include "sqlflow/net/http_client.h"
#include "sqlflow/resilience/classification.h"
#include "sqlflow/resilience/retry_after.h"

namespace sqlflow::net {
namespace {

/// Largest part of a response body quoted in an error message.
constexpr size_t kBodyQuoteBytes = 200;

const char* ReasonPhrase(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 413:
      return "Payload Too Large";
    case 422:
      return "Unprocessable Entity";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "";
  }
}

/// The first bytes of `body` on one line, redacted.
std::string QuoteBody(const std::string& body, const HttpClient* client) {
  std::string text = client != nullptr ? client->Redact(body) : body;
  return QuoteForMessage(Trim(text), kBodyQuoteBytes);
}

std::string StatusMessage(const HttpResponse& response, std::string_view method,
                          std::string_view redacted_url, const HttpClient* client) {
  std::string reason = ReasonPhrase(response.status);
  std::string message = fmt::format("{} {} answered HTTP {}{}", method, redacted_url,
                                    response.status, reason.empty() ? "" : " " + reason);
  std::string body = QuoteBody(response.body, client);
  if (!body.empty()) message += ": " + body;
  return message;
}

}  // namespace

void HttpClientOptions::Validate() const {
  std::vector<ParameterProblem> problems;
  if (connect_timeout.count() <= 0) {
    problems.push_back({"connect_timeout",
                        fmt::format("must be positive, got {} ms", connect_timeout.count()), ""});
  }
  if (timeout.count() <= 0) {
    problems.push_back(
        {"timeout", fmt::format("must be positive, got {} ms", timeout.count()), ""});
  }
  if (max_response_bytes <= 0) {
    problems.push_back(
        {"max_response_bytes", fmt::format("must be positive, got {}", max_response_bytes), ""});
  }
  if (!problems.empty()) throw ParameterError(connector, std::move(problems));
}

std::optional<std::string_view> HttpResponse::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoreCase(key, name)) return std::string_view(value);
  }
  return std::nullopt;
}

void ThrowForStatus(const std::string& connector, const std::string& operation,
                    const HttpResponse& response, std::string_view method,
                    std::string_view redacted_url, Clock::WallTime now, const HttpClient* client) {
  if (response.status >= 200 && response.status < 300) return;
  std::optional<std::chrono::milliseconds> hint;
  if (std::optional<std::string_view> value = response.Header("retry-after")) {
    if (std::optional<Clock::Duration> delay = resilience::ParseRetryAfter(*value, now)) {
      hint = std::chrono::ceil<std::chrono::milliseconds>(*delay);
    }
  }
  std::string message = StatusMessage(response, method, redacted_url, client);
  switch (resilience::ClassifyHttpStatus(response.status, hint.has_value())) {
    case ErrorClass::kThrottled:
      if (hint) message += fmt::format(" (retry after {} ms)", hint->count());
      throw RateLimitError(connector, operation, std::move(message), hint);
    case ErrorClass::kAuth:
      throw AuthenticationError(connector, operation, std::move(message));
    case ErrorClass::kTransient:
      throw ConnectionError(connector, operation, std::move(message));
    case ErrorClass::kPermanent:
      break;
  }
  throw ConnectorError(connector, operation, std::move(message));
}

}  // namespace sqlflow::net
