// `pipeline run`: the run itself, its progress lines, summary, state and metrics file.

#include <condition_variable>
#include <mutex>
#include <system_error>
#include <thread>

#include <fmt/format.h>

#include "sqlflow/cli/interrupt.h"
#include "sqlflow/cli/pipeline_command.h"
#include "sqlflow/cli/progress.h"
#include "sqlflow/cli/table.h"
#include "sqlflow/common/files.h"
#include "sqlflow/common/log.h"
#include "sqlflow/runner/metrics.h"

namespace sqlflow::cli {

namespace fs = std::filesystem;

namespace {

// Shows steps as they run: one line per finished step, numbered in the order steps finish
// (independent loads run at the same time); on a terminal the last step started is drawn in
// place until a step finishes. Events come from the executor's threads.
class StepReporter {
 public:
  StepReporter(const runner::Plan& plan, std::ostream& err, bool enabled, bool terminal)
      : err_(err), enabled_(enabled), terminal_(terminal), total_(plan.steps.size()) {}

  void OnEvent(const runner::StepEvent& event) {
    if (!enabled_ || event.step == nullptr) return;
    std::lock_guard<std::mutex> lock(mu_);
    const runner::StepResult& step = *event.step;
    if (event.type == runner::StepEvent::Type::kFinished) {
      if (drawn_) err_ << "\r\x1b[K";
      err_ << StepLineText(++finished_, total_, step) << "\n";
      drawn_ = false;
      std::erase_if(running_, [&step](const auto& r) { return r.first == step.id; });
      // Another step may still be running: show it again.
      if (!running_.empty()) Draw(running_.back().second, -1);
      err_ << std::flush;
      return;
    }
    if (event.type == runner::StepEvent::Type::kStarted) {
      running_.emplace_back(step.id, step.description);
    }
    Draw(step.description, event.type == runner::StepEvent::Type::kProgress ? event.fraction : -1);
    err_ << std::flush;
  }

  // Erase a line drawn in place, before the summary or an error is printed.
  void Clear() {
    std::lock_guard<std::mutex> lock(mu_);
    if (drawn_) err_ << "\r\x1b[K" << std::flush;
    drawn_ = false;
  }

 private:
  // On a terminal, draw the running step `description` in place ("... 45%" when known).
  void Draw(const std::string& description, double fraction) {
    if (!terminal_) return;
    std::string line = fmt::format("[{}/{}] {} ...", finished_ + 1, total_, description);
    if (fraction >= 0) line += fmt::format(" {:.0f}%", std::min(fraction, 1.0) * 100);
    err_ << "\r\x1b[K" << line;
    drawn_ = true;
  }

  std::ostream& err_;
  const bool enabled_;
  const bool terminal_;
  const size_t total_;
  std::mutex mu_;
  std::vector<std::pair<std::string, std::string>> running_;  // Step id, description.
  size_t finished_ = 0;
  bool drawn_ = false;
};

// Turns Ctrl-C (the flag of interrupt.h) into Executor::Interrupt() while a run is going on.
class InterruptWatcher {
 public:
  explicit InterruptWatcher(runner::Executor& executor)
      : thread_([this, &executor] { Watch(executor); }) {}
  ~InterruptWatcher() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }
  InterruptWatcher(const InterruptWatcher&) = delete;
  InterruptWatcher& operator=(const InterruptWatcher&) = delete;

 private:
  void Watch(runner::Executor& executor) {
    std::unique_lock<std::mutex> lock(mu_);
    while (!done_) {
      if (InterruptRequested()) {
        executor.Interrupt();
        return;
      }
      wake_.wait_for(lock, std::chrono::milliseconds(20));
    }
  }

  std::mutex mu_;
  std::condition_variable wake_;
  bool done_ = false;
  std::thread thread_;  // Last: starts once the members it uses exist.
};

// The profile's log_level applies unless --verbose or --quiet chose one.
void ApplyLogLevel(const pipeline::Profile& profile, const GlobalOptions& global) {
  if (global.verbose || global.quiet) return;
  log::Level level;
  if (log::ParseLevel(profile.log_level, &level)) log::SetLevel(level);
}

runner::RunResult Execute(const runner::Plan& plan, engine::Engine& engine, const Project& project,
                          state::RunState* run_state, const GlobalOptions& global,
                          const CliEnv& env) {
  StepReporter reporter(plan, env.err, !global.quiet, env.err_is_terminal);
  runner::ExecutorOptions options;
  options.on_event = [&reporter](const runner::StepEvent& event) { reporter.OnEvent(event); };
  options.project_dir = project.dir();
  options.clock = env.clock;
  options.state = run_state;
  runner::Executor executor(plan, engine, env.registry, std::move(options));
  runner::RunResult result;
  try {
    InterruptWatcher watcher(executor);
    result = executor.Run();
  } catch (...) {
    reporter.Clear();
    throw;
  }
  reporter.Clear();
  return result;
}

std::string FailureText(const runner::RunResult& result) {
  for (const runner::StepResult& step : result.steps) {
    if (step.status != runner::StepStatus::kFailed) continue;
    return fmt::format("error: step '{}' failed: {}\n", step.id,
                       step.error.empty() ? result.error : step.error);
  }
  return fmt::format("error: {}\n", result.error.empty() ? "the run failed" : result.error);
}

// Print the summary (or the JSON report) and the failure; `metrics` is the --metrics-file as
// given ("" = none).
ExitCode Report(const runner::RunResult& result, const Project& project, const ProjectFlags& flags,
                const std::string& metrics, const GlobalOptions& global, const CliEnv& env) {
  if (flags.json) {
    env.out << JsonOutput(result.ToJson());
  } else if (!global.quiet) {
    env.out << RunSummaryText(result);
    if (!result.report_path.empty()) {
      env.out << "Run report: " << project.Display(result.report_path) << "\n";
    }
    if (!metrics.empty()) env.out << "Metrics: " << metrics << "\n";
  }
  env.out.flush();
  if (result.interrupted || (!result.success && InterruptRequested())) {
    env.err << "interrupted\n";
    return ExitCode::kInterrupted;
  }
  if (!result.success) {
    env.err << FailureText(result);
    return ExitCode::kFailure;
  }
  return ExitCode::kSuccess;
}

// The --metrics-file path made absolute against the current directory, like --project-dir
// (every path given on the command line is). Its directory must exist: checked before the
// run, so a typo does not cost a run.
fs::path MetricsPath(const std::string& flag) {
  if (flag.empty()) return {};
  std::error_code ec;
  fs::path path = fs::absolute(flag, ec).lexically_normal();
  if (ec) throw InvalidInput(fmt::format("--metrics-file '{}': {}", flag, ec.message()));
  if (!path.has_filename() || fs::is_directory(path, ec)) {
    throw InvalidInput(fmt::format("--metrics-file '{}' is a directory; name a file", flag));
  }
  if (!fs::is_directory(path.parent_path(), ec)) {
    throw InvalidInput(fmt::format("--metrics-file '{}': directory '{}' does not exist", flag,
                                   path.parent_path().string()));
  }
  return path;
}

}  // namespace

std::string StepLineText(size_t position, size_t total, const runner::StepResult& step) {
  std::string head = fmt::format("[{}/{}] {} ...", position, total, step.description);
  switch (step.status) {
    case runner::StepStatus::kSuccess:
      return fmt::format("{} {} {} in {:.2f} s", head, FormatCount(step.rows),
                         step.rows == 1 ? "row" : "rows", step.seconds);
    case runner::StepStatus::kFailed:
      return fmt::format("{} failed after {:.2f} s", head, step.seconds);
    case runner::StepStatus::kInterrupted:
      return fmt::format("{} interrupted after {:.2f} s", head, step.seconds);
    default:
      return fmt::format("{} {}", head, runner::StepStatusName(step.status));
  }
}

std::string RunSummaryText(const runner::RunResult& result) {
  std::vector<std::vector<std::string>> rows = {{"STEP", "STATUS", "ROWS", "SECONDS", "ROWS/S"}};
  size_t succeeded = 0;
  for (const runner::StepResult& step : result.steps) {
    bool ran = step.status == runner::StepStatus::kSuccess ||
               step.status == runner::StepStatus::kFailed ||
               step.status == runner::StepStatus::kInterrupted;
    if (step.status == runner::StepStatus::kSuccess) ++succeeded;
    std::string rate = "-";
    if (step.status == runner::StepStatus::kSuccess && step.seconds > 0) {
      rate = FormatCount(static_cast<int64_t>(step.RowsPerSecond()));
    }
    rows.push_back({step.id, runner::StepStatusName(step.status),
                    ran ? FormatCount(step.rows) : "-",
                    ran ? fmt::format("{:.2f}", step.seconds) : "-", rate});
  }
  const char* outcome = result.interrupted ? "was interrupted"
                        : result.success   ? "succeeded"
                                           : "failed";
  return FormatTable(rows) +
         fmt::format("\nPipeline {} {} in {:.2f} s ({} of {} steps succeeded, profile {})\n",
                     result.pipeline, outcome, result.seconds, succeeded, result.steps.size(),
                     result.profile);
}

ExitCode RunPipeline(const ProjectFlags& flags, const std::string& name, const RunOptions& options,
                     const GlobalOptions& global, const CliEnv& env) {
  Project project = Project::Open(flags.project_dir);
  fs::path metrics_path = MetricsPath(options.metrics_file);
  std::map<std::string, std::string> cli_vars = ParseVarsFlag(flags.vars);
  pipeline::Profile profile = LoadResolvedProfile(project, flags, cli_vars, env);
  ApplyLogLevel(profile, global);
  PipelineFile file = project.FindPipeline(name);
  // Open the engine first: a persistent database may hold tables the pipeline reads, and
  // planning parses SQL on the engine instead of opening a second database.
  std::unique_ptr<engine::Engine> engine = project.OpenEngine(profile);
  engine::SqlAnalyzer analyzer(*engine);
  runner::Plan plan =
      PlanPipeline(project, file, profile, env, cli_vars, ExistingTables(engine.get()), &analyzer);
  // Only a valid plan opens the state (file mode reads the pipeline's watermarks now).
  std::unique_ptr<state::RunState> run_state =
      project.OpenRunState(profile, *engine, plan.pipeline, env.clock);
  ThrowIfInterrupted();
  runner::RunResult result = Execute(plan, *engine, project, run_state.get(), global, env);
  std::string metrics_error;
  if (!metrics_path.empty()) {
    try {
      // A reader (a Prometheus textfile collector) sees the old file or the new one.
      WriteFileAtomically(metrics_path, runner::PrometheusMetrics(result));
    } catch (const Error& e) {
      metrics_error = e.what();
    }
  }
  ExitCode code = Report(result, project, flags, metrics_error.empty() ? options.metrics_file : "",
                         global, env);
  if (metrics_error.empty()) return code;
  env.err << "error: the metrics file was not written: " << metrics_error << "\n";
  return code == ExitCode::kSuccess ? ExitCode::kFailure : code;
}

}  // namespace sqlflow::cli
