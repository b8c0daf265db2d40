// The Prometheus text exposition of a run's connector metrics (`pipeline run --metrics-file`).

#include "sqlflow/runner/metrics.h"

#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

namespace sqlflow::runner {

namespace {

/// A label value with `\`, `"` and newlines escaped, as the text format requires.
std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
  return out;
}

using Labels = std::vector<std::pair<const char*, std::string>>;

/// `{a="x",b="y"}`.
std::string LabelText(const Labels& labels) {
  std::string out = "{";
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) out += ",";
    out += fmt::format("{}=\"{}\"", labels[i].first, EscapeLabelValue(labels[i].second));
  }
  return out + "}";
}

/// A sample value: the shortest text that reads back as `value` ("1.25", "0", "1e+20"), and
/// the format's spellings of the special values.
std::string ValueText(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", value);
}

std::string ValueText(int64_t value) { return std::to_string(value); }

/// One gauge family: its HELP and TYPE lines once, then its samples in the order added.
class Family {
 public:
  Family(const char* name, const char* help) : name_(name), help_(help) {}

  template <typename Value>
  void Add(const Labels& labels, Value value) {
    samples_ += fmt::format("{}{} {}\n", name_, LabelText(labels), ValueText(value));
  }

  /// The family's text; "" when it has no sample.
  std::string Text() const {
    if (samples_.empty()) return "";
    return fmt::format("# HELP {} {}\n# TYPE {} gauge\n", name_, help_, name_) + samples_;
  }

 private:
  const char* name_;
  const char* help_;
  std::string samples_;
};

/// A connector family: one sample per step that reached its connector, from `value`.
template <typename Value>
std::string ConnectorFamily(const RunResult& run, const char* name, const char* help,
                            const std::function<Value(const PerformanceMetrics&)>& value) {
  Family family(name, help);
  for (const StepResult& step : run.steps) {
    if (!step.connector) continue;
    const ConnectorMetrics& c = *step.connector;
    family.Add(Labels{{"pipeline", run.pipeline},
                      {"run_id", run.run_id},
                      {"step", step.id},
                      {"connector", c.connector},
                      {"type", c.type},
                      {"role", c.role}},
               value(c.metrics));
  }
  return family.Text();
}

}  // namespace

std::string PrometheusMetrics(const RunResult& run) {
  using M = const PerformanceMetrics&;
  std::string out;
  out += ConnectorFamily<double>(run, "sqlflow_connector_connection_time_ms",
                                 "Milliseconds spent opening the connector.",
                                 [](M m) { return m.connection_time_ms; });
  out += ConnectorFamily<double>(run, "sqlflow_connector_query_time_ms",
                                 "Milliseconds spent reading or writing.",
                                 [](M m) { return m.query_time_ms; });
  out += ConnectorFamily<double>(run, "sqlflow_connector_rows_per_second",
                                 "Rows transferred per second of query time.",
                                 [](M m) { return m.rows_per_second; });
  out += ConnectorFamily<int64_t>(run, "sqlflow_connector_bytes_transferred",
                                  "Bytes read or written (0 when unknown).",
                                  [](M m) { return m.bytes_transferred; });
  out += ConnectorFamily<int64_t>(run, "sqlflow_connector_rows_transferred",
                                  "Rows read or written.", [](M m) { return m.rows_transferred; });
  Labels run_labels = {{"pipeline", run.pipeline}, {"run_id", run.run_id}};
  Family success("sqlflow_run_success", "1 when the run succeeded, else 0.");
  success.Add(run_labels, int64_t{run.success ? 1 : 0});
  Family duration("sqlflow_run_duration_seconds", "Duration of the run in seconds.");
  duration.Add(run_labels, run.seconds);
  out += success.Text() + duration.Text();
  // The seed's resilience metrics, by connector type across the run.
  if (run.resilience) out += run.resilience->ToPrometheus();
  return out;
}

}  // namespace sqlflow::runner
