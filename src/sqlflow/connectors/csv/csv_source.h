#pragma once

#include <string>
#include <vector>

#include "sqlflow/connectors/csv/csv_options.h"
#include "sqlflow/connectors/file/file_source.h"

namespace sqlflow::csv {

/// The CSV source (see csv_connector.h): FileSource hooks for DuckDB's read_csv.
class CsvSource : public file::FileSource {
 public:
  using FileSource::FileSource;

 protected:
  void DoConfigure(const ParameterSet& params) override;
  std::string FileExtension() const override { return "csv"; }
  /// Detect the columns from the first file, check the other files' headers, and return the
  /// strict read_csv(...) call.
  std::string ReaderSql(duck::Connection& conn, const std::vector<std::string>& files) override;
  /// CSV errors at a line become DataErrors (file, line, column, value).
  void TranslateError(const duck::DuckError& error, const file::ScanContext& context) override;
  /// Reads that skip or quarantine rows need the chunk path, which reports them.
  bool CanPushDown() const override { return options_.on_error == OnError::kFail; }
  /// Quarantine files (".rejected.csv") sit beside the data: a glob does not read them.
  std::vector<std::string> GlobSkipSuffixes() const override { return {".rejected.csv"}; }
  /// Report rejected rows: a warning (skip) or the quarantine file (quarantine).
  void OnScanEnd(duck::Connection& conn, const file::ScanContext& context) override;

 private:
  std::string QuarantinePath(const file::ScanContext& context) const;

  CsvSourceOptions options_;
};

}  // namespace sqlflow::csv
