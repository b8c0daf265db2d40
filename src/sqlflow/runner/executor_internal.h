#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sqlflow/connectors/registry.h"
#include "sqlflow/engine/engine.h"
#include "sqlflow/runner/executor.h"
#include "sqlflow/runner/plan.h"
#include "sqlflow/state/run_state.h"

/// The work of each step kind, private to runner/ (executor_steps.cc).
namespace sqlflow::runner::internal {

struct StepContext {
  const Plan& plan;
  const ConnectorRegistry& registry;
  engine::Session& session;
  int64_t batch_size;
  std::function<void(int64_t rows)> progress;  ///< Rows so far (LOADs).
  Clock& clock;
  state::RunState* state = nullptr;  ///< Watermarks; null = incremental reads are full reads.
  std::string run_id;
  std::filesystem::path project_dir;  ///< Watermark objects are file paths relative to it.
  /// Where the step's connectors count their resilience events (the run's registry).
  std::shared_ptr<resilience::ResilienceMetrics> resilience_metrics;
};

struct StepOutcome {
  int64_t rows = 0;
  int64_t bytes = 0;
  std::vector<std::string> warnings;
  std::optional<ConnectorMetrics> connector;
};

/// Runs a function when the scope ends.
class ScopeExit {
 public:
  explicit ScopeExit(std::function<void()> fn) : fn_(std::move(fn)) {}
  ~ScopeExit() { fn_(); }
  ScopeExit(const ScopeExit&) = delete;
  ScopeExit& operator=(const ScopeExit&) = delete;

 private:
  std::function<void()> fn_;
};

/// Fill the timing fields of `metrics` for work that took from `started` to now (its
/// connection_time_ms already set: the query time is the rest).
void FinishMetrics(ConnectorMetrics* metrics, Clock::TimePoint started, const Clock& clock,
                   int64_t rows, int64_t bytes);

/// The engine's load options of a LOAD or transform step (mode, keys, schema evolution,
/// progress).
engine::LoadOptions LoadOptionsOf(const Step& step, const StepContext& context);

/// The LOAD of a SOURCE with sync_mode incremental (incremental_load.cc): reads past the
/// stored watermark and advances it with the rows, in one transaction.
StepOutcome RunIncrementalLoad(const Step& step, StepContext& context, SourceConnector& connector);

/// Run one step on `context.session`; throws the step's error.
StepOutcome RunStepOn(const Step& step, StepContext& context);

/// The window of an incremental transform as ISO timestamps ("2026-01-02T00:00:00.000000"):
/// (stored watermark - lookback, max of the column in the tables the step reads]. The stored
/// watermark is the window end of the last successful run (context.state), or without a state
/// store the max of the column in the step's table. The first run starts at
/// "0001-01-01T00:00:00". The end is "" when no input has a row (the caller ends the window
/// now and stores no watermark).
std::pair<std::string, std::string> IncrementalWindow(const Step& step, StepContext& context);

}  // namespace sqlflow::runner::internal
