#include <algorithm>
#include <fstream>

#include "sqlflow/common/strings.h"
#include "sqlflow/connectors/json/json_internal.h"

namespace sqlflow::json {
namespace {

/// The files of a scan and the options every read_json call of this connector shares.
std::string ReadJsonArgs(const std::vector<std::string>& files, JsonLayout layout) {
  return file::FileListSql(files) + ", format=" + QuoteLiteral(ReadJsonFormat(layout)) +
         ", records=true";
}

/// The largest file HoldsNoRecords() inspects: an empty array with some white space.
constexpr std::streamsize kEmptyProbeBytes = 4096;
/// The end of a file CheckArrayClosed() reads: the closing bracket and trailing white space.
constexpr std::streamoff kTailBytes = 4096;

}  // namespace

const char* ReadJsonFormat(JsonLayout layout) {
  return layout == JsonLayout::kArray ? "array" : "newline_delimited";
}

const char* LayoutExtension(JsonLayout layout) {
  return layout == JsonLayout::kArray ? "json" : "jsonl";
}

bool IsNestedType(const std::string& duck_type) {
  return EndsWith(duck_type, "]") || StartsWith(duck_type, "STRUCT(") ||
         StartsWith(duck_type, "MAP(") || StartsWith(duck_type, "UNION(");
}

std::string ReadableType(const std::string& detected) {
  if (IsNestedType(detected)) return "JSON";
  DataType parsed;
  return ParseSqlType(detected, &parsed) ? detected : "JSON";
}

std::vector<JsonColumn> DetectColumns(duck::Connection& conn, const std::vector<std::string>& files,
                                      JsonLayout layout) {
  // Pinned by Json.DatesAreDetectedInIsoFormOnly: DuckDB's default candidates include
  // %m-%d-%Y and %d-%m-%Y, which read "01-02-2024" as one or the other.
  const std::string sql = "DESCRIBE SELECT * FROM read_json(" + ReadJsonArgs(files, layout) +
                          ", dateformat='%Y-%m-%d')";
  std::vector<JsonColumn> columns;
  for (const auto& row : conn.QueryText(sql).rows) {
    columns.emplace_back(row[0].value_or(""), row[1].value_or("JSON"));
  }
  return columns;
}

std::string ReadJsonSql(const std::vector<std::string>& files, JsonLayout layout,
                        const std::vector<JsonColumn>& columns) {
  std::vector<std::string> items;
  std::vector<std::string> blobs;
  items.reserve(columns.size());
  for (const auto& [name, type] : columns) {
    // DuckDB's JSON writer spells a BLOB as text with \xHH escapes, but its reader copies a
    // string's bytes into a BLOB as they are: read the text and cast it (Json.*RoundTrips*).
    const bool blob = type == "BLOB";
    items.push_back(QuoteLiteral(name) + ": " + QuoteLiteral(blob ? "VARCHAR" : type));
    if (blob) {
      blobs.push_back("CAST(" + QuoteIdentifier(name) + " AS BLOB) AS " + QuoteIdentifier(name));
    }
  }
  std::string reader =
      "read_json(" + ReadJsonArgs(files, layout) + ", columns={" + Join(items, ", ") + "})";
  if (blobs.empty()) return reader;
  return "(SELECT * REPLACE (" + Join(blobs, ", ") + ") FROM " + reader + ")";
}

void CheckArrayClosed(const std::string& connector, const std::string& operation,
                      const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char first = 0;
  do {
    if (!in.get(first)) return;
  } while (first == ' ' || first == '\t' || first == '\r' || first == '\n');
  // Not an array (or compressed): DuckDB's own error says what the file is.
  if (first != '[') return;
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  const std::streamoff start = std::max<std::streamoff>(0, size - kTailBytes);
  std::string tail(static_cast<size_t>(size - start), '\0');
  in.seekg(start);
  in.read(tail.data(), static_cast<std::streamsize>(tail.size()));
  const size_t last = tail.find_last_not_of(" \t\r\n");
  if (last == std::string::npos || tail[last] == ']') return;
  DataLocation loc;
  loc.object = path;
  throw DataError(connector, operation, std::move(loc),
                  std::string("truncated: the array of records is not closed (the file ends "
                              "with '") +
                      tail[last] + "' instead of ']')");
}

bool HoldsNoRecords(const std::string& path, JsonLayout layout) {
  std::ifstream in(path, std::ios::binary);
  std::string head(static_cast<size_t>(kEmptyProbeBytes) + 1, '\0');
  in.read(head.data(), kEmptyProbeBytes + 1);
  if (in.gcount() > kEmptyProbeBytes) return false;
  head.resize(static_cast<size_t>(in.gcount()));
  std::string compact;
  for (char c : head) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') compact += c;
  }
  return compact.empty() || (layout == JsonLayout::kArray && compact == "[]");
}

}  // namespace sqlflow::json
