#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

namespace sqlflow {

/// Time as SQLFlow reads it. Injected wherever time matters (timeouts, backoff, rate limits,
/// health timestamps), so tests can run on a FakeClock without sleeping.
class Clock {
 public:
  using Duration = std::chrono::nanoseconds;
  using TimePoint = std::chrono::steady_clock::time_point;
  using WallTime = std::chrono::system_clock::time_point;

  virtual ~Clock() = default;
  /// Return a monotonic time point (for measuring durations).
  virtual TimePoint Now() const = 0;
  /// Return the wall-clock time (for timestamps shown to people).
  virtual WallTime WallNow() const = 0;
  /// Block for `duration` (a FakeClock advances instead).
  virtual void SleepFor(Duration duration) = 0;
};

/// The real clock.
class SystemClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::steady_clock::now(); }
  WallTime WallNow() const override { return std::chrono::system_clock::now(); }
  void SleepFor(Duration duration) override;

  /// Return the process-wide system clock.
  static const std::shared_ptr<Clock>& Instance();
};

/// A clock that moves only when told to; SleepFor advances it. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(WallTime wall_start = WallTime{std::chrono::seconds{1'700'000'000}});

  TimePoint Now() const override;
  WallTime WallNow() const override;
  void SleepFor(Duration duration) override { Advance(duration); }
  /// Move time forward by `duration`.
  void Advance(Duration duration);
  /// Total time slept through SleepFor and Advance since construction.
  Duration elapsed() const;

 private:
  mutable std::mutex mu_;
  Duration elapsed_{0};
  WallTime wall_start_;
};

/// Format a wall time as ISO-8601 UTC with milliseconds: "2026-11-21T04:33:00.123Z".
std::string FormatIso8601Utc(Clock::WallTime time);

/// Return milliseconds between two time points as a double.
inline double MillisBetween(Clock::TimePoint start, Clock::TimePoint end) {
  return std::chrono::duration<double, std::milli>(end - start).count();
}

}  // namespace sqlflow
