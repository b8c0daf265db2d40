#pragma once

namespace sqlflow::cli {

/// Install a SIGINT handler that records the request; long operations poll it between chunks
/// and stop with exit code 130. The handler is one-shot: a second Ctrl-C gets the default
/// action, so a hung operation can still be killed.
void InstallInterruptHandler();

/// Whether Ctrl-C was pressed (or RequestInterrupt() called) since the last ClearInterrupt().
bool InterruptRequested();
/// Record an interrupt as the handler does (tests).
void RequestInterrupt();
/// Forget a recorded interrupt (tests).
void ClearInterrupt();
/// Throw Interrupted (exit_code.h) when an interrupt was requested.
void ThrowIfInterrupted();

/// While alive, Ctrl-C ends the process at once with exit code 130 ("interrupted" on standard
/// error). For work that cannot poll the flag: a DuckDB COPY runs in one call and reports
/// progress from its own thread. That is safe because destinations write atomically: the
/// target keeps its old content, and the next write removes the left-over temporary file
/// (connectors/file/atomic_file.h). Throws Interrupted if Ctrl-C came before the scope.
class HardInterruptScope {
 public:
  HardInterruptScope();
  ~HardInterruptScope();
  HardInterruptScope(const HardInterruptScope&) = delete;
  HardInterruptScope& operator=(const HardInterruptScope&) = delete;
};

}  // namespace sqlflow::cli
