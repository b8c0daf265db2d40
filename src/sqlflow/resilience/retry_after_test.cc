#include "sqlflow/resilience/retry_after.h"

#include <gtest/gtest.h>

namespace sqlflow::resilience {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// 1994-11-06T08:49:00Z, 37 seconds before the RFC 7231 example date.
const Clock::WallTime kNow{seconds(784111740)};

TEST(RetryAfterTest, DelaySeconds) {
  EXPECT_EQ(ParseRetryAfter("120", kNow), seconds(120));
  EXPECT_EQ(ParseRetryAfter("0", kNow), seconds(0));
  EXPECT_EQ(ParseRetryAfter("  7 ", kNow), seconds(7));
  EXPECT_EQ(ParseRetryAfter("9999999999", kNow), seconds(1'000'000'000));  // saturates
}

TEST(RetryAfterTest, MalformedValues) {
  for (const char* bad : {"", "  ", "-1", "1.5", "12abc", "12345678901", "soon",
                          "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 6 Nov 1994 08:49:37 GMT",
                          "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 31 Feb 1994 08:49:37 GMT",
                          "Sun, 06 Nov 1994 24:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 GMT x",
                          "Sun Nov  6 08:49:37 94", "Sunday, 06-Nov-1994 08:49:37 GMT"}) {
    EXPECT_EQ(ParseRetryAfter(bad, kNow), std::nullopt) << "'" << bad << "'";
  }
}

TEST(RetryAfterTest, ImfFixdate) {
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", kNow), seconds(37));
}

TEST(RetryAfterTest, Rfc850Date) {
  EXPECT_EQ(ParseRetryAfter("Sunday, 06-Nov-94 08:49:37 GMT", kNow), seconds(37));
}

TEST(RetryAfterTest, Rfc850TwoDigitYearNearTheCenturyTurn) {
  // Now is 2026-11-21 07:26:40 UTC; "26" is this year and "99" is 1999, in the past.
  const Clock::WallTime now{seconds(1'795'246'000)};
  // 2026-12-21 00:00:00 UTC is 1'797'811'200: 2'565'200 s after now.
  EXPECT_EQ(ParseRetryAfter("Monday, 21-Dec-26 00:00:00 GMT", now), seconds(2'565'200));
  EXPECT_EQ(ParseRetryAfter("Friday, 31-Dec-99 23:59:59 GMT", now), seconds(0));
}

TEST(RetryAfterTest, AsctimeDate) {
  EXPECT_EQ(ParseRetryAfter("Sun Nov  6 08:49:37 1994", kNow), seconds(37));
  EXPECT_EQ(ParseRetryAfter("Sun Nov 16 08:49:00 1994", kNow), std::chrono::hours(240));
}

TEST(RetryAfterTest, DateInThePastIsZero) {
  EXPECT_EQ(ParseRetryAfter("Sat, 05 Nov 1994 08:49:37 GMT", kNow), seconds(0));
}

TEST(RetryAfterTest, DateIsRelativeToSubsecondNow) {
  const Clock::WallTime now = kNow + milliseconds(250);
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", now), milliseconds(36750));
}

TEST(RetryAfterTest, HintIsNeverShortened) {
  const Clock::Duration max_delay = seconds(30);
  // The hint wins over a shorter backoff, the backoff over a shorter hint.
  EXPECT_EQ(DelayHonouringHint(seconds(1), seconds(5), max_delay, std::nullopt), seconds(5));
  EXPECT_EQ(DelayHonouringHint(seconds(8), seconds(5), max_delay, std::nullopt), seconds(8));
  EXPECT_EQ(DelayHonouringHint(seconds(1), seconds(0), max_delay, std::nullopt), seconds(1));
  // Up to max_delay * 4 the hint is honoured; beyond it the caller gives up.
  EXPECT_EQ(DelayHonouringHint(seconds(1), seconds(120), max_delay, std::nullopt), seconds(120));
  EXPECT_EQ(DelayHonouringHint(seconds(1), seconds(121), max_delay, std::nullopt), std::nullopt);
  // The remaining deadline caps it too.
  EXPECT_EQ(DelayHonouringHint(seconds(1), seconds(10), max_delay, seconds(10)), seconds(10));
  EXPECT_EQ(DelayHonouringHint(seconds(1), seconds(11), max_delay, seconds(10)), std::nullopt);
}

}  // namespace
}  // namespace sqlflow::resilience
