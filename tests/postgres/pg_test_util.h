// Shared by the PostgreSQL integration tests: connectors configured for the throwaway cluster,
// and reading whole streams as text.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sqlflow/common/clock.h"
#include "sqlflow/connectors/postgres/pg_connector.h"
#include "sqlflow/data/stream.h"

#include "tests/support/postgres_server.h"
#include <nlohmann/json.hpp>

namespace sqlflow::testing {

/// A POSTGRES source of `server`'s `database`, configured with `params` added to the
/// connection parameters, on `clock` (backoff waits are instant on a FakeClock).
inline std::unique_ptr<SourceConnector> PgSource(const PostgresServer& server,
                                                 const std::string& database, nlohmann::json params,
                                                 std::shared_ptr<Clock> clock) {
  nlohmann::json all = server.ConnectionParams(database);
  all.update(params);
  auto source = MakePostgresSource(PostgresSourceSpec(), std::move(clock));
  source->Configure(all);
  return source;
}

inline std::unique_ptr<DestinationConnector> PgDestination(const PostgresServer& server,
                                                           const std::string& database,
                                                           nlohmann::json params,
                                                           std::shared_ptr<Clock> clock) {
  nlohmann::json all = server.ConnectionParams(database);
  all.update(params);
  auto destination = MakePostgresDestination(PostgresDestinationSpec(), std::move(clock));
  destination->Configure(all);
  return destination;
}

/// Every row of `stream` as "v1|v2|..." (NULL for nulls, Value::ToString otherwise).
inline std::vector<std::string> Rows(ChunkStream& stream) {
  std::vector<std::string> rows;
  while (std::optional<DataChunk> chunk = stream.Next()) {
    for (int64_t r = 0; r < chunk->num_rows(); ++r) {
      std::string row;
      for (size_t c = 0; c < chunk->num_columns(); ++c) {
        if (c > 0) row += "|";
        Value v = chunk->column(c).GetValue(r);
        row += v.is_null() ? "NULL" : v.ToString();
      }
      rows.push_back(row);
    }
  }
  return rows;
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
