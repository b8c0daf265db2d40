#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sqlflow/connectors/connector.h"

namespace sqlflow::csv {

/// What to do with rows DuckDB's CSV reader rejects.
enum class OnError {
  kFail,        ///< The first bad row is a DataError (default).
  kSkip,        ///< Bad rows are left out; a warning says how many and why.
  kQuarantine,  ///< Bad rows are left out and written, with their reasons, to a side file.
};

/// How a CSV file is laid out: shared by reading, sniffing and reading back on append.
struct CsvDialect {
  char delimiter = ',';
  std::string quote = "\"";                     ///< "" disables quoting.
  std::string escape = "\"";                    ///< Escape inside quotes; defaults to the quote.
  bool has_header = true;                       ///< The first line holds column names.
  std::string encoding = "utf-8";               ///< "utf-8" or "latin-1".
  std::vector<std::string> null_values = {""};  ///< Unquoted values read as NULL.
  int64_t max_line_size = 2 << 20;              ///< Bytes; a line (record) may not be longer.
  std::string compression = "auto";             ///< "auto" (by extension), "none", "gzip", "zstd".
};

/// Options of the CSV source (validated parameters).
struct CsvSourceOptions {
  CsvDialect dialect;
  std::map<std::string, std::string> column_types;  ///< Column name → SQL type override.
  OnError on_error = OnError::kFail;
  std::string quarantine_path;  ///< "" = "<first file>.rejected.csv".
};

/// Options of the CSV destination (validated parameters).
struct CsvDestinationOptions {
  char delimiter = ',';
  bool has_header = true;
  std::string quote = "\"";
  std::string null_value;            ///< Written for NULL; "" by default.
  std::string compression = "none";  ///< "none", "gzip", "zstd".
};

/// The spec of the CSV source ("CSV"): parameters, defaults, capabilities.
const ConnectorSpec& CsvSourceSpec();
/// The spec of the CSV destination ("CSV").
const ConnectorSpec& CsvDestinationSpec();

/// Convert validated parameters; throws ParameterError listing every problem the validator
/// cannot see (delimiter length, SQL types of column_types, ...).
CsvSourceOptions ParseSourceOptions(const std::string& connector, const ParameterSet& params);
CsvDestinationOptions ParseDestinationOptions(const std::string& connector,
                                              const ParameterSet& params);

}  // namespace sqlflow::csv
