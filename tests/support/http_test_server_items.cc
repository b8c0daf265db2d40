// The /items routes of HttpTestServer: one dataset served in every pagination style.
#include <ctime>
#include <optional>
#include <stdexcept>

#include <zlib.h>

#include "tests/support/http_test_server_internal.h"
#include <nlohmann/json.hpp>

namespace sqlflow::testing::internal {
namespace {

using nlohmann::json;

/// Default page size of every paginated route.
constexpr int64_t kDefaultPageSize = 10;
/// updated_at of record 0 (2024-01-01T00:00:00Z); record i is i seconds later.
constexpr std::time_t kFirstUpdate = 1704067200;

std::string UpdatedAt(int64_t id) {
  std::time_t t = kFirstUpdate + static_cast<std::time_t>(id);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

json Record(int64_t id) {
  return {{"id", id},
          {"name", "item-" + std::to_string(id)},
          {"updated_at", UpdatedAt(id)},
          {"price", static_cast<double>(id) * 1.5},
          {"tags", json::array({"item", id % 2 == 0 ? "even" : "odd"})},
          {"meta", {{"source", "test"}, {"rank", id}}}};
}

/// Records at 0-based indexes [start, end) (ids start + 1 .. end), clamped to the dataset.
json Records(int64_t start, int64_t end, int64_t count) {
  json out = json::array();
  for (int64_t i = std::max<int64_t>(start, 0); i < std::min(end, count); ++i) {
    out.push_back(Record(i + 1));
  }
  return out;
}

/// A bad request: the route answers 400 with this message.
struct BadParam : std::runtime_error {
  using std::runtime_error::runtime_error;
};

int64_t IntParam(const httplib::Request& req, const std::string& name, int64_t fallback,
                 int64_t minimum) {
  if (!req.has_param(name.c_str())) return fallback;
  std::string text = req.get_param_value(name.c_str());
  size_t used = 0;
  int64_t value = 0;
  try {
    value = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || value < minimum) {
    throw BadParam("bad parameter '" + name + "': '" + text + "'");
  }
  return value;
}

void Json(httplib::Response& res, const json& body) {
  res.status = 200;
  res.set_content(body.dump(), "application/json");
}

void ServePage(const httplib::Request& req, const ItemsContext& c, httplib::Response& res) {
  int64_t page = IntParam(req, "page", 1, 1);
  int64_t size = IntParam(req, "per_page", kDefaultPageSize, 1);
  Json(res, {{"data", Records((page - 1) * size, page * size, c.record_count)},
             {"total", c.record_count}});
}

void ServeOffset(const httplib::Request& req, const ItemsContext& c, httplib::Response& res) {
  int64_t offset = IntParam(req, "offset", 0, 0);
  int64_t limit = IntParam(req, "limit", kDefaultPageSize, 1);
  Json(res, {{"data", Records(offset, offset + limit, c.record_count)}, {"total", c.record_count}});
}

void ServeCursor(const httplib::Request& req, const ItemsContext& c, httplib::Response& res) {
  int64_t start = 0;
  if (req.has_param("cursor")) {
    std::string cursor = req.get_param_value("cursor");
    if (cursor.size() < 2 || cursor[0] != 'c' ||
        cursor.find_first_not_of("0123456789", 1) != std::string::npos) {
      throw BadParam("bad parameter 'cursor': '" + cursor + "'");
    }
    start = std::stoll(cursor.substr(1));
  }
  int64_t limit = IntParam(req, "limit", kDefaultPageSize, 1);
  int64_t end = start + limit;
  json next = end < c.record_count ? json("c" + std::to_string(end)) : json(nullptr);
  Json(res, {{"data", Records(start, end, c.record_count)}, {"next_cursor", next}});
}

void ServeNext(const httplib::Request& req, const ItemsContext& c, httplib::Response& res) {
  int64_t after = IntParam(req, "after", 0, 0);
  int64_t limit = IntParam(req, "limit", kDefaultPageSize, 1);
  int64_t end = after + limit;
  json next = nullptr;
  if (end < c.record_count) {
    next =
        c.prefix + "/items/next?after=" + std::to_string(end) + "&limit=" + std::to_string(limit);
  }
  Json(res, {{"data", Records(after, end, c.record_count)}, {"next", next}});
}

void ServeLink(const httplib::Request& req, const ItemsContext& c, httplib::Response& res) {
  int64_t page = IntParam(req, "page", 1, 1);
  int64_t size = IntParam(req, "per_page", kDefaultPageSize, 1);
  auto link = [&](int64_t target) {
    return "<" + c.base_url + c.prefix + "/items/link?page=" + std::to_string(target) +
           "&per_page=" + std::to_string(size) + ">";
  };
  int64_t last = std::max<int64_t>(1, (c.record_count + size - 1) / size);
  std::string header = link(last) + "; rel=\"last\"";
  if (page * size < c.record_count) header = link(page + 1) + "; rel=\"next\", " + header;
  res.set_header("Link", header);
  Json(res, Records((page - 1) * size, page * size, c.record_count));
}

void ServeSince(const httplib::Request& req, const ItemsContext& c, httplib::Response& res) {
  std::string since = req.has_param("updated_since") ? req.get_param_value("updated_since") : "";
  json out = json::array();
  for (int64_t id = 1; id <= c.record_count; ++id) {
    if (UpdatedAt(id) >= since) out.push_back(Record(id));
  }
  Json(res, out);
}

void ServeSearch(const httplib::Request& req, const ItemsContext& c, httplib::Response& res) {
  json body = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) throw BadParam("the body must be a JSON object");
  int64_t limit = kDefaultPageSize;
  if (body.contains("limit")) {
    if (!body["limit"].is_number_integer()) throw BadParam("'limit' must be an integer");
    limit = body["limit"].get<int64_t>();
  }
  Json(res, {{"data", Records(0, limit, c.record_count)}});
}

}  // namespace

std::string Decode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(text[i + 1]) &&
               std::isxdigit(text[i + 2])) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::map<std::string, std::string> ParseForm(std::string_view text) {
  std::map<std::string, std::string> out;
  while (!text.empty()) {
    size_t amp = text.find('&');
    std::string_view pair = text.substr(0, amp);
    size_t equals = pair.find('=');
    std::string name = Decode(pair.substr(0, equals));
    std::string value = equals == std::string_view::npos ? "" : Decode(pair.substr(equals + 1));
    if (!name.empty()) out.emplace(std::move(name), std::move(value));
    if (amp == std::string_view::npos) break;
    text.remove_prefix(amp + 1);
  }
  return out;
}

bool ServeItems(const std::string& route, const httplib::Request& req, const ItemsContext& context,
                httplib::Response& res) {
  using Handler = void (*)(const httplib::Request&, const ItemsContext&, httplib::Response&);
  static const std::map<std::string, std::pair<std::string, Handler>> kRoutes = {
      {"/items/page", {"GET", &ServePage}},      {"/items/offset", {"GET", &ServeOffset}},
      {"/items/cursor", {"GET", &ServeCursor}},  {"/items/next", {"GET", &ServeNext}},
      {"/items/link", {"GET", &ServeLink}},      {"/items/since", {"GET", &ServeSince}},
      {"/items/search", {"POST", &ServeSearch}},
  };
  if (route == "/items/all") {
    Json(res, Records(0, context.record_count, context.record_count));
    return true;
  }
  auto it = kRoutes.find(route);
  if (it == kRoutes.end()) return false;
  const std::string& method = req.method == "HEAD" ? std::string("GET") : req.method;
  if (method != it->second.first) {
    res.status = 405;
    res.set_content(json{{"error", "method not allowed"}}.dump(), "application/json");
    return true;
  }
  try {
    it->second.second(req, context, res);
  } catch (const BadParam& e) {
    res.status = 400;
    res.set_content(json{{"error", e.what()}}.dump(), "application/json");
  }
  return true;
}

std::string GzipAllRecords(int64_t record_count) {
  std::string text = Records(0, record_count, record_count).dump();
  z_stream stream{};
  // 15 + 16: a gzip header and trailer rather than zlib's.
  if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::string out(deflateBound(&stream, text.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(text.data());
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate failed");
  return out;
}

}  // namespace sqlflow::testing::internal
