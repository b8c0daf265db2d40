// The LOAD of an incremental source: read past the stored watermark, re-read the boundary
// value and drop the rows already loaded there, and advance the watermark in the transaction
// that commits the rows (docs/incremental.md explains the guarantees).

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "sqlflow/common/error.h"
#include "sqlflow/common/log.h"
#include "sqlflow/common/strings.h"
#include "sqlflow/connectors/file/pushdown.h"
#include "sqlflow/runner/executor_internal.h"

namespace sqlflow::runner::internal {

namespace {

/// What a SOURCE's parameters say about its incremental reads.
struct CursorSpec {
  std::string cursor;                    ///< cursor_field
  std::vector<std::string> primary_key;  ///< May be empty: rows are then told apart by hash.
  std::optional<std::string> initial_value;
  std::string object;  ///< The object read: the path or table parameter, else "".
};

/// `path` relative to the project when inside it: a watermark survives moving the project.
std::string ObjectName(const std::string& path, const std::filesystem::path& project_dir) {
  if (project_dir.empty() || path.find("://") != std::string::npos) return path;
  std::filesystem::path relative =
      std::filesystem::path(path).lexically_relative(project_dir.lexically_normal());
  if (relative.empty() || *relative.begin() == "..") return path;
  return relative.generic_string();
}

CursorSpec CursorSpecOf(const SourceDef& source, const std::filesystem::path& project_dir) {
  const ParameterSet& params = source.validated;
  CursorSpec spec;
  spec.cursor = params.GetString("cursor_field");
  if (params.Has("primary_key")) spec.primary_key = params.GetStringList("primary_key");
  if (params.Has("initial_value")) spec.initial_value = params.GetString("initial_value");
  for (const char* name : {"path", "table", "object"}) {
    if (params.Has(name) && params.Get(name).is_string()) {
      spec.object = ObjectName(params.GetString(name), project_dir);
      break;
    }
  }
  return spec;
}

/// A table of the step's own session, gone with the session if not dropped.
std::string StageTable(const Step& step) {
  return "temp.main." + QuoteIdentifier("__sqlflow_stage_" + step.id);
}

/// The SQL of a row's identity at the boundary: its primary key as JSON, or the hash of the
/// whole row (rows identical in every column are then one row; docs/incremental.md).
std::string IdentitySql(const CursorSpec& spec) {
  if (spec.primary_key.empty()) return "md5(CAST(to_json(s) AS VARCHAR))";
  std::vector<std::string> fields;
  for (const std::string& key : spec.primary_key) {
    fields.push_back(fmt::format("{} := s.{}", QuoteIdentifier(key), QuoteIdentifier(key)));
  }
  return fmt::format("CAST(to_json(struct_pack({})) AS VARCHAR)", Join(fields, ", "));
}

/// Which rows the read keeps: past (or at) the watermark, NULL cursors to count them.
std::string LowerBound(const CursorSpec& spec, const std::optional<state::Watermark>& previous) {
  std::string cursor = QuoteIdentifier(spec.cursor);
  if (previous) {
    return fmt::format("{} >= {} OR {} IS NULL", cursor, previous->SqlLiteral(), cursor);
  }
  if (spec.initial_value) {
    return fmt::format("{} >= {} OR {} IS NULL", cursor, QuoteLiteral(*spec.initial_value), cursor);
  }
  return "true";
}

/// The watermark as a value of the source's data, for a connector's ReadIncremental().
std::optional<Value> WatermarkValue(engine::Session& session,
                                    const std::optional<state::Watermark>& previous) {
  if (!previous) return std::nullopt;
  std::unique_ptr<ChunkStream> stream = session.Query("SELECT " + previous->SqlLiteral(), 1);
  std::optional<DataChunk> chunk = stream->Next();
  if (!chunk || chunk->num_rows() == 0) return std::nullopt;
  return chunk->column(0).GetValue(0);
}

/// Read the source's rows that pass `lower_bound` into `stage`: a scan DuckDB runs itself for
/// files, else the connector's read_incremental() (pushed down where the connector can).
void ReadIntoStage(StepContext& context, SourceConnector& connector, const CursorSpec& spec,
                   const std::optional<state::Watermark>& previous, const std::string& stage,
                   ConnectorMetrics* metrics) {
  engine::LoadOptions options;
  options.progress = context.progress;
  std::string lower = LowerBound(spec, previous);
  Clock::TimePoint opened = context.clock.Now();
  auto* scannable = dynamic_cast<DuckDbScannable*>(&connector);
  if (scannable != nullptr && context.session.duck_connection() != nullptr) {
    ReadRequest request;
    request.batch_size = context.batch_size;
    std::optional<std::string> relation = scannable->DuckDbRelation(request);
    if (relation) {
      metrics->metrics.connection_time_ms = MillisBetween(opened, context.clock.Now());
      try {
        context.session.LoadRelation(
            stage, fmt::format("(SELECT * FROM {} WHERE {})", *relation, lower), options);
      } catch (const InterruptedError&) {
        throw;
      } catch (...) {
        scannable->RethrowScanError(std::current_exception());
      }
      return;
    }
  }
  IncrementalRequest request;
  request.cursor_field = spec.cursor;
  request.cursor_value = WatermarkValue(context.session, previous);
  request.inclusive = true;
  request.batch_size = context.batch_size;
  std::unique_ptr<ChunkStream> stream = connector.ReadIncremental(request);
  metrics->metrics.connection_time_ms = MillisBetween(opened, context.clock.Now());
  context.session.Load(stage, *stream, options);
  // The connector's filter is a promise, not a proof: keep exactly the rows the bound admits.
  context.session.Execute(fmt::format("DELETE FROM {} WHERE NOT ({})", stage, lower));
}

/// Fail, naming the SOURCE and the fix, when the cursor column is missing or unorderable (the
/// planner checks it too when the source can be read then; the data read is the proof).
void CheckCursorColumn(const SourceDef& source, const CursorSpec& spec, const Schema& schema) {
  int index = schema.FieldIndex(spec.cursor);
  if (index < 0) {
    throw IncrementalError(source.name, "read_incremental",
                           fmt::format("cursor_field '{}' is not a column of the data (columns: "
                                       "{})",
                                       spec.cursor, Join(schema.names(), ", ")));
  }
  const DataType& type = schema.field(static_cast<size_t>(index)).type;
  if (!type.is_orderable()) {
    throw IncrementalError(source.name, "read_incremental",
                           fmt::format("cursor_field '{}' has type {}, which has no order usable "
                                       "as a cursor",
                                       spec.cursor, type.ToSql()));
  }
}

/// Drop the staged rows the previous run loaded at its watermark value.
void DropLoadedBoundary(engine::Session& session, const std::string& stage, const CursorSpec& spec,
                        const state::Watermark& previous) {
  if (previous.boundary.empty()) return;
  nlohmann::json identities = previous.boundary;
  session.Execute(fmt::format(
      "DELETE FROM {stage} WHERE {cursor} = {value} AND rowid IN (SELECT s.rowid FROM {stage} s "
      "WHERE {identity} IN (SELECT unnest(CAST(CAST({list} AS JSON) AS VARCHAR[]))))",
      fmt::arg("stage", stage), fmt::arg("cursor", QuoteIdentifier(spec.cursor)),
      fmt::arg("value", previous.SqlLiteral()), fmt::arg("identity", IdentitySql(spec)),
      fmt::arg("list", QuoteLiteral(identities.dump()))));
}

/// Count the staged rows with a NULL cursor; drop them when a watermark exists (they cannot be
/// placed after it: only a full refresh loads them). Returns the warning to report, or "".
std::string HandleNullCursors(engine::Session& session, const std::string& stage,
                              const SourceDef& source, const CursorSpec& spec, bool has_watermark) {
  std::string cursor = QuoteIdentifier(spec.cursor);
  int64_t nulls = std::stoll(
      session.QueryScalar(fmt::format("SELECT count(*) FROM {} WHERE {} IS NULL", stage, cursor))
          .value_or("0"));
  if (nulls == 0) return "";
  if (!has_watermark) {
    return fmt::format(
        "{} rows of {} have a NULL cursor '{}': loaded now, by this full read; "
        "incremental runs skip rows with a NULL cursor",
        nulls, source.name, spec.cursor);
  }
  session.Execute(fmt::format("DELETE FROM {} WHERE {} IS NULL", stage, cursor));
  return fmt::format(
      "{} rows of {} have a NULL cursor '{}' and were skipped: only a full "
      "refresh (`sqlflow state reset`) loads them",
      nulls, source.name, spec.cursor);
}

/// The watermark after this load: the largest cursor staged with the identities of its rows
/// (plus the previous ones when the value did not move), or nullopt when nothing new. `type` is
/// the cursor column's type in `stage`.
std::optional<state::Watermark> NextWatermark(engine::Session& session, const std::string& stage,
                                              const CursorSpec& spec, std::string type,
                                              state::WatermarkKey key,
                                              const std::optional<state::Watermark>& previous,
                                              const std::string& run_id) {
  std::string cursor = QuoteIdentifier(spec.cursor);
  std::optional<std::string> value =
      session.QueryScalar(fmt::format("SELECT CAST(max({}) AS VARCHAR) FROM {}", cursor, stage));
  if (!value) return std::nullopt;
  state::Watermark next;
  next.key = std::move(key);
  next.value = *value;
  next.type = std::move(type);
  next.run_id = run_id;
  std::unique_ptr<ChunkStream> ids =
      session.Query(fmt::format("SELECT DISTINCT {} FROM {} s WHERE {} = (SELECT max({}) FROM {})",
                                IdentitySql(spec), stage, cursor, cursor, stage),
                    10000);
  while (std::optional<DataChunk> chunk = ids->Next()) {
    for (int64_t i = 0; i < chunk->num_rows(); ++i) {
      next.boundary.emplace_back(chunk->column(0).StringAt(i));
    }
  }
  if (previous && previous->type == next.type && previous->value == next.value) {
    next.boundary.insert(next.boundary.end(), previous->boundary.begin(), previous->boundary.end());
  }
  return next;
}

}  // namespace

StepOutcome RunIncrementalLoad(const Step& step, StepContext& context, SourceConnector& connector) {
  const SourceDef& source = context.plan.sources.at(step.source);
  CursorSpec spec = CursorSpecOf(source, context.project_dir);
  state::WatermarkKey key{context.plan.pipeline, source.name, spec.object, spec.cursor};
  std::optional<state::Watermark> previous;
  if (context.state != nullptr) previous = context.state->Get(key, context.session);

  StepOutcome outcome;
  outcome.connector = ConnectorMetrics{source.name, source.type, "source", {}};
  std::string stage = StageTable(step);
  ScopeExit drop([&] {
    try {
      context.session.Execute("DROP TABLE IF EXISTS " + stage);
    } catch (...) {
      // A failed or interrupted session: the temporary table goes with it.
    }
  });
  Clock::TimePoint started = context.clock.Now();
  ReadIntoStage(context, connector, spec, previous, stage, &*outcome.connector);
  Schema staged = *context.session.TableSchema(stage);
  CheckCursorColumn(source, spec, staged);
  if (previous) DropLoadedBoundary(context.session, stage, spec, *previous);
  std::string warning =
      HandleNullCursors(context.session, stage, source, spec, previous.has_value());
  if (!warning.empty()) {
    log::Warning("{}", warning);
    outcome.warnings.push_back(warning);
  }
  std::optional<state::Watermark> next =
      NextWatermark(context.session, stage, spec,
                    staged.field(static_cast<size_t>(staged.FieldIndex(spec.cursor))).type.ToSql(),
                    key, previous, context.run_id);

  engine::LoadOptions options = LoadOptionsOf(step, context);
  options.progress = nullptr;  // the rows were counted while staging
  if (next && context.state != nullptr) {
    options.before_commit = [&](engine::Session& session) { context.state->Put(*next, session); };
  }
  outcome.rows = context.session.LoadRelation(step.table, stage, options).rows;
  auto* scannable = dynamic_cast<DuckDbScannable*>(&connector);
  outcome.bytes = scannable != nullptr && scannable->RelationBytes() > 0
                      ? scannable->RelationBytes()
                      : connector.performance_metrics().bytes_transferred;
  FinishMetrics(&*outcome.connector, started, context.clock, outcome.rows, outcome.bytes);
  return outcome;
}

}  // namespace sqlflow::runner::internal
