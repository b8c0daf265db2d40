// The PostgreSQL source and destination (see README.md): libpq, COPY binary both ways,
// exact types, incremental reads pushed down, reads that resume after a dropped connection,
// and atomic replace/append/upsert writes.
#pragma once

#include <memory>

#include "sqlflow/common/clock.h"
#include "sqlflow/connectors/connector.h"
#include "sqlflow/connectors/registry.h"

namespace sqlflow {

/// The spec of the POSTGRES source: host, port, database (dbname), username (user), password,
/// connection (a postgresql:// URI), schema, table or query, ssl_mode (sslmode),
/// connect_timeout, application_name, batch_size, the incremental parameters and resilience.
const ConnectorSpec& PostgresSourceSpec();
/// The spec of the POSTGRES destination: the connection parameters, schema, table and
/// resilience.
const ConnectorSpec& PostgresDestinationSpec();

/// `spec` must outlive the connector, which must outlive its streams.
std::unique_ptr<SourceConnector> MakePostgresSource(
    const ConnectorSpec& spec = PostgresSourceSpec(),
    std::shared_ptr<Clock> clock = SystemClock::Instance());
std::unique_ptr<DestinationConnector> MakePostgresDestination(
    const ConnectorSpec& spec = PostgresDestinationSpec(),
    std::shared_ptr<Clock> clock = SystemClock::Instance());

/// Registry factories (for RegisterBuiltinConnectors).
SourceRegistry::Factory PostgresSourceFactory();
DestinationRegistry::Factory PostgresDestinationFactory();

}  // namespace sqlflow
