#include <filesystem>

#include <fmt/format.h>

#include "sqlflow/common/clock.h"
#include "sqlflow/common/error.h"
#include "sqlflow/common/strings.h"
#include "sqlflow/connectors/file/pushdown.h"
#include "sqlflow/runner/executor_internal.h"
#include "sqlflow/runner/planner_internal.h"

namespace sqlflow::runner::internal {

namespace {

constexpr const char* kIsoFormat = "%Y-%m-%dT%H:%M:%S.%f";
constexpr const char* kBeginningOfTime = "0001-01-01T00:00:00.000000";

/// Plans hold parameters with every `${VAR}` already resolved: configure without a lookup.
std::optional<std::string> NoVariables(const std::string&) { return std::nullopt; }

/// A full read: pushed down to the engine for files DuckDB scans itself, else streamed.
StepOutcome RunFullLoad(const Step& step, StepContext& context, SourceConnector& connector,
                        ConnectorMetrics* metrics) {
  engine::LoadOptions options = LoadOptionsOf(step, context);
  ReadRequest request;
  request.batch_size = context.batch_size;
  Clock::TimePoint started = context.clock.Now();
  auto* scannable = dynamic_cast<DuckDbScannable*>(&connector);
  if (scannable != nullptr && context.session.duck_connection() != nullptr) {
    std::optional<std::string> relation = scannable->DuckDbRelation(request);
    if (relation) {
      metrics->metrics.connection_time_ms = MillisBetween(started, context.clock.Now());
      try {
        return {context.session.LoadRelation(step.table, *relation, options).rows,
                scannable->RelationBytes()};
      } catch (const InterruptedError&) {
        throw;
      } catch (...) {
        scannable->RethrowScanError(std::current_exception());
      }
    }
  }
  std::unique_ptr<ChunkStream> stream = connector.Read(request);
  metrics->metrics.connection_time_ms = MillisBetween(started, context.clock.Now());
  int64_t rows = context.session.Load(step.table, *stream, options).rows;
  return {rows, connector.performance_metrics().bytes_transferred};
}

StepOutcome RunLoad(const Step& step, StepContext& context) {
  const SourceDef& source = context.plan.sources.at(step.source);
  std::unique_ptr<SourceConnector> connector = context.registry.sources().Create(source.type);
  connector->set_name(source.name);
  connector->set_resilience_metrics(context.resilience_metrics);
  connector->Configure(source.validated.values(), NoVariables);
  if (source.incremental) return RunIncrementalLoad(step, context, *connector);
  ConnectorMetrics metrics{source.name, source.type, "source", {}};
  Clock::TimePoint started = context.clock.Now();
  StepOutcome outcome = RunFullLoad(step, context, *connector, &metrics);
  FinishMetrics(&metrics, started, context.clock, outcome.rows, outcome.bytes);
  outcome.connector = std::move(metrics);
  return outcome;
}

/// The SQL of the TIMESTAMP `expr` less `minus_micros`, as an ISO timestamp (kIsoFormat).
std::string IsoSql(std::string expr, int64_t minus_micros) {
  if (minus_micros > 0) expr += fmt::format(" - INTERVAL ({}) MICROSECONDS", minus_micros);
  return fmt::format("strftime({}, '{}')", expr, kIsoFormat);
}

std::optional<std::string> MaxAsIso(engine::Session& session, const std::string& table,
                                    const std::string& column, int64_t minus_micros) {
  return session.QueryScalar(
      fmt::format("SELECT {} FROM {}",
                  IsoSql(fmt::format("max({})::TIMESTAMP", QuoteIdentifier(column)), minus_micros),
                  QuoteTableName(table)));
}

/// INCREMENTAL BY needs a DATE or TIMESTAMP column in the query's result: the window is a
/// time range. Checked before anything is written, with a message naming the column.
void CheckIncrementalColumn(const Step& step, engine::Session& session, const std::string& sql) {
  Schema schema = session.DescribeQuery(sql);
  int index = schema.FieldIndex(step.incremental_column);
  if (index >= 0) {
    const DataType& type = schema.field(static_cast<size_t>(index)).type;
    if (type.id() == TypeId::kDate || type.id() == TypeId::kTimestamp) return;
    throw SchemaError("pipeline", step.id,
                      fmt::format("INCREMENTAL BY column '{}' must be a DATE or TIMESTAMP, but the "
                                  "query makes it {}",
                                  step.incremental_column, type.ToSql()));
  }
  std::vector<std::string> names;
  for (const Field& field : schema.fields()) names.push_back(field.name);
  throw SchemaError("pipeline", step.id,
                    fmt::format("INCREMENTAL BY column '{}' is not a column of the query (its "
                                "columns: {})",
                                step.incremental_column, Join(names, ", ")));
}

/// The watermark of an incremental transform: its table, keyed like a SOURCE with no object.
state::WatermarkKey TransformKey(const Step& step, const StepContext& context) {
  return {context.plan.pipeline, step.table, "", step.incremental_column};
}

/// The stored window end `end` ("2026-01-02T00:00:00.000000") as a TIMESTAMP watermark.
state::Watermark TransformWatermark(const Step& step, StepContext& context,
                                    const std::string& end) {
  state::Watermark watermark;
  watermark.key = TransformKey(step, context);
  watermark.type = "TIMESTAMP";
  watermark.value = context.session
                        .QueryScalar(fmt::format("SELECT CAST(CAST({} AS TIMESTAMP) AS VARCHAR)",
                                                 QuoteLiteral(end)))
                        .value_or(end);
  watermark.run_id = context.run_id;
  return watermark;
}

StepOutcome RunTransform(const Step& step, StepContext& context) {
  engine::LoadOptions options = LoadOptionsOf(step, context);
  if (!step.incremental) {
    return {context.session.CreateTableAs(step.table, step.sql, options).rows, 0};
  }
  CheckIncrementalColumn(step, context.session,
                         ExpandTimeMacros(step.sql, kBeginningOfTime, kBeginningOfTime));
  auto [start, end] = IncrementalWindow(step, context);
  // No input row: the window ends now, but storing now would skip every row dated before it
  // that arrives later.
  bool end_from_data = !end.empty();
  if (!end_from_data) {
    end = FormatIso8601Utc(context.clock.WallNow()).substr(0, 19) + ".000000";
  }
  std::string sql = ExpandTimeMacros(step.sql, start, end);
  std::optional<state::Watermark> next;
  if (context.state != nullptr && end_from_data) {
    next = TransformWatermark(step, context, end);
    options.before_commit = [&](engine::Session& session) { context.state->Put(*next, session); };
  }
  int64_t rows = context.session
                     .ReplaceWindow(step.table, sql, step.incremental_column,
                                    QuoteLiteral(start) + "::TIMESTAMP",
                                    QuoteLiteral(end) + "::TIMESTAMP", options)
                     .rows;
  return {rows, 0};
}

/// Create the directory of a local file an EXPORT writes, as the Python SQLFlow does.
void CreateParentDirectory(const Step& step) {
  const nlohmann::json& values = step.destination_validated.values();
  if (!values.contains("path") || !values["path"].is_string()) return;
  std::string path = values["path"].get<std::string>();
  if (path.find("://") != std::string::npos) return;
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);
}

StepOutcome RunExport(const Step& step, StepContext& context) {
  std::unique_ptr<DestinationConnector> destination =
      context.registry.destinations().Create(step.destination_type);
  destination->set_name(step.destination);
  destination->set_resilience_metrics(context.resilience_metrics);
  destination->Configure(step.destination_validated.values(), NoVariables);
  CreateParentDirectory(step);
  WriteResult result;
  ConnectorMetrics metrics{step.destination, step.destination_type, "destination", {}};
  Clock::TimePoint started = context.clock.Now();
  auto* writable = dynamic_cast<DuckDbWritable*>(destination.get());
  duck::Connection* conn = context.session.duck_connection();
  if (writable != nullptr && conn != nullptr) {
    result = writable->WriteRelationOn(*conn, step.write_object, "(" + step.sql + "\n)",
                                       step.write_options, nullptr);
  } else {
    std::unique_ptr<ChunkStream> stream = context.session.Query(step.sql, context.batch_size);
    result = destination->Write(step.write_object, *stream, step.write_options);
  }
  metrics.metrics.connection_time_ms = destination->performance_metrics().connection_time_ms;
  FinishMetrics(&metrics, started, context.clock, result.rows_written, result.bytes_written);
  return {result.rows_written, result.bytes_written, {}, std::move(metrics)};
}

}  // namespace

void FinishMetrics(ConnectorMetrics* metrics, Clock::TimePoint started, const Clock& clock,
                   int64_t rows, int64_t bytes) {
  PerformanceMetrics& m = metrics->metrics;
  m.query_time_ms = MillisBetween(started, clock.Now()) - m.connection_time_ms;
  m.rows_transferred = rows;
  m.bytes_transferred = bytes;
  m.rows_per_second = m.query_time_ms > 0 ? rows * 1000.0 / m.query_time_ms : 0;
}

engine::LoadOptions LoadOptionsOf(const Step& step, const StepContext& context) {
  engine::LoadOptions options;
  options.mode = step.mode;
  options.keys = step.keys;
  options.allow_schema_evolution = context.plan.allow_schema_evolution;
  options.progress = context.progress;
  return options;
}

std::pair<std::string, std::string> IncrementalWindow(const Step& step, StepContext& context) {
  engine::Session& session = context.session;
  std::string start = kBeginningOfTime;
  if (context.state != nullptr) {
    std::optional<state::Watermark> stored =
        context.state->Get(TransformKey(step, context), session);
    if (stored) {
      start = session
                  .QueryScalar("SELECT " +
                               IsoSql(stored->SqlLiteral() + "::TIMESTAMP", step.lookback_micros))
                  .value_or(start);
    }
  } else if (session.TableSchema(step.table)) {
    std::optional<std::string> watermark =
        MaxAsIso(session, step.table, step.incremental_column, step.lookback_micros);
    if (watermark) start = *watermark;
  }
  std::string end;
  for (const std::string& table : step.reads) {
    std::optional<Schema> schema = session.TableSchema(table);
    if (!schema || schema->FieldIndex(step.incremental_column) < 0) continue;
    std::optional<std::string> max = MaxAsIso(session, table, step.incremental_column, 0);
    if (max && *max > end) end = *max;
  }
  return {start, end};
}

StepOutcome RunStepOn(const Step& step, StepContext& context) {
  switch (step.kind) {
    case StepKind::kLoad:
      return RunLoad(step, context);
    case StepKind::kTransform:
      return RunTransform(step, context);
    case StepKind::kExport:
      return RunExport(step, context);
  }
  return {};
}

}  // namespace sqlflow::runner::internal
