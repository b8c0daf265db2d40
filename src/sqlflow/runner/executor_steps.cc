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

engine::LoadOptions LoadOptionsOf(const Step& step, const StepContext& context) {
  engine::LoadOptions options;
  options.mode = step.mode;
  options.keys = step.keys;
  options.allow_schema_evolution = context.plan.allow_schema_evolution;
  options.progress = context.progress;
  return options;
}

StepOutcome RunLoad(const Step& step, StepContext& context) {
  const SourceDef& source = context.plan.sources.at(step.source);
  std::unique_ptr<SourceConnector> connector = context.registry.sources().Create(source.type);
  connector->set_name(source.name);
  connector->Configure(source.validated.values(), NoVariables);
  engine::LoadOptions options = LoadOptionsOf(step, context);
  ReadRequest request;
  request.batch_size = context.batch_size;
  auto* scannable = dynamic_cast<DuckDbScannable*>(connector.get());
  if (scannable != nullptr && context.session.duck_connection() != nullptr) {
    std::optional<std::string> relation = scannable->DuckDbRelation(request);
    if (relation) {
      try {
        return {context.session.LoadRelation(step.table, *relation, options).rows, 0};
      } catch (const InterruptedError&) {
        throw;
      } catch (...) {
        scannable->RethrowScanError(std::current_exception());
      }
    }
  }
  std::unique_ptr<ChunkStream> stream = connector->Read(request);
  int64_t rows = context.session.Load(step.table, *stream, options).rows;
  return {rows, connector->performance_metrics().bytes_transferred};
}

std::optional<std::string> MaxAsIso(engine::Session& session, const std::string& table,
                                    const std::string& column, int64_t minus_micros) {
  std::string expr = fmt::format("max({})::TIMESTAMP", QuoteIdentifier(column));
  if (minus_micros > 0) expr += fmt::format(" - INTERVAL ({}) MICROSECONDS", minus_micros);
  return session.QueryScalar(
      fmt::format("SELECT strftime({}, '{}') FROM {}", expr, kIsoFormat, QuoteTableName(table)));
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

StepOutcome RunTransform(const Step& step, StepContext& context) {
  engine::LoadOptions options = LoadOptionsOf(step, context);
  if (!step.incremental) {
    return {context.session.CreateTableAs(step.table, step.sql, options).rows, 0};
  }
  CheckIncrementalColumn(step, context.session,
                         ExpandTimeMacros(step.sql, kBeginningOfTime, kBeginningOfTime));
  auto [start, end] = IncrementalWindow(step, context.session);
  std::string sql = ExpandTimeMacros(step.sql, start, end);
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
  destination->Configure(step.destination_validated.values(), NoVariables);
  CreateParentDirectory(step);
  WriteResult result;
  auto* writable = dynamic_cast<DuckDbWritable*>(destination.get());
  duck::Connection* conn = context.session.duck_connection();
  if (writable != nullptr && conn != nullptr) {
    result = writable->WriteRelationOn(*conn, step.write_object, "(" + step.sql + "\n)",
                                       step.write_options, nullptr);
  } else {
    std::unique_ptr<ChunkStream> stream = context.session.Query(step.sql, context.batch_size);
    result = destination->Write(step.write_object, *stream, step.write_options);
  }
  return {result.rows_written, result.bytes_written};
}

}  // namespace

std::pair<std::string, std::string> IncrementalWindow(const Step& step, engine::Session& session) {
  std::string start = kBeginningOfTime;
  if (session.TableSchema(step.table)) {
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
  if (end.empty()) {
    std::string now = FormatIso8601Utc(SystemClock::Instance()->WallNow());
    end = now.substr(0, 19) + ".000000";
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
