#include "sqlflow/net/url.h"

#include <cctype>

#include "sqlflow/common/strings.h"
#include "sqlflow/params/parameter_validator.h"

namespace sqlflow::net {
namespace {

/// The parts of a URL this file needs: everything before the query, the query (without
/// '?') and the fragment (with its '#').
struct UrlParts {
  std::string_view base;
  std::string_view query;
  std::string_view fragment;
  bool has_query = false;
};

UrlParts SplitUrl(std::string_view url) {
  UrlParts parts;
  size_t hash = url.find('#');
  if (hash != std::string_view::npos) {
    parts.fragment = url.substr(hash);
    url = url.substr(0, hash);
  }
  size_t question = url.find('?');
  if (question != std::string_view::npos) {
    parts.query = url.substr(question + 1);
    parts.has_query = true;
    url = url.substr(0, question);
  }
  parts.base = url;
  return parts;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// The name of one "name=value" query pair, decoded.
std::string PairName(std::string_view pair) { return UrlDecode(pair.substr(0, pair.find('='))); }

/// Offset just past "scheme://", or npos when `url` has no scheme and authority.
size_t AuthorityStart(std::string_view url) {
  size_t colon = url.find("://");
  if (colon == std::string_view::npos || colon == 0) return std::string_view::npos;
  for (size_t i = 0; i < colon; ++i) {
    char c = url[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') {
      return std::string_view::npos;
    }
  }
  return colon + 3;
}

/// Offset of the end of the authority that starts at `start`.
size_t AuthorityEnd(std::string_view url, size_t start) {
  size_t end = url.find_first_of("/?#", start);
  return end == std::string_view::npos ? url.size() : end;
}

bool HasScheme(std::string_view reference) {
  size_t colon = reference.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  if (!std::isalpha(static_cast<unsigned char>(reference[0]))) return false;
  for (size_t i = 1; i < colon; ++i) {
    char c = reference[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') {
      return false;
    }
  }
  return true;
}

/// RFC 3986 5.2.4: remove "." and ".." segments from an absolute path.
std::string RemoveDotSegments(std::string_view path) {
  std::vector<std::string> out;
  std::vector<std::string> segments = Split(path, '/');
  for (size_t i = 1; i < segments.size(); ++i) {  // segments[0] is "" (before the first '/').
    const std::string& segment = segments[i];
    bool last = i + 1 == segments.size();
    if (segment == ".") {
      if (last) out.emplace_back();
    } else if (segment == "..") {
      if (!out.empty()) out.pop_back();
      if (last) out.emplace_back();
    } else {
      out.push_back(segment);
    }
  }
  return "/" + Join(out, "/");
}

}  // namespace

std::string UrlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
    }
  }
  return out;
}

std::string UrlDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
               HexValue(text[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string WithQueryParams(std::string_view url,
                            const std::vector<std::pair<std::string, std::string>>& params) {
  UrlParts parts = SplitUrl(url);
  std::vector<std::string> pairs;
  if (!parts.query.empty()) {
    for (const std::string& pair : Split(parts.query, '&')) {
      if (pair.empty()) continue;
      std::string name = PairName(pair);
      bool replaced = false;
      for (const auto& param : params) replaced = replaced || param.first == name;
      if (!replaced) pairs.push_back(pair);
    }
  }
  for (const auto& [name, value] : params)
    pairs.push_back(UrlEncode(name) + "=" + UrlEncode(value));
  std::string out(parts.base);
  if (!pairs.empty()) out += "?" + Join(pairs, "&");
  out += parts.fragment;
  return out;
}

std::string QueryParam(std::string_view url, std::string_view name) {
  UrlParts parts = SplitUrl(url);
  if (parts.query.empty()) return "";
  for (const std::string& pair : Split(parts.query, '&')) {
    if (pair.empty() || PairName(pair) != name) continue;
    size_t equals = pair.find('=');
    return equals == std::string::npos ? "" : UrlDecode(std::string_view(pair).substr(equals + 1));
  }
  return "";
}

std::string ResolveUrl(std::string_view base, std::string_view reference) {
  if (HasScheme(reference)) return std::string(reference);
  UrlParts parts = SplitUrl(base);
  size_t authority = AuthorityStart(base);
  if (StartsWith(reference, "//")) {
    size_t colon = base.find(':');
    return std::string(colon == std::string_view::npos ? "http:" : base.substr(0, colon + 1)) +
           std::string(reference);
  }
  if (reference.empty())
    return std::string(parts.base) + (parts.has_query ? "?" : "") + std::string(parts.query);
  if (reference[0] == '#') {
    return std::string(base.substr(0, base.size() - parts.fragment.size())) +
           std::string(reference);
  }
  if (reference[0] == '?') return std::string(parts.base) + std::string(reference);
  std::string_view origin = parts.base;
  std::string_view path;
  if (authority != std::string_view::npos) {
    size_t end = AuthorityEnd(parts.base, authority);
    origin = parts.base.substr(0, end);
    path = parts.base.substr(end);
  }
  UrlParts ref = SplitUrl(reference);
  std::string merged;
  if (reference[0] == '/') {
    merged = std::string(ref.base);
  } else {
    size_t slash = path.rfind('/');
    merged = (slash == std::string_view::npos ? std::string("/")
                                              : std::string(path.substr(0, slash + 1))) +
             std::string(ref.base);
  }
  std::string out = std::string(origin) + RemoveDotSegments(merged);
  if (ref.has_query) out += "?" + std::string(ref.query);
  return out + std::string(ref.fragment);
}

std::string UrlHost(std::string_view url) {
  size_t start = AuthorityStart(url);
  if (start == std::string_view::npos) return "";
  std::string_view authority = url.substr(start, AuthorityEnd(url, start) - start);
  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) authority = authority.substr(at + 1);
  return std::string(authority);
}

std::string RedactUrl(std::string_view url, const std::vector<std::string>& secret_params) {
  std::string out;
  size_t start = AuthorityStart(url);
  size_t rest = 0;
  if (start != std::string_view::npos) {
    size_t end = AuthorityEnd(url, start);
    size_t at = url.substr(start, end - start).rfind('@');
    out = std::string(url.substr(0, start));
    if (at != std::string_view::npos) {
      out += "***@";
      rest = start + at + 1;
    } else {
      rest = start;
    }
  }
  UrlParts parts = SplitUrl(url.substr(rest));
  out += parts.base;
  if (parts.has_query) {
    std::vector<std::string> pairs = Split(parts.query, '&');
    for (std::string& pair : pairs) {
      size_t equals = pair.find('=');
      if (equals == std::string::npos) continue;
      std::string name = PairName(pair);
      if (LooksLikeSecretName(name)) {
        pair = pair.substr(0, equals + 1) + "***";
        continue;
      }
      for (const std::string& secret : secret_params) {
        if (EqualsIgnoreCase(name, secret)) {
          pair = pair.substr(0, equals + 1) + "***";
          break;
        }
      }
    }
    out += "?" + Join(pairs, "&");
  }
  return out + std::string(parts.fragment);
}

std::string LinkHeaderTarget(std::string_view link_header, std::string_view rel) {
  size_t pos = 0;
  while (true) {
    size_t open = link_header.find('<', pos);
    if (open == std::string_view::npos) return "";
    size_t close = link_header.find('>', open);
    if (close == std::string_view::npos) return "";
    std::string_view target = link_header.substr(open + 1, close - open - 1);
    // The parameters run to the next ',' outside quotes.
    size_t end = close + 1;
    bool quoted = false;
    for (; end < link_header.size(); ++end) {
      if (link_header[end] == '"') quoted = !quoted;
      if (link_header[end] == ',' && !quoted) break;
    }
    for (const std::string& param : Split(link_header.substr(close + 1, end - close - 1), ';')) {
      std::string_view p = Trim(param);
      size_t equals = p.find('=');
      if (equals == std::string_view::npos || !EqualsIgnoreCase(Trim(p.substr(0, equals)), "rel")) {
        continue;
      }
      std::string_view value = Trim(p.substr(equals + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      for (const std::string& one : Split(value, ' ')) {
        if (EqualsIgnoreCase(one, rel)) return std::string(Trim(target));
      }
    }
    pos = end;
  }
}

}  // namespace sqlflow::net
