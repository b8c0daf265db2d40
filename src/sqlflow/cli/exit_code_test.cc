#include "sqlflow/cli/exit_code.h"

#include <stdexcept>

#include <gtest/gtest.h>

namespace sqlflow::cli {
namespace {

Failure Describe(auto error) { return DescribeFailure(std::make_exception_ptr(error)); }

TEST(CliExitCodeTest, InvalidInputIsTwoWithEveryProblem) {
  Failure f = Describe(InvalidInput(std::vector<std::string>{"first", "second:\n  - detail"}));
  EXPECT_EQ(f.code, ExitCode::kInvalidInput);
  EXPECT_EQ(f.text, "error: first\nerror: second:\n  - detail\n");
}

TEST(CliExitCodeTest, ParameterErrorIsTwo) {
  Failure f = Describe(ParameterError(
      "CSV", {{"delimeter", "unknown parameter", "did you mean 'delimiter'?"}, {"", "bad", ""}}));
  EXPECT_EQ(f.code, ExitCode::kInvalidInput);
  EXPECT_EQ(f.text,
            "error: invalid parameters for CSV:\n"
            "  - 'delimeter': unknown parameter (did you mean 'delimiter'?)\n"
            "  - bad\n");
}

TEST(CliExitCodeTest, PipelineErrorIsTwo) {
  EXPECT_EQ(Describe(PipelineError("a.sf", 3, 7, "unknown keyword")).code, ExitCode::kInvalidInput);
}

TEST(CliExitCodeTest, RuntimeErrorsAreOneWithTheirMessage) {
  Failure f = Describe(ConnectorError("CSV", "read", "file 'x.csv' not found"));
  EXPECT_EQ(f.code, ExitCode::kFailure);
  EXPECT_EQ(f.text, "error: CSV read: file 'x.csv' not found\n");
  EXPECT_EQ(Describe(ConnectionError("POSTGRES", "connect", "refused")).code, ExitCode::kFailure);
  EXPECT_EQ(Describe(DataError("CSV", "read", {"a.csv", 3, "id", 1, "x"}, "not an integer")).code,
            ExitCode::kFailure);
}

TEST(CliExitCodeTest, InterruptedIs130) {
  Failure f = Describe(Interrupted());
  EXPECT_EQ(ToInt(f.code), 130);
  EXPECT_EQ(f.text, "interrupted\n");
}

TEST(CliExitCodeTest, OtherExceptionsAreInternalErrors) {
  Failure f = Describe(std::logic_error("oops"));
  EXPECT_EQ(f.code, ExitCode::kFailure);
  EXPECT_EQ(f.text, "error: internal error: oops\n");
  EXPECT_EQ(DescribeFailure(std::make_exception_ptr(42)).code, ExitCode::kFailure);
}

TEST(CliUnknownTypeMessageTest, SuggestsOrLists) {
  EXPECT_EQ(UnknownTypeMessage("", "cvs", {"MEMORY", "CSV", "PARQUET"}),
            "unknown connector type 'cvs' (did you mean 'CSV'?)");
  EXPECT_EQ(UnknownTypeMessage("source ", "zzzzzz", {"MEMORY", "CSV"}),
            "unknown source connector type 'zzzzzz' (known types: MEMORY, CSV)");
  EXPECT_EQ(UnknownTypeMessage("", "x", {}), "unknown connector type 'x' (none are registered)");
}

}  // namespace
}  // namespace sqlflow::cli
