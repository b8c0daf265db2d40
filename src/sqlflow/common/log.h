#pragma once

#include <functional>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace sqlflow::log {

enum class Level { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3, kOff = 4 };

/// Parse "debug", "info", "warning" (or "warn"), "error", "off" (or "none"), ignoring case.
/// Return false and leave `*out` unchanged on unknown text.
bool ParseLevel(std::string_view text, Level* out);

/// Set the lowest level that is written. Default: kInfo, or SQLFLOW_LOG_LEVEL from the environment.
void SetLevel(Level level);
Level GetLevel();

/// Where log lines go. Default: standard error as "[level] message". Tests capture lines here.
using Sink = std::function<void(Level, std::string_view)>;
void SetSink(Sink sink);
/// Restore the default sink (standard error).
void ResetSink();

/// Write one line at `level` if enabled. Messages must not contain secrets: callers pass
/// redacted values (see params/ for how secrets are kept out).
void Write(Level level, std::string_view message);

/// Format and write one line at `level`; the formatting is skipped when `level` is disabled.
template <typename... Args>
void Log(Level level, fmt::format_string<Args...> f, Args&&... args) {
  if (GetLevel() <= level) Write(level, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void Debug(fmt::format_string<Args...> f, Args&&... args) {
  Log(Level::kDebug, f, std::forward<Args>(args)...);
}
template <typename... Args>
void Info(fmt::format_string<Args...> f, Args&&... args) {
  Log(Level::kInfo, f, std::forward<Args>(args)...);
}
template <typename... Args>
void Warning(fmt::format_string<Args...> f, Args&&... args) {
  Log(Level::kWarning, f, std::forward<Args>(args)...);
}
template <typename... Args>
void Error(fmt::format_string<Args...> f, Args&&... args) {
  Log(Level::kError, f, std::forward<Args>(args)...);
}

}  // namespace sqlflow::log
