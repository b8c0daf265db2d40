#pragma once

#include <memory>

#include "sqlflow/common/clock.h"
#include "sqlflow/connectors/connector.h"
#include "sqlflow/connectors/csv/csv_options.h"
#include "sqlflow/connectors/file/pushdown.h"
#include "sqlflow/connectors/registry.h"

namespace sqlflow {

/// The specs of the CSV source and destination (parameters, defaults, capabilities).
using csv::CsvDestinationSpec;
using csv::CsvSourceSpec;

/// The CSV source: reads a file or a glob of files with DuckDB's CSV reader (see README.md).
/// Columns and types are detected once from the first file (column_types overrides them);
/// the read itself is strict, so a ragged row, an unparsable value, an unterminated quote or
/// invalid UTF-8 is a DataError naming the file, its line, the column and the value — or, with
/// on_error skip | quarantine, a rejected row that is reported. Projection, filters and
/// incremental cursors run inside DuckDB. Implements DuckDbScannable (pushdown.h) when
/// on_error is fail. `spec` must outlive the connector, which must outlive its streams.
std::unique_ptr<SourceConnector> MakeCsvSource(
    const ConnectorSpec& spec = CsvSourceSpec(),
    std::shared_ptr<Clock> clock = SystemClock::Instance());

/// The CSV destination: writes one file with DuckDB's CSV writer, atomically (temporary file +
/// rename), in modes replace, append and upsert. Implements DuckDbWritable (pushdown.h).
std::unique_ptr<DestinationConnector> MakeCsvDestination(
    const ConnectorSpec& spec = CsvDestinationSpec(),
    std::shared_ptr<Clock> clock = SystemClock::Instance());

/// Registry factories (for RegisterBuiltinConnectors).
SourceRegistry::Factory CsvSourceFactory();
DestinationRegistry::Factory CsvDestinationFactory();

}  // namespace sqlflow
