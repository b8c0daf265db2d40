#include "sqlflow/net/auth.h"

#include <gtest/gtest.h>

#include "sqlflow/common/error.h"

#include "tests/support/http_test_server.h"

namespace sqlflow::net {
namespace {

using nlohmann::json;
using sqlflow::testing::Fault;
using sqlflow::testing::HttpTestServer;

class AuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Start();
    server_.set_oauth_client("my-client", "my-secret", "my-refresh");
  }

  std::unique_ptr<AuthProvider> Make(const json& auth, const EnvLookup& env = ProcessEnv()) {
    return MakeAuthProvider("REST", auth, client_.get(), clock_, env);
  }
  json OAuth2(json fields) {
    fields["type"] = "oauth2";
    fields["token_url"] = server_.base_url() + "/oauth/token";
    fields["client_id"] = "my-client";
    return fields;
  }
  /// GET `path` with the provider's credentials; return the status.
  int SendWith(AuthProvider& provider, const std::string& path) {
    HttpRequest request{.url = server_.base_url() + path};
    provider.Apply(request);
    return client_->Send(request).status;
  }

  HttpTestServer server_;
  std::unique_ptr<HttpClient> client_ = HttpClient::Make({.connector = "REST"});
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
};

TEST_F(AuthTest, ApiKeyInAHeader) {
  auto provider = Make({{"type", "api_key"}, {"value", "k-123"}});
  EXPECT_EQ(provider->kind(), "api_key");
  SendWith(*provider, "/items/all");
  EXPECT_EQ(server_.requests().at(0).HeaderValue("x-api-key"), "k-123");
  EXPECT_EQ(provider->Secrets(), std::vector<std::string>{"k-123"});
  EXPECT_TRUE(provider->SecretQueryParams().empty());
  EXPECT_FALSE(provider->Refresh());
}

TEST_F(AuthTest, ApiKeyInTheQueryThroughAliases) {
  auto provider =
      Make({{"type", "api_key"}, {"key_name", "api_key"}, {"key", "k 1"}, {"location", "query"}});
  HttpRequest request{.url = server_.base_url() + "/items/all?page=1"};
  provider->Apply(request);
  EXPECT_EQ(request.url, server_.base_url() + "/items/all?page=1&api_key=k%201");
  EXPECT_TRUE(request.headers.empty());
  EXPECT_EQ(provider->SecretQueryParams(), std::vector<std::string>{"api_key"});
  client_->Send(request);
  EXPECT_EQ(server_.requests().at(0).Param("api_key"), "k 1");
}

TEST_F(AuthTest, Basic) {
  auto provider = Make({{"type", "basic"}, {"username", "alice"}, {"password", "pw"}});
  SendWith(*provider, "/items/all");
  EXPECT_EQ(server_.requests().at(0).HeaderValue("authorization"), "Basic YWxpY2U6cHc=");
  EXPECT_EQ(provider->Secrets(), (std::vector<std::string>{"pw", "YWxpY2U6cHc="}));
  EXPECT_EQ(provider->kind(), "basic");
}

TEST_F(AuthTest, BearerFromTheEnvironment) {
  EnvLookup env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "API_TOKEN") return "tok-from-env";
    return std::nullopt;
  };
  auto provider = Make({{"type", "Bearer"}, {"token", "${API_TOKEN}"}}, env);
  SendWith(*provider, "/items/all");
  EXPECT_EQ(server_.requests().at(0).HeaderValue("authorization"), "Bearer tok-from-env");
  EXPECT_EQ(client_->Redact("x tok-from-env"), "x ***");  // Added to the client's redaction.
}

TEST_F(AuthTest, ReportsEveryProblemWithItsPath) {
  try {
    Make({{"type", "oauth2"}, {"scopes", "read"}});
    FAIL();
  } catch (const ParameterError& e) {
    ASSERT_EQ(e.problems().size(), 4u) << e.what();
    EXPECT_EQ(e.problems()[0].parameter, "auth.scopes");
    EXPECT_EQ(e.problems()[0].suggestion, "did you mean 'scope'?");
    EXPECT_EQ(e.problems()[1].parameter, "auth.token_url");
    EXPECT_EQ(e.problems()[1].message, "is required (the token endpoint (http:// or https://))");
    EXPECT_EQ(e.problems()[2].parameter, "auth.client_id");
    EXPECT_EQ(e.problems()[3].parameter, "auth");
    EXPECT_EQ(e.problems()[3].message, "give at least one of 'client_secret' or 'refresh_token'");
  }
}

TEST_F(AuthTest, RejectsAnUnknownTypeWithASuggestion) {
  try {
    Make({{"type", "oauth"}});
    FAIL();
  } catch (const ParameterError& e) {
    EXPECT_EQ(e.message(),
              "invalid parameter: 'auth.type': must be one of api_key, basic, bearer, oauth2, "
              "got 'oauth' (did you mean 'oauth2'?)");
  }
  EXPECT_THROW(Make(json::array()), ParameterError);
  EXPECT_THROW(Make({{"token", "x"}}), ParameterError);
}

TEST_F(AuthTest, RejectsATokenUrlThatIsNotHttp) {
  try {
    Make({{"type", "oauth2"},
          {"token_url", "ftp://h/t"},
          {"client_id", "c"},
          {"client_secret", "s"}});
    FAIL();
  } catch (const ParameterError& e) {
    EXPECT_EQ(e.message(),
              "invalid parameter: 'auth.token_url': must be an http:// or https:// "
              "URL, got 'ftp://h/t'");
  }
}

TEST_F(AuthTest, ClientCredentialsTokenIsFetchedOnceAndCached) {
  auto provider = Make(OAuth2({{"client_secret", "my-secret"}, {"scope", "read write"}}));
  EXPECT_EQ(SendWith(*provider, "/secure/items/page?page=1"), 200);
  EXPECT_EQ(SendWith(*provider, "/secure/items/page?page=2"), 200);
  EXPECT_EQ(SendWith(*provider, "/secure/items/all"), 200);
  EXPECT_EQ(server_.request_count("/oauth/token"), 1);
  auto token_request = server_.requests().at(0);
  EXPECT_EQ(token_request.method, "POST");
  EXPECT_EQ(token_request.HeaderValue("content-type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(token_request.body,
            "grant_type=client_credentials&client_id=my-client&client_secret=my-secret&"
            "scope=read%20write");
  EXPECT_EQ(server_.requests().at(1).HeaderValue("authorization"), "Bearer test-access-token-1");
  EXPECT_EQ(provider->kind(), "oauth2");
}

TEST_F(AuthTest, RefreshTokenGrant) {
  auto provider = Make(OAuth2({{"refresh_token", "my-refresh"}}));
  EXPECT_EQ(SendWith(*provider, "/secure/items/all"), 200);
  EXPECT_EQ(server_.requests().at(0).body,
            "grant_type=refresh_token&refresh_token=my-refresh&client_id=my-client");
}

TEST_F(AuthTest, RefreshesAMinuteBeforeExpiry) {
  server_.set_token_lifetime(std::chrono::seconds(3600));
  auto provider = Make(OAuth2({{"client_secret", "my-secret"}}));
  EXPECT_EQ(SendWith(*provider, "/secure/items/all"), 200);
  clock_->Advance(std::chrono::seconds(3539));
  EXPECT_EQ(SendWith(*provider, "/secure/items/all"), 200);
  EXPECT_EQ(server_.request_count("/oauth/token"), 1);
  clock_->Advance(std::chrono::seconds(1));  // 60 s before expiry.
  EXPECT_EQ(SendWith(*provider, "/secure/items/all"), 200);
  EXPECT_EQ(server_.request_count("/oauth/token"), 2);
  EXPECT_EQ(server_.requests().back().HeaderValue("authorization"), "Bearer test-access-token-2");
}

TEST_F(AuthTest, RefreshAfterRevokedTokens) {
  auto provider = Make(OAuth2({{"client_secret", "my-secret"}}));
  EXPECT_EQ(SendWith(*provider, "/secure/items/all"), 200);
  server_.RevokeTokens();
  EXPECT_EQ(SendWith(*provider, "/secure/items/all"), 401);
  EXPECT_TRUE(provider->Refresh());
  EXPECT_EQ(SendWith(*provider, "/secure/items/all"), 200);
  EXPECT_EQ(server_.request_count("/oauth/token"), 2);
  EXPECT_EQ(provider->Secrets(),
            (std::vector<std::string>{"test-access-token-1", "test-access-token-2", "my-secret"}));
}

TEST_F(AuthTest, WrongClientSecretIsAnAuthenticationError) {
  auto provider = Make(OAuth2({{"client_secret", "wrong-secret-xyz"}}));
  try {
    SendWith(*provider, "/secure/items/all");
    FAIL();
  } catch (const AuthenticationError& e) {
    EXPECT_EQ(std::string(e.what()),
              "REST authenticate: the OAuth2 token endpoint " + server_.base_url() +
                  "/oauth/token rejected client 'my-client' (HTTP 401): invalid_client: client "
                  "authentication failed; check client_id, client_secret and refresh_token");
  }
  EXPECT_EQ(server_.request_count("/secure"), 0);
}

TEST_F(AuthTest, TokenEndpointOutageIsTransient) {
  server_.InjectFault("/oauth/token", {.kind = Fault::Kind::kStatus, .status = 503});
  auto provider = Make(OAuth2({{"client_secret", "my-secret"}}));
  try {
    SendWith(*provider, "/secure/items/all");
    FAIL();
  } catch (const ConnectionError& e) {
    EXPECT_EQ(e.message(), "POST " + server_.base_url() +
                               "/oauth/token answered HTTP 503 Service Unavailable: "
                               "{\"error\":\"injected\"}");
    EXPECT_TRUE(e.retryable());
  }
  EXPECT_EQ(SendWith(*provider, "/secure/items/all"), 200);
}

TEST(AuthParamTest, IsASecretObject) {
  ParamSpec spec = AuthParam();
  EXPECT_EQ(spec.name, "auth");
  EXPECT_EQ(spec.type, ParamType::kObject);
  EXPECT_TRUE(spec.secret);
}

}  // namespace
}  // namespace sqlflow::net
