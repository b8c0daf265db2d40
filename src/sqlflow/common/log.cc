#include "sqlflow/common/log.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "sqlflow/common/strings.h"

namespace sqlflow::log {
namespace {

Level InitialLevel() {
  Level level = Level::kInfo;
  if (const char* env = std::getenv("SQLFLOW_LOG_LEVEL")) ParseLevel(env, &level);
  return level;
}

std::atomic<Level>& CurrentLevel() {
  static std::atomic<Level> level{InitialLevel()};
  return level;
}

std::mutex& SinkMutex() {
  static std::mutex mu;
  return mu;
}

Sink& CurrentSink() {
  static Sink sink;
  return sink;
}

const char* LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarning:
      return "warning";
    case Level::kError:
      return "error";
    case Level::kOff:
      return "off";
  }
  return "?";
}

}  // namespace

bool ParseLevel(std::string_view text, Level* out) {
  std::string t = ToLower(text);
  if (t == "debug")
    *out = Level::kDebug;
  else if (t == "info")
    *out = Level::kInfo;
  else if (t == "warning" || t == "warn")
    *out = Level::kWarning;
  else if (t == "error")
    *out = Level::kError;
  else if (t == "off" || t == "none")
    *out = Level::kOff;
  else
    return false;
  return true;
}

void SetLevel(Level level) { CurrentLevel().store(level); }
Level GetLevel() { return CurrentLevel().load(); }

void SetSink(Sink sink) {
  std::lock_guard lock(SinkMutex());
  CurrentSink() = std::move(sink);
}

void ResetSink() { SetSink(nullptr); }

void Write(Level level, std::string_view message) {
  if (level < GetLevel()) return;
  std::lock_guard lock(SinkMutex());
  if (CurrentSink()) {
    CurrentSink()(level, message);
    return;
  }
  std::fprintf(stderr, "[%s] %.*s\n", LevelName(level), static_cast<int>(message.size()),
               message.data());
}

}  // namespace sqlflow::log
