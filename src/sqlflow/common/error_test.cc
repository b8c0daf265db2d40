#include "sqlflow/common/error.h"

#include <gtest/gtest.h>

namespace sqlflow {
namespace {

TEST(ErrorTest, ConnectorErrorNamesConnectorAndOperation) {
  ConnectorError e("CSV", "read", "file 'a.csv' does not exist");
  EXPECT_STREQ(e.what(), "CSV read: file 'a.csv' does not exist");
  EXPECT_EQ(e.connector(), "CSV");
  EXPECT_EQ(e.operation(), "read");
  EXPECT_EQ(e.error_class(), ErrorClass::kPermanent);
  EXPECT_FALSE(e.retryable());
}

TEST(ErrorTest, ClassesDecideRetryability) {
  EXPECT_TRUE(ConnectionError("PG", "connect", "refused").retryable());
  EXPECT_TRUE(TimeoutError("PG", "read", "timed out").retryable());
  EXPECT_TRUE(RateLimitError("REST", "read", "429", std::chrono::milliseconds(1500)).retryable());
  EXPECT_FALSE(AuthenticationError("PG", "connect", "bad password").retryable());
  EXPECT_EQ(AuthenticationError("PG", "connect", "x").error_class(), ErrorClass::kAuth);
  EXPECT_FALSE(SchemaError("CSV", "write", "x").retryable());
  EXPECT_EQ(*RateLimitError("R", "read", "x", std::chrono::milliseconds(1500)).retry_after(),
            std::chrono::milliseconds(1500));
}

TEST(ErrorTest, ParameterErrorListsEveryProblem) {
  ParameterError e("CSV", {{"delimeter", "unknown parameter", "did you mean 'delimiter'?"},
                           {"batch_size", "must be at least 1, got 0", ""}});
  EXPECT_STREQ(e.what(),
               "CSV configure: 2 invalid parameters:\n"
               "  - 'delimeter': unknown parameter (did you mean 'delimiter'?)\n"
               "  - 'batch_size': must be at least 1, got 0");
  ASSERT_EQ(e.problems().size(), 2u);
  ParameterError one("CSV", "path", "is required");
  EXPECT_STREQ(one.what(), "CSV configure: invalid parameter: 'path': is required");
}

TEST(ErrorTest, DataErrorNamesFileLineColumnValue) {
  DataError e("CSV", "read", {"orders.csv", 17, "amount", 3, "12,x"}, "not a DECIMAL(12,2)");
  EXPECT_STREQ(e.what(),
               "CSV read: orders.csv:17: column 'amount' (#3): not a DECIMAL(12,2); value: '12,x'");
  EXPECT_EQ(e.location().line, 17);
}

TEST(ErrorTest, PipelineErrorHasPosition) {
  PipelineError e("p.sf", 3, 14, "unknown source 'ordrs'", "did you mean 'orders'?");
  EXPECT_STREQ(e.what(), "p.sf:3:14: unknown source 'ordrs' (did you mean 'orders'?)");
  EXPECT_EQ(e.column(), 14);
}

TEST(ErrorTest, TruncateKeepsUtf8Valid) {
  EXPECT_EQ(TruncateForMessage("short"), "short");
  EXPECT_EQ(TruncateForMessage("abcdef", 3), "abc...");
  // "é" is two bytes; cutting inside it steps back to the boundary.
  EXPECT_EQ(TruncateForMessage("aé", 2), "a...");
}

TEST(ErrorTest, QuoteForMessageCutsAt200BytesAndEscapesControlBytes) {
  std::string body = std::string("\x01\t") + std::string(300, 'x');
  std::string excerpt = QuoteForMessage(body);
  EXPECT_EQ(excerpt, "\\x01\\t" + std::string(198, 'x') + "...");
  EXPECT_EQ(QuoteForMessage("caf\xC3\xA9 \xFF"), "caf\\xc3\\xa9 \\xff");
  EXPECT_EQ(QuoteForMessage("caf\xC3\xA9"), "caf\xC3\xA9");
}

}  // namespace
}  // namespace sqlflow
