#pragma once

#include <string>
#include <vector>

#include "sqlflow/connectors/file/file_destination.h"
#include "sqlflow/connectors/file/file_source.h"

namespace sqlflow::parquet {

/// The PARQUET source (see parquet_connector.h).
class ParquetSource : public file::FileSource {
 public:
  using FileSource::FileSource;

 protected:
  void DoConfigure(const ParameterSet& params) override;
  std::string FileExtension() const override { return "parquet"; }
  /// read_parquet([...]), wrapped to turn nested and interval columns into JSON / text.
  std::string ReaderSql(duck::Connection& conn, const std::vector<std::string>& files) override;
  /// An error naming one of the files (not Parquet, corrupt) becomes a DataError.
  void TranslateError(const duck::DuckError& error, const file::ScanContext& context) override;
  std::vector<std::string> DefaultColumns() const override { return columns_; }

 private:
  std::vector<std::string> columns_;
};

/// The PARQUET destination (see parquet_connector.h).
class ParquetDestination : public file::FileDestination {
 public:
  using FileDestination::FileDestination;

 protected:
  void DoConfigure(const ParameterSet& params) override;
  std::string CopyOptionsSql() const override;
  file::ExistingFile ReadExisting(duck::Connection& conn, const std::string& path,
                                  const Schema& incoming) override;

 private:
  std::string compression_ = "snappy";
  int64_t row_group_size_ = 122880;
};

/// The select-list item exposing column `name` of DuckDB type `duck_type` as a type SQLFlow
/// represents: "to_json(\"c\") AS \"c\"" for nested types, a VARCHAR cast for INTERVAL and
/// other unmapped types, "" when the column can be read as it is.
std::string ConvertedColumnSql(const std::string& name, const std::string& duck_type);

}  // namespace sqlflow::parquet
