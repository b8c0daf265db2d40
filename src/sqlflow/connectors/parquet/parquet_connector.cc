#include "sqlflow/connectors/parquet/parquet_connector.h"

#include "sqlflow/connectors/file/file_spec.h"
#include "sqlflow/connectors/parquet/parquet_internal.h"

namespace sqlflow {
namespace {

ConnectorSpec MakeSourceSpec() {
  return file::MakeFileSourceSpec(
      "PARQUET", "Read Parquet files (a file or a glob) with DuckDB's Parquet reader.",
      "Parquet file or glob of files with the same columns ('data/*.parquet')",
      {MakeParam("columns", ParamType::kStringList, std::nullopt,
                 "Columns to read when the read names none (default: all)")});
}

ConnectorSpec MakeDestinationSpec() {
  ParamSpec compression = MakeParam("compression", ParamType::kString, "snappy",
                                    "Compression codec of the column chunks",
                                    {"snappy", "zstd", "gzip", "uncompressed"});
  ParamSpec row_group = MakeParam("row_group_size", ParamType::kInteger, 122880,
                                  "Rows per row group (DuckDB's default)");
  row_group.minimum = 1;
  return file::MakeFileDestinationSpec(
      "PARQUET", "Write a Parquet file with DuckDB's Parquet writer, atomically.",
      "Parquet file to write (its directory must exist)", {compression, row_group});
}

}  // namespace

const ConnectorSpec& ParquetSourceSpec() {
  static const ConnectorSpec spec = MakeSourceSpec();
  return spec;
}

const ConnectorSpec& ParquetDestinationSpec() {
  static const ConnectorSpec spec = MakeDestinationSpec();
  return spec;
}

std::unique_ptr<SourceConnector> MakeParquetSource(const ConnectorSpec& spec,
                                                   std::shared_ptr<Clock> clock) {
  return std::make_unique<parquet::ParquetSource>(spec, std::move(clock));
}

std::unique_ptr<DestinationConnector> MakeParquetDestination(const ConnectorSpec& spec,
                                                             std::shared_ptr<Clock> clock) {
  return std::make_unique<parquet::ParquetDestination>(spec, std::move(clock));
}

SourceRegistry::Factory ParquetSourceFactory() {
  return [](const ConnectorSpec& spec, std::shared_ptr<Clock> clock) {
    return MakeParquetSource(spec, std::move(clock));
  };
}

DestinationRegistry::Factory ParquetDestinationFactory() {
  return [](const ConnectorSpec& spec, std::shared_ptr<Clock> clock) {
    return MakeParquetDestination(spec, std::move(clock));
  };
}

}  // namespace sqlflow
