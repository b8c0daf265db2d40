#pragma once

#include <memory>

#include "sqlflow/common/clock.h"
#include "sqlflow/connectors/connector.h"
#include "sqlflow/connectors/file/pushdown.h"
#include "sqlflow/connectors/registry.h"

namespace sqlflow {

/// The spec of the PARQUET source: path (file or glob), columns, batch_size, sync_mode,
/// cursor_field, primary_key (see README.md).
const ConnectorSpec& ParquetSourceSpec();
/// The spec of the PARQUET destination: path, compression, row_group_size, batch_size.
const ConnectorSpec& ParquetDestinationSpec();

/// The PARQUET source: reads a file or a glob of files with DuckDB's Parquet reader, which
/// reads only the projected columns and skips row groups that filters exclude. Nested columns
/// (LIST, STRUCT, MAP) come out as JSON, INTERVAL as text. A file that is not Parquet or is
/// corrupt is a DataError naming it. Implements DuckDbScannable (pushdown.h). `spec` must
/// outlive the connector, which must outlive its streams.
std::unique_ptr<SourceConnector> MakeParquetSource(
    const ConnectorSpec& spec = ParquetSourceSpec(),
    std::shared_ptr<Clock> clock = SystemClock::Instance());

/// The PARQUET destination: writes one file with DuckDB's Parquet writer, atomically
/// (temporary file + rename), in modes replace, append and upsert. Implements DuckDbWritable.
std::unique_ptr<DestinationConnector> MakeParquetDestination(
    const ConnectorSpec& spec = ParquetDestinationSpec(),
    std::shared_ptr<Clock> clock = SystemClock::Instance());

/// Registry factories (for RegisterBuiltinConnectors).
SourceRegistry::Factory ParquetSourceFactory();
DestinationRegistry::Factory ParquetDestinationFactory();

}  // namespace sqlflow
