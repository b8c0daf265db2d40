#include "sqlflow/resilience/classification.h"

#include <array>
#include <cctype>

namespace sqlflow::resilience {

FailureClass ClassifyHttpStatus(int status, bool has_retry_after) {
  switch (status) {
    case 408:
    case 500:
    case 502:
    case 504:
      return FailureClass::kTransient;
    case 503:
      return has_retry_after ? FailureClass::kThrottled : FailureClass::kTransient;
    case 429:
      return FailureClass::kThrottled;
    case 401:
    case 403:
      return FailureClass::kAuth;
    default:
      return FailureClass::kPermanent;
  }
}

FailureClass ClassifySqlState(std::string_view sqlstate) {
  if (sqlstate.size() != 5) return FailureClass::kPermanent;
  std::array<char, 5> code{};
  for (size_t i = 0; i < code.size(); ++i) {
    code[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(sqlstate[i])));
  }
  const std::string_view upper(code.data(), code.size());
  const std::string_view klass = upper.substr(0, 2);
  if (klass == "08") return FailureClass::kTransient;  // connection exception
  if (klass == "28") return FailureClass::kAuth;       // invalid authorization specification
  if (upper == "40001" || upper == "40P01") return FailureClass::kTransient;
  if (upper == "57P01" || upper == "57P02" || upper == "57P03") return FailureClass::kTransient;
  if (upper == "53300") return FailureClass::kTransient;  // too many connections
  return FailureClass::kPermanent;
}

FailureClass ClassifyS3Error(std::string_view code, int http_status) {
  if (code == "SlowDown") return FailureClass::kThrottled;
  if (code == "InternalError" || code == "RequestTimeout") return FailureClass::kTransient;
  if (code == "AccessDenied" || code == "InvalidAccessKeyId" || code == "SignatureDoesNotMatch" ||
      code == "ExpiredToken" || code == "InvalidToken") {
    return FailureClass::kAuth;
  }
  if (http_status != 0) return ClassifyHttpStatus(http_status, false);
  return FailureClass::kPermanent;
}

}  // namespace sqlflow::resilience
