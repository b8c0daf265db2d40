// Pieces of HttpTestServer shared by its two source files; not for use by tests.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include <httplib.h>

namespace sqlflow::testing::internal {

/// Decode %XX and '+' in a query or form component.
std::string Decode(std::string_view text);
/// Parse "a=1&b=2" into decoded names and values (the first value of a name wins).
std::map<std::string, std::string> ParseForm(std::string_view text);

/// What the /items routes need to know about the server.
struct ItemsContext {
  int64_t record_count = 0;
  std::string base_url;  ///< "http://127.0.0.1:<port>", for absolute links.
  std::string prefix;    ///< "" or "/secure": where the route was mounted.
};

/// Answer `route` ("/items/page", ...; the part after `context.prefix`) into `res`. Return
/// false when no /items route has that name.
bool ServeItems(const std::string& route, const httplib::Request& req, const ItemsContext& context,
                httplib::Response& res);

/// Every record as a JSON array, gzip-compressed.
std::string GzipAllRecords(int64_t record_count);

}  // namespace sqlflow::testing::internal
