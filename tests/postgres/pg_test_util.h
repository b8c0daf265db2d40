// Shared by the PostgreSQL integration tests: connectors configured for the throwaway cluster,
// and rows as text.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sqlflow/common/clock.h"
#include "sqlflow/connectors/postgres/pg_connector.h"
#include "sqlflow/data/data_test_util.h"
#include "sqlflow/data/stream.h"

#include "tests/support/postgres_server.h"
#include <nlohmann/json.hpp>

namespace sqlflow::testing {

/// `connector` configured for `server`'s `database` with `params` added to the connection
/// parameters.
template <typename C>
std::unique_ptr<C> ConfiguredFor(std::unique_ptr<C> connector, const PostgresServer& server,
                                 const std::string& database, const nlohmann::json& params) {
  nlohmann::json all = server.ConnectionParams(database);
  all.update(params);
  connector->Configure(all);
  return connector;
}

/// A POSTGRES source on `clock` (backoff waits are instant on a FakeClock).
inline std::unique_ptr<SourceConnector> PgSource(const PostgresServer& server,
                                                 const std::string& database,
                                                 const nlohmann::json& params,
                                                 std::shared_ptr<Clock> clock) {
  return ConfiguredFor(MakePostgresSource(PostgresSourceSpec(), std::move(clock)), server, database,
                       params);
}

inline std::unique_ptr<DestinationConnector> PgDestination(const PostgresServer& server,
                                                           const std::string& database,
                                                           const nlohmann::json& params,
                                                           std::shared_ptr<Clock> clock) {
  return ConfiguredFor(MakePostgresDestination(PostgresDestinationSpec(), std::move(clock)), server,
                       database, params);
}

/// Every row of `stream` as "v1|v2|..." (NULL for nulls, Value::ToString otherwise).
inline std::vector<std::string> Rows(ChunkStream& stream) {
  return testing_util::DrainRows(stream);
}

/// Every row of a superuser query as "v1|v2|..." (NULL for nulls), in PostgreSQL's text.
inline std::vector<std::string> ServerRows(const PostgresServer& server, const std::string& sql,
                                           const std::string& database) {
  std::vector<std::string> rows;
  for (const auto& row : server.Query(sql, database)) {
    std::string text;
    for (size_t c = 0; c < row.size(); ++c) {
      if (c > 0) text += "|";
      text += row[c].has_value() ? *row[c] : "NULL";
    }
    rows.push_back(text);
  }
  return rows;
}

}  // namespace sqlflow::testing
