#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_set>

#include "sqlflow/params/parameter_validator.h"

#include <nlohmann/json.hpp>

/// Pagination of REST responses (see README.md, "Pagination").
namespace sqlflow::rest {

enum class PaginationStyle {
  kNone,        ///< One request.
  kPage,        ///< ?page=N (&per_page=S).
  kOffset,      ///< ?offset=N&limit=S.
  kCursor,      ///< ?cursor=<value read from the body at cursor_path>.
  kNextUrl,     ///< The next URL read from the body at next_url_path.
  kLinkHeader,  ///< The rel="next" target of the Link header.
};

/// The `pagination` parameter as options.
struct PaginationOptions {
  /// "type": none | page | offset | cursor | next_url | link_header. Default none.
  PaginationStyle style = PaginationStyle::kNone;
  /// page: the page number's parameter and the first page. Defaults "page", 1.
  std::string page_param = "page";
  int64_t start_page = 1;
  /// offset: the offset's parameter. Default "offset".
  std::string offset_param = "offset";
  /// page and offset: the page size's parameter ("per_page" for page, "limit" for offset by
  /// default) and the size asked for (0 = not sent; required for offset). A page with fewer
  /// records than page_size is the last one.
  std::string size_param;
  int64_t page_size = 0;
  /// cursor: the parameter the cursor is sent in and where the body carries the next one.
  /// Defaults "cursor", "next_cursor". An absent, null or empty cursor ends the pages.
  std::string cursor_param = "cursor";
  std::string cursor_path = "next_cursor";
  /// next_url: where the body carries the next URL (absolute or relative). Default "next".
  std::string next_url_path = "next";
  /// Any style: a dot path to the total number of records; reading that many ends the
  /// pages. Default "" = none.
  std::string total_path;
  /// Any style: at most this many pages (a guard, logged when it stops the read).
  /// Default 10000; 1..10,000,000.
  int64_t max_pages = 10000;
};

/// The `pagination` connector parameter (an object).
ParamSpec PaginationParam();
/// Validate a `pagination` value (unknown keys with suggestions, all problems at once, paths
/// "pagination.page_size") and return its options. Throws ParameterError.
PaginationOptions ParsePagination(const std::string& connector, const nlohmann::json& value,
                                  const EnvLookup& env = ProcessEnv());

/// What a fetched page tells the paginator.
struct PageFacts {
  /// The URL the page came from (with its query; not redacted, never printed).
  std::string url;
  /// Records on the page.
  int64_t records = 0;
  /// The Link header, if any.
  std::optional<std::string> link_header;
  /// The value at a dot path of the page's body (RecordsCollector::LastPageValue).
  std::function<std::optional<std::string>(const std::string& path)> body_value;
};

/// Walks the pages of one read: the first URL, then the next URL after each page, until a
/// stop condition holds: an empty page, a short page, the total reached, no next cursor or
/// link, max_pages. Pure: it does no I/O.
class Paginator {
 public:
  /// `base_url` carries the request's own query parameters already.
  Paginator(std::string connector, PaginationOptions options, std::string base_url);

  /// The first page's URL.
  std::string FirstUrl() const;
  /// The next page's URL after `page`, or nullopt when the read is complete (stop_reason()
  /// says why). Throws DataError when the server sends the same next link or cursor twice
  /// (a loop that would never end), naming the repeated value (redacted URL).
  std::optional<std::string> Next(const PageFacts& page);
  /// Why the last Next returned nullopt: "empty page", "short page", "total reached",
  /// "no next cursor", "no next link", "max_pages reached", "single request".
  const std::string& stop_reason() const;
  int64_t pages() const;
  int64_t records() const;

 private:
  std::string connector_;
  PaginationOptions options_;
  std::string base_url_;
  int64_t pages_ = 0;
  int64_t records_ = 0;
  std::string stop_reason_;
  std::unordered_set<std::string> seen_;  // next links / cursors already followed (loop guard)

  std::string PageUrl(int64_t page_number) const;
  std::string OffsetUrl(int64_t offset) const;
  std::optional<std::string> Stop(std::string reason);
  std::optional<std::string> Follow(const std::string& value, const std::string& url,
                                    const char* what);
};

}  // namespace sqlflow::rest
