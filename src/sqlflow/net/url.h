#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sqlflow::net {

/// Percent-encode `text` for a query component (RFC 3986 unreserved characters stay).
std::string UrlEncode(std::string_view text);
/// Decode %XX and '+' (as space) in a query component; malformed escapes are kept as is.
std::string UrlDecode(std::string_view text);

/// `url` with `params` appended to its query ('?' or '&' as needed; a fragment stays last).
/// A parameter already in the URL with the same name is replaced, so a next-page URL built
/// from a base URL carrying "page=1" does not end up with two pages.
std::string WithQueryParams(std::string_view url,
                            const std::vector<std::pair<std::string, std::string>>& params);

/// The value of query parameter `name` in `url` (decoded), or "" when absent.
std::string QueryParam(std::string_view url, std::string_view name);

/// Resolve `reference` (an absolute URL, "/path?x", "?x" or "path") against `base`, as a
/// next link in a body or Link header is.
std::string ResolveUrl(std::string_view base, std::string_view reference);

/// The host of `url` with its port when given ("api.example.com:8443"); "" if none.
std::string UrlHost(std::string_view url);

/// `url` with user information ("user:pass@") replaced by "***@" and the values of the
/// query parameters named in `secret_params` (case-insensitive) or whose names look secret
/// (params' LooksLikeSecretName) replaced by "***".
std::string RedactUrl(std::string_view url, const std::vector<std::string>& secret_params = {});

/// Parse an RFC 8288 Link header and return the target of the link whose rel is `rel`
/// ("next"), or "" when there is none.
std::string LinkHeaderTarget(std::string_view link_header, std::string_view rel);

}  // namespace sqlflow::net
