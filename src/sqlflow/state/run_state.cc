// The state of a pipeline run: in the engine's own database (engine mode), or in a DuckDB file
// ATTACHed while it is read and written (file mode).

#include "sqlflow/state/run_state.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "sqlflow/common/error.h"
#include "sqlflow/common/strings.h"
#include "sqlflow/state/state_store.h"
#include "sqlflow/state/state_store_internal.h"

namespace sqlflow::state {

namespace {

constexpr const char* kConnector = "state";
/// The name the state file is ATTACHed under while it is read or written.
constexpr const char* kFileCatalog = "sqlflow_state";

/// Engine mode: every call goes straight to a StateStore on the engine's database.
class EngineRunState final : public RunState {
 public:
  /// `session` is the run's own (the state tables already exist): it records the history, so
  /// that a step's session is never used outside its step.
  EngineRunState(std::unique_ptr<engine::Session> session, std::shared_ptr<Clock> clock)
      : session_(std::move(session)), clock_(std::move(clock)) {}

  std::optional<Watermark> Get(const WatermarkKey& key, engine::Session& session) override {
    return StateStore(session, clock_).GetWatermark(key);
  }

  void Put(const Watermark& watermark, engine::Session& session) override {
    StateStore(session, clock_).PutWatermark(watermark);
  }

  void Start(const RunRecord& run) override {
    std::lock_guard<std::mutex> lock(mu_);
    StateStore(*session_, clock_).RecordRunStart(run);
  }

  void Finish(const RunRecord& run) override {
    std::lock_guard<std::mutex> lock(mu_);
    StateStore(*session_, clock_).RecordRunEnd(run);
  }

 private:
  std::mutex mu_;  ///< Guards session_.
  std::unique_ptr<engine::Session> session_;
  const std::shared_ptr<Clock> clock_;
};

/// Throw the QueryError of a failed `operation` ("read", "write") on the state file `path`:
/// its path, a hint when another process holds its lock, and DuckDB's reason.
[[noreturn]] void ThrowFileError(const char* operation, const std::filesystem::path& path,
                                 const Error& cause) {
  std::string hint;
  if (cause.message().find("Could not set lock on file") != std::string::npos) {
    hint =
        " (it is locked by another process: another sqlflow run or DuckDB client has it "
        "open; wait for it to finish or stop it)";
  }
  throw QueryError(kConnector, operation,
                   fmt::format("cannot {} the state file '{}'{}: {}", operation, path.string(),
                               hint, cause.message()));
}

/// WAL size past which a write checkpoints the state file (folds the WAL into it), so the
/// WAL that every ATTACH replays stays small: a checkpoint every twenty-odd runs.
constexpr std::uintmax_t kCheckpointWalBytes = 64 * 1024;

/// Checkpoint the attached state file when its WAL has grown past kCheckpointWalBytes.
void MaybeCheckpoint(engine::Session& session, const std::filesystem::path& path) {
  std::error_code error;
  std::uintmax_t wal = std::filesystem::file_size(path.string() + ".wal", error);
  if (error || wal < kCheckpointWalBytes) return;
  session.Execute("CHECKPOINT " + QuoteIdentifier(kFileCatalog));
}

/// Attach the state file `path` to the database of `session` as kFileCatalog, run `body`, and
/// detach it, also when `body` throws. Errors name the file (ThrowFileError of `operation`).
void WithAttachedFile(engine::Session& session, const std::filesystem::path& path, bool read_only,
                      const char* operation, const std::function<void()>& body) {
  try {
    // A DETACH does not checkpoint: the committed writes stay in the file's WAL (synced at
    // COMMIT) and the next ATTACH replays them. Checkpointing at every DETACH cost 20-27 ms
    // per run, half a trivial pipeline's run time (docs/BENCHMARKS.md); MaybeCheckpoint
    // bounds the WAL instead. The setting is the engine's; an in-memory engine has no WAL.
    session.Execute("PRAGMA disable_checkpoint_on_shutdown");
    session.Execute(fmt::format("ATTACH {} AS {}{}", QuoteLiteral(path.string()),
                                QuoteIdentifier(kFileCatalog), read_only ? " (READ_ONLY)" : ""));
  } catch (const Error& e) {
    ThrowFileError(operation, path, e);
  }
  // A DETACH that fails is ignored: the first error, or what was read or committed, is what
  // matters, and the file then stays attached only until the engine closes.
  auto detach = [&session]() noexcept {
    try {
      session.Execute("DETACH " + QuoteIdentifier(kFileCatalog));
    } catch (...) {
      // See above.
    }
  };
  try {
    body();
  } catch (const Error& e) {
    detach();
    ThrowFileError(operation, path, e);
  } catch (...) {
    detach();
    throw;
  }
  detach();
}

/// Return whether the attached state file has the watermarks table (an empty file, or one whose
/// first write was rolled back, has none).
bool HasWatermarksTable(engine::Session& session) {
  return session.QueryScalar(fmt::format(
             "SELECT count(*) FROM duckdb_tables() WHERE database_name = {} AND schema_name = "
             "'main' AND table_name = {}",
             QuoteLiteral(kFileCatalog), QuoteLiteral(internal::kWatermarksTable))) == "1";
}

/// Read the watermarks of `pipeline` from the state file `path`, or none when it is missing.
std::vector<Watermark> ReadFileWatermarks(engine::Session& session,
                                          const std::filesystem::path& path,
                                          const std::string& pipeline,
                                          const std::shared_ptr<Clock>& clock) {
  std::error_code error;
  // When it cannot be told (no permission), ATTACH fails and says why.
  if (!std::filesystem::exists(path, error) && !error) return {};
  std::vector<Watermark> stored;
  WithAttachedFile(session, path, /*read_only=*/true, "read", [&] {
    if (HasWatermarksTable(session)) {
      stored = StateStore(session, clock, kFileCatalog).ListWatermarks(pipeline);
    }
  });
  return stored;
}

/// Write `run`'s history and `watermarks` to the attached state file in one transaction.
void WriteAttached(engine::Session& session, const RunRecord& run,
                   const std::vector<Watermark>& watermarks, const std::shared_ptr<Clock>& clock) {
  internal::InOwnTransaction(session, [&] {
    StateStore store(session, clock, kFileCatalog);
    store.EnsureSchema();
    for (const Watermark& watermark : watermarks) store.PutWatermark(watermark);
    store.RecordRunEnd(run);
  });
}

/// Return the watermark of `key` in `watermarks` (const or not), or their end().
template <typename Watermarks>
auto FindWatermark(Watermarks& watermarks, const WatermarkKey& key) {
  return std::find_if(watermarks.begin(), watermarks.end(),
                      [&key](const Watermark& watermark) { return watermark.key == key; });
}

/// File mode: the watermarks read when opened, plus those Put by this run, in memory; the file
/// is written by Finish only.
class FileRunState final : public RunState {
 public:
  /// `session` is the run's own, used to write the file; `stored` are the watermarks read.
  FileRunState(std::unique_ptr<engine::Session> session, std::filesystem::path path,
               std::string pipeline, std::shared_ptr<Clock> clock)
      : session_(std::move(session)),
        path_(std::move(path)),
        pipeline_(std::move(pipeline)),
        clock_(std::move(clock)) {}

  std::optional<Watermark> Get(const WatermarkKey& key, engine::Session& /*session*/) override {
    std::lock_guard<std::mutex> lock(mu_);
    // Read on first use: a run without incremental steps never opens the file to read it.
    if (!stored_) stored_ = ReadFileWatermarks(*session_, path_, pipeline_, clock_);
    for (const std::vector<Watermark>* watermarks : {&held_, &*stored_}) {  // Newest first.
      auto found = FindWatermark(*watermarks, key);
      if (found != watermarks->end()) return *found;
    }
    return std::nullopt;
  }

  void Put(const Watermark& watermark, engine::Session& session) override {
    internal::CheckWatermark(session, watermark);
    Watermark stamped = watermark;
    stamped.updated_at = internal::OrNow(watermark.updated_at, *clock_);
    std::lock_guard<std::mutex> lock(mu_);
    auto found = FindWatermark(held_, watermark.key);
    if (found != held_.end()) {
      *found = std::move(stamped);
    } else {
      held_.push_back(std::move(stamped));
    }
  }

  void Start(const RunRecord& run) override {
    // Nothing is written until Finish; remember when the run started for its history.
    std::lock_guard<std::mutex> lock(mu_);
    started_run_id_ = run.run_id;
    started_at_ = internal::OrNow(run.started_at, *clock_);
  }

  void Finish(const RunRecord& run) override;

 private:
  /// Create the directory of the state file.
  void CreateDirectory() const;

  std::mutex mu_;  ///< Guards everything below it, and session_.
  std::unique_ptr<engine::Session> session_;
  const std::filesystem::path path_;
  const std::string pipeline_;
  const std::shared_ptr<Clock> clock_;
  std::optional<std::vector<Watermark>> stored_;  ///< As read by the first Get.
  std::vector<Watermark> held_;                   ///< Put by this run, one per key.
  std::string started_run_id_;                    ///< Of the last Start.
  std::string started_at_;
};

void FileRunState::CreateDirectory() const {
  std::filesystem::path parent = path_.parent_path();
  std::error_code error;
  if (!parent.empty()) std::filesystem::create_directories(parent, error);
  if (error) {
    throw QueryError(kConnector, "write",
                     fmt::format("cannot write the state file '{}': cannot create its directory "
                                 "'{}': {}",
                                 path_.string(), parent.string(), error.message()));
  }
}

void FileRunState::Finish(const RunRecord& run) {
  CreateDirectory();
  std::lock_guard<std::mutex> lock(mu_);
  RunRecord stamped = run;
  if (stamped.started_at.empty() && stamped.run_id == started_run_id_) {
    stamped.started_at = started_at_;
  }
  std::vector<Watermark> watermarks;
  if (run.status == "success") watermarks = held_;
  WithAttachedFile(*session_, path_, /*read_only=*/false, "write", [&] {
    WriteAttached(*session_, stamped, watermarks, clock_);
    MaybeCheckpoint(*session_, path_);
  });
}

}  // namespace

std::unique_ptr<RunState> OpenEngineRunState(engine::Engine& engine, std::shared_ptr<Clock> clock) {
  std::unique_ptr<engine::Session> session = engine.Connect();
  // Once, here: two steps' sessions running CREATE TABLE IF NOT EXISTS at the same time can
  // fail with a transaction conflict.
  StateStore(*session, clock).EnsureSchema();
  return std::make_unique<EngineRunState>(std::move(session), std::move(clock));
}

std::unique_ptr<RunState> OpenFileRunState(engine::Engine& engine, std::filesystem::path path,
                                           std::string pipeline, std::shared_ptr<Clock> clock) {
  return std::make_unique<FileRunState>(engine.Connect(), std::move(path), std::move(pipeline),
                                        std::move(clock));
}

}  // namespace sqlflow::state
