#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

/// A local HTTP server for REST and net tests (cpp-httplib, 127.0.0.1, port 0): a dataset of
/// JSON records served in every pagination style, OAuth2 token endpoint, and faults injected
/// on demand. Every request is recorded (time of arrival, path, query, headers) so tests can
/// assert attempt counts and request rates on the server side.
namespace sqlflow::testing {

/// One request as the server saw it.
struct RecordedRequest {
  std::chrono::steady_clock::time_point arrived;
  std::string method;
  std::string path;   ///< Without the query.
  std::string query;  ///< Raw query string, without '?'.
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  ///< Names lower case.
  int status = 0;       ///< What the server answered (0 when the connection was dropped).
  int remote_port = 0;  ///< The client's TCP port: equal ports mean one reused connection.

  /// The decoded value of query parameter `name`, or "" when absent.
  std::string Param(const std::string& name) const;
  /// The first header named `name` (lower case), or "".
  std::string HeaderValue(const std::string& name) const;
};

/// A fault served instead of (or around) the normal answer.
struct Fault {
  enum class Kind {
    kStatus,         ///< Answer `status` with `body` (and Retry-After when retry_after set).
    kSlow,           ///< Sleep `delay` before answering normally (beyond a client timeout).
    kDrop,           ///< Close the connection without answering.
    kTruncatedBody,  ///< Answer 200 with the normal body cut in half (Content-Length honest
                     ///< about the cut body, so the JSON is truncated, not the transfer).
    kDropMidBody,    ///< Announce the full Content-Length, send half, close.
  };
  Kind kind = Kind::kStatus;
  int status = 503;
  std::string body = R"({"error":"injected"})";
  std::string content_type = "application/json";
  std::string retry_after;  ///< Retry-After value ("2", or an HTTP date); "" = none.
  std::chrono::milliseconds delay{0};
};

/// The server. Start() binds 127.0.0.1 on a free port and serves on a background thread;
/// the destructor stops it.
///
/// Routes (all GET unless said; records are {"id": i, "name": "item-i", "updated_at":
/// "2024-01-01T00:00:<i>Z"-style increasing timestamps, "price": i * 1.5, "tags": [..],
/// "meta": {"source": "test", "rank": i}} for i in 1..record_count):
///   /items/page?page=N&per_page=S        {"data": [...], "total": T}  (page from 1)
///   /items/offset?offset=N&limit=S       {"data": [...], "total": T}
///   /items/cursor?cursor=C&limit=S       {"data": [...], "next_cursor": "c<k>"|null}
///   /items/next?after=K&limit=S          {"data": [...], "next": "/items/next?..."|null}
///   /items/link?page=N&per_page=S        [...] with a Link: <...>; rel="next" header
///   /items/all                           [...] every record in one array
///   /items/since?updated_since=TS        [...] records with updated_at >= TS
///   POST /items/search  (JSON body {"limit": n}) {"data": first n records}
///   /gzip                                [...] every record, gzip-encoded by the server
///                                        (Content-Encoding: gzip, whatever was asked)
///   POST /oauth/token   (form: grant_type=client_credentials|refresh_token, client_id,
///                        client_secret | refresh_token) {"access_token", "expires_in",
///                        "token_type": "Bearer"}; 401 on wrong credentials
/// Routes under /secure/... are the /items/... routes behind auth: they need
/// "Authorization: Bearer <current token>" (tokens issued by /oauth/token; RevokeTokens()
/// makes every issued token answer 401 once, so a client must refresh).
class HttpTestServer {
 public:
  HttpTestServer();
  ~HttpTestServer();

  /// Bind and serve; throws std::runtime_error when it cannot.
  void Start();
  /// "http://127.0.0.1:<port>".
  std::string base_url() const;
  int port() const;

  /// Records served by the /items routes. Default 25.
  void set_record_count(int64_t count);
  /// The OAuth2 client the token endpoint accepts, and the refresh token it accepts.
  void set_oauth_client(std::string client_id, std::string client_secret,
                        std::string refresh_token = "");
  /// Lifetime given to issued tokens. Default 3600 s.
  void set_token_lifetime(std::chrono::seconds lifetime);
  /// Make every token issued so far invalid (the next authenticated request gets 401).
  void RevokeTokens();

  /// Serve `fault` to the next `times` requests whose path starts with `path_prefix`
  /// ("" = any path), then behave normally again. Faults queue in the order given.
  void InjectFault(const std::string& path_prefix, Fault fault, int times = 1);
  /// Serve `fault` to every request on `path_prefix` until ClearFaults().
  void InjectPersistentFault(const std::string& path_prefix, Fault fault);
  void ClearFaults();

  /// Answer `body` with `status` and `content_type` on GET `path` (any query), replacing
  /// the route if it exists: for bad-response tests (HTML, a 200 with an error body).
  void SetRoute(const std::string& path, int status, std::string body,
                std::string content_type = "application/json");

  /// Every request so far, in arrival order.
  std::vector<RecordedRequest> requests() const;
  /// Requests so far whose path starts with `path_prefix`.
  int64_t request_count(const std::string& path_prefix = "") const;
  void ClearRequests();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sqlflow::testing
