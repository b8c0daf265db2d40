// The file profile of the resilience design: a short retry of transient I/O errors before any
// row is read, never a retry of a missing file. Backoff runs on a FakeClock.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqlflow/common/clock.h"
#include "sqlflow/common/error.h"
#include "sqlflow/common/log.h"
#include "sqlflow/connectors/csv/csv_options.h"
#include "sqlflow/connectors/csv/csv_source.h"
#include "sqlflow/connectors/file/file_testing.h"
#include "sqlflow/data/stream.h"
#include "sqlflow/resilience/config.h"
#include "sqlflow/resilience/metrics.h"

namespace sqlflow {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

/// The CSV spec as the registry holds it: with the `resilience` parameter.
const ConnectorSpec& RegisteredCsvSpec() {
  static const ConnectorSpec spec = [] {
    ConnectorSpec s = csv::CsvSourceSpec();
    s.params.push_back(resilience::ResilienceParam());
    return s;
  }();
  return spec;
}

/// A CSV source whose reader fails `failures` times with an error of `error_class` first, as
/// a network file system's EIO would.
class FlakyCsvSource final : public csv::CsvSource {
 public:
  FlakyCsvSource(std::shared_ptr<Clock> clock, int failures, ErrorClass error_class)
      : CsvSource(RegisteredCsvSpec(), std::move(clock)),
        failures_(failures),
        error_class_(error_class) {}

  int attempts() const { return attempts_; }

 protected:
  std::string ReaderSql(duck::Connection& conn, const std::vector<std::string>& files) override {
    if (++attempts_ <= failures_) {
      throw ConnectorError(name(), "read", "cannot read 'x.csv': Input/output error", error_class_);
    }
    return CsvSource::ReaderSql(conn, files);
  }

 private:
  int failures_;
  ErrorClass error_class_;
  int attempts_ = 0;
};

class FileProfileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log::SetSink([this](log::Level, std::string_view line) { lines_.emplace_back(line); });
    path_ = dir_.Write("orders.csv", "id,amount\n1,10\n2,20\n");
  }
  void TearDown() override { log::ResetSink(); }

  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
  std::shared_ptr<resilience::ResilienceMetrics> metrics_ =
      std::make_shared<resilience::ResilienceMetrics>();
  file::testing::TempDir dir_;
  std::string path_;
  std::vector<std::string> lines_;
};

TEST_F(FileProfileTest, ATransientIoErrorIsRetriedOnceAfterAShortWait) {
  FlakyCsvSource source(clock_, 1, ErrorClass::kTransient);
  source.set_resilience_metrics(metrics_);
  source.Configure({{"path", path_}});
  std::unique_ptr<ChunkStream> stream = source.Read({});
  EXPECT_EQ(DrainStream(*stream).at(0).num_rows(), 2);
  EXPECT_EQ(source.attempts(), 2);
  EXPECT_EQ(metrics_->retries("csv", "read"), 1u);
  EXPECT_LE(clock_->elapsed(), std::chrono::milliseconds(100));  // 0.1 s initial delay, jittered
  EXPECT_THAT(lines_,
              Contains(HasSubstr("Retrying operation 'read' (attempt 2/2) after error: "
                                 "cannot read 'x.csv': Input/output error. Next retry in")));
}

TEST_F(FileProfileTest, TwoAttemptsAtMost) {
  FlakyCsvSource source(clock_, 2, ErrorClass::kTransient);
  source.Configure({{"path", path_}});
  EXPECT_THROW(source.Read({}), ConnectorError);
  EXPECT_EQ(source.attempts(), 2);
}

TEST_F(FileProfileTest, AMissingFileIsNeverRetried) {
  FlakyCsvSource source(clock_, 0, ErrorClass::kTransient);
  source.set_resilience_metrics(metrics_);
  source.Configure({{"path", dir_.Path("missing.csv")}});
  try {
    source.Read({});
    FAIL() << "expected ConnectorError";
  } catch (const ConnectorError& e) {
    EXPECT_THAT(e.message(), HasSubstr("does not exist"));
    EXPECT_FALSE(e.retryable());
  }
  EXPECT_EQ(metrics_->retries("csv", "read"), 0u);
  EXPECT_EQ(clock_->elapsed(), Clock::Duration::zero());
  EXPECT_THAT(lines_, Not(Contains(HasSubstr("Retrying"))));
}

TEST_F(FileProfileTest, APermanentReaderErrorIsNotRetried) {
  FlakyCsvSource source(clock_, 1, ErrorClass::kPermanent);
  source.Configure({{"path", path_}});
  EXPECT_THROW(source.Read({}), ConnectorError);
  EXPECT_EQ(source.attempts(), 1);
}

TEST_F(FileProfileTest, TheResilienceParameterTunesTheFileProfile) {
  FlakyCsvSource source(clock_, 3, ErrorClass::kTransient);
  source.Configure({{"path", path_}, {"resilience", {{"retry_attempts", 4}}}});
  std::unique_ptr<ChunkStream> stream = source.Read({});
  EXPECT_EQ(DrainStream(*stream).at(0).num_rows(), 2);
  EXPECT_EQ(source.attempts(), 4);
}

}  // namespace
}  // namespace sqlflow
