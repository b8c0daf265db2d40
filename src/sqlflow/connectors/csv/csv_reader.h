#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "sqlflow/connectors/csv/csv_options.h"
#include "sqlflow/duck/duck.h"

/// How the CSV connector drives DuckDB's CSV reader: detect the columns once (sniff_csv),
/// then read with every option explicit (auto_detect=false, strict_mode, no null padding) so
/// that a bad row is an error at its line, not a guess.
namespace sqlflow::csv::internal {

/// The columns of a CSV file and the formats DuckDB detected for them.
struct CsvLayout {
  std::vector<std::pair<std::string, std::string>> columns;  ///< Name, DuckDB SQL type.
  std::string date_format;       ///< strftime format of DATE columns; "" = ISO.
  std::string timestamp_format;  ///< Of TIMESTAMP columns; "" = ISO.
};

/// The read buffer for `max_line_size`: max(8 MiB, 2 × max_line_size). DuckDB's default is
/// 16 × max_line_size, which for large limits makes few, huge buffers (a 2× slower scan with
/// 16 MiB lines, measured); and peak memory grows with the buffer size because DuckDB holds
/// one buffer per batch finished out of order. 8 MiB keeps a 5M- and a 10M-row copy at the
/// same peak RSS (docs/BENCHMARKS.md) and measured ~5% faster than 32 MiB.
int64_t BufferSize(int64_t max_line_size);

/// The reader options of `dialect`, shared by sniff_csv and read_csv ("delim=',', ...").
std::string DialectSql(const CsvDialect& dialect);

/// Detect the columns of `file` with DuckDB's sniffer (rows it cannot parse are ignored for
/// detection). When the sniffer gives up (a broken file), read the header ourselves and take
/// every column as VARCHAR: the strict read then reports the real error at its line.
CsvLayout DetectLayout(duck::Connection& conn, const std::string& file, const CsvDialect& dialect);

/// Apply `column_types` (name → SQL type) to `layout`. Throws ParameterError naming a column
/// that is not in the file (`file` for the message), with a suggestion.
void ApplyColumnTypes(const std::string& connector, const std::map<std::string, std::string>& types,
                      const std::string& file, CsvLayout* layout);

/// Check that every file of a glob has the header of the first file. Throws SchemaError naming
/// the first file that differs.
void CheckSameHeaders(const std::string& connector, const std::vector<std::string>& files,
                      const CsvDialect& dialect);

/// The read_csv(...) call over `files`; `store_rejects` collects bad rows in DuckDB's
/// reject_errors / reject_scans tables instead of failing.
std::string ReadCsvSql(const std::vector<std::string>& files, const CsvDialect& dialect,
                       const CsvLayout& layout, bool store_rejects);

}  // namespace sqlflow::csv::internal
