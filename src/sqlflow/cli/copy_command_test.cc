#include "sqlflow/cli/copy_command.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqlflow/cli/interrupt.h"
#include "sqlflow/cli/test_fakes.h"

namespace sqlflow::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

class CliCopyCommandTest : public ::testing::Test {
 protected:
  CopyFlags Flags() {
    CopyFlags flags;
    flags.source = "fake";
    flags.destination = "sink";
    flags.destination_params = R"({"path": "out.bin"})";
    return flags;
  }

  // Problems of PrepareCopy(flags), or an empty list when it succeeds.
  std::vector<std::string> Problems(const CopyFlags& flags) {
    try {
      PrepareCopy(flags, *registry_, clock_, NoEnv());
      return {};
    } catch (const InvalidInput& e) {
      return e.problems();
    }
  }

  static EnvLookup NoEnv() {
    return [](const std::string&) { return std::optional<std::string>(); };
  }

  std::unique_ptr<ConnectorRegistry> registry_ = testing::MakeFakeRegistry();
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
};

TEST_F(CliCopyCommandTest, BadJsonNamesTheFlagAndPosition) {
  std::vector<std::string> problems;
  EXPECT_FALSE(ParseJsonObjectFlag("--source-params", R"({"path": x})", &problems));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_THAT(problems[0], StartsWith("--source-params is not valid JSON: parse error at line 1, "
                                      "column 10: syntax error while parsing value"));
}

TEST_F(CliCopyCommandTest, BadJsonNeverEchoesTheInput) {
  std::vector<std::string> problems;
  EXPECT_FALSE(ParseJsonObjectFlag("--source-params", R"({"password": "hunter2)", &problems));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_THAT(problems[0], HasSubstr("line 1, column"));
  EXPECT_THAT(problems[0], Not(HasSubstr("hunter2")));
  EXPECT_THAT(problems[0], Not(HasSubstr("last read")));
}

TEST_F(CliCopyCommandTest, ParamsMustBeAnObject) {
  std::vector<std::string> problems;
  EXPECT_FALSE(ParseJsonObjectFlag("--destination-params", "[1, 2]", &problems));
  EXPECT_THAT(
      problems,
      ElementsAre(
          R"(--destination-params must be a JSON object like {"path": "data.csv"}, got array)"));
}

TEST_F(CliCopyCommandTest, ReportsEveryProblemOfBothConnectorsAtOnce) {
  CopyFlags flags = Flags();
  flags.source_params = R"({"rowz": 5, "password": "hunter2", "fail": "maybe"})";
  flags.destination_params = R"({"compression": "gzip", "token": "s3cr3t"})";
  std::vector<std::string> problems = Problems(flags);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_THAT(problems[0], StartsWith("invalid parameters for source FAKE:\n  - "));
  EXPECT_THAT(problems[0], HasSubstr("'rowz'"));
  EXPECT_THAT(problems[0], HasSubstr("did you mean 'rows'?"));
  EXPECT_THAT(problems[0], HasSubstr("'fail'"));
  EXPECT_THAT(problems[1], StartsWith("invalid parameters for destination SINK:\n  - "));
  EXPECT_THAT(problems[1], HasSubstr("'path'"));
  EXPECT_THAT(problems[1], HasSubstr("'compression'"));
  for (const std::string& p : problems) {
    EXPECT_THAT(p, Not(HasSubstr("hunter2")));
    EXPECT_THAT(p, Not(HasSubstr("s3cr3t")));
  }
}

TEST_F(CliCopyCommandTest, UnknownTypesAndFlagsTogether) {
  CopyFlags flags = Flags();
  flags.source = "fak";
  flags.destination = "FAKE";  // a source-only type
  flags.mode = "upsert";
  flags.source_params = "{";
  EXPECT_THAT(Problems(flags),
              ElementsAre("unknown source connector type 'fak' (did you mean 'FAKE'?)",
                          StartsWith("--source-params is not valid JSON: "),
                          "'FAKE' cannot be used as a destination (the destination types are: "
                          "SINK, FAST)",
                          "--mode upsert needs the key columns: add --key COLUMN (repeat it for a "
                          "composite key)"));
}

TEST_F(CliCopyCommandTest, ModeIsChecked) {
  CopyFlags flags = Flags();
  flags.mode = "merge";
  EXPECT_THAT(Problems(flags),
              ElementsAre("--mode must be replace, append or upsert, got 'merge'"));
  flags.mode = "UPSERT";
  flags.destination = "fast";
  flags.keys = {"id"};
  EXPECT_THAT(Problems(flags), ElementsAre("destination FAST does not support --mode upsert"));
}

TEST_F(CliCopyCommandTest, UpsertKeysAreTrimmed) {
  CopyFlags flags = Flags();
  flags.mode = "upsert";
  flags.keys = {" id", "region "};
  CopyPlan plan = PrepareCopy(flags, *registry_, clock_, NoEnv());
  EXPECT_EQ(plan.write_options.mode, WriteMode::kUpsert);
  EXPECT_THAT(plan.write_options.keys, ElementsAre("id", "region"));
}

TEST_F(CliCopyCommandTest, BatchSizeFlagIsMergedIntoTheSourceParameters) {
  CopyFlags flags = Flags();
  flags.source_params = R"({"batch_size": 100})";
  flags.batch_size = 7;
  CopyPlan plan = PrepareCopy(flags, *registry_, clock_, NoEnv());
  EXPECT_EQ(plan.request.batch_size, 7);
  EXPECT_EQ(plan.source->params().GetInt("batch_size"), 7);
}

TEST_F(CliCopyCommandTest, BatchSizeComesFromTheParametersWithoutTheFlag) {
  CopyFlags flags = Flags();
  flags.source_params = R"({"batch_size": 100})";
  EXPECT_EQ(PrepareCopy(flags, *registry_, clock_, NoEnv()).request.batch_size, 100);
  flags.batch_size = 0;
  EXPECT_THAT(Problems(flags), ElementsAre("--batch-size must be at least 1, got 0"));
}

TEST_F(CliCopyCommandTest, ColumnsAndFiltersGoIntoTheRequest) {
  CopyFlags flags = Flags();
  flags.columns = {"id", " name"};
  flags.filter = R"({"id": {">=": 2}})";
  CopyPlan plan = PrepareCopy(flags, *registry_, clock_, NoEnv());
  EXPECT_THAT(plan.request.columns, ElementsAre("id", "name"));
  ASSERT_EQ(plan.request.filters.size(), 1u);
  EXPECT_EQ(plan.request.filters[0].column, "id");
  EXPECT_EQ(plan.request.filters[0].op, FilterOp::kGe);

  flags.columns = {"id", ""};
  flags.filter = "[]";
  EXPECT_THAT(Problems(flags), ElementsAre("--columns has an empty column name",
                                           StartsWith("--filter must be a JSON object")));
}

TEST_F(CliCopyCommandTest, StreamsWhenThePairCannotPushDown) {
  CopyFlags flags = Flags();
  flags.source_params = R"({"rows": 25})";
  flags.batch_size = 10;
  CopyPlan plan = PrepareCopy(flags, *registry_, clock_, NoEnv());
  std::vector<int64_t> seen;
  CopyOutcome outcome =
      ExecuteCopy(plan, *clock_, [&seen](const CopyProgress& p) { seen.push_back(p.rows); });
  EXPECT_EQ(outcome.path, "stream");
  EXPECT_EQ(outcome.rows, 25);
  EXPECT_EQ(outcome.bytes, 250) << "the source's byte count: the destination reported none";
  EXPECT_THAT(seen, ElementsAre(10, 20, 25));
  EXPECT_EQ(static_cast<testing::FakeDestination&>(*plan.destination).rows_written, 25);
}

TEST_F(CliCopyCommandTest, PushesDownWhenBothSidesCan) {
  CopyFlags flags = Flags();
  flags.source = "FAST";
  flags.destination = "FAST";
  flags.columns = {"id"};
  CopyPlan plan = PrepareCopy(flags, *registry_, clock_, NoEnv());
  std::vector<double> fractions;
  CopyOutcome outcome = ExecuteCopy(
      plan, *clock_, [&fractions](const CopyProgress& p) { fractions.push_back(p.fraction); });
  EXPECT_EQ(outcome.path, "pushdown");
  EXPECT_EQ(outcome.rows, 42);
  EXPECT_EQ(outcome.bytes, 4096) << "the size the destination reported";
  EXPECT_EQ(outcome.bytes_written, 4096);
  EXPECT_THAT(fractions, ElementsAre(0.5, 1.0));
  auto& source = static_cast<testing::FakePushdownSource&>(*plan.source);
  EXPECT_THAT(source.last_request.columns, ElementsAre("id"));
  EXPECT_EQ(static_cast<testing::FakeWritableDestination&>(*plan.destination).last_relation,
            "(SELECT 1 AS id)");
}

TEST_F(CliCopyCommandTest, FallsBackToStreamingWhenTheSourceDeclines) {
  CopyFlags flags = Flags();
  flags.source = "FAST";
  flags.source_params = R"({"pushdown": false, "rows": 4})";
  flags.destination = "FAST";
  CopyPlan plan = PrepareCopy(flags, *registry_, clock_, NoEnv());
  CopyOutcome outcome = ExecuteCopy(plan, *clock_, nullptr);
  EXPECT_EQ(outcome.path, "stream");
  EXPECT_EQ(outcome.rows, 4);
}

TEST_F(CliCopyCommandTest, InterruptStopsAtAChunkBoundary) {
  CopyFlags flags = Flags();
  flags.source_params = R"({"rows": 100})";
  flags.batch_size = 10;
  CopyPlan plan = PrepareCopy(flags, *registry_, clock_, NoEnv());
  int chunks = 0;
  auto progress = [&chunks](const CopyProgress&) {
    if (++chunks == 3) RequestInterrupt();
  };
  EXPECT_THROW(ExecuteCopy(plan, *clock_, progress), Interrupted);
  ClearInterrupt();
  EXPECT_EQ(chunks, 3);
}

}  // namespace
}  // namespace sqlflow::cli
