// The `pagination` parameter and the Paginator: every style, every stop condition, the loop
// guard, with exact URLs.

#include "sqlflow/connectors/rest/rest_pagination.h"

#include <map>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqlflow/common/error.h"

namespace sqlflow::rest {
namespace {

using nlohmann::json;

constexpr char kBase[] = "https://api.test/v1/items?q=a";

PageFacts Page(std::string url, int64_t records, std::map<std::string, std::string> body = {},
               std::optional<std::string> link = std::nullopt) {
  PageFacts page;
  page.url = std::move(url);
  page.records = records;
  page.link_header = std::move(link);
  page.body_value = [body](const std::string& path) -> std::optional<std::string> {
    auto it = body.find(path);
    if (it == body.end()) return std::nullopt;
    return it->second;
  };
  return page;
}

std::string ParseError(const json& value) {
  try {
    ParsePagination("REST", value);
  } catch (const ParameterError& e) {
    return e.what();
  }
  return "no error";
}

TEST(RestPaginationTest, NoneIsASingleRequest) {
  Paginator p("REST", {}, kBase);
  EXPECT_EQ(p.FirstUrl(), kBase);
  EXPECT_EQ(p.Next(Page(kBase, 100)), std::nullopt);
  EXPECT_EQ(p.stop_reason(), "single request");
  EXPECT_EQ(p.pages(), 1);
  EXPECT_EQ(p.records(), 100);
}

TEST(RestPaginationTest, PageStyleStopsOnAShortPage) {
  Paginator p("REST", ParsePagination("REST", {{"type", "page"}, {"page_size", 2}}), kBase);
  EXPECT_EQ(p.FirstUrl(), "https://api.test/v1/items?q=a&page=1&per_page=2");
  EXPECT_EQ(p.Next(Page(p.FirstUrl(), 2)), "https://api.test/v1/items?q=a&page=2&per_page=2");
  EXPECT_EQ(p.Next(Page("", 2)), "https://api.test/v1/items?q=a&page=3&per_page=2");
  EXPECT_EQ(p.Next(Page("", 1)), std::nullopt);
  EXPECT_EQ(p.stop_reason(), "short page");
  EXPECT_EQ(p.records(), 5);
}

TEST(RestPaginationTest, PageStyleWithoutSizeStopsOnAnEmptyPage) {
  auto options =
      ParsePagination("REST", {{"type", "page"}, {"page_param", "p"}, {"start_page", 0}});
  Paginator p("REST", options, "https://api.test/x?p=7#frag");
  EXPECT_EQ(p.FirstUrl(), "https://api.test/x?p=0#frag");
  EXPECT_EQ(p.Next(Page("", 3)), "https://api.test/x?p=1#frag");
  EXPECT_EQ(p.Next(Page("", 0)), std::nullopt);
  EXPECT_EQ(p.stop_reason(), "empty page");
}

TEST(RestPaginationTest, OffsetStyleAdvancesByRecordsRead) {
  Paginator p("REST", ParsePagination("REST", {{"type", "offset"}, {"page_size", 3}}), kBase);
  EXPECT_EQ(p.FirstUrl(), "https://api.test/v1/items?q=a&offset=0&limit=3");
  EXPECT_EQ(p.Next(Page("", 3)), "https://api.test/v1/items?q=a&offset=3&limit=3");
  EXPECT_EQ(p.Next(Page("", 3)), "https://api.test/v1/items?q=a&offset=6&limit=3");
  EXPECT_EQ(p.Next(Page("", 2)), std::nullopt);
  EXPECT_EQ(p.stop_reason(), "short page");
}

TEST(RestPaginationTest, TotalReached) {
  auto options = ParsePagination(
      "REST",
      {{"type", "offset"}, {"page_size", 2}, {"size_param", "n"}, {"total_path", "meta.total"}});
  Paginator p("REST", options, kBase);
  EXPECT_EQ(p.FirstUrl(), "https://api.test/v1/items?q=a&offset=0&n=2");
  EXPECT_EQ(p.Next(Page("", 2, {{"meta.total", "4"}})),
            "https://api.test/v1/items?q=a&offset=2&n=2");
  EXPECT_EQ(p.Next(Page("", 2, {{"meta.total", "4"}})), std::nullopt);
  EXPECT_EQ(p.stop_reason(), "total reached");
  // A total that is not a number is ignored.
  Paginator q("REST", options, kBase);
  EXPECT_NE(q.Next(Page("", 2, {{"meta.total", "many"}})), std::nullopt);
}

TEST(RestPaginationTest, CursorStyle) {
  Paginator p(
      "REST",
      ParsePagination(
          "REST", {{"type", "cursor"}, {"cursor_param", "after"}, {"cursor_path", "paging.next"}}),
      kBase);
  EXPECT_EQ(p.FirstUrl(), kBase);
  EXPECT_EQ(p.Next(Page(kBase, 5, {{"paging.next", "c 1/="}})),
            "https://api.test/v1/items?q=a&after=c%201%2F%3D");
  EXPECT_EQ(p.Next(Page("", 5, {{"paging.next", "c2"}})), "https://api.test/v1/items?q=a&after=c2");
  EXPECT_EQ(p.Next(Page("", 5, {{"paging.next", ""}})), std::nullopt);
  EXPECT_EQ(p.stop_reason(), "no next cursor");
  Paginator absent("REST", ParsePagination("REST", {{"type", "cursor"}}), kBase);
  EXPECT_EQ(absent.Next(Page(kBase, 5)), std::nullopt);
  EXPECT_EQ(absent.stop_reason(), "no next cursor");
}

TEST(RestPaginationTest, SameCursorTwiceIsALoop) {
  Paginator p("REST", ParsePagination("REST", {{"type", "cursor"}}), kBase);
  EXPECT_NE(p.Next(Page("", 1, {{"next_cursor", "abc"}})), std::nullopt);
  try {
    p.Next(Page("", 1, {{"next_cursor", "abc"}}));
    FAIL() << "no loop detected";
  } catch (const DataError& e) {
    EXPECT_STREQ(e.what(),
                 "REST read: the server sent the same cursor twice ('abc'); stopping instead of "
                 "reading the same pages forever");
  }
}

TEST(RestPaginationTest, NextUrlStyleResolvesRelativeLinks) {
  Paginator p("REST",
              ParsePagination("REST", {{"type", "next_url"}, {"next_url_path", "links.next"}}),
              kBase);
  EXPECT_EQ(p.FirstUrl(), kBase);
  std::string second = "https://api.test/v1/items?q=a&page=2";
  EXPECT_EQ(p.Next(Page(kBase, 1, {{"links.next", "?q=a&page=2"}})), second);
  EXPECT_EQ(p.Next(Page(second, 1, {{"links.next", "/v1/items?page=3"}})),
            "https://api.test/v1/items?page=3");
  EXPECT_EQ(p.Next(Page("https://api.test/v1/items?page=3", 1,
                        {{"links.next", "https://other.test/p4"}})),
            "https://other.test/p4");
  EXPECT_EQ(p.Next(Page("https://other.test/p4", 1)), std::nullopt);
  EXPECT_EQ(p.stop_reason(), "no next link");
}

TEST(RestPaginationTest, NextLinkBackToAPageReadIsALoopAndTheUrlIsRedacted) {
  Paginator p("REST", ParsePagination("REST", {{"type", "next_url"}}),
              "https://api.test/x?api_key=s3cret");
  std::string first = "https://api.test/x?api_key=s3cret";
  EXPECT_EQ(p.Next(Page(first, 1, {{"next", "/x?api_key=s3cret&page=2"}})),
            "https://api.test/x?api_key=s3cret&page=2");
  try {
    p.Next(Page("https://api.test/x?api_key=s3cret&page=2", 1, {{"next", first}}));
    FAIL() << "no loop detected";
  } catch (const DataError& e) {
    EXPECT_STREQ(e.what(),
                 "REST read: the server sent the same next link twice "
                 "('https://api.test/x?api_key=***'); stopping instead of reading the same "
                 "pages forever");
  }
}

TEST(RestPaginationTest, LinkHeaderStyle) {
  Paginator p("REST", ParsePagination("REST", {{"type", "link_header"}}), kBase);
  EXPECT_EQ(p.Next(Page(kBase, 2, {},
                        R"(<https://api.test/v1/items?q=a&page=2>; rel="next", )"
                        R"(<https://api.test/v1/items?q=a&page=5>; rel="last")")),
            "https://api.test/v1/items?q=a&page=2");
  EXPECT_EQ(p.Next(Page("https://api.test/v1/items?q=a&page=2", 2, {},
                        R"(</v1/items?q=a&page=3>; rel="prev next")")),
            "https://api.test/v1/items?q=a&page=3");
  EXPECT_EQ(p.Next(Page("https://api.test/v1/items?q=a&page=3", 2, {},
                        R"(</v1/items?q=a&page=2>; rel="prev")")),
            std::nullopt);
  EXPECT_EQ(p.stop_reason(), "no next link");
  Paginator q("REST", ParsePagination("REST", {{"type", "link_header"}}), kBase);
  EXPECT_EQ(q.Next(Page(kBase, 2)), std::nullopt);
  EXPECT_EQ(q.stop_reason(), "no next link");
  Paginator loop("REST", ParsePagination("REST", {{"type", "link_header"}}), kBase);
  EXPECT_THROW(loop.Next(Page(kBase, 2, {}, "<?q=a>; rel=next")), DataError);
}

TEST(RestPaginationTest, MaxPagesStopsEveryStyle) {
  for (const char* type : {"page", "offset", "cursor", "next_url", "link_header"}) {
    json value = {{"type", type}, {"max_pages", 2}};
    if (std::string(type) == "offset") value["page_size"] = 1;
    Paginator p("REST", ParsePagination("REST", value), kBase);
    int n = 0;
    auto facts = [&n] {
      ++n;
      std::string next = "https://api.test/p" + std::to_string(n + 1);
      return Page("https://api.test/p" + std::to_string(n), 1,
                  {{"next_cursor", "c" + std::to_string(n)}, {"next", next}},
                  "<" + next + ">; rel=next");
    };
    EXPECT_NE(p.Next(facts()), std::nullopt) << type;
    EXPECT_EQ(p.Next(facts()), std::nullopt) << type;
    EXPECT_EQ(p.stop_reason(), "max_pages reached") << type;
  }
}

TEST(RestPaginationTest, ParseDefaults) {
  PaginationOptions none = ParsePagination("REST", json());
  EXPECT_EQ(none.style, PaginationStyle::kNone);
  PaginationOptions page = ParsePagination("REST", {{"type", "page"}});
  EXPECT_EQ(page.size_param, "per_page");
  EXPECT_EQ(page.page_size, 0);
  EXPECT_EQ(page.max_pages, 10000);
  PaginationOptions offset = ParsePagination("REST", {{"type", "offset"}, {"page_size", "50"}});
  EXPECT_EQ(offset.size_param, "limit");
  EXPECT_EQ(offset.page_size, 50);
  EXPECT_EQ(PaginationParam().name, "pagination");
  EXPECT_EQ(PaginationParam().type, ParamType::kObject);
}

TEST(RestPaginationTest, ParseReportsEveryProblemWithItsPath) {
  EXPECT_EQ(ParseError({{"type", "pages"}, {"page_sise", 10}, {"max_pages", 0}}),
            "REST configure: 3 invalid parameters:\n"
            "  - 'pagination.max_pages': must be between 1 and 10000000, got 0\n"
            "  - 'pagination.page_sise': unknown parameter (did you mean 'page_size'?)\n"
            "  - 'pagination.type': must be one of: cursor, link_header, next_url, none, offset, "
            "page; got 'pages' (did you mean 'page'?)");
  EXPECT_EQ(ParseError({{"type", "offset"}, {"cursor_path", "x"}, {"offset_param", ""}}),
            "REST configure: 3 invalid parameters:\n"
            "  - 'pagination.cursor_path': applies only to type 'cursor', not 'offset'\n"
            "  - 'pagination.offset_param': must not be empty\n"
            "  - 'pagination.page_size': is required when type is 'offset' (the limit asked per "
            "page)");
  EXPECT_EQ(ParseError({{"page_size", 10}}),
            "REST configure: invalid parameter: 'pagination.page_size': applies only to type "
            "'page' and 'offset', not 'none'");
  EXPECT_EQ(ParseError("page"),
            "REST configure: invalid parameter: 'pagination': must be an object such as "
            "{\"type\": \"page\"}, got string");
}

}  // namespace
}  // namespace sqlflow::rest
