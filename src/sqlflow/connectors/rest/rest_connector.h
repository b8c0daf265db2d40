#pragma once

#include <memory>

#include "sqlflow/common/clock.h"
#include "sqlflow/connectors/connector.h"
#include "sqlflow/connectors/registry.h"

namespace sqlflow {

/// The spec of the REST source: url, method, headers, params, body, auth, records_path
/// (alias data_path), pagination, flatten, timeout, verify_ssl, max_response_mb, batch_size,
/// the incremental parameters with cursor_param, and resilience (see README.md).
const ConnectorSpec& RestSourceSpec();

/// The REST API source (see README.md): pages of JSON records fetched over HTTP(S) with
/// auth, pagination and the REST resilience profile, turned into typed columns. `spec` must
/// outlive the connector, which must outlive its streams.
std::unique_ptr<SourceConnector> MakeRestSource(
    const ConnectorSpec& spec = RestSourceSpec(),
    std::shared_ptr<Clock> clock = SystemClock::Instance());

/// Registry factory (for RegisterBuiltinConnectors).
SourceRegistry::Factory RestSourceFactory();

}  // namespace sqlflow
