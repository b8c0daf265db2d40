#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "sqlflow/common/clock.h"
#include "sqlflow/engine/engine.h"
#include "sqlflow/state/state_store.h"

/// The state of one pipeline run: where its watermarks are read from, when they are written,
/// and where its history goes. Two homes, one contract (docs/incremental.md):
///
/// - Engine mode (a persistent engine): the state tables live in the engine's own database.
///   Put() writes on the step's session inside the LOAD's transaction, so the watermark
///   commits with the rows or not at all.
/// - File mode (an in-memory engine, whose tables vanish with the process): the state tables
///   live in their own DuckDB file (target/state.duckdb), ATTACHed to the engine's database
///   only while it is read (when the state is opened) and written (Finish; the writes stay in
///   the file's WAL, synced at COMMIT, until it passes 64 KiB). Put() only holds
///   the watermark; Finish() writes the held watermarks when the run succeeded, in the same
///   transaction as the run's history, so a failed or killed run leaves them unchanged.
namespace sqlflow::state {

/// The file of the state of an in-memory engine, relative to the project directory.
inline constexpr const char* kStateFile = "target/state.duckdb";

class RunState {
 public:
  virtual ~RunState() = default;

  /// The stored watermark of `key` (as of the start of the run, plus what this run's
  /// committed steps stored), read through `session`, the calling step's own session.
  /// Thread-safe across steps that each pass their own session.
  virtual std::optional<Watermark> Get(const WatermarkKey& key, engine::Session& session) = 0;
  /// Make `watermark` advance with the rows of the step that loaded them. Engine mode: writes
  /// it on `session`, which must be inside the load's transaction (call it from
  /// LoadOptions::before_commit). File mode: checks it on `session` (it must read back
  /// exactly; StateStore::PutWatermark's rules) and holds it for Finish(). Throws
  /// IncrementalError when the watermark is not valid; thread-safe as Get().
  virtual void Put(const Watermark& watermark, engine::Session& session) = 0;
  /// Record that `run` started (status "running"). Engine mode writes it at once (a killed
  /// run stays "running" in history); file mode writes nothing until Finish().
  virtual void Start(const RunRecord& run) = 0;
  /// Record the run's end with its steps; in file mode, also write the held watermarks when
  /// run.status is "success", atomically with the history. Throws when the state cannot be
  /// written (the caller reports the run as failed: nothing it held was stored).
  virtual void Finish(const RunRecord& run) = 0;
};

/// Engine mode: state in the database of `engine` (a persistent engine). The state tables are
/// created now, when missing. `engine` must outlive the result.
std::unique_ptr<RunState> OpenEngineRunState(
    engine::Engine& engine, std::shared_ptr<Clock> clock = SystemClock::Instance());

/// File mode: state in the DuckDB file `path` (its directory is created when writing), ATTACHed
/// to `engine`'s database (a DuckDB engine) while it is read and written. The watermarks of
/// `pipeline` are read once, by the first Get() (a run without incremental steps never reads
/// them); a missing file means no state yet (nothing is created until Finish). Throws
/// StateError-like errors (sqlflow::Error with the path and DuckDB's reason, e.g. the file is
/// locked by another process). `engine` must outlive the result.
std::unique_ptr<RunState> OpenFileRunState(engine::Engine& engine, std::filesystem::path path,
                                           std::string pipeline,
                                           std::shared_ptr<Clock> clock = SystemClock::Instance());

}  // namespace sqlflow::state
