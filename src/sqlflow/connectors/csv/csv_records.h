#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sqlflow/connectors/csv/csv_options.h"

/// A small byte-level CSV record walker for the error path and the header: DuckDB parses the
/// data; this finds a record again to report where it is in the file and what it holds.
namespace sqlflow::csv::internal {

/// One record found in a file.
struct RawRecord {
  int64_t line = 0;                 ///< DuckDB's line number: 1 + line breaks outside quotes.
  int64_t physical_line = 0;        ///< 1-based line in the file where the record starts.
  std::vector<std::string> fields;  ///< Field values, unquoted, raw bytes (each cut at 4 KiB).
  std::string text;                 ///< The record as written, raw bytes (cut at 4 KiB).
  int64_t size = 0;                 ///< Bytes of the record as written (not cut).
  bool unterminated = false;        ///< The file ended inside a quoted value.
};

/// Return the records of `path` at DuckDB line numbers `lines` (DuckDB counts a record with
/// quoted line breaks as one line and counts blank lines). Lines past the end are absent, and
/// so is every line of a compressed file (gzip, zstd: not walked).
std::map<int64_t, RawRecord> FindRecords(const std::string& path, const CsvDialect& dialect,
                                         const std::vector<int64_t>& lines);

/// Return the first record of `path` (the header), fields converted to UTF-8; nullopt when
/// the file cannot be read, is compressed or is empty.
std::optional<std::vector<std::string>> ReadFirstRecord(const std::string& path,
                                                        const CsvDialect& dialect);

/// Return `bytes` in `encoding` as printable UTF-8: latin-1 is converted, invalid UTF-8 bytes
/// become "\xFF", control characters other than tab become "\n", "\r" or "\x01".
std::string Printable(const std::string& bytes, const std::string& encoding);

/// Return the 0-based index of the first field of `record` that is not valid UTF-8, or -1.
int FirstInvalidUtf8Field(const RawRecord& record);

}  // namespace sqlflow::csv::internal
