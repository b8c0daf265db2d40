#pragma once

#include <string>

#include "sqlflow/connectors/csv/csv_options.h"
#include "sqlflow/connectors/file/file_destination.h"

namespace sqlflow::csv {

/// The CSV destination (see csv_connector.h): FileDestination hooks for COPY ... (FORMAT csv).
class CsvDestination : public file::FileDestination {
 public:
  using FileDestination::FileDestination;

 protected:
  void DoConfigure(const ParameterSet& params) override;
  std::string CopyOptionsSql() const override;
  /// Read the existing file with the destination's own dialect, every column as text so its
  /// rows are rewritten as they were; the checks use the detected types. A file without a
  /// header takes the input's column names by position (same number of columns required).
  file::ExistingFile ReadExisting(duck::Connection& conn, const std::string& path,
                                  const Schema& incoming) override;

 private:
  CsvDestinationOptions options_;
};

}  // namespace sqlflow::csv
