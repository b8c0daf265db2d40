// Watermarks: the schema of the state tables and reading and writing watermarks.

#include "sqlflow/state/state_store.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "sqlflow/common/error.h"
#include "sqlflow/common/strings.h"
#include "sqlflow/state/state_store_internal.h"

namespace sqlflow::state {

using internal::QualifiedTable;
using internal::Row;

namespace {

constexpr const char* kConnector = "state";

/// Columns of sqlflow_watermarks in the order WatermarkFromRow reads them; the boundary list is
/// read as JSON text so that identities holding ", " or "]" come back intact.
constexpr const char* kWatermarkColumns =
    "pipeline, source, object, cursor_field, value, type, CAST(to_json(boundary) AS VARCHAR), "
    "updated_at, run_id";

std::string Describe(const WatermarkKey& key) {
  return fmt::format("pipeline '{}' source '{}' object '{}' cursor_field '{}'", key.pipeline,
                     key.source, key.object, key.cursor_field);
}

// A type is pasted into SQL as written (it is a type, not a value or an identifier), so only
// the characters of DuckDB's scalar type names are accepted: "TIMESTAMP WITH TIME ZONE",
// "DECIMAL(38,10)". Pinned by the test SqlLiteralRejectsATypeThatIsNotATypeName.
void CheckTypeName(const Watermark& watermark) {
  const std::string& type = watermark.type;
  bool ok = !type.empty() && std::all_of(type.begin(), type.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == ' ' || c == '(' || c == ')' || c == ',';
  });
  if (!ok) {
    throw IncrementalError(kConnector, "watermark",
                           fmt::format("the watermark of {} has type '{}', which is not a DuckDB "
                                       "type name; reset it with `sqlflow state reset`",
                                       Describe(watermark.key), type));
  }
}

void CheckKey(const WatermarkKey& key) {
  if (key.pipeline.empty() || key.source.empty() || key.cursor_field.empty()) {
    throw IncrementalError(kConnector, "put watermark",
                           fmt::format("a watermark key needs a pipeline, a source and a "
                                       "cursor_field; got {}",
                                       Describe(key)));
  }
}

std::vector<std::string> SortedUnique(std::vector<std::string> values) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  return values;
}

// One JSON string constant, not a list of literals: DuckDB binds a list literal element by
// element, and a boundary of 200,000 identities (a DATE cursor with a busy day) took seconds
// and a gigabyte to bind.
std::string BoundaryLiteral(const std::vector<std::string>& boundary) {
  nlohmann::json list = boundary;
  return "CAST(CAST(" + QuoteLiteral(list.dump()) + " AS JSON) AS VARCHAR[])";
}

std::string KeyCondition(const WatermarkKey& key) {
  return fmt::format("pipeline = {} AND source = {} AND object = {} AND cursor_field = {}",
                     QuoteLiteral(key.pipeline), QuoteLiteral(key.source), QuoteLiteral(key.object),
                     QuoteLiteral(key.cursor_field));
}

Watermark WatermarkFromRow(const Row& row) {
  Watermark out;
  out.key = WatermarkKey{row[0].value_or(""), row[1].value_or(""), row[2].value_or(""),
                         row[3].value_or("")};
  out.value = row[4].value_or("");
  out.type = row[5].value_or("");
  for (const nlohmann::json& identity : nlohmann::json::parse(row[6].value_or("[]"))) {
    out.boundary.push_back(identity.get<std::string>());
  }
  out.updated_at = row[7].value_or("");
  out.run_id = row[8].value_or("");
  return out;
}

// The watermarks of `table` (qualified) that match `where`.
std::vector<Watermark> SelectWatermarks(engine::Session& session, const std::string& table,
                                        const std::string& where) {
  std::vector<Row> rows = internal::ReadRows(
      session, fmt::format("SELECT {} FROM {} WHERE {} ORDER BY pipeline, source, object, "
                           "cursor_field",
                           kWatermarkColumns, table, where));
  std::vector<Watermark> out;
  out.reserve(rows.size());
  for (const Row& row : rows) out.push_back(WatermarkFromRow(row));
  return out;
}

}  // namespace

namespace internal {

// The point of a watermark is to come back exactly; refuse one that would not (a timestamp
// with nanoseconds stored as TIMESTAMP, a value that is not of its type).
void CheckWatermark(engine::Session& session, const Watermark& watermark) {
  CheckKey(watermark.key);
  std::optional<std::string> rendered;
  try {
    rendered = session.QueryScalar("SELECT CAST(" + watermark.SqlLiteral() + " AS VARCHAR)");
  } catch (const QueryError& e) {
    throw IncrementalError(
        kConnector, "put watermark",
        fmt::format("the value '{}' of the watermark of {} is not a {}: {}", watermark.value,
                    Describe(watermark.key), watermark.type, e.message()));
  }
  if (rendered != watermark.value) {
    throw IncrementalError(
        kConnector, "put watermark",
        fmt::format("the value '{}' of the watermark of {} reads back as '{}' through {}; store "
                    "the cursor as CAST(cursor AS VARCHAR) with its own type",
                    watermark.value, Describe(watermark.key), rendered.value_or("NULL"),
                    watermark.type));
  }
}

}  // namespace internal

std::string Watermark::SqlLiteral() const {
  CheckTypeName(*this);
  return "CAST(" + QuoteLiteral(value) + " AS " + type + ")";
}

nlohmann::json Watermark::ToJson() const {
  return nlohmann::json{
      {"pipeline", key.pipeline},         {"source", key.source},     {"object", key.object},
      {"cursor_field", key.cursor_field}, {"value", value},           {"type", type},
      {"boundary_rows", boundary.size()}, {"updated_at", updated_at}, {"run_id", run_id}};
}

StateStore::StateStore(engine::Session& session, std::shared_ptr<Clock> clock, std::string catalog)
    : session_(session), clock_(std::move(clock)), catalog_(std::move(catalog)) {}

std::string StateStore::Table(const char* table) const { return QualifiedTable(catalog_, table); }

// No PRIMARY KEY on the state tables: with DuckDB 1.4.4 every checkpoint of a table with an
// index leaves its old index blocks behind, so a state file grew by ~0.3 MB per run (pinned by
// StateStoreTest.TheStateFileDoesNotGrowWithEveryRun). Keys stay unique because every write
// deletes the key's row first, in the same transaction.
void StateStore::EnsureSchema() {
  session_.Execute(fmt::format(
      "CREATE TABLE IF NOT EXISTS {} (pipeline VARCHAR NOT NULL, source VARCHAR NOT NULL, "
      "object VARCHAR NOT NULL, cursor_field VARCHAR NOT NULL, value VARCHAR NOT NULL, "
      "type VARCHAR NOT NULL, boundary VARCHAR[] NOT NULL, updated_at VARCHAR NOT NULL, "
      "run_id VARCHAR NOT NULL);\n"
      "CREATE TABLE IF NOT EXISTS {} (run_id VARCHAR NOT NULL, pipeline VARCHAR NOT NULL, "
      "profile VARCHAR NOT NULL, status VARCHAR NOT NULL, started_at VARCHAR NOT NULL, "
      "finished_at VARCHAR, error VARCHAR);\n"
      "CREATE TABLE IF NOT EXISTS {} (run_id VARCHAR NOT NULL, step_id VARCHAR NOT NULL, "
      "step_index INTEGER NOT NULL, status VARCHAR NOT NULL, rows BIGINT NOT NULL, "
      "bytes BIGINT NOT NULL, started_at VARCHAR, finished_at VARCHAR, error VARCHAR);",
      Table(internal::kWatermarksTable), Table(internal::kRunsTable),
      Table(internal::kRunStepsTable)));
}

bool StateStore::HasSchema() {
  for (const char* table :
       {internal::kWatermarksTable, internal::kRunsTable, internal::kRunStepsTable}) {
    if (!session_.TableSchema(Table(table))) return false;
  }
  return true;
}

std::optional<Watermark> StateStore::GetWatermark(const WatermarkKey& key) {
  std::vector<Watermark> found =
      SelectWatermarks(session_, Table(internal::kWatermarksTable), KeyCondition(key));
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

void StateStore::PutWatermark(const Watermark& watermark) {
  internal::CheckWatermark(session_, watermark);
  const WatermarkKey& key = watermark.key;
  // Atomic on its own, or part of the caller's transaction when one is open.
  internal::ExecuteAtomically(
      session_,
      fmt::format(
          "DELETE FROM {0} WHERE {1};\nINSERT INTO {0} (pipeline, source, object, cursor_field, "
          "value, type, boundary, updated_at, run_id) VALUES ({2}, {3}, {4}, {5}, {6}, {7}, {8}, "
          "{9}, {10});",
          Table(internal::kWatermarksTable), KeyCondition(key), QuoteLiteral(key.pipeline),
          QuoteLiteral(key.source), QuoteLiteral(key.object), QuoteLiteral(key.cursor_field),
          QuoteLiteral(watermark.value), QuoteLiteral(watermark.type),
          BoundaryLiteral(SortedUnique(watermark.boundary)),
          QuoteLiteral(internal::OrNow(watermark.updated_at, *clock_)),
          QuoteLiteral(watermark.run_id)));
}

std::vector<Watermark> StateStore::ListWatermarks(const std::string& pipeline) {
  return SelectWatermarks(session_, Table(internal::kWatermarksTable),
                          pipeline.empty() ? "true" : "pipeline = " + QuoteLiteral(pipeline));
}

int64_t StateStore::ResetWatermarks(const std::string& pipeline, const std::string& source) {
  std::string where = "pipeline = " + QuoteLiteral(pipeline);
  if (!source.empty()) where += " AND source = " + QuoteLiteral(source);
  // DuckDB answers a DELETE with the number of rows deleted.
  std::optional<std::string> deleted = session_.QueryScalar(
      fmt::format("DELETE FROM {} WHERE {}", Table(internal::kWatermarksTable), where));
  return deleted ? std::stoll(*deleted) : 0;
}

}  // namespace sqlflow::state
