#include "tests/support/http_test_server.h"

#include <algorithm>
#include <deque>
#include <map>
#include <optional>
#include <stdexcept>
#include <thread>

#include <httplib.h>

#include "tests/support/http_test_server_internal.h"
#include <nlohmann/json.hpp>

namespace sqlflow::testing {
namespace {

using nlohmann::json;

bool StartsWithPrefix(const std::string& path, const std::string& prefix) {
  return path.compare(0, prefix.size(), prefix) == 0;
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

void JsonError(httplib::Response& res, int status, const std::string& error,
               const std::string& description = "") {
  json body = {{"error", error}};
  if (!description.empty()) body["error_description"] = description;
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

/// Replace the body of `res` by one that announces its full length but sends only the first
/// `sent` bytes, then makes httplib close the connection (its content provider failing).
void DropAfter(httplib::Response& res, size_t sent) {
  std::string full = res.body.empty() ? std::string(" ") : res.body;
  std::string content_type = res.get_header_value("Content-Type");
  res.body.clear();
  auto called = std::make_shared<bool>(false);
  res.set_content_provider(full.size(), content_type,
                           [full, sent, called](size_t, size_t, httplib::DataSink& sink) {
                             if (*called || sent == 0) return false;
                             *called = true;
                             sink.write(full.data(), std::min(sent, full.size() - 1));
                             return true;
                           });
}

}  // namespace

std::string RecordedRequest::Param(const std::string& name) const {
  std::map<std::string, std::string> params = internal::ParseForm(query);
  auto it = params.find(name);
  return it == params.end() ? "" : it->second;
}

std::string RecordedRequest::HeaderValue(const std::string& name) const {
  std::string lower = Lower(name);
  for (const auto& [key, value] : headers) {
    if (key == lower) return value;
  }
  return "";
}

struct HttpTestServer::Impl {
  struct QueuedFault {
    std::string prefix;
    Fault fault;
    int remaining = 0;
  };
  struct Route {
    int status = 200;
    std::string body;
    std::string content_type;
  };

  httplib::Server server;
  std::thread thread;
  std::atomic<bool> finished{false};
  int port = 0;

  mutable std::mutex mu;
  int64_t record_count = 25;
  std::string client_id = "sqlflow-client";
  std::string client_secret = "sqlflow-secret";
  std::string refresh_token;
  std::chrono::seconds token_lifetime{3600};
  std::map<std::string, std::chrono::steady_clock::time_point> tokens;  ///< Valid → expiry.
  int64_t tokens_issued = 0;
  std::deque<QueuedFault> faults;
  std::vector<std::pair<std::string, Fault>> persistent_faults;
  std::map<std::string, Route> routes;
  std::vector<RecordedRequest> requests;
  int64_t generation = 0;  ///< Bumped by ClearRequests, so a late status lands nowhere.

  void Handle(const httplib::Request& req, httplib::Response& res);
  std::optional<Fault> TakeFault(const std::string& path);
  void Serve(const httplib::Request& req, httplib::Response& res);
  void ServeToken(const httplib::Request& req, httplib::Response& res);
  bool Authorized(const httplib::Request& req);
  size_t Record(const httplib::Request& req, int64_t* generation_out);
};

std::optional<Fault> HttpTestServer::Impl::TakeFault(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu);
  for (auto it = faults.begin(); it != faults.end(); ++it) {
    if (!StartsWithPrefix(path, it->prefix)) continue;
    Fault fault = it->fault;
    if (--it->remaining <= 0) faults.erase(it);
    return fault;
  }
  for (const auto& [prefix, fault] : persistent_faults) {
    if (StartsWithPrefix(path, prefix)) return fault;
  }
  return std::nullopt;
}

size_t HttpTestServer::Impl::Record(const httplib::Request& req, int64_t* generation_out) {
  RecordedRequest rec;
  rec.arrived = std::chrono::steady_clock::now();
  rec.method = req.method;
  rec.path = req.path;
  size_t question = req.target.find('?');
  if (question != std::string::npos) rec.query = req.target.substr(question + 1);
  rec.body = req.body;
  for (const auto& [name, value] : req.headers) rec.headers.emplace_back(Lower(name), value);
  rec.remote_port = req.remote_port;
  std::lock_guard<std::mutex> lock(mu);
  *generation_out = generation;
  requests.push_back(std::move(rec));
  return requests.size() - 1;
}

void HttpTestServer::Impl::Handle(const httplib::Request& req, httplib::Response& res) {
  int64_t recorded_generation = 0;
  size_t index = Record(req, &recorded_generation);
  std::optional<Fault> fault = TakeFault(req.path);
  if (fault && fault->kind == Fault::Kind::kSlow) {
    std::this_thread::sleep_for(fault->delay);
    fault.reset();
  }
  int status = 0;
  if (fault && fault->kind == Fault::Kind::kStatus) {
    res.status = fault->status;
    res.set_content(fault->body, fault->content_type.c_str());
    if (!fault->retry_after.empty()) res.set_header("Retry-After", fault->retry_after);
    status = fault->status;
  } else {
    Serve(req, res);
    status = res.status;
    if (fault && fault->kind == Fault::Kind::kTruncatedBody) {
      res.set_content(res.body.substr(0, res.body.size() / 2),
                      res.get_header_value("Content-Type").c_str());
    } else if (fault && fault->kind == Fault::Kind::kDropMidBody) {
      DropAfter(res, res.body.size() / 2);
      status = 0;
    } else if (fault && fault->kind == Fault::Kind::kDrop) {
      DropAfter(res, 0);
      status = 0;
    }
  }
  std::lock_guard<std::mutex> lock(mu);
  if (generation == recorded_generation && index < requests.size()) {
    requests[index].status = status;
  }
}

bool HttpTestServer::Impl::Authorized(const httplib::Request& req) {
  std::string header = req.get_header_value("Authorization");
  if (header.rfind("Bearer ", 0) != 0) return false;
  std::lock_guard<std::mutex> lock(mu);
  auto it = tokens.find(header.substr(7));
  return it != tokens.end() && std::chrono::steady_clock::now() < it->second;
}

void HttpTestServer::Impl::ServeToken(const httplib::Request& req, httplib::Response& res) {
  std::map<std::string, std::string> form = internal::ParseForm(req.body);
  std::string grant = form["grant_type"];
  std::lock_guard<std::mutex> lock(mu);
  if (grant == "client_credentials") {
    if (form["client_id"] != client_id || form["client_secret"] != client_secret) {
      return JsonError(res, 401, "invalid_client", "client authentication failed");
    }
  } else if (grant == "refresh_token") {
    if (refresh_token.empty() || form["refresh_token"] != refresh_token) {
      return JsonError(res, 401, "invalid_grant", "the refresh token is invalid");
    }
  } else {
    return JsonError(res, 400, "unsupported_grant_type");
  }
  std::string token = "test-access-token-" + std::to_string(++tokens_issued);
  tokens[token] = std::chrono::steady_clock::now() + token_lifetime;
  res.status = 200;
  res.set_content(
      json{
          {"access_token", token}, {"expires_in", token_lifetime.count()}, {"token_type", "Bearer"}}
          .dump(),
      "application/json");
}

void HttpTestServer::Impl::Serve(const httplib::Request& req, httplib::Response& res) {
  {
    std::lock_guard<std::mutex> lock(mu);
    auto it = routes.find(req.path);
    if (it != routes.end()) {
      res.status = it->second.status;
      res.set_content(it->second.body, it->second.content_type.c_str());
      return;
    }
  }
  if (req.path == "/oauth/token" && req.method == "POST") return ServeToken(req, res);
  internal::ItemsContext context;
  context.base_url = "http://127.0.0.1:" + std::to_string(port);
  {
    std::lock_guard<std::mutex> lock(mu);
    context.record_count = record_count;
  }
  if (req.path == "/gzip") {
    std::string gzip = internal::GzipAllRecords(context.record_count);
    res.status = 200;
    res.set_header("Content-Encoding", "gzip");
    // A content provider with a length: httplib sends it as is and never compresses it again.
    res.set_content_provider(gzip.size(), "application/json",
                             [gzip](size_t offset, size_t length, httplib::DataSink& sink) {
                               return sink.write(gzip.data() + offset, length);
                             });
    return;
  }
  std::string route = req.path;
  if (StartsWithPrefix(route, "/secure/")) {
    if (!Authorized(req)) {
      res.set_header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
      return JsonError(res, 401, "invalid_token", "the access token is missing or invalid");
    }
    route = route.substr(7);
    context.prefix = "/secure";
  }
  if (!internal::ServeItems(route, req, context, res)) JsonError(res, 404, "not found");
}

HttpTestServer::HttpTestServer() : impl_(std::make_unique<Impl>()) {}

HttpTestServer::~HttpTestServer() {
  if (impl_->thread.joinable()) {
    impl_->server.stop();
    impl_->thread.join();
  }
}

void HttpTestServer::Start() {
  Impl* impl = impl_.get();
  auto handler = [impl](const httplib::Request& req, httplib::Response& res) {
    impl->Handle(req, res);
  };
  impl->server.Get(".*", handler);
  impl->server.Post(".*", handler);
  impl->server.Put(".*", handler);
  impl->server.Delete(".*", handler);
  // An idle kept-alive connection holds a worker thread this long; keep stopping quick.
  impl->server.set_keep_alive_timeout(1);
  impl->port = impl->server.bind_to_any_port("127.0.0.1");
  if (impl->port <= 0) throw std::runtime_error("HttpTestServer: cannot bind 127.0.0.1");
  impl->thread = std::thread([impl] {
    impl->server.listen_after_bind();
    impl->finished = true;
  });
  while (!impl->server.is_running() && !impl->finished) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (!impl->server.is_running()) throw std::runtime_error("HttpTestServer: cannot listen");
}

std::string HttpTestServer::base_url() const {
  return "http://127.0.0.1:" + std::to_string(impl_->port);
}

int HttpTestServer::port() const { return impl_->port; }

void HttpTestServer::set_record_count(int64_t count) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->record_count = count;
}

void HttpTestServer::set_oauth_client(std::string client_id, std::string client_secret,
                                      std::string refresh_token) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->client_id = std::move(client_id);
  impl_->client_secret = std::move(client_secret);
  impl_->refresh_token = std::move(refresh_token);
}

void HttpTestServer::set_token_lifetime(std::chrono::seconds lifetime) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->token_lifetime = lifetime;
}

void HttpTestServer::RevokeTokens() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->tokens.clear();
}

void HttpTestServer::InjectFault(const std::string& path_prefix, Fault fault, int times) {
  if (times <= 0) return;
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->faults.push_back({path_prefix, std::move(fault), times});
}

void HttpTestServer::InjectPersistentFault(const std::string& path_prefix, Fault fault) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->persistent_faults.emplace_back(path_prefix, std::move(fault));
}

void HttpTestServer::ClearFaults() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->faults.clear();
  impl_->persistent_faults.clear();
}

void HttpTestServer::SetRoute(const std::string& path, int status, std::string body,
                              std::string content_type) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->routes[path] = {status, std::move(body), std::move(content_type)};
}

std::vector<RecordedRequest> HttpTestServer::requests() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->requests;
}

int64_t HttpTestServer::request_count(const std::string& path_prefix) const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return std::count_if(
      impl_->requests.begin(), impl_->requests.end(),
      [&](const RecordedRequest& r) { return StartsWithPrefix(r.path, path_prefix); });
}

void HttpTestServer::ClearRequests() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->requests.clear();
  ++impl_->generation;
}

}  // namespace sqlflow::testing
