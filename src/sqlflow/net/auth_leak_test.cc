// Credentials never appear in logs or errors (issue 5, section 2): run a failing
// authenticated sequence, collect every error message and log line, grep them for secrets.
#include <gtest/gtest.h>

#include "sqlflow/common/error.h"
#include "sqlflow/common/log.h"
#include "sqlflow/net/auth.h"
#include "sqlflow/net/url.h"

#include "tests/support/http_test_server.h"

namespace sqlflow::net {
namespace {

using nlohmann::json;
using sqlflow::testing::Fault;
using sqlflow::testing::HttpTestServer;

const std::vector<std::string>& Secrets() {
  static const std::vector<std::string> kSecrets = {
      "client-secret-LEAK1", "refresh-LEAK2", "query-key-LEAK3", "basic-pass-LEAK4",
      "test-access-token-1",  // The token the test server issues first.
      "bearer-LEAK5"};
  return kSecrets;
}

class AuthLeakTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log::SetLevel(log::Level::kDebug);
    log::SetSink([this](log::Level, std::string_view line) { output_.emplace_back(line); });
    server_.Start();
    server_.set_oauth_client("leak-client", "client-secret-LEAK1", "refresh-LEAK2");
  }
  void TearDown() override {
    log::ResetSink();
    log::SetLevel(log::Level::kInfo);
  }

  /// Run `step`, keeping the message of any error it throws.
  template <typename F>
  void Collect(F step) {
    try {
      step();
    } catch (const std::exception& e) {
      output_.emplace_back(e.what());
    }
  }

  HttpTestServer server_;
  std::unique_ptr<HttpClient> client_ = HttpClient::Make({.connector = "REST"});
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
  std::vector<std::string> output_;
};

TEST_F(AuthLeakTest, NoSecretInAnyErrorOrLogLine) {
  std::string token_url = server_.base_url() + "/oauth/token";
  // A wrong client secret: the endpoint answers 401.
  Collect([&] {
    server_.set_oauth_client("leak-client", "other", "");
    auto provider = MakeAuthProvider("REST",
                                     {{"type", "oauth2"},
                                      {"token_url", token_url},
                                      {"client_id", "leak-client"},
                                      {"client_secret", "client-secret-LEAK1"}},
                                     client_.get(), clock_);
    HttpRequest request{.url = server_.base_url() + "/secure/items/all"};
    provider->Apply(request);
  });
  server_.set_oauth_client("leak-client", "client-secret-LEAK1", "refresh-LEAK2");
  // A token endpoint that echoes what it was sent, then an API that echoes the token.
  server_.InjectFault("/oauth/token",
                      {.kind = Fault::Kind::kStatus,
                       .status = 400,
                       .body = R"({"error":"invalid_grant","error_description":"refresh-LEAK2 )"
                               R"(client-secret-LEAK1"})"});
  auto provider = MakeAuthProvider("REST",
                                   {{"type", "oauth2"},
                                    {"token_url", token_url},
                                    {"client_id", "leak-client"},
                                    {"client_secret", "client-secret-LEAK1"},
                                    {"refresh_token", "refresh-LEAK2"}},
                                   client_.get(), clock_);
  Collect([&] {
    HttpRequest request{.url = server_.base_url() + "/secure/items/all"};
    provider->Apply(request);
  });
  server_.SetRoute("/secure/echo", 500, "your token test-access-token-1 failed");
  Collect([&] {
    HttpRequest request{.method = "GET", .url = server_.base_url() + "/secure/echo"};
    provider->Apply(request);
    HttpResponse response = client_->Send(request);
    ThrowForStatus("REST", "read", response, request.method, RedactUrl(request.url),
                   clock_->WallNow(), client_.get());
  });
  // An API key in the query of a request that times out, then of one that is refused.
  auto key = MakeAuthProvider(
      "REST", {{"type", "api_key"}, {"name", "key"}, {"value", "query-key-LEAK3"}, {"in", "query"}},
      client_.get(), clock_);
  server_.InjectFault("/items/all",
                      {.kind = Fault::Kind::kSlow, .delay = std::chrono::milliseconds(300)});
  Collect([&] {
    HttpRequest request{.url = server_.base_url() + "/items/all",
                        .timeout = std::chrono::milliseconds(100)};
    key->Apply(request);
    client_->Send(request);
  });
  Collect([&] {
    HttpRequest request{.url = "http://127.0.0.1:1/items?page=1"};
    key->Apply(request);
    client_->Send(request);
  });
  // Secrets of the wrong type in the parameters.
  Collect([&] {
    MakeAuthProvider("REST",
                     {{"type", "basic"}, {"username", 5}, {"password", {"basic-pass-LEAK4"}}},
                     client_.get(), clock_);
  });
  Collect([&] {
    MakeAuthProvider("REST", {{"type", "bearer"}, {"token", json::array({"bearer-LEAK5"})}},
                     client_.get(), clock_);
  });
  // The parameter set of a connector holding `auth` shows it redacted.
  ParameterValidator validator("REST", {AuthParam()});
  output_.push_back(validator.Validate({{"auth", {{"type", "bearer"}, {"token", "bearer-LEAK5"}}}})
                        .Redacted()
                        .dump());

  ASSERT_GE(output_.size(), 8u);
  for (const std::string& line : output_) {
    for (const std::string& secret : Secrets()) {
      EXPECT_EQ(line.find(secret), std::string::npos) << "'" << secret << "' in: " << line;
    }
  }
}

}  // namespace
}  // namespace sqlflow::net
