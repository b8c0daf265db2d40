#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sqlflow/data/stream.h"
#include "sqlflow/data/types.h"

/// JSON records of REST responses → typed chunks (see README.md, "Types").
namespace sqlflow::rest {

/// How records are found and shaped.
struct RecordsOptions {
  /// Connector name for errors (the SOURCE's name or "REST").
  std::string connector = "REST";
  /// Dot path to the array of records in a response ("data", "result.items"); "" = the
  /// response itself is the array (a top-level object is then one record).
  std::string records_path;
  /// Flatten nested objects into `parent__child` columns; false keeps them as JSON.
  bool flatten = true;
  /// Rows per chunk at most. Default 10000.
  int64_t batch_size = 10000;
  /// Page bodies are kept in memory up to this many bytes, then spilled to a temporary file
  /// (deleted when the collector goes), so memory stays bounded whatever the result's size.
  /// Default 64 MiB.
  int64_t spool_memory_bytes = 64LL << 20;
  /// Folder of the spill file. Default "" = $TMPDIR or /tmp.
  std::string spool_dir;
};

/// Collects response pages, infers the column types over every record of every page, and
/// then streams the records as chunks of the final types. Types are therefore stable across
/// pages by construction: a field that first appears on a later page is a column (NULL in
/// earlier rows). Pages are parsed with simdjson (DOM), one at a time.
///
/// The type rule, per column over all records of all pages (rest_types_test.cc pins each):
/// - only null or absent → VARCHAR (all NULL); only booleans → BOOLEAN; only integers that
///   fit int64 → BIGINT; integers and numbers with a fraction or exponent → DOUBLE;
/// - only "YYYY-MM-DD" dates → DATE; only ISO timestamps with Z or ±hh[:mm] → TIMESTAMP WITH
///   TIME ZONE (UTC, microseconds); only ISO timestamps without zone → TIMESTAMP;
/// - anything else among scalars (other strings, a mix of those string kinds, a mix of kinds
///   such as boolean + number or number + string, any integer outside int64, any number
///   beyond double) → VARCHAR holding each value's text: strings unquoted, numbers exactly as
///   written for big ones, otherwise as minified JSON;
/// - arrays, or objects when flatten is false, in any value → JSON for the whole column, each
///   value its minified JSON (strings quoted);
/// - flatten true: a non-empty object becomes one column per leaf `parent__child`
///   (recursively); an empty object contributes nothing; a field that is an object in some
///   records and not in others keeps its leaf columns and also gets a JSON column `parent`
///   holding the raw value of the records where it was not an object (NULL where it was).
/// Columns appear in order of first appearance; a name already taken (ignoring case, as
/// DuckDB compares names) gets "_2", "_3", ...; an empty key is named "_". A key given twice
/// in one object keeps its last value.
class RecordsCollector {
 public:
  explicit RecordsCollector(RecordsOptions options);
  ~RecordsCollector();
  RecordsCollector(const RecordsCollector&) = delete;
  RecordsCollector& operator=(const RecordsCollector&) = delete;

  /// Parse `body`, received from `redacted_url` (already free of secrets), find its records,
  /// fold their fields into the inferred schema and keep the page. Return the number of
  /// records on the page. Throws DataError naming the URL and quoting the first 200 bytes of
  /// the body when the body is not JSON (HTML, truncated), when `records_path` is missing or
  /// does not lead to an array or object, or when a record is not an object. null at
  /// records_path is an empty page. A body whose top-level object has a non-empty "error" or
  /// "errors" value and no records (records_path missing or null; with records_path "", the
  /// object itself) is a DataError quoting that value.
  int64_t AddPage(std::string body, const std::string& redacted_url);

  /// The value at dot path `path` in the last page added, for pagination and totals: strings
  /// as their text, numbers and booleans as their JSON text; nullopt when the path is
  /// missing or leads to null, an object or an array.
  std::optional<std::string> LastPageValue(const std::string& path) const;

  /// Records added so far.
  int64_t total_records() const;
  /// The schema inferred so far (columns in order of first appearance).
  Schema schema() const;

  /// Stream every kept record as chunks of the inferred schema. The collector is consumed
  /// (the stream owns the spool). Call once, after the last AddPage.
  std::unique_ptr<ChunkStream> Finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sqlflow::rest
