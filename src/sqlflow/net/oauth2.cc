#include <fmt/format.h>

#include "sqlflow/common/error.h"
#include "sqlflow/common/log.h"
#include "sqlflow/net/auth_internal.h"
#include "sqlflow/net/url.h"

#include <nlohmann/json.hpp>

namespace sqlflow::net::internal {
namespace {

constexpr char kOperation[] = "authenticate";
/// A token is fetched again this long before it expires.
constexpr std::chrono::seconds kRefreshMargin{60};

/// Seconds of "expires_in" (a number, or a string of digits as some servers send); nullopt
/// when absent or unusable.
std::optional<int64_t> ExpiresIn(const nlohmann::json& body) {
  auto it = body.find("expires_in");
  if (it == body.end()) return std::nullopt;
  if (it->is_number()) return static_cast<int64_t>(it->get<double>());
  if (it->is_string()) {
    const std::string& text = it->get_ref<const std::string&>();
    if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos) {
      return std::stoll(text);
    }
  }
  return std::nullopt;
}

}  // namespace

OAuth2Provider::OAuth2Provider(std::string connector, OAuth2Config config, HttpClient* client,
                               std::shared_ptr<Clock> clock)
    : connector_(std::move(connector)),
      config_(std::move(config)),
      client_(client),
      clock_(std::move(clock)) {}

void OAuth2Provider::Apply(HttpRequest& request) {
  std::string token;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (access_token_.empty() || (expires_ && clock_->Now() >= refresh_at_)) FetchLocked();
    token = access_token_;
  }
  request.headers.emplace_back("Authorization", "Bearer " + token);
}

bool OAuth2Provider::Refresh() {
  std::lock_guard<std::mutex> lock(mu_);
  access_token_.clear();
  FetchLocked();
  return true;
}

std::vector<std::string> OAuth2Provider::Secrets() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> out = fetched_tokens_;
  if (!config_.client_secret.empty()) out.push_back(config_.client_secret);
  if (!config_.refresh_token.empty()) out.push_back(config_.refresh_token);
  return out;
}

std::string OAuth2Provider::FormBody() const {
  std::vector<std::pair<std::string, std::string>> form;
  if (config_.refresh_token.empty()) {
    form.emplace_back("grant_type", "client_credentials");
  } else {
    form.emplace_back("grant_type", "refresh_token");
    form.emplace_back("refresh_token", config_.refresh_token);
  }
  form.emplace_back("client_id", config_.client_id);
  if (!config_.client_secret.empty()) form.emplace_back("client_secret", config_.client_secret);
  if (!config_.scope.empty()) form.emplace_back("scope", config_.scope);
  std::string body;
  for (const auto& [name, value] : form) {
    if (!body.empty()) body += '&';
    body += UrlEncode(name) + "=" + UrlEncode(value);
  }
  return body;
}

// A 400 or 401 from the token endpoint quotes the endpoint's own "error" and
// "error_description" (redacted: an endpoint may echo what it was sent), never the request.
void OAuth2Provider::Rejected(const HttpResponse& response, const std::string& url) const {
  nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
  std::string reason;
  if (body.is_object() && body.contains("error") && body["error"].is_string()) {
    reason = body["error"].get<std::string>();
    if (body.contains("error_description") && body["error_description"].is_string()) {
      reason += ": " + body["error_description"].get<std::string>();
    }
  } else {
    reason = TruncateForMessage(response.body, 200);
  }
  std::string message = fmt::format(
      "the OAuth2 token endpoint {} rejected client '{}' (HTTP {}): {}; check "
      "client_id, client_secret and refresh_token",
      url, config_.client_id, response.status, reason);
  throw AuthenticationError(connector_, kOperation, client_->Redact(message));
}

void OAuth2Provider::FetchLocked() {
  std::string url = client_->Redact(RedactUrl(config_.token_url, {"client_secret"}));
  HttpRequest request;
  request.method = "POST";
  request.url = config_.token_url;
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                     {"Accept", "application/json"}};
  request.body = FormBody();
  HttpResponse response = client_->Send(request);
  if (response.status == 400 || response.status == 401) Rejected(response, url);
  ThrowForStatus(connector_, kOperation, response, "POST", url, clock_->WallNow(), client_);
  nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
  if (!body.is_object() || !body.contains("access_token") || !body["access_token"].is_string() ||
      body["access_token"].get_ref<const std::string&>().empty()) {
    throw AuthenticationError(
        connector_, kOperation,
        fmt::format("the OAuth2 token endpoint {} answered without an access_token", url));
  }
  access_token_ = body["access_token"].get<std::string>();
  client_->AddSecret(access_token_);
  fetched_tokens_.push_back(access_token_);
  if (body.contains("refresh_token") && body["refresh_token"].is_string() &&
      !config_.refresh_token.empty()) {
    config_.refresh_token = body["refresh_token"].get<std::string>();  // A rotated token.
    client_->AddSecret(config_.refresh_token);
  }
  std::optional<int64_t> expires_in = ExpiresIn(body);
  expires_ = expires_in.has_value();
  if (expires_) {
    std::chrono::seconds lifetime{*expires_in};
    refresh_at_ = clock_->Now() + lifetime - std::min(kRefreshMargin, lifetime / 2);
  }
  log::Debug("{}: fetched an OAuth2 access token from {} ({})", connector_, url,
             expires_ ? fmt::format("expires in {} s", *expires_in) : "no expiry given");
}

std::string Base64(std::string_view data) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    uint32_t n = (static_cast<uint8_t>(data[i]) << 16) | (static_cast<uint8_t>(data[i + 1]) << 8) |
                 static_cast<uint8_t>(data[i + 2]);
    out += {kAlphabet[n >> 18], kAlphabet[(n >> 12) & 63], kAlphabet[(n >> 6) & 63],
            kAlphabet[n & 63]};
  }
  if (i + 1 == data.size()) {
    uint32_t n = static_cast<uint8_t>(data[i]) << 16;
    out += {kAlphabet[n >> 18], kAlphabet[(n >> 12) & 63], '=', '='};
  } else if (i + 2 == data.size()) {
    uint32_t n = (static_cast<uint8_t>(data[i]) << 16) | (static_cast<uint8_t>(data[i + 1]) << 8);
    out += {kAlphabet[n >> 18], kAlphabet[(n >> 12) & 63], kAlphabet[(n >> 6) & 63], '='};
  }
  return out;
}

}  // namespace sqlflow::net::internal
