#pragma once

#include <memory>

#include "sqlflow/common/clock.h"
#include "sqlflow/connectors/connector.h"
#include "sqlflow/connectors/memory/memory_store.h"
#include "sqlflow/connectors/registry.h"

namespace sqlflow {

/// The MEMORY source: reads named tables of a MemoryStore. Parameters: `table` (required),
/// `batch_size`, `sync_mode`, `cursor_field`, `primary_key` (see README.md). Projection and
/// filters run in-process while streaming; chunks have exactly the requested batch size (the
/// last may be shorter); incremental reads are supported.
const ConnectorSpec& MemorySourceSpec();
/// The MEMORY destination: writes named tables of a MemoryStore in modes replace, append and
/// upsert (composite keys allowed). A write builds the new table completely and swaps it in,
/// so a failed write (a throwing input stream, a NULL key) leaves the old table unchanged.
/// Parameter: `table` (optional; Write's `object` argument wins).
const ConnectorSpec& MemoryDestinationSpec();

/// A MEMORY source over `store`. `spec` must outlive the connector, and the streams Read()
/// returns must not outlive the connector (they report metrics to it).
std::unique_ptr<SourceConnector> MakeMemorySource(const ConnectorSpec& spec,
                                                  std::shared_ptr<Clock> clock,
                                                  std::shared_ptr<MemoryStore> store);
/// A MEMORY destination over `store`. `spec` must outlive the connector.
std::unique_ptr<DestinationConnector> MakeMemoryDestination(const ConnectorSpec& spec,
                                                            std::shared_ptr<Clock> clock,
                                                            std::shared_ptr<MemoryStore> store);

/// Registry factories bound to `store`.
SourceRegistry::Factory MemorySourceFactory(std::shared_ptr<MemoryStore> store);
DestinationRegistry::Factory MemoryDestinationFactory(std::shared_ptr<MemoryStore> store);

}  // namespace sqlflow
