#include "sqlflow/runner/metrics.h"

#include <cmath>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

#include <gtest/gtest.h>

namespace sqlflow::runner {
namespace {

StepResult ConnectorStep(std::string id, std::string connector, std::string type, std::string role,
                         PerformanceMetrics metrics) {
  StepResult step;
  step.id = std::move(id);
  step.status = StepStatus::kSuccess;
  step.connector =
      ConnectorMetrics{std::move(connector), std::move(type), std::move(role), metrics};
  return step;
}

RunResult HandBuiltRun() {
  RunResult run;
  run.run_id = "20261121T101500Z-3f9a2c";
  run.pipeline = "daily";
  run.profile = "dev";
  run.success = true;
  run.seconds = 2.5;
  PerformanceMetrics load{.connection_time_ms = 1.25,
                          .query_time_ms = 40,
                          .rows_per_second = 125000,
                          .bytes_transferred = 1048576,
                          .rows_transferred = 5000};
  run.steps.push_back(ConnectorStep("load_orders", "orders_src", "CSV", "source", load));
  StepResult transform;
  transform.id = "transform_totals";
  transform.kind = StepKind::kTransform;
  run.steps.push_back(transform);  // No connector: no sample.
  PerformanceMetrics export_metrics{.connection_time_ms = 0.5,
                                    .query_time_ms = 2,
                                    .rows_per_second = 1000,
                                    .bytes_transferred = 0,
                                    .rows_transferred = 2};
  run.steps.push_back(
      ConnectorStep("export_totals", "out/\"q\\\n.csv", "CSV", "destination", export_metrics));
  return run;
}

constexpr const char* kLoadLabels =
    "{pipeline=\"daily\",run_id=\"20261121T101500Z-3f9a2c\",step=\"load_orders\","
    "connector=\"orders_src\",type=\"CSV\",role=\"source\"}";
constexpr const char* kExportLabels =
    "{pipeline=\"daily\",run_id=\"20261121T101500Z-3f9a2c\",step=\"export_totals\","
    "connector=\"out/\\\"q\\\\\\n.csv\",type=\"CSV\",role=\"destination\"}";
constexpr const char* kRunLabels = "{pipeline=\"daily\",run_id=\"20261121T101500Z-3f9a2c\"}";

// The expected text with $L, $E and $R standing for the labels of the load, the export and
// the run.
constexpr const char* kExpected =
    R"(# HELP sqlflow_connector_connection_time_ms Milliseconds spent opening the connector.
# TYPE sqlflow_connector_connection_time_ms gauge
sqlflow_connector_connection_time_ms$L 1.25
sqlflow_connector_connection_time_ms$E 0.5
# HELP sqlflow_connector_query_time_ms Milliseconds spent reading or writing.
# TYPE sqlflow_connector_query_time_ms gauge
sqlflow_connector_query_time_ms$L 40
sqlflow_connector_query_time_ms$E 2
# HELP sqlflow_connector_rows_per_second Rows transferred per second of query time.
# TYPE sqlflow_connector_rows_per_second gauge
sqlflow_connector_rows_per_second$L 125000
sqlflow_connector_rows_per_second$E 1000
# HELP sqlflow_connector_bytes_transferred Bytes read or written (0 when unknown).
# TYPE sqlflow_connector_bytes_transferred gauge
sqlflow_connector_bytes_transferred$L 1048576
sqlflow_connector_bytes_transferred$E 0
# HELP sqlflow_connector_rows_transferred Rows read or written.
# TYPE sqlflow_connector_rows_transferred gauge
sqlflow_connector_rows_transferred$L 5000
sqlflow_connector_rows_transferred$E 2
# HELP sqlflow_run_success 1 when the run succeeded, else 0.
# TYPE sqlflow_run_success gauge
sqlflow_run_success$R 1
# HELP sqlflow_run_duration_seconds Duration of the run in seconds.
# TYPE sqlflow_run_duration_seconds gauge
sqlflow_run_duration_seconds$R 2.5
)";

// `text` with every "$L", "$E" and "$R" replaced by the labels they stand for.
std::string WithLabels(std::string text) {
  const std::pair<const char*, const char*> kTokens[] = {
      {"$L", kLoadLabels}, {"$E", kExportLabels}, {"$R", kRunLabels}};
  for (const auto& [token, labels] : kTokens) {
    for (size_t at = text.find(token); at != std::string::npos; at = text.find(token, at)) {
      text.replace(at, 2, labels);
      at += std::string_view(labels).size();
    }
  }
  return text;
}

TEST(PrometheusMetricsTest, ExactTextInStepOrderWithEscapedLabels) {
  EXPECT_EQ(PrometheusMetrics(HandBuiltRun()), WithLabels(kExpected));
}

TEST(PrometheusMetricsTest, FailedRunWithoutConnectorsHasOnlyTheRunFamilies) {
  RunResult run;
  run.run_id = "r1";
  run.pipeline = "p";
  run.success = false;
  run.seconds = 0;
  StepResult failed;
  failed.id = "load_x";
  failed.status = StepStatus::kFailed;  // Never reached its connector.
  run.steps.push_back(failed);
  EXPECT_EQ(PrometheusMetrics(run),
            "# HELP sqlflow_run_success 1 when the run succeeded, else 0.\n"
            "# TYPE sqlflow_run_success gauge\n"
            "sqlflow_run_success{pipeline=\"p\",run_id=\"r1\"} 0\n"
            "# HELP sqlflow_run_duration_seconds Duration of the run in seconds.\n"
            "# TYPE sqlflow_run_duration_seconds gauge\n"
            "sqlflow_run_duration_seconds{pipeline=\"p\",run_id=\"r1\"} 0\n");
}

TEST(PrometheusMetricsTest, SpecialValuesUseTheFormatsSpelling) {
  RunResult run = HandBuiltRun();
  run.steps.resize(1);
  run.steps[0].connector->metrics.rows_per_second = std::numeric_limits<double>::infinity();
  run.steps[0].connector->metrics.query_time_ms = std::nan("");
  std::string text = PrometheusMetrics(run);
  EXPECT_NE(text.find(std::string("sqlflow_connector_rows_per_second") + kLoadLabels + " +Inf\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(std::string("sqlflow_connector_query_time_ms") + kLoadLabels + " NaN\n"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace sqlflow::runner
