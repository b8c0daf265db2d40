#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "sqlflow/common/strings.h"
#include "sqlflow/connectors/postgres/pg_connector.h"
#include "sqlflow/connectors/postgres/pg_copy.h"
#include "sqlflow/connectors/postgres/pg_internal.h"
#include "sqlflow/connectors/postgres/pg_types.h"

namespace sqlflow {
namespace {

using pg::Connection;
using pg::TableName;

constexpr size_t kSendBytes = 1 << 20;  // COPY data is sent in blocks of about 1 MiB.

// A column of an existing table.
struct TargetColumn {
  std::string name;
  uint32_t oid = 0;
  std::string type_sql;  // format_type(): "integer", "character varying(20)", ...
};

std::vector<TargetColumn> TableColumns(Connection& conn, const TableName& table) {
  pg::Result r = conn.Query(
      "SELECT attname, atttypid, format_type(atttypid, atttypmod) FROM pg_attribute "
      "WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
      {table.Sql()}, "write");
  std::vector<TargetColumn> columns;
  for (int i = 0; i < r.rows(); ++i) {
    columns.push_back({r.Get(i, 0), static_cast<uint32_t>(std::stoul(r.Get(i, 1))), r.Get(i, 2)});
  }
  return columns;
}

std::string ColumnList(const Schema& schema) {
  std::string list;
  for (const Field& f : schema.fields())
    list += (list.empty() ? "" : ", ") + QuoteIdentifier(f.name);
  return list;
}

// The OIDs of the columns CreateTableSql makes for `schema`.
std::vector<uint32_t> CreatedOids(const Schema& schema) {
  std::vector<uint32_t> oids;
  for (const Field& f : schema.fields()) oids.push_back(pg::CreatedType(f.type).oid);
  return oids;
}

// "a"::integer, "b"::text, ...: the staged columns cast to the target's types.
std::string Casts(const std::vector<TargetColumn>& targets) {
  std::string casts;
  for (const TargetColumn& t : targets) {
    casts += (casts.empty() ? "" : ", ") + QuoteIdentifier(t.name) + "::" + t.type_sql;
  }
  return casts;
}

std::string CreateTableSql(const std::string& name_sql, const Schema& schema,
                           const std::string& prefix = "CREATE TABLE ",
                           const std::string& extra_column = "") {
  std::string sql = prefix + name_sql + " (";
  for (size_t i = 0; i < schema.num_fields(); ++i) {
    const Field& f = schema.field(i);
    sql += (i == 0 ? "" : ", ") + QuoteIdentifier(f.name) + " " + pg::CreatedType(f.type).sql +
           (f.nullable ? "" : " NOT NULL");
  }
  if (!extra_column.empty()) sql += ", " + extra_column;
  return sql + ")";
}

class PostgresDestination final : public DestinationConnector {
 public:
  using DestinationConnector::DestinationConnector;

  ConnectionTestResult TestConnection() override {
    ConnectionTestResult result = pg::TestServer(settings_, name(), clock());
    if (result.success) {
      RecordConnectionTime(result.response_time_ms);
      MarkReady();
    }
    return result;
  }

  WriteResult Write(const std::string& object, ChunkStream& input,
                    const WriteOptions& options) override;

 protected:
  void DoConfigure(const ParameterSet& params) override {
    settings_ = pg::ConnectSettings::FromParams(params);
    host_ = settings_.endpoint;
    schema_ = params.GetString("schema");
    table_ = params.Has("table") ? params.GetString("table") : "";
  }

 private:
  // COPY every chunk of `input` into `target_sql` (columns of `input`, in its order) as
  // `oids`; returns the rows the server stored.
  int64_t CopyIn(Connection& conn, const std::string& target_sql, ChunkStream& input,
                 const std::vector<uint32_t>& oids, const std::string& what);
  int64_t Replace(Connection& conn, const TableName& table, ChunkStream& input, bool exists);
  int64_t Append(Connection& conn, const TableName& table, ChunkStream& input, bool exists);
  int64_t Upsert(Connection& conn, const TableName& table, ChunkStream& input,
                 const std::vector<std::string>& keys, bool exists);
  void EnsureUniqueIndex(Connection& conn, const TableName& table,
                         const std::vector<std::string>& keys);
  // COPY `input` into the temporary table sqlflow_stage, in SQLFlow's own types (plus
  // `extra_column` when given), dropped at commit.
  void Stage(Connection& conn, ChunkStream& input, const TableName& table,
             const std::string& extra_column = "");
  // The target's columns for each input column; SchemaError for an input column it lacks.
  std::vector<TargetColumn> Match(Connection& conn, const TableName& table, const Schema& schema);

  pg::ConnectSettings settings_;
  std::string host_;
  std::string schema_ = "public";
  std::string table_;
};

int64_t PostgresDestination::CopyIn(Connection& conn, const std::string& target_sql,
                                    ChunkStream& input, const std::vector<uint32_t>& oids,
                                    const std::string& what) {
  auto schema = std::make_shared<Schema>(input.schema());
  pg::CopyBinaryEncoder encoder(schema, oids, pg::CopyContext{name(), what});
  conn.BeginCopyIn(
      "COPY " + target_sql + " (" + ColumnList(*schema) + ") FROM STDIN (FORMAT binary)", "write");
  std::string buffer(pg::CopyBinaryEncoder::Header());
  try {
    while (std::optional<DataChunk> chunk = input.Next()) {
      auto start = clock().Now();
      const size_t before = buffer.size();
      encoder.Encode(*chunk, &buffer);
      RecordTransfer(chunk->num_rows(), static_cast<int64_t>(buffer.size() - before));
      if (buffer.size() >= kSendBytes) {
        conn.PutCopyData(buffer, "write");
        buffer.clear();
      }
      RecordQueryTime(MillisBetween(start, clock().Now()));
    }
    buffer += pg::CopyBinaryEncoder::Trailer();
    conn.PutCopyData(buffer, "write");
  } catch (...) {
    conn.AbortCopyIn("the write failed");
    throw;
  }
  return conn.EndCopyIn("write");
}

void PostgresDestination::Stage(Connection& conn, ChunkStream& input, const TableName& table,
                                const std::string& extra_column) {
  conn.Exec(CreateTableSql("sqlflow_stage", input.schema(), "CREATE TEMP TABLE ", extra_column) +
                " ON COMMIT DROP",
            "write");
  CopyIn(conn, "sqlflow_stage", input, CreatedOids(input.schema()), table.Display());
}

std::vector<TargetColumn> PostgresDestination::Match(Connection& conn, const TableName& table,
                                                     const Schema& schema) {
  std::vector<TargetColumn> existing = TableColumns(conn, table);
  std::vector<TargetColumn> matched;
  std::string missing;
  for (const Field& f : schema.fields()) {
    auto at = std::find_if(existing.begin(), existing.end(),
                           [&](const TargetColumn& c) { return c.name == f.name; });
    if (at == existing.end()) {
      missing += (missing.empty() ? "'" : ", '") + f.name + "'";
      continue;
    }
    matched.push_back(*at);
  }
  if (!missing.empty()) {
    std::string columns;
    for (const TargetColumn& c : existing) columns += (columns.empty() ? "" : ", ") + c.name;
    throw SchemaError(name(), "write",
                      "table " + table.Display() + " has no column " + missing +
                          " (its columns: " + columns + "); add them, or write with mode replace");
  }
  return matched;
}

int64_t PostgresDestination::Replace(Connection& conn, const TableName& table, ChunkStream& input,
                                     bool exists) {
  // Load into a new table, then swap it in: readers see the old rows until the commit.
  std::string fresh =
      table.table.substr(0, 40) + "__sqlflow_new_" + std::to_string(conn.BackendPid());
  TableName staged{table.schema, fresh};
  conn.Exec(CreateTableSql(staged.Sql(), input.schema()), "write");
  int64_t rows = CopyIn(conn, staged.Sql(), input, CreatedOids(input.schema()), table.Display());
  if (exists) conn.Exec("DROP TABLE " + table.Sql(), "write");
  conn.Exec("ALTER TABLE " + staged.Sql() + " RENAME TO " + QuoteIdentifier(table.table), "write");
  return rows;
}

int64_t PostgresDestination::Append(Connection& conn, const TableName& table, ChunkStream& input,
                                    bool exists) {
  const Schema& schema = input.schema();
  if (!exists) conn.Exec(CreateTableSql(table.Sql(), schema), "write");
  std::vector<TargetColumn> targets = Match(conn, table, schema);
  std::vector<uint32_t> oids;
  bool direct = true;
  for (size_t i = 0; i < targets.size(); ++i) {
    oids.push_back(targets[i].oid);
    direct = direct && pg::CannotEncode(schema.field(i).type, targets[i].oid).empty();
  }
  if (direct) return CopyIn(conn, table.Sql(), input, oids, table.Display());
  // Some column needs a cast the encoder cannot do: stage in our types, cast on insert.
  Stage(conn, input, table);
  pg::Result r = conn.Query("INSERT INTO " + table.Sql() + " (" + ColumnList(schema) + ") SELECT " +
                                Casts(targets) + " FROM sqlflow_stage",
                            {}, "write");
  return r.AffectedRows();
}

void PostgresDestination::EnsureUniqueIndex(Connection& conn, const TableName& table,
                                            const std::vector<std::string>& keys) {
  // A unique index (or primary key, or unique constraint) on exactly the key columns.
  std::vector<std::optional<std::string>> params = {table.Sql()};
  std::string list, array;
  for (const std::string& k : keys) {
    params.emplace_back(k);
    list += (list.empty() ? "" : ",") + QuoteIdentifier(k);
    array += (array.empty() ? "$" : ", $") + std::to_string(params.size());
  }
  pg::Result r = conn.Query(
      "SELECT 1 FROM pg_index i WHERE i.indrelid = to_regclass($1) AND i.indisunique "
      "AND i.indpred IS NULL AND i.indexprs IS NULL AND (SELECT array_agg(a.attname::text "
      "ORDER BY a.attname::text) FROM pg_attribute a WHERE a.attrelid = i.indrelid "
      "AND a.attnum = ANY(i.indkey)) = (SELECT array_agg(k ORDER BY k) FROM unnest(ARRAY[" +
          array + "]::text[]) k)",
      params, "write");
  if (r.rows() > 0) return;
  std::string index = table.table.substr(0, 40) + "_sqlflow_upsert_key";
  conn.Exec(
      "CREATE UNIQUE INDEX " + QuoteIdentifier(index) + " ON " + table.Sql() + " (" + list + ")",
      "write");
}

int64_t PostgresDestination::Upsert(Connection& conn, const TableName& table, ChunkStream& input,
                                    const std::vector<std::string>& keys, bool exists) {
  const Schema& schema = input.schema();
  for (const std::string& k : keys) {
    if (schema.FieldIndex(k) < 0) {
      throw SchemaError(name(), "write",
                        "upsert key '" + k + "' is not a column of the data (columns: " +
                            Join(schema.names(), ", ") + ")");
    }
  }
  if (!exists) conn.Exec(CreateTableSql(table.Sql(), schema), "write");
  std::vector<TargetColumn> targets = Match(conn, table, schema);
  EnsureUniqueIndex(conn, table, keys);
  // Stage in our types with the arrival order, then one INSERT ... ON CONFLICT; within the
  // data the last row of a key wins, as if the rows were upserted one by one.
  Stage(conn, input, table, "sqlflow_row bigserial");
  std::string key_list, updates;
  for (const TargetColumn& t : targets) {
    std::string column = QuoteIdentifier(t.name);
    bool is_key = std::find(keys.begin(), keys.end(), t.name) != keys.end();
    if (!is_key) updates += (updates.empty() ? "" : ", ") + column + " = EXCLUDED." + column;
  }
  for (const std::string& k : keys) key_list += (key_list.empty() ? "" : ", ") + QuoteIdentifier(k);
  pg::Result r = conn.Query("INSERT INTO " + table.Sql() + " (" + ColumnList(schema) + ") SELECT " +
                                Casts(targets) + " FROM (SELECT DISTINCT ON (" + key_list +
                                ") * FROM sqlflow_stage ORDER BY " + key_list +
                                ", sqlflow_row DESC) AS s ON CONFLICT (" + key_list + ") DO " +
                                (updates.empty() ? "NOTHING" : "UPDATE SET " + updates),
                            {}, "write");
  return r.AffectedRows();
}

WriteResult PostgresDestination::Write(const std::string& object, ChunkStream& input,
                                       const WriteOptions& options) {
  if (object.empty() && table_.empty()) {
    throw ParameterError(name(), "table", "give the table to write");
  }
  TableName table = pg::ParseTableName(object.empty() ? table_ : object, schema_);
  if (options.mode == WriteMode::kUpsert && options.keys.empty()) {
    throw ParameterError(name(), "keys", "upsert needs one or more key columns");
  }
  auto conn =
      Resilient("connect", host_, [&] { return Connection::Open(settings_, name(), "write"); });
  MarkReady();
  // One transaction: a failure anywhere (the data, the server, the connection) leaves the
  // table as it was.
  WriteResult result;
  try {
    conn->Exec("BEGIN", "write");
    pg::Result found = conn->Query("SELECT to_regclass($1) IS NOT NULL", {table.Sql()}, "write");
    bool exists = found.Get(0, 0) == "t";
    switch (options.mode) {
      case WriteMode::kReplace:
        result.rows_written = Replace(*conn, table, input, exists);
        break;
      case WriteMode::kAppend:
        result.rows_written = Append(*conn, table, input, exists);
        break;
      case WriteMode::kUpsert:
        result.rows_written = Upsert(*conn, table, input, options.keys, exists);
        break;
    }
    conn->Exec("COMMIT", "write");
  } catch (...) {
    try {
      conn->Exec("ROLLBACK", "write");
    } catch (const Error&) {  // A lost connection rolled back already.
    }
    RecordFailure();
    throw;
  }
  return result;
}

}  // namespace

std::unique_ptr<DestinationConnector> MakePostgresDestination(const ConnectorSpec& spec,
                                                              std::shared_ptr<Clock> clock) {
  return std::make_unique<PostgresDestination>(spec, std::move(clock));
}

DestinationRegistry::Factory PostgresDestinationFactory() {
  return [](const ConnectorSpec& spec, std::shared_ptr<Clock> clock) {
    return MakePostgresDestination(spec, std::move(clock));
  };
}

}  // namespace sqlflow
