#pragma once

#include <string>

#include "sqlflow/runner/executor.h"

namespace sqlflow::runner {

/// The per-connector performance of a run in the Prometheus text exposition format (version
/// 0.0.4), for `pipeline run --metrics-file`: one gauge family per metric, each with HELP and
/// TYPE lines, one sample per LOAD or EXPORT step that reached its connector:
///
///   sqlflow_connector_connection_time_ms{pipeline="p",run_id="...",step="load_orders",
///                                        connector="orders_src",type="CSV",role="source"} 1.25
///
/// Families: sqlflow_connector_connection_time_ms, sqlflow_connector_query_time_ms,
/// sqlflow_connector_rows_per_second, sqlflow_connector_bytes_transferred,
/// sqlflow_connector_rows_transferred, plus sqlflow_run_success (1/0) and
/// sqlflow_run_duration_seconds for the run, then the seed's resilience metrics
/// (connector_retries_total, connector_circuit_breaker_state, connector_rate_limit_wait_time,
/// connector_recovery_attempts; resilience::ResilienceMetrics::ToPrometheus). Label values are
/// escaped (\\, \", \n).
std::string PrometheusMetrics(const RunResult& run);

}  // namespace sqlflow::runner
