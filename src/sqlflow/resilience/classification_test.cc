#include "sqlflow/resilience/classification.h"

#include <gtest/gtest.h>

namespace sqlflow::resilience {
namespace {

TEST(ClassificationTest, HttpTransientStatuses) {
  for (int status : {408, 500, 502, 503, 504}) {
    EXPECT_EQ(ClassifyHttpStatus(status, false), FailureClass::kTransient) << status;
  }
  // Retry-After on a status other than 429/503 does not change its class.
  EXPECT_EQ(ClassifyHttpStatus(500, true), FailureClass::kTransient);
  EXPECT_EQ(ClassifyHttpStatus(408, true), FailureClass::kTransient);
}

TEST(ClassificationTest, HttpThrottledStatuses) {
  EXPECT_EQ(ClassifyHttpStatus(429, false), FailureClass::kThrottled);
  EXPECT_EQ(ClassifyHttpStatus(429, true), FailureClass::kThrottled);
  EXPECT_EQ(ClassifyHttpStatus(503, true), FailureClass::kThrottled);
}

TEST(ClassificationTest, HttpAuthStatuses) {
  EXPECT_EQ(ClassifyHttpStatus(401, false), FailureClass::kAuth);
  EXPECT_EQ(ClassifyHttpStatus(403, false), FailureClass::kAuth);
}

TEST(ClassificationTest, HttpOtherStatusesArePermanent) {
  for (int status : {400, 404, 405, 409, 410, 413, 422, 501, 505, 200, 302}) {
    EXPECT_EQ(ClassifyHttpStatus(status, false), FailureClass::kPermanent) << status;
  }
}

TEST(ClassificationTest, SqlStateTransient) {
  for (const char* code : {"08000", "08003", "08006", "08001", "08P01", "40001", "40P01", "40p01",
                           "57P01", "57P02", "57P03", "53300"}) {
    EXPECT_EQ(ClassifySqlState(code), FailureClass::kTransient) << code;
  }
}

TEST(ClassificationTest, SqlStateAuth) {
  EXPECT_EQ(ClassifySqlState("28000"), FailureClass::kAuth);
  EXPECT_EQ(ClassifySqlState("28P01"), FailureClass::kAuth);
}

TEST(ClassificationTest, SqlStatePermanent) {
  for (const char* code : {"42601", "42P01", "42501", "22P02", "22003", "23505", "40002", "57P04",
                           "57014", "53200", "", "0800", "080000"}) {
    EXPECT_EQ(ClassifySqlState(code), FailureClass::kPermanent) << code;
  }
}

TEST(ClassificationTest, S3Codes) {
  EXPECT_EQ(ClassifyS3Error("SlowDown"), FailureClass::kThrottled);
  EXPECT_EQ(ClassifyS3Error("InternalError"), FailureClass::kTransient);
  EXPECT_EQ(ClassifyS3Error("RequestTimeout"), FailureClass::kTransient);
  for (const char* code : {"AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch",
                           "ExpiredToken", "InvalidToken"}) {
    EXPECT_EQ(ClassifyS3Error(code), FailureClass::kAuth) << code;
  }
  EXPECT_EQ(ClassifyS3Error("NoSuchKey"), FailureClass::kPermanent);
  EXPECT_EQ(ClassifyS3Error("NoSuchBucket", 404), FailureClass::kPermanent);
  EXPECT_EQ(ClassifyS3Error("ServiceUnavailable", 503), FailureClass::kTransient);
  EXPECT_EQ(ClassifyS3Error("slowdown"), FailureClass::kPermanent);  // codes are case-sensitive
}

TEST(ClassificationTest, ErrorsCarryTheirClass) {
  EXPECT_EQ(ClassifyError(ConnectionError("PostgresSource", "read", "refused")),
            FailureClass::kTransient);
  EXPECT_EQ(ClassifyError(TimeoutError("RestSource", "read", "timed out")),
            FailureClass::kTransient);
  EXPECT_EQ(ClassifyError(RateLimitError("RestSource", "read", "429")), FailureClass::kThrottled);
  EXPECT_EQ(ClassifyError(AuthenticationError("RestSource", "read", "401")), FailureClass::kAuth);
  EXPECT_EQ(ClassifyError(ParameterError("RestSource", "url", "missing")),
            FailureClass::kPermanent);
  EXPECT_EQ(ClassifyError(SchemaError("PostgresSource", "read", "no column")),
            FailureClass::kPermanent);
  EXPECT_EQ(ClassifyError(DataError("CSV", "read", DataLocation{}, "bad")),
            FailureClass::kPermanent);
  EXPECT_EQ(ClassifyError(QueryError("PostgresSource", "read", "dead", ErrorClass::kTransient)),
            FailureClass::kTransient);
}

TEST(ClassificationTest, NamesAndRetryability) {
  EXPECT_STREQ(FailureClassName(FailureClass::kThrottled), "throttled");
  EXPECT_TRUE(IsRetryable(FailureClass::kTransient));
  EXPECT_TRUE(IsRetryable(FailureClass::kThrottled));
  EXPECT_FALSE(IsRetryable(FailureClass::kAuth));
  EXPECT_FALSE(IsRetryable(FailureClass::kPermanent));
}

}  // namespace
}  // namespace sqlflow::resilience
