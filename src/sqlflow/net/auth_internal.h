// The OAuth2 provider of auth.h, split out of auth.cc; not for use outside net/.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "sqlflow/common/clock.h"
#include "sqlflow/net/auth.h"
#include "sqlflow/net/http_client.h"

namespace sqlflow::net::internal {

/// What an OAuth2 provider is configured with (the validated `auth` object).
struct OAuth2Config {
  std::string token_url;
  std::string client_id;
  std::string client_secret;  ///< "" for a public client using a refresh token.
  std::string scope;          ///< "" = none sent.
  std::string refresh_token;  ///< Given: grant refresh_token; else client_credentials.
};

/// OAuth2 client credentials or refresh token: the token is fetched through `client`, cached,
/// and fetched again when it expires within a minute (half its lifetime for tokens living
/// less than two minutes) on `clock`, or when Refresh() is called.
class OAuth2Provider final : public AuthProvider {
 public:
  OAuth2Provider(std::string connector, OAuth2Config config, HttpClient* client,
                 std::shared_ptr<Clock> clock);

  void Apply(HttpRequest& request) override;
  bool Refresh() override;
  std::vector<std::string> Secrets() const override;
  std::string kind() const override { return "oauth2"; }

 private:
  /// Fetch a new token; `mu_` held.
  void FetchLocked();
  std::string FormBody() const;
  [[noreturn]] void Rejected(const HttpResponse& response, const std::string& url) const;

  std::string connector_;
  OAuth2Config config_;
  HttpClient* client_;
  std::shared_ptr<Clock> clock_;
  mutable std::mutex mu_;
  std::string access_token_;
  bool expires_ = false;
  Clock::TimePoint refresh_at_{};
  std::vector<std::string> fetched_tokens_;
};

/// Standard base64 (with padding) of `data`.
std::string Base64(std::string_view data);

}  // namespace sqlflow::net::internal
