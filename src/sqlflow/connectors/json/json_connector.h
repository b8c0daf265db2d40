#pragma once

#include <memory>

#include "sqlflow/common/clock.h"
#include "sqlflow/connectors/connector.h"
#include "sqlflow/connectors/file/pushdown.h"
#include "sqlflow/connectors/registry.h"

namespace sqlflow {

/// The spec of the JSON source (a file holding one array of objects): path (file or glob),
/// column_types, batch_size, sync_mode, cursor_field, primary_key (see README.md).
const ConnectorSpec& JsonSourceSpec();
/// The spec of the JSON destination: path, batch_size.
const ConnectorSpec& JsonDestinationSpec();
/// The spec of the JSONL source (newline-delimited JSON, one object per line): as JSON's.
const ConnectorSpec& JsonlSourceSpec();
/// The spec of the JSONL destination: path, batch_size.
const ConnectorSpec& JsonlDestinationSpec();

/// The JSON and JSONL sources: read a file or a glob of files with DuckDB's JSON reader. Each
/// record is an object whose keys are the columns, detected from a sample of the records
/// (column_types overrides single columns); nested objects and arrays come out as JSON
/// documents. A malformed file, a record that is not an object or a value of another type is a
/// DataError naming the file (and the line for JSONL and syntax errors). Projection, filters
/// and incremental cursors run inside DuckDB. Implements DuckDbScannable (pushdown.h). `spec`
/// must outlive the connector, which must outlive its streams.
std::unique_ptr<SourceConnector> MakeJsonSource(
    const ConnectorSpec& spec = JsonSourceSpec(),
    std::shared_ptr<Clock> clock = SystemClock::Instance());
std::unique_ptr<SourceConnector> MakeJsonlSource(
    const ConnectorSpec& spec = JsonlSourceSpec(),
    std::shared_ptr<Clock> clock = SystemClock::Instance());

/// The JSON and JSONL destinations: write one file with DuckDB's JSON writer (JSON: one array
/// of objects; JSONL: one object per line), atomically (temporary file + rename), in modes
/// replace, append and upsert. Implements DuckDbWritable (pushdown.h).
std::unique_ptr<DestinationConnector> MakeJsonDestination(
    const ConnectorSpec& spec = JsonDestinationSpec(),
    std::shared_ptr<Clock> clock = SystemClock::Instance());
std::unique_ptr<DestinationConnector> MakeJsonlDestination(
    const ConnectorSpec& spec = JsonlDestinationSpec(),
    std::shared_ptr<Clock> clock = SystemClock::Instance());

/// Registry factories (for RegisterBuiltinConnectors).
SourceRegistry::Factory JsonSourceFactory();
DestinationRegistry::Factory JsonDestinationFactory();
SourceRegistry::Factory JsonlSourceFactory();
DestinationRegistry::Factory JsonlDestinationFactory();

}  // namespace sqlflow
