// Pagination of REST responses: the `pagination` parameter and the Paginator.

#include "sqlflow/connectors/rest/rest_pagination.h"

#include <cmath>
#include <cstdlib>
#include <map>

#include <fmt/format.h>

#include "sqlflow/common/error.h"
#include "sqlflow/net/url.h"

namespace sqlflow::rest {

namespace {

using nlohmann::json;

const std::map<std::string, PaginationStyle>& Styles() {
  static const auto* styles = new std::map<std::string, PaginationStyle>{
      {"none", PaginationStyle::kNone},        {"page", PaginationStyle::kPage},
      {"offset", PaginationStyle::kOffset},    {"cursor", PaginationStyle::kCursor},
      {"next_url", PaginationStyle::kNextUrl}, {"link_header", PaginationStyle::kLinkHeader},
  };
  return *styles;
}

ParamSpec IntParam(std::string name, std::optional<json> default_value, double minimum,
                   double maximum, std::string description) {
  ParamSpec spec = MakeParam(std::move(name), ParamType::kInteger, std::move(default_value),
                             std::move(description));
  spec.minimum = minimum;
  spec.maximum = maximum;
  return spec;
}

std::vector<ParamSpec> PaginationSpecs() {
  std::vector<std::string> styles;
  for (const auto& [name, style] : Styles()) styles.push_back(name);
  return {
      MakeParam("type", ParamType::kString, "none", "The pagination style", styles),
      MakeParam("page_param", ParamType::kString, "page", "page: the page number's parameter"),
      IntParam("start_page", 1, 0, 1e15, "page: the first page's number"),
      MakeParam("offset_param", ParamType::kString, "offset", "offset: the offset's parameter"),
      MakeParam("size_param", ParamType::kString, std::nullopt,
                "page, offset: the page size's parameter (per_page / limit)"),
      IntParam("page_size", std::nullopt, 1, 1e9, "page, offset: records asked per page"),
      MakeParam("cursor_param", ParamType::kString, "cursor", "cursor: the cursor's parameter"),
      MakeParam("cursor_path", ParamType::kString, "next_cursor",
                "cursor: dot path of the next cursor in the body"),
      MakeParam("next_url_path", ParamType::kString, "next",
                "next_url: dot path of the next URL in the body"),
      MakeParam("total_path", ParamType::kString, std::nullopt,
                "dot path of the total number of records in the body"),
      IntParam("max_pages", 10000, 1, 1e7, "at most this many pages"),
  };
}

/// The styles each field applies to ("" = every style).
const std::map<std::string, std::vector<std::string>>& FieldStyles() {
  static const auto* fields = new std::map<std::string, std::vector<std::string>>{
      {"page_param", {"page"}},          {"start_page", {"page"}},
      {"offset_param", {"offset"}},      {"size_param", {"page", "offset"}},
      {"page_size", {"page", "offset"}}, {"cursor_param", {"cursor"}},
      {"cursor_path", {"cursor"}},       {"next_url_path", {"next_url"}},
  };
  return *fields;
}

/// Problems the validator cannot see: fields of another style, empty names, offset's size.
std::vector<ParameterProblem> CrossCheck(const json& value, const ParameterSet& set,
                                         const std::string& type) {
  std::vector<ParameterProblem> problems;
  for (const auto& [field, styles] : FieldStyles()) {
    if (!value.contains(field) || value.at(field).is_null()) continue;
    if (std::find(styles.begin(), styles.end(), type) != styles.end()) continue;
    problems.push_back(
        {"pagination." + field,
         fmt::format("applies only to type {}, not '{}'",
                     styles.size() == 1 ? "'" + styles[0] + "'" : "'page' and 'offset'", type),
         ""});
  }
  for (const char* field : {"page_param", "offset_param", "size_param", "cursor_param",
                            "cursor_path", "next_url_path"}) {
    if (set.Has(field) && set.GetString(field).empty()) {
      problems.push_back({fmt::format("pagination.{}", field), "must not be empty", ""});
    }
  }
  if (type == "offset" && !set.Has("page_size")) {
    problems.push_back({"pagination.page_size",
                        "is required when type is 'offset' (the limit asked per page)", ""});
  }
  return problems;
}

PaginationOptions ToOptions(const ParameterSet& set) {
  PaginationOptions o;
  o.style = Styles().at(set.GetString("type"));
  o.page_param = set.GetString("page_param");
  o.start_page = set.GetInt("start_page");
  o.offset_param = set.GetString("offset_param");
  o.size_param = set.GetOptionalString("size_param").value_or("");
  o.page_size = set.Has("page_size") ? set.GetInt("page_size") : 0;
  o.cursor_param = set.GetString("cursor_param");
  o.cursor_path = set.GetString("cursor_path");
  o.next_url_path = set.GetString("next_url_path");
  o.total_path = set.GetOptionalString("total_path").value_or("");
  o.max_pages = set.GetInt("max_pages");
  if (o.size_param.empty())
    o.size_param = o.style == PaginationStyle::kOffset ? "limit" : "per_page";
  return o;
}

}  // namespace

ParamSpec PaginationParam() {
  return MakeParam("pagination", ParamType::kObject, std::nullopt,
                   "How further pages are fetched: {type: page | offset | cursor | next_url | "
                   "link_header, ...}; default one request");
}

PaginationOptions ParsePagination(const std::string& connector, const json& value,
                                  const EnvLookup& env) {
  if (value.is_null()) return PaginationOptions();
  if (!value.is_object()) {
    throw ParameterError(
        connector, "pagination",
        fmt::format("must be an object such as {{\"type\": \"page\"}}, got {}", value.type_name()));
  }
  ParameterSet set;
  try {
    set = ParameterValidator(connector, PaginationSpecs()).Validate(value, env);
  } catch (const ParameterError& e) {
    throw ParameterError(connector, ProblemsUnder("pagination", e.problems()));
  }
  std::vector<ParameterProblem> problems = CrossCheck(value, set, set.GetString("type"));
  if (!problems.empty()) throw ParameterError(connector, std::move(problems));
  return ToOptions(set);
}

Paginator::Paginator(std::string connector, PaginationOptions options, std::string base_url)
    : connector_(std::move(connector)),
      options_(std::move(options)),
      base_url_(std::move(base_url)) {
  if (options_.size_param.empty()) {
    options_.size_param = options_.style == PaginationStyle::kOffset ? "limit" : "per_page";
  }
}

std::string Paginator::PageUrl(int64_t page_number) const {
  std::string url =
      net::WithQueryParams(base_url_, {{options_.page_param, std::to_string(page_number)}});
  if (options_.page_size <= 0) return url;
  return net::WithQueryParams(url, {{options_.size_param, std::to_string(options_.page_size)}});
}

std::string Paginator::OffsetUrl(int64_t offset) const {
  std::string url =
      net::WithQueryParams(base_url_, {{options_.offset_param, std::to_string(offset)}});
  if (options_.page_size <= 0) return url;
  return net::WithQueryParams(url, {{options_.size_param, std::to_string(options_.page_size)}});
}

std::string Paginator::FirstUrl() const {
  switch (options_.style) {
    case PaginationStyle::kPage:
      return PageUrl(options_.start_page);
    case PaginationStyle::kOffset:
      return OffsetUrl(0);
    default:
      return base_url_;
  }
}

std::optional<std::string> Paginator::Stop(std::string reason) {
  stop_reason_ = std::move(reason);
  return std::nullopt;
}

std::optional<std::string> Paginator::Follow(const std::string& value, const std::string& url,
                                             const char* what) {
  if (!seen_.insert(value).second) {
    std::string shown =
        std::string(what) == "cursor" ? TruncateForMessage(value) : net::RedactUrl(value);
    throw DataError(connector_, "read", DataLocation{},
                    fmt::format("the server sent the same {} twice ('{}'); stopping instead of "
                                "reading the same pages forever",
                                what, shown));
  }
  return url;
}

std::optional<std::string> Paginator::Next(const PageFacts& page) {
  ++pages_;
  records_ += page.records;
  auto body_value = [&](const std::string& path) -> std::optional<std::string> {
    if (!page.body_value || path.empty()) return std::nullopt;
    return page.body_value(path);
  };
  PaginationStyle style = options_.style;
  if (style == PaginationStyle::kNone) return Stop("single request");
  if (page.records == 0) return Stop("empty page");
  bool sized = style == PaginationStyle::kPage || style == PaginationStyle::kOffset;
  if (sized && options_.page_size > 0 && page.records < options_.page_size) {
    return Stop("short page");
  }
  if (std::optional<std::string> total = body_value(options_.total_path)) {
    char* end = nullptr;
    double n = std::strtod(total->c_str(), &end);
    if (end != total->c_str() && *end == '\0' && std::isfinite(n) &&
        static_cast<double>(records_) >= n) {
      return Stop("total reached");
    }
  }
  std::string next;
  std::string followed;  // The value the loop guard remembers (cursor or URL).
  const char* what = "next link";
  if (style == PaginationStyle::kCursor) {
    std::optional<std::string> cursor = body_value(options_.cursor_path);
    if (!cursor || cursor->empty()) return Stop("no next cursor");
    followed = *cursor;
    what = "cursor";
    next = net::WithQueryParams(base_url_, {{options_.cursor_param, *cursor}});
  } else if (style == PaginationStyle::kNextUrl || style == PaginationStyle::kLinkHeader) {
    seen_.insert(page.url);  // A link back to a page already read is a loop too.
    std::optional<std::string> target =
        style == PaginationStyle::kNextUrl
            ? body_value(options_.next_url_path)
            : (page.link_header ? std::optional(net::LinkHeaderTarget(*page.link_header, "next"))
                                : std::nullopt);
    if (!target || target->empty()) return Stop("no next link");
    next = followed = net::ResolveUrl(page.url, *target);
  }
  if (pages_ >= options_.max_pages) return Stop("max_pages reached");
  if (style == PaginationStyle::kPage) return PageUrl(options_.start_page + pages_);
  if (style == PaginationStyle::kOffset) return OffsetUrl(records_);
  return Follow(followed, next, what);
}

const std::string& Paginator::stop_reason() const { return stop_reason_; }
int64_t Paginator::pages() const { return pages_; }
int64_t Paginator::records() const { return records_; }

}  // namespace sqlflow::rest
