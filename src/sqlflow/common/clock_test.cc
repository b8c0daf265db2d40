#include "sqlflow/common/clock.h"

#include <gtest/gtest.h>

#include "sqlflow/common/log.h"

namespace sqlflow {
namespace {

TEST(ClockTest, FakeClockAdvancesOnlyWhenTold) {
  FakeClock clock;
  auto t0 = clock.Now();
  EXPECT_EQ(clock.Now(), t0);
  clock.SleepFor(std::chrono::milliseconds(1500));
  EXPECT_EQ(clock.Now() - t0, std::chrono::milliseconds(1500));
  clock.Advance(std::chrono::seconds(2));
  EXPECT_EQ(clock.elapsed(), std::chrono::milliseconds(3500));
  EXPECT_DOUBLE_EQ(MillisBetween(t0, clock.Now()), 3500.0);
}

TEST(ClockTest, Iso8601Utc) {
  FakeClock clock(Clock::WallTime{std::chrono::milliseconds(1'700'000'000'123)});
  EXPECT_EQ(FormatIso8601Utc(clock.WallNow()), "2023-11-14T22:13:20.123Z");
}

TEST(LogTest, SinkReceivesEnabledLevelsOnly) {
  std::vector<std::string> lines;
  log::SetSink([&](log::Level, std::string_view m) { lines.emplace_back(m); });
  log::Level old = log::GetLevel();
  log::SetLevel(log::Level::kWarning);
  log::Info("hidden {}", 1);
  log::Warning("shown {}", 2);
  log::SetLevel(old);
  log::ResetSink();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], "shown 2");
  log::Level parsed;
  EXPECT_TRUE(log::ParseLevel("WARN", &parsed));
  EXPECT_EQ(parsed, log::Level::kWarning);
  EXPECT_FALSE(log::ParseLevel("loud", &parsed));
}

}  // namespace
}  // namespace sqlflow
