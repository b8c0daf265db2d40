#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sqlflow/common/clock.h"

namespace sqlflow::net {

/// A header as sent or received. Received names are lower case.
using Header = std::pair<std::string, std::string>;

/// One HTTP request.
struct HttpRequest {
  /// "GET", "POST", "PUT", "DELETE", "HEAD". Default GET.
  std::string method = "GET";
  /// Absolute http:// or https:// URL, query included (see url.h to build it).
  std::string url;
  std::vector<Header> headers;
  /// Request body (POST/PUT); sent as is. Default empty.
  std::string body;
  /// Time limit of this attempt, connection included. Default 0 = the client's `timeout`.
  std::chrono::milliseconds timeout{0};
};

/// One HTTP response (any status: the client does not judge statuses; see ThrowForStatus).
struct HttpResponse {
  int status = 0;
  /// Headers of the final response (after redirects), names lower case, in arrival order.
  std::vector<net::Header> headers;  // Qualified: the member Header() hides the alias.
  /// The body, decompressed (gzip/deflate). Empty when streamed to a callback.
  std::string body;
  /// The URL that answered (after redirects).
  std::string effective_url;
  /// Bytes received on the wire (compressed size), for metrics.
  int64_t bytes_received = 0;

  /// The first header named `name` (case-insensitive), or nullopt.
  std::optional<std::string_view> Header(std::string_view name) const;
};

/// How a client connects (STYLE.md: options with their defaults and units).
struct HttpClientOptions {
  /// Connector name for errors ("REST", or the SOURCE's name).
  std::string connector = "http";
  /// Time limit of connecting (DNS, TCP, TLS). Default 10 s; must be positive.
  std::chrono::milliseconds connect_timeout{10000};
  /// Time limit of one request, connection included, when the request sets none.
  /// Default 30 s; must be positive.
  std::chrono::milliseconds timeout{30000};
  /// Verify the server's TLS certificate and host name. Default true; turning it off is
  /// logged as a warning once per client.
  bool verify_tls = true;
  /// Largest body accepted (after decompression); a larger one fails with a permanent
  /// ConnectorError naming the limit. Default 256 MiB; must be positive.
  int64_t max_response_bytes = 256LL << 20;
  /// Follow redirects (at most 5). Default true.
  bool follow_redirects = true;
  /// User-Agent header. Default "sqlflow/<version>".
  std::string user_agent = "sqlflow/0.1";
  /// Strings removed from every error message and log line (tokens, passwords, API keys):
  /// each occurrence becomes "***". Auth providers add theirs (AuthProvider::Secrets).
  std::vector<std::string> secrets;

  /// Throw ParameterError naming the offending field.
  void Validate() const;
};

/// An HTTP client over one libcurl easy handle: connections are reused between calls,
/// proxies come from the environment (http_proxy, https_proxy, no_proxy, as libcurl reads
/// them), gzip and deflate responses are decoded. One call at a time (calls are
/// serialised by a mutex); create one client per thread for parallel requests.
class HttpClient {
 public:
  /// Validate `options` and create a client.
  static std::unique_ptr<HttpClient> Make(HttpClientOptions options);
  ~HttpClient();

  /// Send `request` and return the response, whatever its status. Throws, with the URL
  /// redacted (RedactUrl and the options' secrets):
  ///   ConnectionError (transient) — refused, reset, DNS failure, dropped mid-body, TLS
  ///     handshake failure (permanent for a certificate the client refuses to trust);
  ///   TimeoutError (transient) — the attempt's time limit passed;
  ///   ConnectorError (permanent) — body over max_response_bytes, malformed URL.
  HttpResponse Send(const HttpRequest& request);

  /// Send `request` and pass the body to `on_data` piece by piece as it arrives (after
  /// decompression); `on_data` returns false to stop the transfer (Send then returns the
  /// response received so far, without error). `response.body` stays empty. Throws as Send.
  HttpResponse SendStreaming(const HttpRequest& request,
                             const std::function<bool(std::string_view)>& on_data);

  /// Add strings to redact from errors (a token fetched later).
  void AddSecret(std::string secret);
  /// `text` with every secret replaced by "***".
  std::string Redact(std::string_view text) const;

  const HttpClientOptions& options() const;

 private:
  struct Impl;
  explicit HttpClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// Throw the classified error for a response whose status is not 2xx (RESILIENCE.md):
/// 401/403 AuthenticationError; 429, and 503 with Retry-After, RateLimitError carrying the
/// Retry-After delay (parsed against `now`); 408, 500, 502, 503, 504 ConnectionError
/// (transient); any other status a permanent ConnectorError. The message names the status,
/// the method, the URL (`redacted_url`, already free of secrets) and the first 200 bytes of
/// the body (redacted by `client` when given). Returns normally for a 2xx status.
void ThrowForStatus(const std::string& connector, const std::string& operation,
                    const HttpResponse& response, std::string_view method,
                    std::string_view redacted_url, Clock::WallTime now,
                    const HttpClient* client = nullptr);

}  // namespace sqlflow::net
