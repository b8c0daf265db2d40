#include <gtest/gtest.h>

#include "sqlflow/common/clock.h"
#include "sqlflow/common/error.h"
#include "sqlflow/net/http_client.h"

namespace sqlflow::net {
namespace {

using std::chrono::milliseconds;

constexpr char kUrl[] = "https://api.example.com/v1/items?page=2";

class ThrowForStatusTest : public ::testing::Test {
 protected:
  /// Call ThrowForStatus on a response with `status`, `body` and headers.
  void Throw(int status, std::string body, std::vector<Header> headers = {}) {
    HttpResponse response;
    response.status = status;
    response.body = std::move(body);
    response.headers = std::move(headers);
    ThrowForStatus("REST", "read", response, "GET", kUrl, clock_.WallNow(), client_.get());
  }

  FakeClock clock_;  // Wall time 2023-11-14T22:13:20Z.
  std::unique_ptr<HttpClient> client_ = HttpClient::Make({.secrets = {"sk_live_123"}});
};

TEST_F(ThrowForStatusTest, ReturnsFor2xx) {
  EXPECT_NO_THROW(Throw(200, ""));
  EXPECT_NO_THROW(Throw(204, ""));
}

TEST_F(ThrowForStatusTest, Unauthorized) {
  try {
    Throw(401, R"({"error":"bad token sk_live_123"})");
    FAIL();
  } catch (const AuthenticationError& e) {
    EXPECT_EQ(std::string(e.what()),
              "REST read: GET https://api.example.com/v1/items?page=2 answered HTTP 401 "
              "Unauthorized: {\"error\":\"bad token ***\"}");
    EXPECT_EQ(e.error_class(), ErrorClass::kAuth);
  }
}

TEST_F(ThrowForStatusTest, Forbidden) {
  try {
    Throw(403, "");
    FAIL();
  } catch (const AuthenticationError& e) {
    EXPECT_EQ(e.message(), std::string("GET ") + kUrl + " answered HTTP 403 Forbidden");
  }
}

TEST_F(ThrowForStatusTest, TooManyRequestsWithSeconds) {
  try {
    Throw(429, "slow down", {{"retry-after", "2"}});
    FAIL();
  } catch (const RateLimitError& e) {
    EXPECT_EQ(e.message(), std::string("GET ") + kUrl +
                               " answered HTTP 429 Too Many Requests: slow down (retry after "
                               "2000 ms)");
    EXPECT_EQ(e.retry_after(), milliseconds(2000));
    EXPECT_EQ(e.error_class(), ErrorClass::kThrottled);
  }
}

TEST_F(ThrowForStatusTest, TooManyRequestsWithAnHttpDate) {
  try {
    Throw(429, "", {{"retry-after", "Tue, 14 Nov 2023 22:13:50 GMT"}});
    FAIL();
  } catch (const RateLimitError& e) {
    EXPECT_EQ(e.retry_after(), milliseconds(30000));
  }
}

TEST_F(ThrowForStatusTest, TooManyRequestsWithoutAHint) {
  try {
    Throw(429, "");
    FAIL();
  } catch (const RateLimitError& e) {
    EXPECT_EQ(e.message(), std::string("GET ") + kUrl + " answered HTTP 429 Too Many Requests");
    EXPECT_FALSE(e.retry_after().has_value());
  }
}

TEST_F(ThrowForStatusTest, ServerErrorIsTransient) {
  try {
    Throw(500, "<html>\n<body>oops</body>\n</html>");
    FAIL();
  } catch (const ConnectionError& e) {
    EXPECT_EQ(e.message(),
              std::string("GET ") + kUrl +
                  " answered HTTP 500 Internal Server Error: <html>\\n<body>oops</body>"
                  "\\n</html>");
    EXPECT_EQ(e.error_class(), ErrorClass::kTransient);
  }
}

TEST_F(ThrowForStatusTest, UnavailableWithRetryAfterIsThrottled) {
  try {
    Throw(503, "", {{"retry-after", "5"}});
    FAIL();
  } catch (const RateLimitError& e) {
    EXPECT_EQ(e.retry_after(), milliseconds(5000));
  }
}

TEST_F(ThrowForStatusTest, UnavailableWithoutRetryAfterIsTransient) {
  try {
    Throw(503, "");
    FAIL();
  } catch (const RateLimitError&) {
    FAIL() << "503 without Retry-After is not throttled";
  } catch (const ConnectionError& e) {
    EXPECT_EQ(e.message(), std::string("GET ") + kUrl + " answered HTTP 503 Service Unavailable");
    EXPECT_EQ(e.error_class(), ErrorClass::kTransient);
  }
}

TEST_F(ThrowForStatusTest, NotFoundIsPermanent) {
  try {
    Throw(404, R"({"error":"no such item"})");
    FAIL();
  } catch (const ConnectionError&) {
    FAIL() << "404 is not a connection error";
  } catch (const ConnectorError& e) {
    EXPECT_EQ(std::string(e.what()),
              "REST read: GET https://api.example.com/v1/items?page=2 answered HTTP 404 Not "
              "Found: {\"error\":\"no such item\"}");
    EXPECT_EQ(e.error_class(), ErrorClass::kPermanent);
  }
}

TEST_F(ThrowForStatusTest, QuotesAtMost200BytesOfTheBody) {
  try {
    Throw(400, std::string(300, 'x'));
    FAIL();
  } catch (const ConnectorError& e) {
    EXPECT_EQ(e.message(), std::string("GET ") + kUrl +
                               " answered HTTP 400 Bad Request: " + std::string(200, 'x') + "...");
  }
}

}  // namespace
}  // namespace sqlflow::net
