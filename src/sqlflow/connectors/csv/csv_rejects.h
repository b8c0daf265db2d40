#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sqlflow/connectors/csv/csv_options.h"
#include "sqlflow/duck/duck.h"

/// Rows DuckDB's CSV reader rejected during a read with on_error: skip | quarantine
/// (store_rejects=true): collected from its reject_errors / reject_scans tables.
namespace sqlflow::csv::internal {

/// One rejected row.
struct Reject {
  std::string file;
  int64_t line = 0;           ///< Line in the file where the row starts.
  int64_t column_number = 0;  ///< 1-based; 0 when the error is about the whole row.
  std::string column_name;    ///< "" when the error is about the whole row.
  std::string error_type;     ///< DuckDB's: CAST, TOO MANY COLUMNS, MISSING COLUMNS, ...
  std::string reason;         ///< DuckDB's error message.
  std::string original_line;  ///< The row as written in the file (UTF-8).
};

/// Read the rejects of the scans run on `conn`, in file and line order. Line numbers are
/// those of the file (DuckDB counts a quoted line break as none).
std::vector<Reject> CollectRejects(duck::Connection& conn, const CsvDialect& dialect);

/// Write `rejects` to `path` as CSV with the header
/// "file,line,column_number,column_name,error_type,reason,original_line" (atomically).
void WriteQuarantine(const std::string& connector, const std::string& path,
                     const std::vector<Reject>& rejects);

/// Render a CSV field: quoted when it holds a comma, a quote, a line break or edge spaces.
std::string CsvField(const std::string& value);

}  // namespace sqlflow::csv::internal
