#include <string>
#include <vector>

#include "sqlflow/connectors/rest/rest_connector.h"
#include "sqlflow/connectors/rest/rest_pagination.h"
#include "sqlflow/net/auth.h"
#include "sqlflow/resilience/config.h"

namespace sqlflow {
namespace {

ParamSpec WithAliases(ParamSpec p, std::vector<std::string> aliases) {
  p.aliases = std::move(aliases);
  return p;
}

ParamSpec Bounded(ParamSpec p, double minimum, double maximum) {
  p.minimum = minimum;
  p.maximum = maximum;
  return p;
}

ConnectorSpec BuildRestSourceSpec() {
  ConnectorSpec spec;
  spec.type = "REST";
  spec.description =
      "Read JSON records from an HTTP API: auth, pagination, incremental cursor parameter, "
      "retries, circuit breaker and rate limit.";
  ParamSpec url = MakeParam("url", ParamType::kString, std::nullopt,
                            "Endpoint address (http:// or https://), query parameters allowed.");
  url.required = true;
  spec.params = {
      url,
      MakeParam("method", ParamType::kString, "GET", "HTTP method.", {"GET", "POST"}),
      MakeParam("headers", ParamType::kObject, std::nullopt,
                "Request headers (name: value); values of Authorization-like headers are "
                "treated as secrets."),
      MakeParam("params", ParamType::kObject, std::nullopt, "Query parameters (name: value)."),
      MakeParam("body", ParamType::kAny, std::nullopt, "JSON body of a POST request."),
      net::AuthParam(),
      WithAliases(MakeParam("records_path", ParamType::kString, std::nullopt,
                            "Dot path to the array of records in a response (\"data\", "
                            "\"result.items\"); empty: the response itself."),
                  {"data_path"}),
      rest::PaginationParam(),
      MakeParam("flatten", ParamType::kBoolean, true,
                "Flatten nested objects into parent__child columns; false keeps them as JSON."),
      WithAliases(Bounded(MakeParam("timeout", ParamType::kNumber, std::nullopt,
                                    "Time limit of one request in seconds (default: the "
                                    "resilience circuit_breaker.timeout, 30)."),
                          0.001, 86400),
                  {"timeout_seconds"}),
      Bounded(MakeParam("max_retries", ParamType::kInteger, std::nullopt,
                        "Retries after a failed request (the Python SQLFlow's parameter; "
                        "resilience.retry_attempts is max_retries + 1 and wins)."),
              0, 100),
      WithAliases(MakeParam("verify_ssl", ParamType::kBoolean, true,
                            "Verify the server's TLS certificate; false is logged as a warning."),
                  {"verify_tls"}),
      Bounded(MakeParam("max_response_mb", ParamType::kInteger, 256,
                        "Largest response body accepted, in MiB."),
              1, 65536),
      StandardParam("batch_size"),
      SnapshotSyncModeParam(),
      StandardParam("cursor_field",
                    "Field of the records holding the incremental cursor (flattened name)."),
      StandardParam("primary_key"),
      StandardParam("initial_value"),
      MakeParam("cursor_param", ParamType::kString, std::nullopt,
                "Query parameter that carries the watermark to the API in incremental reads."),
      resilience::ResilienceParam(),
  };
  spec.constraints = {{ParamConstraint::Kind::kRequires, {"cursor_param", "cursor_field"}}};
  spec.capabilities.incremental = true;
  spec.capabilities.projection_pushdown = false;
  spec.capabilities.filter_pushdown = false;
  spec.capabilities.discovery = false;
  return spec;
}

}  // namespace

const ConnectorSpec& RestSourceSpec() {
  static const ConnectorSpec spec = BuildRestSourceSpec();
  return spec;
}

}  // namespace sqlflow
