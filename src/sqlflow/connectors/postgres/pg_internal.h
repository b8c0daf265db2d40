// What the PostgreSQL source and destination share: table names, the health check.
#pragma once

#include <string>

#include "sqlflow/common/clock.h"
#include "sqlflow/connectors/connector.h"
#include "sqlflow/connectors/postgres/pg_connection.h"

namespace sqlflow::pg {

/// A table in a schema.
struct TableName {
  std::string schema;
  std::string table;

  /// "schema"."table", quoted.
  std::string Sql() const;
  /// schema.table, for messages.
  std::string Display() const;
};

/// `name` as given ("orders", or "sales.orders" to name the schema too) in `default_schema`.
TableName ParseTableName(const std::string& name, const std::string& default_schema);

/// Connect, run `SELECT 1` and report the server version and the round-trip time. Never
/// throws.
ConnectionTestResult TestServer(const ConnectSettings& settings, const std::string& connector,
                                Clock& clock);

}  // namespace sqlflow::pg
