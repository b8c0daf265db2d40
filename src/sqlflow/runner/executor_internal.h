#pragma once

#include <cstdint>
#include <functional>

#include "sqlflow/connectors/registry.h"
#include "sqlflow/engine/engine.h"
#include "sqlflow/runner/plan.h"

/// The work of each step kind, private to runner/ (executor_steps.cc).
namespace sqlflow::runner::internal {

struct StepContext {
  const Plan& plan;
  const ConnectorRegistry& registry;
  engine::Session& session;
  int64_t batch_size;
  std::function<void(int64_t rows)> progress;  ///< Rows so far (LOADs).
};

struct StepOutcome {
  int64_t rows = 0;
  int64_t bytes = 0;
};

/// Run one step on `context.session`; throws the step's error.
StepOutcome RunStepOn(const Step& step, StepContext& context);

/// The window of an incremental transform as ISO timestamps ("2026-01-02T00:00:00.000000"):
/// (stored watermark - lookback, max of the column in the tables the step reads]. The first
/// run (no table or no rows yet) starts at "0001-01-01T00:00:00"; when no input has the
/// column the window ends now.
std::pair<std::string, std::string> IncrementalWindow(const Step& step, engine::Session& session);

}  // namespace sqlflow::runner::internal
