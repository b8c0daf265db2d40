#include "sqlflow/connectors/parquet/parquet_internal.h"

namespace sqlflow::parquet {

void ParquetDestination::DoConfigure(const ParameterSet& params) {
  compression_ = params.GetString("compression");
  row_group_size_ = params.GetInt("row_group_size");
  ConfigureFileDestination(params);
}

std::string ParquetDestination::CopyOptionsSql() const {
  return "FORMAT parquet, COMPRESSION " + compression_ + ", ROW_GROUP_SIZE " +
         std::to_string(row_group_size_);
}

file::ExistingFile ParquetDestination::ReadExisting(duck::Connection& conn, const std::string& path,
                                                    const Schema& /*incoming*/) {
  file::ExistingFile existing;
  existing.reader_sql = "read_parquet(" + file::FileListSql({path}) + ")";
  existing.schema = conn.DescribeQuery("SELECT * FROM " + existing.reader_sql);
  return existing;
}

}  // namespace sqlflow::parquet
