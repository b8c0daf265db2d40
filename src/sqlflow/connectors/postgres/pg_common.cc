#include <chrono>

#include "sqlflow/common/strings.h"
#include "sqlflow/connectors/postgres/pg_internal.h"

namespace sqlflow::pg {

std::string TableName::Sql() const {
  return QuoteIdentifier(schema) + "." + QuoteIdentifier(table);
}

std::string TableName::Display() const { return schema + "." + table; }

TableName ParseTableName(const std::string& name, const std::string& default_schema) {
  size_t dot = name.find('.');
  if (dot == std::string::npos || name.find('"') != std::string::npos) {
    return {default_schema, name};
  }
  return {name.substr(0, dot), name.substr(dot + 1)};
}

ConnectionTestResult TestServer(const ConnectSettings& settings, const std::string& connector,
                                Clock& clock) {
  ConnectionTestResult result;
  auto start = clock.Now();
  try {
    auto conn = Connection::Open(settings, connector, "connect");
    conn->Exec("SELECT 1", "health check");
    result.success = true;
    result.message =
        "connected to " + settings.display + " (PostgreSQL " + conn->ServerVersion() + ")";
  } catch (const Error& e) {
    result.message = e.message();
  }
  result.response_time_ms = std::chrono::duration<double, std::milli>(clock.Now() - start).count();
  return result;
}

}  // namespace sqlflow::pg
