// Direct tests of HttpTestServer through cpp-httplib's own client: the shapes of the
// pagination routes the REST connector's integration tests rely on, faults and recording.
#include "tests/support/http_test_server.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

namespace sqlflow::testing {
namespace {

using nlohmann::json;

class HttpTestServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.set_record_count(5);
    server_.Start();
  }

  /// GET `path`; the parsed body (null when it is not JSON) and the status.
  std::pair<int, json> GetJson(const std::string& path) {
    httplib::Client client("127.0.0.1", server_.port());
    auto res = client.Get(path.c_str());
    if (!res) return {0, nullptr};
    last_link_ = res->get_header_value("Link");
    return {res->status, json::parse(res->body, nullptr, false)};
  }
  std::vector<int64_t> Ids(const json& records) {
    std::vector<int64_t> ids;
    for (const json& r : records) ids.push_back(r["id"].get<int64_t>());
    return ids;
  }

  HttpTestServer server_;
  std::string last_link_;
};

TEST_F(HttpTestServerTest, RecordShape) {
  auto [status, body] = GetJson("/items/all");
  ASSERT_EQ(status, 200);
  ASSERT_EQ(body.size(), 5u);
  EXPECT_EQ(body[1], json::parse(R"({"id":2,"name":"item-2","updated_at":"2024-01-01T00:00:02Z",
      "price":3.0,"tags":["item","even"],"meta":{"source":"test","rank":2}})"));
}

TEST_F(HttpTestServerTest, PageNumbers) {
  EXPECT_EQ(Ids(GetJson("/items/page?page=1&per_page=2").second["data"]),
            (std::vector<int64_t>{1, 2}));
  auto [status, last] = GetJson("/items/page?page=3&per_page=2");
  EXPECT_EQ(Ids(last["data"]), (std::vector<int64_t>{5}));
  EXPECT_EQ(last["total"], 5);
  EXPECT_TRUE(GetJson("/items/page?page=4&per_page=2").second["data"].empty());
  EXPECT_EQ(GetJson("/items/page?page=0").first, 400);
}

TEST_F(HttpTestServerTest, OffsetLimit) {
  EXPECT_EQ(Ids(GetJson("/items/offset?offset=3&limit=10").second["data"]),
            (std::vector<int64_t>{4, 5}));
  EXPECT_TRUE(GetJson("/items/offset?offset=5&limit=2").second["data"].empty());
}

TEST_F(HttpTestServerTest, CursorUntilNull) {
  json first = GetJson("/items/cursor?limit=2").second;
  EXPECT_EQ(Ids(first["data"]), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(first["next_cursor"], "c2");
  json third = GetJson("/items/cursor?cursor=c4&limit=2").second;
  EXPECT_EQ(Ids(third["data"]), (std::vector<int64_t>{5}));
  EXPECT_TRUE(third["next_cursor"].is_null());
  EXPECT_EQ(GetJson("/items/cursor?cursor=zz").first, 400);
}

TEST_F(HttpTestServerTest, NextUrlUntilNull) {
  json first = GetJson("/items/next?limit=3").second;
  EXPECT_EQ(Ids(first["data"]), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(first["next"], "/items/next?after=3&limit=3");
  json second = GetJson(first["next"].get<std::string>()).second;
  EXPECT_EQ(Ids(second["data"]), (std::vector<int64_t>{4, 5}));
  EXPECT_TRUE(second["next"].is_null());
}

TEST_F(HttpTestServerTest, LinkHeaderUntilNoNext) {
  json first = GetJson("/items/link?page=1&per_page=3").second;
  EXPECT_EQ(Ids(first), (std::vector<int64_t>{1, 2, 3}));
  std::string base = server_.base_url();
  EXPECT_EQ(last_link_, "<" + base + "/items/link?page=2&per_page=3>; rel=\"next\", <" + base +
                            "/items/link?page=2&per_page=3>; rel=\"last\"");
  EXPECT_EQ(Ids(GetJson("/items/link?page=2&per_page=3").second), (std::vector<int64_t>{4, 5}));
  EXPECT_EQ(last_link_, "<" + base + "/items/link?page=2&per_page=3>; rel=\"last\"");
}

TEST_F(HttpTestServerTest, SinceAndSearch) {
  EXPECT_EQ(Ids(GetJson("/items/since?updated_since=2024-01-01T00:00:04Z").second),
            (std::vector<int64_t>{4, 5}));
  httplib::Client client("127.0.0.1", server_.port());
  auto res = client.Post("/items/search", R"({"limit": 2})", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(Ids(json::parse(res->body)["data"]), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(client.Post("/items/search", "nope", "application/json")->status, 400);
}

TEST_F(HttpTestServerTest, SecureRoutesNeedAnIssuedToken) {
  EXPECT_EQ(GetJson("/secure/items/all").first, 401);
  server_.set_oauth_client("c", "s");
  httplib::Client client("127.0.0.1", server_.port());
  EXPECT_EQ(client
                .Post("/oauth/token", "grant_type=client_credentials&client_id=c&client_secret=x",
                      "application/x-www-form-urlencoded")
                ->status,
            401);
  auto res =
      client.Post("/oauth/token", "grant_type=client_credentials&client_id=c&client_secret=s",
                  "application/x-www-form-urlencoded");
  json token = json::parse(res->body);
  EXPECT_EQ(token["token_type"], "Bearer");
  EXPECT_EQ(token["expires_in"], 3600);
  httplib::Headers auth = {{"Authorization", "Bearer " + token["access_token"].get<std::string>()}};
  EXPECT_EQ(client.Get("/secure/items/all", auth)->status, 200);
  server_.RevokeTokens();
  EXPECT_EQ(client.Get("/secure/items/all", auth)->status, 401);
}

TEST_F(HttpTestServerTest, FaultsQueueInOrderThenStop) {
  server_.InjectFault("/items", {.kind = Fault::Kind::kStatus, .status = 429, .retry_after = "2"});
  server_.InjectFault("", {.kind = Fault::Kind::kStatus, .status = 502}, 2);
  httplib::Client client("127.0.0.1", server_.port());
  auto first = client.Get("/items/all");
  EXPECT_EQ(first->status, 429);
  EXPECT_EQ(first->get_header_value("Retry-After"), "2");
  EXPECT_EQ(client.Get("/other")->status, 502);
  EXPECT_EQ(client.Get("/items/all")->status, 502);
  EXPECT_EQ(client.Get("/items/all")->status, 200);
  std::vector<int> statuses;
  for (const RecordedRequest& r : server_.requests()) statuses.push_back(r.status);
  EXPECT_EQ(statuses, (std::vector<int>{429, 502, 502, 200}));
}

TEST_F(HttpTestServerTest, PersistentFaultUntilCleared) {
  server_.InjectPersistentFault("/items/page", {.kind = Fault::Kind::kStatus, .status = 500});
  EXPECT_EQ(GetJson("/items/page").first, 500);
  EXPECT_EQ(GetJson("/items/page").first, 500);
  EXPECT_EQ(GetJson("/items/all").first, 200);
  server_.ClearFaults();
  EXPECT_EQ(GetJson("/items/page").first, 200);
}

TEST_F(HttpTestServerTest, DropsTheConnection) {
  server_.InjectFault("/items/all", {.kind = Fault::Kind::kDrop});
  EXPECT_EQ(GetJson("/items/all").first, 0);  // httplib's client sees no response.
  EXPECT_EQ(server_.requests().at(0).status, 0);
}

TEST_F(HttpTestServerTest, SetRouteAndRecording) {
  server_.SetRoute("/html", 200, "<html></html>", "text/html");
  httplib::Client client("127.0.0.1", server_.port());
  auto res = client.Get("/html?q=a%20b&x=1", {{"X-Test", "yes"}});
  EXPECT_EQ(res->body, "<html></html>");
  auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].path, "/html");
  EXPECT_EQ(requests[0].query, "q=a%20b&x=1");
  EXPECT_EQ(requests[0].Param("q"), "a b");
  EXPECT_EQ(requests[0].HeaderValue("X-Test"), "yes");
  EXPECT_EQ(requests[0].status, 200);
  EXPECT_EQ(server_.request_count("/html"), 1);
  EXPECT_EQ(server_.request_count("/items"), 0);
  server_.ClearRequests();
  EXPECT_EQ(server_.request_count(), 0);
}

}  // namespace
}  // namespace sqlflow::testing
