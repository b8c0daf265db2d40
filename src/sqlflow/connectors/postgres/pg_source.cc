#include <algorithm>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sqlflow/common/log.h"
#include "sqlflow/common/strings.h"
#include "sqlflow/connectors/postgres/pg_connector.h"
#include "sqlflow/connectors/postgres/pg_copy.h"
#include "sqlflow/connectors/postgres/pg_internal.h"
#include "sqlflow/connectors/postgres/pg_read_plan.h"
#include "sqlflow/connectors/read_after.h"

namespace sqlflow {
namespace {

using pg::Connection;
using pg::PlannedColumn;
using pg::ReadPlan;

// What a read asks for, whichever entry point it came through.
struct ReadAsk {
  std::string object;
  std::vector<std::string> columns;
  std::vector<Filter> filters;
  std::string cursor_field;  // "" for a full read
  std::optional<Value> cursor_value;
  bool inclusive = false;
  int64_t batch_size = 10000;
};

class PostgresSource;

// Chunks decoded ahead of the consumer (about 1 MB each for a table of a few columns):
// enough to keep the server sending while a Parquet writer compresses a row group.
constexpr size_t kPrefetchChunks = 32;

// One read: a COPY of the plan's SELECT, decoded chunk by chunk, in a snapshot that `holder`
// (the connection that planned the read) exported and keeps open. After a failure the next
// attempt (the resilience policy's retry) opens a new connection, imports the same snapshot and
// continues after the rows already handed out: it sees exactly the rows the read began with.
class PostgresStream final : public ChunkStream {
 public:
  PostgresStream(PostgresSource* source, ReadPlan plan, int64_t batch_size,
                 std::unique_ptr<Connection> holder, std::string snapshot)
      : source_(source),
        plan_(std::move(plan)),
        batch_size_(batch_size),
        decode_schema_(plan_.DecodeSchema()),
        output_names_(plan_.OutputNames()),
        holder_(std::move(holder)),
        snapshot_(std::move(snapshot)),
        resume_(&plan_) {
    std::vector<Field> out(decode_schema_->fields().begin(),
                           decode_schema_->fields().begin() + plan_.output_columns);
    output_schema_ = std::make_shared<Schema>(std::move(out));
  }

  const Schema& schema() const override { return *output_schema_; }
  std::optional<DataChunk> Next() override;
  StreamProgress progress() const override { return {resume_.delivered(), bytes_, -1}; }

  // One attempt at the next chunk; leaves no connection behind when it fails.
  std::optional<DataChunk> NextOnce();
  // Cancel the COPY running now (from another thread: the stream is being destroyed early).
  void Interrupt() {
    std::lock_guard lock(conn_mu_);
    interrupted_ = true;
    if (conn_) conn_->Cancel();
  }

 private:
  // Replace the connection; the only writes of conn_, under conn_mu_ so Interrupt() sees a
  // whole pointer (only this stream's reading thread reads conn_ otherwise).
  void SetConnection(std::unique_ptr<Connection> conn) {
    std::lock_guard lock(conn_mu_);
    if (interrupted_ && conn) conn->Cancel();
    conn_ = std::move(conn);
  }

  void Start();
  std::optional<DataChunk> Deliver(DataChunk chunk);

  PostgresSource* source_;
  ReadPlan plan_;
  int64_t batch_size_;
  std::shared_ptr<const Schema> decode_schema_;
  std::shared_ptr<const Schema> output_schema_;
  std::vector<std::string> output_names_;  // Without the hidden key columns.
  std::unique_ptr<Connection> holder_;     // Keeps the snapshot alive until the read ends.
  std::string snapshot_;
  std::mutex conn_mu_;
  bool interrupted_ = false;
  std::unique_ptr<Connection> conn_;
  std::unique_ptr<pg::CopyBinaryDecoder> decoder_;
  pg::ResumeState resume_;
  int64_t skip_ = 0;
  int64_t bytes_ = 0;
  bool done_ = false;
};

class PostgresSource final : public SourceConnector {
 public:
  using SourceConnector::SourceConnector;

  ConnectionTestResult TestConnection() override {
    ConnectionTestResult result = pg::TestServer(settings_, name(), clock());
    if (result.success) {
      RecordConnectionTime(result.response_time_ms);
      MarkReady();
    }
    return result;
  }

  std::vector<std::string> Discover() override {
    return Resilient("discover", host_, [&] {
      auto conn = Open("discover");
      pg::Result r = conn->Query(
          "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 "
          "ORDER BY table_name",
          {schema_}, "discover");
      std::vector<std::string> names;
      for (int i = 0; i < r.rows(); ++i) names.push_back(r.Get(i, 0));
      return names;
    });
  }

  Schema GetSchema(const std::string& object) override {
    return Resilient("schema", host_, [&] {
      auto conn = Open("schema");
      std::vector<Field> fields;
      for (const PlannedColumn& c : pg::PlanColumns(*conn, Select(object), "schema")) {
        fields.push_back({c.name, c.type, true});
      }
      return Schema(std::move(fields));
    });
  }

  bool SchemaIsCheap() const override { return false; }

  std::unique_ptr<ChunkStream> Read(const ReadRequest& request) override {
    return StartRead({request.object, request.columns, request.filters, "", std::nullopt, false,
                      EffectiveBatchSize(request.batch_size, batch_size_)});
  }

  std::unique_ptr<ChunkStream> ReadIncremental(const IncrementalRequest& request) override {
    return StartRead({request.object, request.columns, request.filters, request.cursor_field,
                      request.cursor_value, request.inclusive,
                      EffectiveBatchSize(request.batch_size, batch_size_)});
  }

  // Run one attempt of `stream`'s next chunk under the policy (retries resume the read).
  std::optional<DataChunk> NextChunk(PostgresStream& stream) {
    return Resilient("read", host_, [&] { return stream.NextOnce(); });
  }

  std::unique_ptr<Connection> Open(const std::string& operation) const {
    return Connection::Open(settings_, name(), operation);
  }

 protected:
  void DoConfigure(const ParameterSet& params) override {
    if (params.Has("table") && params.Has("query")) {
      throw ParameterError(name(), "query", "give either table or query, not both");
    }
    settings_ = pg::ConnectSettings::FromParams(params);
    host_ = settings_.endpoint;
    schema_ = params.GetString("schema");
    table_ = params.Has("table") ? params.GetString("table") : "";
    query_ = params.Has("query") ? params.GetString("query") : "";
    primary_key_ = params.Has("primary_key") ? params.GetStringList("primary_key")
                                             : std::vector<std::string>{};
    batch_size_ = params.GetInt("batch_size");
  }

 private:
  // The FROM of a read of `object` (a table name, or "" for the configured table or query)
  // and how messages name it.
  std::pair<std::string, std::string> From(const std::string& object) const {
    if (!object.empty() || !table_.empty()) {
      pg::TableName t = pg::ParseTableName(object.empty() ? table_ : object, schema_);
      return {t.Sql(), "table " + t.Display()};
    }
    if (!query_.empty()) return {"(" + query_ + ") AS q", "the query"};
    throw ParameterError(name(), "table", "give a table or a query to read");
  }

  // What describes the columns of a read of `object`: the user's query itself, so the
  // server's errors point into it, or a SELECT of the table.
  std::string Select(const std::string& object) const {
    if (object.empty() && table_.empty() && !query_.empty()) return query_;
    return "SELECT * FROM " + From(object).first;
  }

  ReadPlan Plan(Connection& conn, const ReadAsk& ask) const;
  std::unique_ptr<ChunkStream> StartRead(const ReadAsk& ask);

  pg::ConnectSettings settings_;
  std::string host_;
  std::string schema_ = "public";
  std::string table_;
  std::string query_;
  std::vector<std::string> primary_key_;
  int64_t batch_size_ = 10000;
};

// The index of `name` in `schema` (the columns of what is read), or a SchemaError naming what
// is read.
size_t FindColumn(const Schema& schema, const std::string& name, const std::string& connector,
                  const std::string& what) {
  int index = schema.FieldIndex(name);
  if (index < 0) {
    throw SchemaError(connector, "read",
                      what + " has no column '" + name + "'" + MissingColumnHint(schema, name));
  }
  return static_cast<size_t>(index);
}

ReadPlan PostgresSource::Plan(Connection& conn, const ReadAsk& ask) const {
  ReadPlan plan;
  std::tie(plan.from, plan.what) = From(ask.object);
  std::vector<PlannedColumn> all = pg::PlanColumns(conn, Select(ask.object), "read");
  std::vector<Field> fields;
  for (const PlannedColumn& c : all) fields.push_back({c.name, c.type, true});
  const Schema schema(std::move(fields));
  auto find = [&](const std::string& column) {
    return FindColumn(schema, column, name(), plan.what);
  };
  std::vector<size_t> picked;
  if (ask.columns.empty()) {
    for (size_t i = 0; i < all.size(); ++i) picked.push_back(i);
  } else {
    for (const std::string& c : ask.columns) picked.push_back(find(c));
  }
  plan.output_columns = picked.size();
  for (const Filter& f : ask.filters)
    plan.conditions.push_back(FilterCondition(all[find(f.column)], f));
  const bool table = !ask.object.empty() || !table_.empty();
  std::vector<size_t> order;
  if (!ask.cursor_field.empty()) {
    size_t cursor = find(ask.cursor_field);
    order.push_back(cursor);
    if (ask.cursor_value.has_value()) {
      plan.conditions.push_back(all[cursor].select + (ask.inclusive ? " >= " : " > ") +
                                pg::Literal(*ask.cursor_value));
    }
  }
  if (table && pg::IsPlainTable(conn, plan.from, "read")) {
    // In physical order, no sort: a restart continues after the last ctid handed out.
    plan.resume_by_ctid = true;
    for (size_t index : picked) plan.columns.push_back(all[index]);
    plan.columns.push_back(pg::CtidColumn());
    return plan;
  }
  // Views, partitioned tables and queries: ordered by the cursor and the key for resuming.
  std::vector<std::string> key = primary_key_;
  if (key.empty() && table) key = pg::PrimaryKey(conn, plan.from, "read");
  for (const std::string& k : key) {
    size_t index = find(k);
    if (std::find(order.begin(), order.end(), index) == order.end()) order.push_back(index);
  }
  plan.order_is_unique = !key.empty();
  for (size_t index : order) {
    auto at = std::find(picked.begin(), picked.end(), index);
    if (at == picked.end()) {  // A key that is not returned is read too, then dropped.
      picked.push_back(index);
      at = picked.end() - 1;
    }
    plan.order.push_back(static_cast<size_t>(at - picked.begin()));
  }
  for (size_t index : picked) plan.columns.push_back(all[index]);
  return plan;
}

std::unique_ptr<ChunkStream> PostgresSource::StartRead(const ReadAsk& ask) {
  auto start = clock().Now();
  auto stream = Resilient("read", host_, [&] {
    auto holder = Open("read");
    holder->Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "read");
    ReadPlan plan = Plan(*holder, ask);
    std::string snapshot = holder->Query("SELECT pg_export_snapshot()", {}, "read").Get(0, 0);
    return std::make_unique<PostgresStream>(this, std::move(plan), ask.batch_size,
                                            std::move(holder), std::move(snapshot));
  });
  RecordQueryTime(MillisBetween(start, clock().Now()));
  // Decoding the next chunks overlaps with what the consumer does with the last ones.
  PostgresStream* reader = stream.get();
  auto prefetched =
      MakePrefetchStream(std::move(stream), kPrefetchChunks, [reader] { reader->Interrupt(); });
  return std::make_unique<MeteredStream>(std::move(prefetched), clock(),
                                         [this](double ms, int64_t rows, int64_t bytes) {
                                           RecordQueryTime(ms);
                                           RecordTransfer(rows, bytes);
                                         });
}

std::optional<DataChunk> PostgresStream::Next() { return source_->NextChunk(*this); }

void PostgresStream::Start() {
  SetConnection(source_->Open("read"));
  conn_->Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "read");
  if (!snapshot_.empty()) {
    try {
      conn_->Exec("SET TRANSACTION SNAPSHOT " + QuoteLiteral(snapshot_), "read");
    } catch (const QueryError& e) {  // The holder's connection died too.
      log::Warning(
          "{}: the snapshot the read of {} began in is gone ({}): it continues in a new one, "
          "so rows changed since the read began may be missed or read twice",
          source_->name(), plan_.what, e.message());
      snapshot_.clear();
      conn_->Exec("ROLLBACK; BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "read");
    }
  }
  if (plan_.resume_by_ctid) {
    // Rows in physical (ctid) order: a sequential, bitmap or TID range scan, never an index
    // scan or parallel workers.
    conn_->Exec(
        "SET LOCAL enable_indexscan = off; SET LOCAL enable_indexonlyscan = off; "
        "SET LOCAL max_parallel_workers_per_gather = 0",
        "read");
  }
  if (resume_.delivered() > 0) {
    if (resume_.RestartsFromTheStart()) {
      log::Warning(
          "{}: the read of {} restarts from the beginning after a failure and skips the {} "
          "rows already read: it has no key to resume by (set primary_key), so this is exact "
          "only if the query returns its rows in the same order again",
          source_->name(), plan_.what, resume_.delivered());
    } else {
      log::Info("{}: resuming the read of {} after {} rows", source_->name(), plan_.what,
                resume_.delivered());
    }
  }
  std::string sql = plan_.CopySql(resume_.Condition());
  log::Debug("{}: {}", source_->name(), sql);
  conn_->BeginCopyOut(sql, "read");
  decoder_ = std::make_unique<pg::CopyBinaryDecoder>(decode_schema_, plan_.Oids(), batch_size_,
                                                     pg::CopyContext{source_->name(), plan_.what});
  skip_ = resume_.RowsToSkip();
}

std::optional<DataChunk> PostgresStream::Deliver(DataChunk chunk) {
  if (skip_ > 0) {
    int64_t skipped = std::min(skip_, chunk.num_rows());
    chunk = chunk.Slice(skipped, chunk.num_rows() - skipped);
    skip_ -= skipped;
  }
  if (chunk.num_rows() == 0) return std::nullopt;
  resume_.Delivered(chunk);
  if (plan_.output_columns < plan_.columns.size()) chunk = chunk.Project(output_names_);
  return chunk;
}

std::optional<DataChunk> PostgresStream::NextOnce() {
  if (done_) return std::nullopt;
  try {
    if (!decoder_) Start();
    for (;;) {
      std::string_view data;
      DataChunk chunk;
      if (conn_->NextCopyData(&data, "read")) {
        bytes_ += static_cast<int64_t>(data.size());
        if (!decoder_->Feed(data)) continue;
        chunk = decoder_->TakeChunk();
      } else {
        chunk = decoder_->TakeChunk(/*at_end=*/true);
        done_ = true;
        decoder_.reset();
        SetConnection(nullptr);
        holder_.reset();
      }
      if (std::optional<DataChunk> out = Deliver(std::move(chunk))) return out;
      if (done_) return std::nullopt;
    }
  } catch (...) {
    decoder_.reset();
    SetConnection(nullptr);
    throw;
  }
}

}  // namespace

std::unique_ptr<SourceConnector> MakePostgresSource(const ConnectorSpec& spec,
                                                    std::shared_ptr<Clock> clock) {
  return std::make_unique<PostgresSource>(spec, std::move(clock));
}

SourceRegistry::Factory PostgresSourceFactory() {
  return [](const ConnectorSpec& spec, std::shared_ptr<Clock> clock) {
    return MakePostgresSource(spec, std::move(clock));
  };
}

}  // namespace sqlflow
