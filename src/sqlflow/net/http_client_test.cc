#include "sqlflow/net/http_client.h"

#include <gtest/gtest.h>

#include "sqlflow/common/error.h"
#include "sqlflow/common/log.h"
#include "sqlflow/common/strings.h"

#include "tests/support/http_test_server.h"
#include "tests/support/ports.h"
#include <nlohmann/json.hpp>

namespace sqlflow::net {
namespace {

using sqlflow::testing::Fault;
using sqlflow::testing::HttpTestServer;
using std::chrono::milliseconds;

using sqlflow::testing::UnusedPort;

class HttpClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Start();
    client_ = HttpClient::Make({.connector = "REST", .timeout = milliseconds(5000)});
  }

  HttpRequest Get(const std::string& path) { return {.url = server_.base_url() + path}; }
  std::string Url(const std::string& path) { return server_.base_url() + path; }

  HttpTestServer server_;
  std::unique_ptr<HttpClient> client_;
};

TEST_F(HttpClientTest, PassesAnyStatusThrough) {
  server_.SetRoute("/teapot", 418, "short and stout", "text/plain");
  HttpResponse response = client_->Send(Get("/teapot"));
  EXPECT_EQ(response.status, 418);
  EXPECT_EQ(response.body, "short and stout");
  EXPECT_EQ(response.effective_url, Url("/teapot"));
  EXPECT_EQ(server_.requests().at(0).HeaderValue("user-agent"), "sqlflow/0.1");
}

TEST_F(HttpClientTest, LowerCasesHeaderNames) {
  HttpResponse response = client_->Send(Get("/items/link?page=1&per_page=10"));
  ASSERT_EQ(response.status, 200);
  for (const auto& [name, value] : response.headers) {
    EXPECT_EQ(name, ToLower(name)) << name;
  }
  ASSERT_TRUE(response.Header("Link").has_value());
  EXPECT_EQ(*response.Header("LINK"), *response.Header("link"));
  EXPECT_EQ(response.Header("content-type"), "application/json");
  EXPECT_FALSE(response.Header("x-missing").has_value());
}

TEST_F(HttpClientTest, ReturnsTheDecodedBody) {
  server_.set_record_count(3);
  HttpResponse response = client_->Send(Get("/items/all"));
  nlohmann::json body = nlohmann::json::parse(response.body);
  ASSERT_EQ(body.size(), 3u);
  EXPECT_EQ(body[2]["name"], "item-3");
}

TEST_F(HttpClientTest, PostsTheBody) {
  HttpRequest request{.method = "POST",
                      .url = Url("/items/search"),
                      .headers = {{"Content-Type", "application/json"}},
                      .body = R"({"limit": 2})"};
  HttpResponse response = client_->Send(request);
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(nlohmann::json::parse(response.body)["data"].size(), 2u);
  auto recorded = server_.requests().at(0);
  EXPECT_EQ(recorded.method, "POST");
  EXPECT_EQ(recorded.body, R"({"limit": 2})");
  EXPECT_EQ(recorded.HeaderValue("content-type"), "application/json");
}

TEST_F(HttpClientTest, ReusesTheConnection) {
  client_->Send(Get("/items/page?page=1"));
  client_->Send(Get("/items/page?page=2"));
  auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_GT(requests[0].remote_port, 0);
  EXPECT_EQ(requests[0].remote_port, requests[1].remote_port);
}

// The only test that waits on purpose: the server answers after 600 ms, the attempt's limit
// is 200 ms.
TEST_F(HttpClientTest, TimesOutPerRequest) {
  server_.InjectFault("/items/all", {.kind = Fault::Kind::kSlow, .delay = milliseconds(600)});
  HttpRequest request = Get("/items/all");
  request.timeout = milliseconds(200);
  try {
    client_->Send(request);
    FAIL() << "no timeout";
  } catch (const TimeoutError& e) {
    EXPECT_EQ(std::string(e.what()),
              "REST request: GET " + Url("/items/all") + " failed: timed out after 200 ms");
    EXPECT_TRUE(e.retryable());
  }
}

TEST_F(HttpClientTest, ReportsARefusedConnection) {
  std::string url = "http://127.0.0.1:" + std::to_string(UnusedPort()) + "/x";
  try {
    client_->Send({.url = url});
    FAIL() << "no error";
  } catch (const ConnectionError& e) {
    EXPECT_EQ(e.message(), "GET " + url + " failed: connection refused");
    EXPECT_EQ(e.error_class(), ErrorClass::kTransient);
  }
}

TEST_F(HttpClientTest, ReportsADroppedConnection) {
  size_t full = client_->Send(Get("/items/all")).body.size();
  server_.InjectFault("/items/all", {.kind = Fault::Kind::kDrop});
  try {
    client_->Send(Get("/items/all"));
    FAIL() << "no error";
  } catch (const ConnectionError& e) {
    EXPECT_EQ(e.message(), "GET " + Url("/items/all") +
                               " failed: connection dropped mid-body: transfer closed with " +
                               std::to_string(full) + " bytes remaining to read");
    EXPECT_TRUE(e.retryable());
  }
  EXPECT_EQ(server_.requests().back().status, 0);
  EXPECT_EQ(client_->Send(Get("/items/all")).status, 200);  // The client recovers.
}

TEST_F(HttpClientTest, ReportsAConnectionDroppedMidBody) {
  size_t full = client_->Send(Get("/items/all")).body.size();
  server_.InjectFault("/items/all", {.kind = Fault::Kind::kDropMidBody});
  try {
    client_->Send(Get("/items/all"));
    FAIL() << "no error";
  } catch (const ConnectionError& e) {
    EXPECT_EQ(e.message(), "GET " + Url("/items/all") +
                               " failed: connection dropped mid-body: transfer closed with " +
                               std::to_string(full - full / 2) + " bytes remaining to read");
  }
}

TEST_F(HttpClientTest, ATruncatedBodyIsNotATransportError) {
  std::string full = client_->Send(Get("/items/all")).body;
  server_.InjectFault("/items/all", {.kind = Fault::Kind::kTruncatedBody});
  HttpResponse response = client_->Send(Get("/items/all"));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, full.substr(0, full.size() / 2));
}

TEST_F(HttpClientTest, DecodesGzip) {
  std::string plain = client_->Send(Get("/items/all")).body;
  HttpResponse response = client_->Send(Get("/gzip"));
  EXPECT_EQ(response.Header("content-encoding"), "gzip");
  EXPECT_EQ(response.body, plain);
  EXPECT_GT(response.bytes_received, 0);
  EXPECT_LT(response.bytes_received, static_cast<int64_t>(plain.size()) / 2);
  EXPECT_NE(server_.requests().back().HeaderValue("accept-encoding").find("gzip"),
            std::string::npos);
}

TEST_F(HttpClientTest, EnforcesTheResponseSizeLimit) {
  auto small = HttpClient::Make({.connector = "REST", .max_response_bytes = 100});
  try {
    small->Send(Get("/items/all"));
    FAIL() << "no error";
  } catch (const ConnectorError& e) {
    EXPECT_EQ(e.message(), "GET " + Url("/items/all") +
                               " failed: the response body exceeds the limit of 100 bytes "
                               "(max_response_bytes)");
    EXPECT_EQ(e.error_class(), ErrorClass::kPermanent);
  }
  // The limit applies after decompression too.
  EXPECT_THROW(small->Send(Get("/gzip")), ConnectorError);
}

TEST_F(HttpClientTest, StreamsTheBody) {
  server_.set_record_count(200);
  std::string full = client_->Send(Get("/items/all")).body;
  std::string streamed;
  HttpResponse response = client_->SendStreaming(Get("/items/all"), [&](std::string_view piece) {
    streamed += piece;
    return true;
  });
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "");
  EXPECT_EQ(streamed, full);
}

TEST_F(HttpClientTest, StopsStreamingWhenAsked) {
  server_.set_record_count(400);  // ~40 KB: several write callbacks.
  std::string first;
  int calls = 0;
  HttpResponse response = client_->SendStreaming(Get("/items/all"), [&](std::string_view piece) {
    ++calls;
    first = piece;
    return false;
  });
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(first.substr(0, 8), R"([{"id":1)");
  EXPECT_EQ(client_->Send(Get("/items/page")).status, 200);  // The handle is usable again.
}

TEST_F(HttpClientTest, RedactsSecretsFromErrors) {
  auto client = HttpClient::Make({.connector = "REST", .secrets = {"hunter2"}});
  std::string base = "http://127.0.0.1:" + std::to_string(UnusedPort());
  try {
    client->Send(
        {.url = base.substr(0, 7) + "bob:pw@" + base.substr(7) + "/x?api_key=k1&q=hunter2&page=2"});
    FAIL() << "no error";
  } catch (const ConnectionError& e) {
    EXPECT_EQ(e.message(), "GET http://***@" + base.substr(7) +
                               "/x?api_key=***&q=***&page=2 failed: "
                               "connection refused");
  }
  client->AddSecret("later token");
  EXPECT_EQ(client->Redact("a later token and later%20token, hunter2"), "a *** and ***, ***");
}

TEST(HttpClientOptionsTest, ValidatesEveryField) {
  try {
    HttpClient::Make({.connector = "REST",
                      .connect_timeout = milliseconds(0),
                      .timeout = milliseconds(-1),
                      .max_response_bytes = 0});
    FAIL() << "no error";
  } catch (const ParameterError& e) {
    EXPECT_EQ(e.message(),
              "3 invalid parameters:\n  - 'connect_timeout': must be positive, got 0 ms\n  - "
              "'timeout': must be positive, got -1 ms\n  - 'max_response_bytes': must be "
              "positive, got 0");
  }
}

TEST(HttpClientOptionsTest, WarnsOnceWhenTlsVerificationIsOff) {
  std::vector<std::string> lines;
  log::SetSink([&](log::Level level, std::string_view line) {
    if (level == log::Level::kWarning) lines.emplace_back(line);
  });
  auto client = HttpClient::Make({.connector = "Stripe", .verify_tls = false});
  auto secure = HttpClient::Make({.connector = "Other"});
  log::ResetSink();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0],
            "Stripe: TLS certificate verification is off (verify_tls: false); the server's "
            "identity is not checked");
}

}  // namespace
}  // namespace sqlflow::net
