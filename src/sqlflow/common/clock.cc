#include "sqlflow/common/clock.h"

#include <ctime>
#include <thread>

#include <fmt/format.h>

namespace sqlflow {

void SystemClock::SleepFor(Duration duration) { std::this_thread::sleep_for(duration); }

const std::shared_ptr<Clock>& SystemClock::Instance() {
  static const std::shared_ptr<Clock> instance = std::make_shared<SystemClock>();
  return instance;
}

FakeClock::FakeClock(WallTime wall_start) : wall_start_(wall_start) {}

Clock::TimePoint FakeClock::Now() const {
  std::lock_guard lock(mu_);
  return TimePoint{} + std::chrono::hours{1} + elapsed_;
}

Clock::WallTime FakeClock::WallNow() const {
  std::lock_guard lock(mu_);
  return wall_start_ + std::chrono::duration_cast<std::chrono::system_clock::duration>(elapsed_);
}

void FakeClock::Advance(Duration duration) {
  std::lock_guard lock(mu_);
  elapsed_ += duration;
}

Clock::Duration FakeClock::elapsed() const {
  std::lock_guard lock(mu_);
  return elapsed_;
}

std::string FormatIso8601Utc(Clock::WallTime time) {
  auto since_epoch = time.time_since_epoch();
  auto secs = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
  auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - secs);
  if (millis.count() < 0) {
    secs -= std::chrono::seconds{1};
    millis += std::chrono::seconds{1};
  }
  std::time_t t = static_cast<std::time_t>(secs.count());
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis.count());
}

}  // namespace sqlflow
