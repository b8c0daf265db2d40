// The REST source against the local HTTP test server: every pagination style, faults
// recovered with exactly the expected attempts, the circuit breaker, the rate limiter measured
// on the server side, OAuth2, bad responses and incremental reads. Backoff waits run on a
// FakeClock; only the limiter and timeout tests take real time (well under a second each).
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqlflow/common/clock.h"
#include "sqlflow/common/error.h"
#include "sqlflow/resilience/metrics.h"

#include "tests/rest/rest_test_util.h"
#include "tests/support/http_test_server.h"
#include <nlohmann/json.hpp>

namespace sqlflow {
namespace {

using ::sqlflow::testing::ColumnText;
using ::sqlflow::testing::Fault;
using ::sqlflow::testing::HttpTestServer;
using ::sqlflow::testing::Ids;
using ::sqlflow::testing::MakeRestSourceFor;
using ::sqlflow::testing::ReadChunks;
using ::testing::HasSubstr;
using ::testing::Not;
using json = nlohmann::json;

class RestSourceTest : public ::testing::Test {
 protected:
  void SetUp() override { server_.Start(); }

  std::unique_ptr<SourceConnector> Source(const std::string& path, json params) {
    return MakeRestSourceFor(server_, path, std::move(params), clock_, metrics_);
  }

  /// The ids a read returns.
  std::vector<std::string> ReadIds(SourceConnector& source) {
    return ColumnText(ReadChunks(source), "id");
  }

  HttpTestServer server_;
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
  std::shared_ptr<resilience::ResilienceMetrics> metrics_ =
      std::make_shared<resilience::ResilienceMetrics>();
};

// ---- Pagination -------------------------------------------------------------------------

TEST_F(RestSourceTest, PageNumbersUntilAShortPage) {
  auto source = Source("/items/page", {{"records_path", "data"},
                                       {"pagination", {{"type", "page"}, {"page_size", 10}}}});
  EXPECT_EQ(ReadIds(*source), Ids(1, 25));
  ASSERT_EQ(server_.request_count("/items/page"), 3);  // 10 + 10 + 5: the short page ends it
  const auto requests = server_.requests();
  EXPECT_EQ(requests[0].Param("page"), "1");
  EXPECT_EQ(requests[0].Param("per_page"), "10");
  EXPECT_EQ(requests[2].Param("page"), "3");
}

TEST_F(RestSourceTest, OffsetAndLimitUntilTheTotalIsReached) {
  server_.set_record_count(20);
  auto source =
      Source("/items/offset",
             {{"records_path", "data"},
              {"pagination", {{"type", "offset"}, {"page_size", 10}, {"total_path", "total"}}}});
  EXPECT_EQ(ReadIds(*source), Ids(1, 20));
  // 20 records in two full pages: the total ends the read without asking for an empty page.
  ASSERT_EQ(server_.request_count("/items/offset"), 2);
  EXPECT_EQ(server_.requests()[1].Param("offset"), "10");
  EXPECT_EQ(server_.requests()[1].Param("limit"), "10");
}

TEST_F(RestSourceTest, CursorFromTheBodyUntilThereIsNone) {
  auto source =
      Source("/items/cursor",
             {{"records_path", "data"},
              {"params", {{"limit", 10}}},
              {"pagination",
               {{"type", "cursor"}, {"cursor_param", "cursor"}, {"cursor_path", "next_cursor"}}}});
  EXPECT_EQ(ReadIds(*source), Ids(1, 25));
  ASSERT_EQ(server_.request_count("/items/cursor"), 3);
  EXPECT_EQ(server_.requests()[0].Param("cursor"), "");
  EXPECT_NE(server_.requests()[1].Param("cursor"), "");
}

TEST_F(RestSourceTest, NextUrlFromTheBodyUntilItIsNull) {
  auto source = Source("/items/next", {{"records_path", "data"},
                                       {"params", {{"limit", 10}}},
                                       {"pagination", {{"type", "next_url"}}}});
  EXPECT_EQ(ReadIds(*source), Ids(1, 25));
  EXPECT_EQ(server_.request_count("/items/next"), 3);
}

TEST_F(RestSourceTest, LinkHeaderUntilThereIsNoNextLink) {
  auto source = Source("/items/link",
                       {{"params", {{"per_page", 10}}}, {"pagination", {{"type", "link_header"}}}});
  EXPECT_EQ(ReadIds(*source), Ids(1, 25));
  EXPECT_EQ(server_.request_count("/items/link"), 3);
}

TEST_F(RestSourceTest, MaxPagesStopsTheRead) {
  auto source = Source("/items/page",
                       {{"records_path", "data"},
                        {"pagination", {{"type", "page"}, {"page_size", 5}, {"max_pages", 2}}}});
  EXPECT_EQ(ReadIds(*source), Ids(1, 10));
  EXPECT_EQ(server_.request_count("/items/page"), 2);
}

TEST_F(RestSourceTest, RecordsBecomeTypedColumnsWithNestedObjectsFlattened) {
  server_.set_record_count(2);
  auto source = Source("/items/all", {});
  std::vector<DataChunk> chunks = ReadChunks(*source);
  ASSERT_EQ(chunks.size(), 1u);
  const Schema& schema = chunks[0].schema();
  EXPECT_EQ(schema.field(static_cast<size_t>(schema.FieldIndex("id"))).type.id(), TypeId::kInt64);
  EXPECT_EQ(schema.field(static_cast<size_t>(schema.FieldIndex("price"))).type.id(),
            TypeId::kFloat64);
  EXPECT_EQ(schema.field(static_cast<size_t>(schema.FieldIndex("tags"))).type.id(), TypeId::kJson);
  EXPECT_GE(schema.FieldIndex("meta__rank"), 0);
  EXPECT_EQ(ColumnText(chunks, "meta__rank"), Ids(1, 2));
}

// ---- Faults -----------------------------------------------------------------------------

TEST_F(RestSourceTest, ServerErrorsAreRetriedAndEveryRowArrivesOnce) {
  Fault fault;
  fault.status = 503;
  server_.InjectFault("/items/all", fault, 2);
  auto source = Source("/items/all", {});
  EXPECT_EQ(ReadIds(*source), Ids(1, 25));
  EXPECT_EQ(server_.request_count("/items/all"), 3);
  EXPECT_EQ(metrics_->retries("rest", "read"), 2u);
  EXPECT_EQ(source->performance_metrics().retries, 2);
  EXPECT_GT(clock_->elapsed(), Clock::Duration::zero());  // backoff on the fake clock
}

TEST_F(RestSourceTest, TooManyRequestsWaitsForRetryAfterAndSlowsDown) {
  Fault fault;
  fault.status = 429;
  fault.retry_after = "2";
  server_.InjectFault("/items/all", fault, 1);
  auto source = Source("/items/all", {});
  EXPECT_EQ(ReadIds(*source), Ids(1, 25));
  EXPECT_EQ(server_.request_count("/items/all"), 2);
  EXPECT_GE(clock_->elapsed(), std::chrono::seconds(2));  // never before the server's hint
  EXPECT_LT(source->CheckHealth().resilience["requests_per_minute"].get<int64_t>(), 60);
}

TEST_F(RestSourceTest, PersistentServerErrorsFailAfterThreeAttempts) {
  Fault fault;
  fault.status = 500;
  server_.InjectPersistentFault("/items/all", fault);
  auto source = Source("/items/all", {});
  try {
    ReadChunks(*source);
    FAIL() << "expected ConnectionError";
  } catch (const ConnectionError& e) {
    EXPECT_THAT(e.message(), HasSubstr("500"));
    EXPECT_THAT(e.message(), HasSubstr("/items/all"));
  }
  EXPECT_EQ(server_.request_count("/items/all"), 3);
}

TEST_F(RestSourceTest, ClientErrorsAreNotRetried) {
  auto source = Source("/no/such/route", {});
  EXPECT_THROW(ReadChunks(*source), ConnectorError);
  EXPECT_EQ(server_.request_count("/no/such/route"), 1);
  EXPECT_EQ(metrics_->retries("rest", "read"), 0u);
}

TEST_F(RestSourceTest, DroppedConnectionsAreRetried) {
  Fault drop;
  drop.kind = Fault::Kind::kDrop;
  server_.InjectFault("/items/all", drop, 1);
  Fault mid_body;
  mid_body.kind = Fault::Kind::kDropMidBody;
  server_.InjectFault("/items/all", mid_body, 1);
  auto source = Source("/items/all", {});
  EXPECT_EQ(ReadIds(*source), Ids(1, 25));
  EXPECT_EQ(server_.request_count("/items/all"), 3);
}

TEST_F(RestSourceTest, ASlowResponseTimesOutAndIsRetried) {
  Fault slow;
  slow.kind = Fault::Kind::kSlow;
  slow.delay = std::chrono::milliseconds(600);
  server_.InjectFault("/items/all", slow, 1);
  auto source = Source("/items/all", {{"timeout", 0.2}});
  EXPECT_EQ(ReadIds(*source), Ids(1, 25));
  EXPECT_EQ(server_.request_count("/items/all"), 2);
  EXPECT_EQ(metrics_->retries("rest", "read"), 1u);
}

TEST_F(RestSourceTest, TheCircuitOpensFailsFastAndRecovers) {
  Fault fault;
  fault.status = 503;
  server_.InjectPersistentFault("/items/all", fault);
  auto source = Source(
      "/items/all",
      {{"resilience",
        {{"retry_attempts", 1},
         {"circuit_breaker",
          {{"failure_threshold", 2}, {"recovery_timeout", 30}, {"success_threshold", 1}}}}}});
  EXPECT_THROW(ReadChunks(*source), ConnectionError);
  EXPECT_THROW(ReadChunks(*source), ConnectionError);
  EXPECT_EQ(metrics_->breaker_state("rest"), 1);  // open
  EXPECT_THROW(ReadChunks(*source), CircuitOpenError);
  EXPECT_EQ(server_.request_count("/items/all"), 2);  // failed fast: no request
  EXPECT_EQ(source->CheckHealth().resilience["circuit_breaker"], "OPEN");

  server_.ClearFaults();
  clock_->Advance(std::chrono::seconds(31));
  EXPECT_EQ(ReadIds(*source), Ids(1, 25));
  EXPECT_EQ(server_.request_count("/items/all"), 3);
  EXPECT_EQ(metrics_->breaker_state("rest"), 0);  // closed again
}

TEST_F(RestSourceTest, TheRateLimiterKeepsTheRequestRateUnderItsLimit) {
  // Real time: the limit is measured where it matters, on the server. 1200 requests a minute
  // with a burst of 1 is one request every 50 ms.
  auto source = MakeRestSourceFor(
      server_, "/items/page",
      {{"records_path", "data"},
       {"pagination", {{"type", "page"}, {"page_size", 5}}},
       {"resilience", {{"rate_limit", {{"max_requests_per_minute", 1200}, {"burst_size", 1}}}}}},
      SystemClock::Instance(), metrics_);
  EXPECT_EQ(ColumnText(ReadChunks(*source), "id"), Ids(1, 25));
  const auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 6u);  // five full pages and the empty one that ends the read
  // Request i leaves at least (i - 1) x 50 ms after request 1. Request 0 is left out: its
  // arrival also includes opening the connection, which the later ones reuse. 10 ms of slack
  // absorbs how long a request takes to arrive.
  for (size_t i = 2; i < requests.size(); ++i) {
    const auto since_first = requests[i].arrived - requests[1].arrived;
    EXPECT_GE(since_first, std::chrono::milliseconds(50 * (static_cast<int>(i) - 1) - 10))
        << "request " << i;
  }
  // How long the limiter itself waited depends on how long the requests took: not asserted.
}

// ---- Auth -------------------------------------------------------------------------------

TEST_F(RestSourceTest, OAuth2ClientCredentialsFetchOneTokenAndRefreshAfterA401) {
  server_.set_oauth_client("client-1", "client-secret-1");
  auto source = Source("/secure/items/page", {{"records_path", "data"},
                                              {"pagination", {{"type", "page"}, {"page_size", 10}}},
                                              {"auth",
                                               {{"type", "oauth2"},
                                                {"token_url", server_.base_url() + "/oauth/token"},
                                                {"client_id", "client-1"},
                                                {"client_secret", "client-secret-1"}}}});
  EXPECT_EQ(ReadIds(*source), Ids(1, 25));
  EXPECT_EQ(server_.request_count("/oauth/token"), 1);  // cached across the three pages

  server_.RevokeTokens();
  EXPECT_EQ(ReadIds(*source), Ids(1, 25));
  EXPECT_EQ(server_.request_count("/oauth/token"), 2);  // refreshed once after the 401
  EXPECT_EQ(metrics_->recovery_attempts("rest"), 1u);
}

TEST_F(RestSourceTest, OAuth2RefreshTokenGrant) {
  server_.set_oauth_client("client-1", "client-secret-1", "refresh-token-1");
  auto source = Source("/secure/items/all", {{"auth",
                                              {{"type", "oauth2"},
                                               {"token_url", server_.base_url() + "/oauth/token"},
                                               {"client_id", "client-1"},
                                               {"client_secret", "client-secret-1"},
                                               {"refresh_token", "refresh-token-1"}}}});
  EXPECT_EQ(ReadIds(*source), Ids(1, 25));
  const auto requests = server_.requests();
  ASSERT_FALSE(requests.empty());
  EXPECT_THAT(requests[0].body, HasSubstr("grant_type=refresh_token"));
}

TEST_F(RestSourceTest, WrongCredentialsFailAtOnceWithoutTheSecret) {
  server_.set_oauth_client("client-1", "client-secret-1");
  auto source = Source("/secure/items/all", {{"auth",
                                              {{"type", "oauth2"},
                                               {"token_url", server_.base_url() + "/oauth/token"},
                                               {"client_id", "client-1"},
                                               {"client_secret", "wrong-secret-42"}}}});
  try {
    ReadChunks(*source);
    FAIL() << "expected AuthenticationError";
  } catch (const AuthenticationError& e) {
    EXPECT_THAT(e.what(), Not(HasSubstr("wrong-secret-42")));
  }
  EXPECT_EQ(server_.request_count("/oauth/token"), 1);  // auth errors are never retried blindly
  EXPECT_EQ(server_.request_count("/secure"), 0);
}

TEST_F(RestSourceTest, AnApiKeyInTheQueryNeverAppearsInErrors) {
  server_.SetRoute("/broken", 200, "<html><body>Gateway says hello</body></html>", "text/html");
  auto source = Source(
      "/broken",
      {{"auth",
        {{"type", "api_key"}, {"name", "api_key"}, {"value", "key-5ecret-77"}, {"in", "query"}}}});
  try {
    ReadChunks(*source);
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_THAT(e.what(), Not(HasSubstr("key-5ecret-77")));
    EXPECT_THAT(e.what(), HasSubstr("/broken"));
    EXPECT_THAT(e.what(), HasSubstr("<html>"));
  }
  EXPECT_EQ(server_.requests().back().Param("api_key"), "key-5ecret-77");
}

// ---- Bad responses ----------------------------------------------------------------------

TEST_F(RestSourceTest, AnErrorBodyWithStatus200IsADataError) {
  server_.SetRoute("/quota", 200, R"({"error": "daily quota exceeded"})");
  auto source = Source("/quota", {{"records_path", "data"}});
  try {
    ReadChunks(*source);
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_THAT(e.what(), HasSubstr("daily quota exceeded"));
  }
}

TEST_F(RestSourceTest, AMissingRecordsPathIsADataError) {
  auto source = Source("/items/page", {{"records_path", "items"}});
  try {
    ReadChunks(*source);
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_THAT(e.what(), HasSubstr("records_path 'items'"));
    EXPECT_THAT(e.what(), HasSubstr("/items/page"));
  }
}

TEST_F(RestSourceTest, ATruncatedBodyIsADataError) {
  Fault truncated;
  truncated.kind = Fault::Kind::kTruncatedBody;
  server_.InjectFault("/items/all", truncated, 1);
  auto source = Source("/items/all", {});
  EXPECT_THROW(ReadChunks(*source), DataError);
}

// ---- Incremental ------------------------------------------------------------------------

TEST_F(RestSourceTest, IncrementalReadsSendTheWatermarkInTheCursorParameter) {
  auto source = Source("/items/since", {{"sync_mode", "incremental"},
                                        {"cursor_field", "updated_at"},
                                        {"cursor_param", "updated_since"}});
  std::vector<DataChunk> all = ReadChunks(*source);
  ASSERT_EQ(all.size(), 1u);
  const int cursor = all[0].schema().FieldIndex("updated_at");
  ASSERT_GE(cursor, 0);
  IncrementalRequest request;
  request.cursor_field = "updated_at";
  request.cursor_value = all[0].column(static_cast<size_t>(cursor)).GetValue(19);  // id 20
  std::unique_ptr<ChunkStream> stream = source->ReadIncremental(request);
  EXPECT_EQ(ColumnText(DrainStream(*stream), "id"), Ids(21, 25));
  EXPECT_FALSE(server_.requests().back().Param("updated_since").empty());

  request.inclusive = true;  // the runner re-reads the boundary value of a source like this
  stream = source->ReadIncremental(request);
  EXPECT_EQ(ColumnText(DrainStream(*stream), "id"), Ids(20, 25));
}

TEST_F(RestSourceTest, HealthReportsTheConnectionAndTheResilienceState) {
  auto source = Source("/items/all", {});
  HealthReport health = source->CheckHealth();
  EXPECT_TRUE(health.healthy) << health.error;
  EXPECT_EQ(health.resilience["circuit_breaker"], "CLOSED");
}

}  // namespace
}  // namespace sqlflow
