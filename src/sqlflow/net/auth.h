#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sqlflow/common/clock.h"
#include "sqlflow/net/http_client.h"
#include "sqlflow/params/parameter_validator.h"

#include <nlohmann/json.hpp>

namespace sqlflow::net {

/// Adds credentials to requests. Implementations: API key (header or query), basic, bearer,
/// OAuth2 client credentials and refresh token. Thread-safe.
class AuthProvider {
 public:
  virtual ~AuthProvider() = default;
  /// Add the credentials to `request` (a header, or a query parameter appended to the URL).
  /// OAuth2 fetches a token first when it has none or it expires within a minute; a failed
  /// token request throws AuthenticationError (or the transport's ConnectionError).
  virtual void Apply(HttpRequest& request) = 0;
  /// Drop cached credentials and fetch new ones (called once after a 401). Return true when
  /// new credentials were obtained, false for static credentials (key, basic, bearer).
  virtual bool Refresh() { return false; }
  /// Every secret value the provider knows now (keys, passwords, tokens, client secrets,
  /// refresh tokens), for redaction; fetched tokens are included once known.
  virtual std::vector<std::string> Secrets() const = 0;
  /// Query parameter names that carry secrets ("api_key" for a key sent in the query), for
  /// RedactUrl.
  virtual std::vector<std::string> SecretQueryParams() const { return {}; }
  /// "api_key", "basic", "bearer", "oauth2".
  virtual std::string kind() const = 0;
};

/// The `auth` connector parameter: an object whose "type" picks the provider.
///   {"type": "api_key", "name": "X-API-Key", "value": "...", "in": "header" | "query"}
///       (aliases: key_name → name, key / key_value / api_key → value, location → in;
///        default name "X-API-Key", in "header")
///   {"type": "basic", "username": "...", "password": "..."}
///   {"type": "bearer", "token": "..."}
///   {"type": "oauth2", "token_url": "...", "client_id": "...", "client_secret": "...",
///    "scope": "...", "refresh_token": "..."}  (refresh_token given → grant refresh_token,
///    else client_credentials; the token is cached and refreshed a minute before
///    "expires_in" runs out, and once after a 401)
/// Secret fields (value, password, token, client_secret, refresh_token) are typed secret.
ParamSpec AuthParam();

/// Validate `auth` (all problems at once, paths "auth.token_url", unknown keys with a
/// suggestion, `${ENV}` resolved) and create its provider. OAuth2 fetches tokens through
/// `client` (not owned; must outlive the provider) and times expiry on `clock`.
std::unique_ptr<AuthProvider> MakeAuthProvider(const std::string& connector,
                                               const nlohmann::json& auth, HttpClient* client,
                                               std::shared_ptr<Clock> clock,
                                               const EnvLookup& env = ProcessEnv());

}  // namespace sqlflow::net
