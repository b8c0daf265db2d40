#pragma once

#include <string_view>

#include "sqlflow/common/error.h"

namespace sqlflow::resilience {

/// How a failure is treated (RESILIENCE.md, "Classification decides everything").
///
/// This is common/'s ErrorClass under the name the resilience layer uses: an error already
/// carries its class (ClassifyError), and the classifiers below give the same four values to
/// raw protocol codes, so there is exactly one table and one enum.
using FailureClass = ErrorClass;

/// Return the lower-case name of a failure class ("transient", "throttled", "auth",
/// "permanent").
inline const char* FailureClassName(FailureClass failure_class) {
  return ErrorClassName(failure_class);
}

/// Return whether a failure of this class may be retried at all (transient or throttled).
inline bool IsRetryable(FailureClass failure_class) {
  return failure_class == FailureClass::kTransient || failure_class == FailureClass::kThrottled;
}

/// Classify an HTTP response status.
///
/// 408, 500, 502, 504 and 503 without Retry-After are transient; 429 (with or without
/// Retry-After) and 503 with Retry-After are throttled; 401 and 403 are auth; every other
/// status (other 4xx, 501, 505..., and statuses that are not errors) is permanent.
FailureClass ClassifyHttpStatus(int status, bool has_retry_after);

/// Classify a PostgreSQL SQLSTATE (five characters, case-insensitive).
///
/// Class 08, 40001, 40P01, 57P01-57P03 and 53300 are transient; class 28 is auth; everything
/// else, including classes 42 and 22 and malformed codes, is permanent.
FailureClass ClassifySqlState(std::string_view sqlstate);

/// Classify an S3 error code ("SlowDown", "AccessDenied", ...).
///
/// SlowDown is throttled; InternalError and RequestTimeout are transient; the credential
/// codes S3 returns with status 403 (AccessDenied, InvalidAccessKeyId,
/// SignatureDoesNotMatch, ExpiredToken, InvalidToken) are auth. Any other code falls back to
/// ClassifyHttpStatus(http_status, false) when a status is given (non-zero), else permanent.
FailureClass ClassifyS3Error(std::string_view code, int http_status = 0);

/// Return the class the error carries (the thrower classified it where it was raised).
inline FailureClass ClassifyError(const Error& error) { return error.error_class(); }

}  // namespace sqlflow::resilience
