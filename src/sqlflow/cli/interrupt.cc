#include "sqlflow/cli/interrupt.h"

#include <atomic>
#include <csignal>

#include <unistd.h>

#include "sqlflow/cli/exit_code.h"

namespace sqlflow::cli {

namespace {

// Lock-free atomics may be used from a signal handler.
std::atomic<bool> g_interrupted{false};
std::atomic<bool> g_hard{false};
std::atomic<bool> g_err_is_terminal{false};
static_assert(std::atomic<bool>::is_always_lock_free);

void OnSigint(int /*signal*/) {
  g_interrupted.store(true);
  if (!g_hard.load()) return;
  // Only async-signal-safe calls from here on.
  static constexpr char kTerminal[] = "\r\x1b[Kinterrupted\n";
  static constexpr char kPlain[] = "interrupted\n";
  bool terminal = g_err_is_terminal.load();
  ssize_t ignored = write(STDERR_FILENO, terminal ? kTerminal : kPlain,
                          terminal ? sizeof(kTerminal) - 1 : sizeof(kPlain) - 1);
  (void)ignored;
  _exit(ToInt(ExitCode::kInterrupted));
}

}  // namespace

void InstallInterruptHandler() {
  g_err_is_terminal.store(isatty(STDERR_FILENO) != 0);
  struct sigaction action = {};
  action.sa_handler = OnSigint;
  sigemptyset(&action.sa_mask);
  // SA_RESETHAND: the second Ctrl-C kills the process even if nothing polls the flag.
  action.sa_flags = SA_RESETHAND | SA_RESTART;
  sigaction(SIGINT, &action, nullptr);
}

bool InterruptRequested() { return g_interrupted.load(); }
void RequestInterrupt() { g_interrupted.store(true); }
void ClearInterrupt() { g_interrupted.store(false); }

void ThrowIfInterrupted() {
  if (InterruptRequested()) throw Interrupted();
}

HardInterruptScope::HardInterruptScope() {
  g_hard.store(true);
  if (InterruptRequested()) {
    g_hard.store(false);
    throw Interrupted();
  }
}

HardInterruptScope::~HardInterruptScope() { g_hard.store(false); }

}  // namespace sqlflow::cli
