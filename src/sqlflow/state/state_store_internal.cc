// Reading text rows and running writes atomically through an engine session.

#include "sqlflow/state/state_store_internal.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sqlflow/common/strings.h"
#include "sqlflow/data/chunk.h"
#include "sqlflow/data/stream.h"

namespace sqlflow::state::internal {

namespace {

constexpr int64_t kBatchRows = 2048;

}  // namespace

std::string QualifiedTable(const std::string& catalog, const char* table) {
  std::string schema_table = QuoteIdentifier("main") + "." + QuoteIdentifier(table);
  return catalog.empty() ? schema_table : QuoteIdentifier(catalog) + "." + schema_table;
}

std::string LiteralOrNull(const std::string& value) {
  return value.empty() ? "NULL" : QuoteLiteral(value);
}

std::string OrNow(const std::string& value, Clock& clock) {
  return value.empty() ? FormatIso8601Utc(clock.WallNow()) : value;
}

std::vector<Row> ReadRows(engine::Session& session, const std::string& sql) {
  std::unique_ptr<ChunkStream> stream = session.Query(sql, kBatchRows);
  std::vector<Row> rows;
  while (std::optional<DataChunk> chunk = stream->Next()) {
    for (int64_t i = 0; i < chunk->num_rows(); ++i) {
      Row row;
      row.reserve(chunk->num_columns());
      for (const Column& column : chunk->columns()) {
        if (column.IsNull(i)) {
          row.emplace_back(std::nullopt);
        } else {
          row.emplace_back(std::string(column.StringAt(i)));
        }
      }
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

bool InTransaction(engine::Session& session) {
  // DuckDB runs every statement outside BEGIN ... COMMIT in a transaction of its own, with a
  // new id; two statements share an id only inside a transaction the caller opened. (Trying a
  // BEGIN instead would abort the caller's transaction when it fails.)
  std::optional<std::string> first = session.QueryScalar("SELECT txid_current()");
  std::optional<std::string> second = session.QueryScalar("SELECT txid_current()");
  return first == second;
}

void InOwnTransaction(engine::Session& session, const std::function<void()>& body) {
  session.Execute("BEGIN TRANSACTION");
  try {
    body();
    session.Execute("COMMIT");
  } catch (...) {
    try {
      session.Execute("ROLLBACK");
    } catch (...) {
      // The transaction is already gone (a failed COMMIT ends it); the first error matters.
    }
    throw;
  }
}

void ExecuteAtomically(engine::Session& session, const std::string& sql) {
  if (InTransaction(session)) {
    session.Execute(sql);
  } else {
    InOwnTransaction(session, [&] { session.Execute(sql); });
  }
}

}  // namespace sqlflow::state::internal
