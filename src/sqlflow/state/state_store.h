#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sqlflow/common/clock.h"
#include "sqlflow/engine/engine.h"

#include <nlohmann/json.hpp>

/// Incremental state and run history (issue 4): watermarks that advance only in the
/// transaction that commits the rows they cover, and a record of every run and step.
///
/// Storage: tables in a DuckDB database reached through an engine Session — the engine's own
/// database in persistent mode (so a LOAD and its watermark commit together), or a DuckDB file
/// under target/ in memory mode (written when the run has succeeded), ATTACHed under a catalog
/// name. Table names all start with `sqlflow_` in schema `main`; EnsureSchema() creates them and
/// is idempotent.
namespace sqlflow::state {

/// What identifies a watermark.
struct WatermarkKey {
  std::string pipeline;
  std::string source;  ///< SOURCE name.
  std::string object;  ///< The object read ("" = the connector's default: file, table).
  std::string cursor_field;

  bool operator==(const WatermarkKey&) const = default;
};

/// A stored watermark: the largest cursor value loaded, kept exactly as DuckDB renders it
/// (CAST(value AS VARCHAR)) with its DuckDB type, so `CAST(value AS type)` gives it back with
/// full precision (timestamps to the microsecond with their zone, integers exactly, strings
/// byte for byte). `boundary` holds the identities (primary key values joined, or a row hash)
/// of the rows loaded whose cursor equals `value`, so a later run can re-read the boundary
/// value (cursor >= value) and drop exactly those rows.
struct Watermark {
  WatermarkKey key;
  std::string value;                  ///< CAST(max cursor AS VARCHAR).
  std::string type;                   ///< DuckDB type name: "TIMESTAMP WITH TIME ZONE", "BIGINT".
  std::vector<std::string> boundary;  ///< Identities of the rows at `value`, sorted, unique.
  std::string updated_at;             ///< ISO-8601 UTC.
  std::string run_id;                 ///< The run that stored it.

  /// The value as a SQL expression of its type: CAST('...' AS TYPE).
  std::string SqlLiteral() const;
  nlohmann::json ToJson() const;
};

/// One row of run history (a run or one of its steps).
struct StepRecord {
  std::string run_id;
  std::string step_id;
  std::string status;  ///< success | failed | interrupted | skipped
  int64_t rows = 0;
  int64_t bytes = 0;
  std::string started_at;
  std::string finished_at;
  std::string error;
};

struct RunRecord {
  std::string run_id;
  std::string pipeline;
  std::string profile;
  std::string status;  ///< success | failed | interrupted | running
  std::string started_at;
  std::string finished_at;
  std::string error;
  std::vector<StepRecord> steps;

  nlohmann::json ToJson() const;
};

/// Reads and writes state through one engine Session. Not thread-safe: one per thread.
/// Every write runs in the session's current transaction when one is open (so a LOAD's
/// before_commit hook stores the watermark atomically with the rows), else in its own.
class StateStore {
 public:
  /// `clock` stamps the times a caller leaves empty (updated_at, a run's started_at and
  /// finished_at); tests pass a FakeClock. `catalog` names the database that holds the tables:
  /// "" is the session's default database (`"main"."sqlflow_runs"`), an ATTACHed database's
  /// name puts them there (`"sqlflow_state"."main"."sqlflow_runs"`).
  explicit StateStore(engine::Session& session,
                      std::shared_ptr<Clock> clock = SystemClock::Instance(),
                      std::string catalog = "");

  /// Create the state tables when missing.
  void EnsureSchema();
  /// Whether every state table exists (a database no run has recorded state in has none).
  bool HasSchema();

  std::optional<Watermark> GetWatermark(const WatermarkKey& key);
  /// Insert or replace the watermark of `watermark.key`. Throws IncrementalError when the key
  /// lacks pipeline, source or cursor_field, or `value` does not read back exactly through
  /// CAST(value AS type) (precision would be lost).
  void PutWatermark(const Watermark& watermark);
  /// Every watermark, optionally of one pipeline, ordered by pipeline, source.
  std::vector<Watermark> ListWatermarks(const std::string& pipeline = "");
  /// Delete the watermarks of `pipeline` (of one SOURCE when `source` is not empty); returns
  /// how many were deleted. The next run of what was reset is a full refresh.
  int64_t ResetWatermarks(const std::string& pipeline, const std::string& source = "");

  /// Record a run as it starts (status "running" when left empty) and as it ends (with its
  /// steps): each inserts or replaces the run's row and replaces its steps, atomically.
  void RecordRunStart(const RunRecord& run);
  void RecordRunEnd(const RunRecord& run);
  /// Runs, newest first (by started_at, then run_id), optionally of one pipeline, at most
  /// `limit` (<= 0: all); steps included in the order recorded.
  std::vector<RunRecord> History(const std::string& pipeline = "", int64_t limit = 20);

 private:
  /// Return the quoted name of `table` in the store's catalog.
  std::string Table(const char* table) const;

  engine::Session& session_;
  std::shared_ptr<Clock> clock_;
  std::string catalog_;
};

}  // namespace sqlflow::state
