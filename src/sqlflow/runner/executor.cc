#include "sqlflow/runner/executor.h"

#include <condition_variable>
#include <mutex>
#include <random>
#include <thread>

#include <fmt/format.h>

#include "sqlflow/common/error.h"
#include "sqlflow/common/files.h"
#include "sqlflow/common/log.h"
#include "sqlflow/common/strings.h"
#include "sqlflow/runner/executor_internal.h"

using sqlflow::runner::internal::RunStepOn;
using sqlflow::runner::internal::ScopeExit;
using sqlflow::runner::internal::StepContext;
using sqlflow::runner::internal::StepOutcome;

namespace sqlflow::runner {

const char* StepStatusName(StepStatus status) {
  switch (status) {
    case StepStatus::kPending:
      return "pending";
    case StepStatus::kRunning:
      return "running";
    case StepStatus::kSuccess:
      return "success";
    case StepStatus::kFailed:
      return "failed";
    case StepStatus::kInterrupted:
      return "interrupted";
    case StepStatus::kSkipped:
      return "skipped";
  }
  return "unknown";
}

namespace {

const char* RunStatus(const RunResult& run) {
  return run.success ? "success" : run.interrupted ? "interrupted" : "failed";
}

}  // namespace

nlohmann::json RunResult::ToJson() const {
  nlohmann::json steps_json = nlohmann::json::array();
  for (const StepResult& s : steps) {
    nlohmann::json connector_json;
    if (s.connector) {
      const PerformanceMetrics& m = s.connector->metrics;
      connector_json = {{"name", s.connector->connector},
                        {"type", s.connector->type},
                        {"role", s.connector->role},
                        {"connection_time_ms", m.connection_time_ms},
                        {"query_time_ms", m.query_time_ms},
                        {"rows_per_second", m.rows_per_second},
                        {"bytes_transferred", m.bytes_transferred}};
    }
    steps_json.push_back({{"id", s.id},
                          {"kind", StepKindName(s.kind)},
                          {"description", s.description},
                          {"status", StepStatusName(s.status)},
                          {"rows", s.rows},
                          {"bytes", s.bytes},
                          {"seconds", s.seconds},
                          {"rows_per_second", s.RowsPerSecond()},
                          {"started_at", s.started_at},
                          {"finished_at", s.finished_at},
                          {"error", s.error.empty() ? nlohmann::json() : nlohmann::json(s.error)},
                          {"warnings", s.warnings},
                          {"connector", std::move(connector_json)}});
  }
  return {{"run_id", run_id},
          {"pipeline", pipeline},
          {"profile", profile},
          {"status", RunStatus(*this)},
          {"started_at", started_at},
          {"finished_at", finished_at},
          {"seconds", seconds},
          {"error", error.empty() ? nlohmann::json() : nlohmann::json(error)},
          {"steps", std::move(steps_json)}};
}

namespace {

/// "20261121T101500Z-3f9a2c": sortable by time, unique across runs started the same second.
std::string NewRunId(const Clock& clock) {
  std::string iso = FormatIso8601Utc(clock.WallNow());  // 2026-11-21T10:15:00.123Z
  std::string compact;
  for (char c : iso.substr(0, 19)) {
    if (c != '-' && c != ':') compact += c;
  }
  std::random_device rd;
  return fmt::format("{}Z-{:06x}", compact, rd() & 0xffffff);
}

state::RunRecord RecordOf(const RunResult& run, bool finished) {
  state::RunRecord record;
  record.run_id = run.run_id;
  record.pipeline = run.pipeline;
  record.profile = run.profile;
  record.started_at = run.started_at;
  if (!finished) return record;
  record.status = RunStatus(run);
  record.finished_at = run.finished_at;
  record.error = run.error;
  for (const StepResult& step : run.steps) {
    record.steps.push_back({run.run_id, step.id, StepStatusName(step.status), step.rows, step.bytes,
                            step.started_at, step.finished_at, step.error});
  }
  return record;
}

}  // namespace

struct Executor::Impl {
  // Sized here, before any thread exists: Interrupt() may run (under mu) as soon as the
  // executor does, even before Run().
  Impl(const Plan& p, engine::Engine& e, const ConnectorRegistry& r, ExecutorOptions o)
      : plan(p),
        engine(e),
        registry(r),
        options(std::move(o)),
        results(p.steps.size()),
        sessions(p.steps.size(), nullptr),
        starts(p.steps.size()) {
    for (size_t i = 0; i < plan.steps.size(); ++i) {
      results[i].id = plan.steps[i].id;
      results[i].kind = plan.steps[i].kind;
      results[i].description = plan.steps[i].Describe();
    }
  }

  RunResult Run();
  /// Start every step whose dependencies succeeded, up to the parallelism limit. Holds mu.
  void StartReadySteps(std::vector<std::thread>* threads);
  bool DepsSucceeded(const Step& step) const;
  void RunStep(size_t index);
  void Emit(StepEvent::Type type, size_t index, double fraction = -1);
  /// Record the run's end in the state store; a failure to do so fails the run (file mode:
  /// its watermarks were not stored, so the next run reads the same rows again).
  void FinishState(RunResult* run);
  void EmitProgress();

  const Plan& plan;
  engine::Engine& engine;
  const ConnectorRegistry& registry;
  ExecutorOptions options;

  std::mutex mu;
  std::condition_variable cv;
  std::mutex event_mu;
  std::vector<StepResult> results;
  std::vector<engine::Session*> sessions;  ///< Per step, while it runs.
  std::vector<Clock::TimePoint> starts;
  int running = 0;
  bool stop = false;  ///< A step failed or the run was interrupted: start nothing new.
  std::atomic<bool> interrupted{false};
  std::string first_error;
  std::string run_id;
  std::shared_ptr<resilience::ResilienceMetrics> resilience_metrics =
      std::make_shared<resilience::ResilienceMetrics>();
  bool recorded = false;  ///< The state store has the run's start.
};

Executor::Executor(const Plan& plan, engine::Engine& engine, const ConnectorRegistry& registry,
                   ExecutorOptions options)
    : impl_(std::make_unique<Impl>(plan, engine, registry, std::move(options))) {}

Executor::~Executor() = default;

RunResult Executor::Run() { return impl_->Run(); }

void Executor::Interrupt() {
  impl_->interrupted = true;
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->stop = true;
  for (engine::Session* session : impl_->sessions) {
    if (session != nullptr) session->Interrupt();
  }
  impl_->cv.notify_all();
}

void Executor::Impl::Emit(StepEvent::Type type, size_t index, double fraction) {
  if (!options.on_event) return;
  StepResult snapshot;
  {
    std::lock_guard<std::mutex> lock(mu);
    snapshot = results[index];
  }
  std::lock_guard<std::mutex> lock(event_mu);
  StepEvent event;
  event.type = type;
  event.step = &snapshot;
  event.fraction = fraction;
  options.on_event(event);
}

void Executor::Impl::EmitProgress() {
  std::vector<std::pair<size_t, double>> progress;
  {
    std::lock_guard<std::mutex> lock(mu);
    for (size_t i = 0; i < sessions.size(); ++i) {
      if (sessions[i] != nullptr && results[i].status == StepStatus::kRunning) {
        results[i].seconds = MillisBetween(starts[i], options.clock->Now()) / 1000.0;
        progress.emplace_back(i, sessions[i]->Progress());
      }
    }
  }
  for (const auto& [i, fraction] : progress) Emit(StepEvent::Type::kProgress, i, fraction);
}

void Executor::Impl::FinishState(RunResult* run) {
  if (!recorded) return;
  try {
    options.state->Finish(RecordOf(*run, true));
  } catch (const std::exception& e) {
    std::string message =
        fmt::format("the run could not be recorded in the state store: {}", e.what());
    log::Error("{}", message);
    if (run->success) {
      run->success = false;
      run->error = message;
    }
  }
}

bool Executor::Impl::DepsSucceeded(const Step& step) const {
  for (const std::string& dep : step.depends_on) {
    for (size_t j = 0; j < plan.steps.size(); ++j) {
      if (plan.steps[j].id == dep && results[j].status != StepStatus::kSuccess) return false;
    }
  }
  return true;
}

void Executor::Impl::StartReadySteps(std::vector<std::thread>* threads) {
  int limit = std::max(1, options.max_parallel_steps);
  for (size_t i = 0; i < plan.steps.size() && !stop && running < limit; ++i) {
    if (results[i].status != StepStatus::kPending || !DepsSucceeded(plan.steps[i])) continue;
    results[i].status = StepStatus::kRunning;
    results[i].started_at = FormatIso8601Utc(options.clock->WallNow());
    starts[i] = options.clock->Now();
    ++running;
    threads->emplace_back([this, i] { RunStep(i); });
  }
}

RunResult Executor::Impl::Run() {
  RunResult run;
  run.run_id = NewRunId(*options.clock);
  run.resilience = resilience_metrics;
  run.pipeline = plan.pipeline;
  run.profile = plan.profile;
  run.started_at = FormatIso8601Utc(options.clock->WallNow());
  Clock::TimePoint run_start = options.clock->Now();
  run_id = run.run_id;
  if (options.state != nullptr) {
    try {
      options.state->Start(RecordOf(run, false));
      recorded = true;
    } catch (const std::exception& e) {
      // Nothing runs when the run cannot be recorded: its watermarks could not be either.
      stop = true;
      first_error = fmt::format("cannot record the run in the state store: {}", e.what());
    }
  }
  std::vector<std::thread> threads;
  {
    std::unique_lock<std::mutex> lock(mu);
    while (true) {
      StartReadySteps(&threads);
      if (running == 0) break;
      cv.wait_for(lock, options.progress_interval);
      // DuckDB drops an interrupt that arrives between two statements of a step (the next
      // statement clears it), so keep interrupting until every running step has stopped
      // (pinned by InterruptCliTest).
      if (interrupted) {
        for (engine::Session* session : sessions) {
          if (session != nullptr) session->Interrupt();
        }
      }
      lock.unlock();
      EmitProgress();
      lock.lock();
    }
  }
  for (std::thread& t : threads) t.join();
  for (StepResult& r : results) {
    if (r.status == StepStatus::kPending) r.status = StepStatus::kSkipped;
  }
  run.steps = results;
  run.interrupted = interrupted;
  run.error = interrupted && first_error.empty() ? "interrupted" : first_error;
  run.success = !interrupted && first_error.empty();
  run.finished_at = FormatIso8601Utc(options.clock->WallNow());
  FinishState(&run);
  run.seconds = MillisBetween(run_start, options.clock->Now()) / 1000.0;
  if (!options.project_dir.empty()) {
    std::filesystem::path report = options.project_dir / "target" / "runs" / (run.run_id + ".json");
    try {
      std::filesystem::create_directories(report.parent_path());
      WriteFileAtomically(report, run.ToJson().dump(2) + "\n");
      run.report_path = report.string();
    } catch (const std::exception& e) {
      log::Warning("could not write the run report {}: {}", report.string(), e.what());
    }
  }
  return run;
}

void Executor::Impl::RunStep(size_t index) {
  const Step& step = plan.steps[index];
  log::Debug("step {} started: {}", step.id, results[index].description);
  Emit(StepEvent::Type::kStarted, index);
  StepOutcome outcome;
  std::string error;
  bool was_interrupted = false;
  try {
    std::unique_ptr<engine::Session> session = engine.Connect();
    // Registered while it lives: the progress poller and Interrupt() use it under `mu`, so it
    // must be unregistered before it is destroyed (the guard is destroyed first).
    {
      std::lock_guard<std::mutex> lock(mu);
      sessions[index] = session.get();
    }
    ScopeExit unregister([this, index] {
      std::lock_guard<std::mutex> lock(mu);
      sessions[index] = nullptr;
    });
    if (interrupted) throw InterruptedError();
    if (!options.project_dir.empty()) {
      // Files named in SQL ('data/x.csv', read_parquet('data/*.parquet')) are relative to
      // the project, like the paths of connector parameters, whatever the working directory.
      session->Execute("SET file_search_path = " +
                       QuoteLiteral(options.project_dir.lexically_normal().string()));
    }
    auto progress = [this, index](int64_t rows) {
      std::lock_guard<std::mutex> lock(mu);
      results[index].rows = rows;
    };
    StepContext context{
        plan,           registry,      *session, options.batch_size,  progress,
        *options.clock, options.state, run_id,   options.project_dir, resilience_metrics};
    outcome = RunStepOn(step, context);
  } catch (const InterruptedError&) {
    was_interrupted = true;
    error = "interrupted";
  } catch (const std::exception& e) {
    was_interrupted = interrupted;
    error = interrupted ? "interrupted" : e.what();
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    StepResult& r = results[index];
    r.finished_at = FormatIso8601Utc(options.clock->WallNow());
    r.seconds = MillisBetween(starts[index], options.clock->Now()) / 1000.0;
    if (error.empty()) {
      r.status = StepStatus::kSuccess;
      r.rows = outcome.rows;
      r.bytes = outcome.bytes;
      r.warnings = std::move(outcome.warnings);
      r.connector = std::move(outcome.connector);
    } else {
      r.status = was_interrupted ? StepStatus::kInterrupted : StepStatus::kFailed;
      r.error = error;
      r.rows = 0;  // the rows counted while it ran were rolled back with it
      stop = true;
      if (!was_interrupted && first_error.empty()) {
        first_error = fmt::format("step {} failed: {}", step.id, error);
      }
    }
    --running;
  }
  Emit(StepEvent::Type::kFinished, index);
  cv.notify_all();
}

}  // namespace sqlflow::runner
