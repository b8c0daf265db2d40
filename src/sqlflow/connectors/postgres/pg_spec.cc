#include <string>
#include <vector>

#include "sqlflow/connectors/postgres/pg_connector.h"
#include "sqlflow/resilience/config.h"

namespace sqlflow {
namespace {

ParamSpec WithAliases(ParamSpec p, std::vector<std::string> aliases) {
  p.aliases = std::move(aliases);
  return p;
}

// The connection parameters both directions share. Port and ssl_mode have no declared
// default, so that a `connection` URI's own port and sslmode are not overridden; the
// descriptions say what applies when neither gives one (5432, prefer: libpq's).
std::vector<ParamSpec> ConnectionParams() {
  ParamSpec port = StandardParam("port", "Server TCP port (default 5432).");
  ParamSpec password = StandardParam(
      "password", "Password (a secret: use ${ENV}); without one libpq reads ~/.pgpass.");
  ParamSpec connection = MakeParam(
      "connection", ParamType::kString, std::nullopt,
      "A postgresql://user:password@host:port/database?sslmode=... URI; the other connection "
      "parameters override its parts.");
  connection.secret = true;
  ParamSpec ssl_mode =
      MakeParam("ssl_mode", ParamType::kString, std::nullopt, "libpq sslmode (default prefer).",
                {"disable", "allow", "prefer", "require", "verify-ca", "verify-full"});
  ssl_mode.aliases = {"sslmode"};
  ParamSpec timeout =
      MakeParam("connect_timeout", ParamType::kInteger, 10, "Seconds to wait for a connection.");
  timeout.minimum = 1;
  timeout.maximum = 3600;
  return {
      StandardParam("host", "Server host name or IP address."),
      port,
      WithAliases(StandardParam("database", "Database name."), {"dbname"}),
      StandardParam("username", "User name to log in as."),
      password,
      connection,
      MakeParam("schema", ParamType::kString, "public", "Schema of the table."),
      ssl_mode,
      timeout,
      MakeParam("application_name", ParamType::kString, "sqlflow", "Shown in pg_stat_activity.")};
}

ConnectorSpec BuildSourceSpec() {
  ConnectorSpec spec;
  spec.type = "POSTGRES";
  spec.description =
      "Read a PostgreSQL table or query with COPY binary: exact types, filters and columns "
      "pushed down, incremental by a cursor column, resumes after a dropped connection.";
  spec.params = ConnectionParams();
  std::vector<ParamSpec> more = {
      StandardParam("table", "Table (or view) to read; a LOAD may name another."),
      StandardParam("query", "SQL query to read instead of a table."),
      StandardParam("batch_size"),
      StandardParam("sync_mode"),
      StandardParam("cursor_field"),
      StandardParam("primary_key",
                    "Key columns a query or view is read in order of, so that a dropped read "
                    "resumes after the last key (default: the table's primary key)."),
      StandardParam("initial_value"),
      resilience::ResilienceParam(),
  };
  spec.params.insert(spec.params.end(), more.begin(), more.end());
  for (ParamSpec& p : spec.params) {
    if (p.name == "sync_mode") p.allowed = {"full_refresh", "incremental"};
  }
  spec.constraints = {{ParamConstraint::Kind::kAtLeastOneOf, {"host", "connection"}}};
  spec.capabilities.incremental = true;
  spec.capabilities.projection_pushdown = true;
  spec.capabilities.filter_pushdown = true;
  spec.capabilities.discovery = true;
  return spec;
}

ConnectorSpec BuildDestinationSpec() {
  ConnectorSpec spec;
  spec.type = "POSTGRES";
  spec.description =
      "Write to a PostgreSQL table with COPY binary: replace (swap in one transaction), "
      "append, or upsert by keys; a failed write changes nothing.";
  spec.params = ConnectionParams();
  spec.params.push_back(
      StandardParam("table", "Table to write; created from the data when missing."));
  spec.params.push_back(resilience::ResilienceParam());
  spec.constraints = {{ParamConstraint::Kind::kAtLeastOneOf, {"host", "connection"}}};
  spec.capabilities.incremental = false;
  spec.capabilities.batch_reading = false;
  spec.capabilities.upsert = true;
  spec.capabilities.atomic_write = true;
  return spec;
}

}  // namespace

const ConnectorSpec& PostgresSourceSpec() {
  static const ConnectorSpec spec = BuildSourceSpec();
  return spec;
}

const ConnectorSpec& PostgresDestinationSpec() {
  static const ConnectorSpec spec = BuildDestinationSpec();
  return spec;
}

}  // namespace sqlflow
