#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sqlflow/common/error.h"
#include "sqlflow/connectors/csv/csv_options.h"
#include "sqlflow/data/types.h"

/// Translation of DuckDB's CSV reader errors into DataErrors that name the file, the line in
/// the file, the column and the value.
namespace sqlflow::csv::internal {

/// The parts of a DuckDB CSV error message ("CSV Error on Line: 3\nOriginal Line: ...\nError
/// when converting column \"amount\". Could not convert string \"abc\" to 'INTEGER'\n ...
/// file = data/x.csv ...").
struct DuckCsvError {
  enum class Kind {
    kConversion,
    kColumnCount,
    kUnterminatedQuote,
    kInvalidUnicode,
    kLineSize,
    kOther
  };
  Kind kind = Kind::kOther;
  int64_t line = 0;           ///< DuckDB's line number (see csv_records.h).
  std::string file;           ///< From "file = ..." when DuckDB names it, else "".
  std::string column;         ///< Conversion errors: the column.
  std::string value;          ///< Conversion errors: the value.
  std::string type;           ///< Conversion errors: the target type.
  int64_t expected = 0;       ///< Column count errors: columns expected.
  int64_t found = 0;          ///< Column count errors: columns found.
  int64_t max_line_size = 0;  ///< Line size errors: the limit.
  std::string description;    ///< The line of the message that says what is wrong.
};

/// Parse a DuckDB error message; nullopt when it is not a CSV error at a line.
std::optional<DuckCsvError> ParseDuckCsvError(const std::string& message);

/// Build the DataError for `error` raised while reading `files` (the file is the one DuckDB
/// names, else the only file) whose columns are `schema`. Locates the record in the file to
/// report its physical line and the value at fault.
DataError MakeCsvDataError(const std::string& connector, const std::string& operation,
                           const DuckCsvError& error, const std::vector<std::string>& files,
                           const Schema& schema, const CsvDialect& dialect);

}  // namespace sqlflow::csv::internal
