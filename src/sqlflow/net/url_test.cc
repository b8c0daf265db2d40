#include "sqlflow/net/url.h"

#include <gtest/gtest.h>

namespace sqlflow::net {
namespace {

TEST(UrlEncodeTest, KeepsUnreservedAndEscapesTheRest) {
  EXPECT_EQ(UrlEncode("aZ09-._~"), "aZ09-._~");
  EXPECT_EQ(UrlEncode("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
  EXPECT_EQ(UrlEncode(""), "");
}

TEST(UrlDecodeTest, DecodesEscapesAndPlus) {
  EXPECT_EQ(UrlDecode("a%20b+c%26%3d"), "a b c&=");
  EXPECT_EQ(UrlDecode("%C3%A9"), "é");
  // Malformed escapes stay as written.
  EXPECT_EQ(UrlDecode("100%"), "100%");
  EXPECT_EQ(UrlDecode("%zz%4"), "%zz%4");
  EXPECT_EQ(UrlDecode(UrlEncode("x y+z%")), "x y+z%");
}

TEST(WithQueryParamsTest, AppendsWithTheRightSeparator) {
  EXPECT_EQ(WithQueryParams("http://h/p", {{"a", "1"}, {"b", "x y"}}), "http://h/p?a=1&b=x%20y");
  EXPECT_EQ(WithQueryParams("http://h/p?x=1", {{"a", "1"}}), "http://h/p?x=1&a=1");
  EXPECT_EQ(WithQueryParams("http://h/p?", {{"a", "1"}}), "http://h/p?a=1");
  EXPECT_EQ(WithQueryParams("http://h/p", {}), "http://h/p");
}

TEST(WithQueryParamsTest, ReplacesAParameterOfTheSameName) {
  EXPECT_EQ(WithQueryParams("http://h/p?page=1&per_page=5", {{"page", "2"}}),
            "http://h/p?per_page=5&page=2");
  EXPECT_EQ(WithQueryParams("http://h/p?page=1&page=3&q=a", {{"page", "2"}}),
            "http://h/p?q=a&page=2");
}

TEST(WithQueryParamsTest, KeepsTheFragmentLast) {
  EXPECT_EQ(WithQueryParams("http://h/p?x=1#frag", {{"a", "b"}}), "http://h/p?x=1&a=b#frag");
  EXPECT_EQ(WithQueryParams("http://h/p#frag", {{"a", "b"}}), "http://h/p?a=b#frag");
}

TEST(QueryParamTest, ReturnsTheDecodedValue) {
  EXPECT_EQ(QueryParam("http://h/p?a=1&b=x%20y&c", "b"), "x y");
  EXPECT_EQ(QueryParam("http://h/p?a=1&b=2", "a"), "1");
  EXPECT_EQ(QueryParam("http://h/p?a=1&c", "c"), "");
  EXPECT_EQ(QueryParam("http://h/p?a=1", "missing"), "");
  EXPECT_EQ(QueryParam("http://h/p", "a"), "");
  EXPECT_EQ(QueryParam("http://h/p?a=1#b=2", "b"), "");
  EXPECT_EQ(QueryParam("http://h/p?my%20key=v", "my key"), "v");
}

TEST(ResolveUrlTest, ResolvesEveryKindOfReference) {
  const std::string base = "https://api.example.com:8443/v1/items?page=1#top";
  EXPECT_EQ(ResolveUrl(base, "http://other.example.com/x"), "http://other.example.com/x");
  EXPECT_EQ(ResolveUrl(base, "//cdn.example.com/y"), "https://cdn.example.com/y");
  EXPECT_EQ(ResolveUrl(base, "/v2/things?after=5"),
            "https://api.example.com:8443/v2/things?after=5");
  EXPECT_EQ(ResolveUrl(base, "?page=2"), "https://api.example.com:8443/v1/items?page=2");
  EXPECT_EQ(ResolveUrl(base, "other?x=1"), "https://api.example.com:8443/v1/other?x=1");
  EXPECT_EQ(ResolveUrl(base, "../v3/z"), "https://api.example.com:8443/v3/z");
  EXPECT_EQ(ResolveUrl(base, "./same"), "https://api.example.com:8443/v1/same");
  EXPECT_EQ(ResolveUrl(base, "#end"), "https://api.example.com:8443/v1/items?page=1#end");
  EXPECT_EQ(ResolveUrl(base, ""), "https://api.example.com:8443/v1/items?page=1");
  EXPECT_EQ(ResolveUrl("http://h", "next"), "http://h/next");
}

TEST(UrlHostTest, ReturnsHostAndPort) {
  EXPECT_EQ(UrlHost("https://api.example.com:8443/v1?x=1"), "api.example.com:8443");
  EXPECT_EQ(UrlHost("http://user:pw@h.example.com/p"), "h.example.com");
  EXPECT_EQ(UrlHost("http://127.0.0.1:9/"), "127.0.0.1:9");
  EXPECT_EQ(UrlHost("http://h?x"), "h");
  EXPECT_EQ(UrlHost("not a url"), "");
  EXPECT_EQ(UrlHost("/relative/path"), "");
}

TEST(RedactUrlTest, HidesUserInfoAndSecretParameters) {
  EXPECT_EQ(RedactUrl("https://alice:s3cret@h/p?x=1"), "https://***@h/p?x=1");
  EXPECT_EQ(RedactUrl("https://h/p?api_key=abc&page=2&API_KEY=d", {"api_key"}),
            "https://h/p?api_key=***&page=2&API_KEY=***");
  EXPECT_EQ(RedactUrl("https://h/p?token=abc#frag", {"token", "key"}),
            "https://h/p?token=***#frag");
  EXPECT_EQ(RedactUrl("https://h/p?flag&token=", {"token"}), "https://h/p?flag&token=***");
  EXPECT_EQ(RedactUrl("https://h/p?x=1"), "https://h/p?x=1");
  // An '@' in the query is not user information.
  EXPECT_EQ(RedactUrl("https://h/p?mail=a@b"), "https://h/p?mail=a@b");
}

TEST(LinkHeaderTargetTest, FindsTheRelation) {
  const std::string header =
      "<https://h/items?page=3>; rel=\"next\", <https://h/items?page=9>; rel=\"last\"";
  EXPECT_EQ(LinkHeaderTarget(header, "next"), "https://h/items?page=3");
  EXPECT_EQ(LinkHeaderTarget(header, "last"), "https://h/items?page=9");
  EXPECT_EQ(LinkHeaderTarget(header, "prev"), "");
  EXPECT_EQ(LinkHeaderTarget("<https://h/a>; rel=\"last\"", "next"), "");
  EXPECT_EQ(LinkHeaderTarget("", "next"), "");
}

TEST(LinkHeaderTargetTest, AcceptsUnquotedListsAndOtherParameters) {
  EXPECT_EQ(LinkHeaderTarget("</p?x=1>; title=\"a, b\"; REL=Next", "next"), "/p?x=1");
  EXPECT_EQ(LinkHeaderTarget("<a>; rel=\"prev first\", <b>; rel=\"next last\"", "last"), "b");
  EXPECT_EQ(LinkHeaderTarget("<a>; rel=\"prev first\", <b>; rel=\"next last\"", "first"), "a");
}

}  // namespace
}  // namespace sqlflow::net
