#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sqlflow/common/clock.h"
#include "sqlflow/connectors/registry.h"
#include "sqlflow/engine/engine.h"
#include "sqlflow/resilience/metrics.h"
#include "sqlflow/runner/plan.h"
#include "sqlflow/state/run_state.h"

#include <nlohmann/json.hpp>

namespace sqlflow::runner {

/// kInterrupted: the step was running when the run was interrupted (Ctrl-C); its writes were
/// rolled back like a failure's.
enum class StepStatus { kPending, kRunning, kSuccess, kFailed, kInterrupted, kSkipped };
const char* StepStatusName(StepStatus status);  ///< "pending", "running", "success", ...

/// The performance of the connector a LOAD read from or an EXPORT wrote to.
struct ConnectorMetrics {
  std::string connector;  ///< SOURCE name (load) or destination as written (export).
  std::string type;       ///< Registered type: "CSV".
  std::string role;       ///< "source" | "destination"
  /// connection_time_ms: opening the source or destination (files checked, server reached);
  /// query_time_ms: reading or writing; rows_per_second over query_time_ms;
  /// bytes_transferred: bytes read or written when known, else 0.
  PerformanceMetrics metrics;
};

struct StepResult {
  std::string id;
  StepKind kind = StepKind::kLoad;
  std::string description;  ///< Step::Describe()
  StepStatus status = StepStatus::kPending;
  int64_t rows = 0;
  int64_t bytes = 0;  ///< Bytes read or written when known, else 0.
  double seconds = 0;
  std::string started_at;  ///< ISO-8601 UTC
  std::string finished_at;
  std::string error;  ///< Failed steps: the error message (never a secret).
  /// Things the user should know that did not fail the step ("3 rows of orders_src have a
  /// NULL cursor 'updated_at' and were skipped"); also logged as warnings.
  std::vector<std::string> warnings;
  /// LOAD and EXPORT steps that reached their connector.
  std::optional<ConnectorMetrics> connector;

  double RowsPerSecond() const { return seconds > 0 ? rows / seconds : 0; }
};

struct RunResult {
  std::string run_id;  ///< "20261121T101500Z-3f9a2c" (UTC time + random suffix)
  std::string pipeline;
  std::string profile;
  bool success = false;
  bool interrupted = false;
  std::string started_at;
  std::string finished_at;
  double seconds = 0;
  std::vector<StepResult> steps;  ///< Every step of the plan, in plan order.
  std::string error;              ///< The first failure.
  std::string report_path;        ///< target/runs/<run-id>.json
  /// The resilience events of the run's connectors (retries, breaker states, limiter waits,
  /// recovery attempts); never null after Executor::Run.
  std::shared_ptr<resilience::ResilienceMetrics> resilience;

  /// The run report: {"run_id", "pipeline", "profile", "status" ("success"|"failed"|
  /// "interrupted"), "started_at", "finished_at", "seconds", "error",
  /// "steps": [{"id", "kind", "description", "status", "rows", "bytes", "seconds",
  ///            "rows_per_second", "started_at", "finished_at", "error", "warnings",
  ///            "connector": {"name", "type", "role", "connection_time_ms", "query_time_ms",
  ///                          "rows_per_second", "bytes_transferred"} (LOAD/EXPORT only)}]}
  nlohmann::json ToJson() const;
};

/// What the executor tells its caller while it runs (from worker threads, serialised).
struct StepEvent {
  enum class Type { kStarted, kProgress, kFinished } type = Type::kStarted;
  const StepResult* step = nullptr;  ///< Valid during the callback only.
  double fraction = -1;              ///< kProgress: [0, 1] or -1 when unknown.
};

struct ExecutorOptions {
  /// Steps whose dependencies are done run at the same time, at most this many (>= 1): in
  /// practice independent LOADs overlap (each on its own engine session), and a transform
  /// can run while an unrelated LOAD is still reading.
  int max_parallel_steps = 2;
  /// Called on step start, progress (a few times a second for long steps) and end.
  std::function<void(const StepEvent&)> on_event;
  /// Where target/runs/<run-id>.json goes (the project directory); empty = no report.
  std::filesystem::path project_dir;
  std::shared_ptr<Clock> clock = SystemClock::Instance();
  int64_t batch_size = 10000;  ///< Rows per chunk between connectors and the engine.
  /// Where watermarks are read and stored and the run is recorded (state/run_state.h); null =
  /// no state: incremental sources and transforms are read in full and nothing is recorded.
  state::RunState* state = nullptr;
  /// How often running steps are polled for progress (and re-interrupted after Interrupt()).
  std::chrono::milliseconds progress_interval{250};
};

/// Runs a plan's steps in dependency order on an engine: LOADs read their source through the
/// connector (pushed down to the engine when the source is a file DuckDB reads itself),
/// transforms run in the engine, EXPORTs write through the destination connector (COPY on
/// the engine's connection for file destinations). Stops at the first failed step: steps
/// already running finish (or are interrupted), the rest are skipped.
class Executor {
 public:
  Executor(const Plan& plan, engine::Engine& engine, const ConnectorRegistry& registry,
           ExecutorOptions options);
  ~Executor();

  /// Run every step. Never throws for a step failure (it is in the result); writes the run
  /// report when project_dir is set.
  RunResult Run();
  /// Interrupt the run from any thread (Ctrl-C): running statements are interrupted, no new
  /// step starts, and the result says interrupted.
  void Interrupt();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sqlflow::runner
