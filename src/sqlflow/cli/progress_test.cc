#include "sqlflow/cli/progress.h"

#include <cstdint>
#include <limits>
#include <sstream>

#include <gtest/gtest.h>

#include "sqlflow/cli/copy_command.h"
#include "sqlflow/cli/table.h"

namespace sqlflow::cli {
namespace {

using std::chrono::milliseconds;

TEST(CliFormatCountTest, GroupsThousands) {
  EXPECT_EQ(FormatCount(0), "0");
  EXPECT_EQ(FormatCount(999), "999");
  EXPECT_EQ(FormatCount(1000), "1,000");
  EXPECT_EQ(FormatCount(5000000), "5,000,000");
  EXPECT_EQ(FormatCount(-1234), "-1,234");
  EXPECT_EQ(FormatCount(std::numeric_limits<int64_t>::min()), "-9,223,372,036,854,775,808");
}

TEST(CliFormatProgressTest, ShowsWhatIsKnown) {
  EXPECT_EQ(FormatProgress({1234, -1, -1}, 0), "1,234 rows");
  EXPECT_EQ(FormatProgress({1000, 2500000, -1}, 2.0), "1,000 rows  2.5 MB  500 rows/s");
  EXPECT_EQ(FormatProgress({1000, 250, 0.25}, 1.0), "1,000 rows  250 B  1,000 rows/s  25%");
  // A source that reads past its estimate never shows more than 100%.
  EXPECT_EQ(FormatProgress({1, 2000, 2.0}, 0), "1 rows  2.0 KB  100%");
  // A pushdown knows only the fraction done: the elapsed time stands in for the rate.
  EXPECT_EQ(FormatProgress({-1, -1, 0.456}, 2.34), "46%  2.3 s");
}

TEST(CliCopySummaryTest, MatchesTheDocumentedLine) {
  CopyOutcome outcome;
  outcome.rows = 5000000;
  outcome.bytes = 412300000;
  outcome.seconds = 4.21;
  outcome.path = "pushdown";
  EXPECT_EQ(CopySummaryText(outcome),
            "Copied 5,000,000 rows (412.3 MB) in 4.21 s \u2014 1,187,648 rows/s");
  nlohmann::json json = CopySummaryJson(outcome);
  EXPECT_EQ(json["rows"], 5000000);
  EXPECT_EQ(json["bytes"], 412300000);
  EXPECT_EQ(json["path"], "pushdown");
  EXPECT_NEAR(json["rows_per_second"].get<double>(), 1187648.46, 0.01);
}

TEST(CliCopySummaryTest, OneRowAndNoTime) {
  CopyOutcome outcome;
  outcome.rows = 1;
  outcome.bytes = 8;
  EXPECT_EQ(CopySummaryText(outcome), "Copied 1 row (8 B) in 0.00 s \u2014 0 rows/s");
}

TEST(CliProgressLineTest, DrawsAtMostFourTimesASecond) {
  FakeClock clock;
  std::ostringstream out;
  ProgressLine line(out, clock, /*enabled=*/true);
  line.Update({10, -1, -1});
  EXPECT_EQ(out.str(), "") << "nothing before the first interval: quick copies do not flicker";
  clock.Advance(milliseconds(250));
  line.Update({20, -1, -1});
  EXPECT_EQ(out.str(), "\r20 rows  80 rows/s\x1b[K");
  for (int i = 0; i < 100; ++i) {
    clock.Advance(milliseconds(10));
    line.Update({30 + i, -1, -1});
  }
  // 1000 ms passed since the first draw: 4 more draws at most.
  EXPECT_EQ(line.draws(), 5);
  line.Clear();
  EXPECT_TRUE(out.str().ends_with("\r\x1b[K"));
}

TEST(CliProgressLineTest, DisabledWritesNothing) {
  FakeClock clock;
  std::ostringstream out;
  {
    ProgressLine line(out, clock, /*enabled=*/false);
    clock.Advance(milliseconds(1000));
    line.Update({10, 100, 1000});
    line.Clear();
  }
  EXPECT_EQ(out.str(), "");
}

TEST(CliTableTest, AlignsColumnsByCodePoints) {
  EXPECT_EQ(DisplayWidth("Zo\u00eb"), 3u);
  EXPECT_EQ(FormatTable({{"NAME", "CITY"}, {"Zo\u00eb", "x"}, {"M\u00fcller", ""}}),
            "  NAME    CITY\n"
            "  Zo\u00eb     x\n"
            "  M\u00fcller\n");
}

}  // namespace
}  // namespace sqlflow::cli
