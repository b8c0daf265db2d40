#include "sqlflow/net/auth.h"

#include <fmt/format.h>

#include "sqlflow/common/error.h"
#include "sqlflow/common/strings.h"
#include "sqlflow/net/auth_internal.h"
#include "sqlflow/net/url.h"

namespace sqlflow::net {
namespace {

using nlohmann::json;

const std::vector<std::string>& AuthTypes() {
  static const std::vector<std::string> kTypes = {"api_key", "basic", "bearer", "oauth2"};
  return kTypes;
}

class ApiKeyProvider final : public AuthProvider {
 public:
  ApiKeyProvider(std::string name, std::string value, bool in_query)
      : name_(std::move(name)), value_(std::move(value)), in_query_(in_query) {}
  void Apply(HttpRequest& request) override {
    if (in_query_) {
      request.url = WithQueryParams(request.url, {{name_, value_}});
    } else {
      request.headers.emplace_back(name_, value_);
    }
  }
  std::vector<std::string> Secrets() const override { return {value_}; }
  std::vector<std::string> SecretQueryParams() const override {
    return in_query_ ? std::vector<std::string>{name_} : std::vector<std::string>{};
  }
  std::string kind() const override { return "api_key"; }

 private:
  std::string name_;
  std::string value_;
  bool in_query_;
};

/// A fixed Authorization header: basic or bearer.
class HeaderProvider final : public AuthProvider {
 public:
  HeaderProvider(std::string kind, std::string header, std::vector<std::string> secrets)
      : kind_(std::move(kind)), header_(std::move(header)), secrets_(std::move(secrets)) {
    secrets_.push_back(header_.substr(header_.find(' ') + 1));
  }
  void Apply(HttpRequest& request) override {
    request.headers.emplace_back("Authorization", header_);
  }
  std::vector<std::string> Secrets() const override { return secrets_; }
  std::string kind() const override { return kind_; }

 private:
  std::string kind_;
  std::string header_;
  std::vector<std::string> secrets_;
};

ParamSpec Secret(std::string name, std::string description, bool required,
                 std::vector<std::string> aliases = {}) {
  ParamSpec spec =
      MakeParam(std::move(name), ParamType::kString, std::nullopt, std::move(description));
  spec.secret = true;
  spec.required = required;
  spec.aliases = std::move(aliases);
  return spec;
}

ParamSpec Plain(std::string name, std::string description, bool required,
                std::optional<json> default_value = std::nullopt,
                std::vector<std::string> allowed = {}) {
  ParamSpec spec = MakeParam(std::move(name), ParamType::kString, std::move(default_value),
                             std::move(description), std::move(allowed));
  spec.required = required;
  return spec;
}

/// The validator of one auth type; "type" itself is among its specs.
ParameterValidator TypeValidator(const std::string& connector, const std::string& type) {
  std::vector<ParamSpec> specs = {Plain("type", "the kind of credentials", true)};
  std::vector<ParamConstraint> constraints;
  if (type == "api_key") {
    ParamSpec name =
        Plain("name", "header or query parameter carrying the key", false, json("X-API-Key"));
    name.aliases = {"key_name"};
    ParamSpec in = Plain("in", "where the key goes", false, json("header"), {"header", "query"});
    in.aliases = {"location"};
    specs.push_back(std::move(name));
    specs.push_back(Secret("value", "the API key", true, {"key", "key_value", "api_key"}));
    specs.push_back(std::move(in));
  } else if (type == "basic") {
    specs.push_back(Plain("username", "user name", true));
    specs.push_back(Secret("password", "password", true));
  } else if (type == "bearer") {
    specs.push_back(Secret("token", "bearer token", true));
  } else {
    specs.push_back(Plain("token_url", "the token endpoint (http:// or https://)", true));
    specs.push_back(Plain("client_id", "OAuth2 client id", true));
    specs.push_back(Secret("client_secret", "OAuth2 client secret", false));
    specs.push_back(Plain("scope", "space-separated scopes to request", false));
    specs.push_back(Secret("refresh_token", "refresh token (grant refresh_token)", false));
    constraints.push_back(
        {ParamConstraint::Kind::kAtLeastOneOf, {"client_secret", "refresh_token"}});
  }
  return ParameterValidator(connector, std::move(specs), std::move(constraints));
}

/// The auth type named by `auth`, or a ParameterError naming "auth.type".
std::string ChooseType(const std::string& connector, const json& auth) {
  if (!auth.is_object()) {
    throw ParameterError(connector, "auth",
                         fmt::format("must be an object with a 'type' ({}), got {}",
                                     Join(AuthTypes(), ", "), auth.type_name()));
  }
  auto it = auth.find("type");
  if (it == auth.end() || !it->is_string()) {
    throw ParameterError(connector, "auth.type",
                         fmt::format("is required: one of {}", Join(AuthTypes(), ", ")));
  }
  std::string type = ToLower(it->get<std::string>());
  for (const std::string& known : AuthTypes()) {
    if (type == known) return type;
  }
  std::string near = ClosestMatch(type, AuthTypes());
  throw ParameterError(
      connector, "auth.type",
      fmt::format("must be one of {}, got '{}'", Join(AuthTypes(), ", "), it->get<std::string>()),
      near.empty() ? "" : fmt::format("did you mean '{}'?", near));
}

/// Validate `auth` for `type`: every problem at once, with "auth." paths.
ParameterSet ValidateAuth(const std::string& connector, const std::string& type, const json& auth,
                          const EnvLookup& env) {
  std::vector<ParameterProblem> problems;
  ParameterSet set;
  try {
    set = TypeValidator(connector, type).Validate(auth, env);
  } catch (const ParameterError& e) {
    problems = e.problems();
  }
  if (type == "oauth2" && problems.empty()) {
    std::string url = set.GetString("token_url");
    if (!StartsWith(ToLower(url), "http://") && !StartsWith(ToLower(url), "https://")) {
      problems.push_back(
          {"token_url", fmt::format("must be an http:// or https:// URL, got '{}'", RedactUrl(url)),
           ""});
    }
  }
  if (problems.empty()) return set;
  throw ParameterError(connector, ProblemsUnder("auth", std::move(problems)));
}

std::unique_ptr<AuthProvider> Build(const std::string& connector, const std::string& type,
                                    const ParameterSet& p, HttpClient* client,
                                    std::shared_ptr<Clock> clock) {
  if (type == "api_key") {
    return std::make_unique<ApiKeyProvider>(p.GetString("name"), p.GetString("value"),
                                            p.GetString("in") == "query");
  }
  if (type == "basic") {
    std::string password = p.GetString("password");
    return std::make_unique<HeaderProvider>(
        "basic", "Basic " + internal::Base64(p.GetString("username") + ":" + password),
        std::vector<std::string>{password});
  }
  if (type == "bearer") {
    return std::make_unique<HeaderProvider>("bearer", "Bearer " + p.GetString("token"),
                                            std::vector<std::string>{});
  }
  if (client == nullptr) {
    throw std::logic_error("MakeAuthProvider: oauth2 needs an HttpClient to fetch tokens");
  }
  internal::OAuth2Config config{p.GetString("token_url"), p.GetString("client_id"),
                                p.GetOptionalString("client_secret").value_or(""),
                                p.GetOptionalString("scope").value_or(""),
                                p.GetOptionalString("refresh_token").value_or("")};
  return std::make_unique<internal::OAuth2Provider>(connector, std::move(config), client,
                                                    std::move(clock));
}

}  // namespace

ParamSpec AuthParam() {
  ParamSpec spec = MakeParam("auth", ParamType::kObject, std::nullopt,
                             "credentials: {\"type\": \"api_key\" | \"basic\" | \"bearer\" | "
                             "\"oauth2\", ...}");
  // The whole object is redacted in specs and logs: it holds the secret fields.
  spec.secret = true;
  return spec;
}

std::unique_ptr<AuthProvider> MakeAuthProvider(const std::string& connector, const json& auth,
                                               HttpClient* client, std::shared_ptr<Clock> clock,
                                               const EnvLookup& env) {
  std::string type = ChooseType(connector, auth);
  ParameterSet params = ValidateAuth(connector, type, auth, env);
  std::unique_ptr<AuthProvider> provider = Build(connector, type, params, client, std::move(clock));
  if (client != nullptr) {
    for (std::string& secret : provider->Secrets()) client->AddSecret(std::move(secret));
  }
  return provider;
}

}  // namespace sqlflow::net
