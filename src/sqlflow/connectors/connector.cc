#include "sqlflow/connectors/connector.h"

#include <cmath>
#include <exception>
#include <type_traits>
#include <utility>

#include <fmt/format.h>

#include "sqlflow/common/strings.h"
#include "sqlflow/resilience/config.h"

namespace sqlflow {

const char* ConnectorTypeName(ConnectorType type) {
  switch (type) {
    case ConnectorType::kSource:
      return "source";
    case ConnectorType::kDestination:
      return "destination";
    case ConnectorType::kBidirectional:
      return "bidirectional";
  }
  return "unknown";
}

const char* ConnectorStateName(ConnectorState state) {
  switch (state) {
    case ConnectorState::kCreated:
      return "created";
    case ConnectorState::kConfigured:
      return "configured";
    case ConnectorState::kReady:
      return "ready";
    case ConnectorState::kError:
      return "error";
  }
  return "unknown";
}

const char* SyncModeName(SyncMode mode) {
  switch (mode) {
    case SyncMode::kFullRefresh:
      return "full_refresh";
    case SyncMode::kIncremental:
      return "incremental";
    case SyncMode::kCdc:
      return "cdc";
  }
  return "unknown";
}

nlohmann::json Capabilities::ToJson() const {
  return {{"incremental", incremental},
          {"batch_reading", batch_reading},
          {"health_monitoring", health_monitoring},
          {"projection_pushdown", projection_pushdown},
          {"filter_pushdown", filter_pushdown},
          {"discovery", discovery},
          {"upsert", upsert},
          {"atomic_write", atomic_write}};
}

ParameterValidator ConnectorSpec::MakeValidator() const {
  return ParameterValidator(type, params, constraints);
}

namespace {

// Bounds are doubles in ParamSpec; an integer parameter shows them as integers (1, not 1.0).
nlohmann::json BoundJson(ParamType type, double bound) {
  if (type == ParamType::kInteger) return static_cast<int64_t>(bound);
  return bound;
}

// Optional keys are left out rather than shown as null or [], so `connectors spec` and the
// generated docs print only what a parameter really has (pinned by connector_test SpecToJson).
nlohmann::json ParamJson(const ParamSpec& p) {
  nlohmann::json out = {{"name", p.name},
                        {"type", ParamTypeName(p.type)},
                        {"required", p.required},
                        {"description", p.description},
                        {"secret", p.secret}};
  if (p.default_value && !p.secret) out["default"] = *p.default_value;
  if (!p.aliases.empty()) out["aliases"] = p.aliases;
  if (!p.deprecated_names.empty()) out["deprecated"] = p.deprecated_names;
  if (!p.allowed.empty()) out["allowed"] = p.allowed;
  if (p.minimum) out["minimum"] = BoundJson(p.type, *p.minimum);
  if (p.maximum) out["maximum"] = BoundJson(p.type, *p.maximum);
  return out;
}

}  // namespace

nlohmann::json ConnectorSpec::ToJson() const {
  nlohmann::json parameters = nlohmann::json::array();
  for (const ParamSpec& p : params) parameters.push_back(ParamJson(p));
  return {{"type", type},
          {"description", description},
          {"parameters", std::move(parameters)},
          {"capabilities", capabilities.ToJson()},
          {"resilience", resilience::DefaultProfile(type).ToJson()}};
}

nlohmann::json HealthReport::ToJson() const {
  nlohmann::json out = {{"status", healthy ? "healthy" : "unhealthy"},
                        {"connected", connected},
                        {"response_time_ms", response_time_ms},
                        {"last_check", last_check},
                        {"capabilities",
                         {{"incremental", capabilities.incremental},
                          {"batch_reading", capabilities.batch_reading},
                          {"health_monitoring", capabilities.health_monitoring}}},
                        {"resilience", resilience}};
  if (!healthy) out["error"] = error;
  return out;
}

nlohmann::json PerformanceMetrics::ToJson() const {
  return {{"connection_time_ms", connection_time_ms},
          {"query_time_ms", query_time_ms},
          {"rows_per_second", rows_per_second},
          {"bytes_transferred", bytes_transferred},
          {"rows_transferred", rows_transferred},
          {"retries", retries},
          {"failures", failures}};
}

// ---- Connector ---------------------------------------------------------------------------

Connector::Connector(const ConnectorSpec& spec, std::shared_ptr<Clock> clock)
    : spec_(spec),
      clock_(clock ? std::move(clock) : SystemClock::Instance()),
      name_(spec.type),
      policy_(MakePolicy(resilience::DefaultProfile(spec.type))) {}

std::shared_ptr<resilience::ResiliencePolicy> Connector::MakePolicy(
    const resilience::ResilienceOptions& options) const {
  resilience::PolicyContext context;
  context.connector_type = ToLower(spec_.type);
  context.name = name_;
  context.clock = clock_;
  context.metrics = resilience_metrics_;
  return resilience::ResiliencePolicy::Make(options, std::move(context));
}

void Connector::set_resilience_metrics(std::shared_ptr<resilience::ResilienceMetrics> metrics) {
  resilience_metrics_ = std::move(metrics);
}

ConnectorState Connector::state() const {
  std::lock_guard lock(mu_);
  return state_;
}

std::string Connector::last_error() const {
  std::lock_guard lock(mu_);
  return last_error_;
}

ParameterSet Connector::ValidateParams(const nlohmann::json& params, const EnvLookup& env) const {
  try {
    ParameterSet validated = spec_.MakeValidator().Validate(params, env);
    // The fields of `resilience` too, so `pipeline validate` reports them (RESILIENCE.md).
    if (validated.Has("resilience")) {
      resilience::ResilienceOptions options = resilience::DefaultProfile(spec_.type);
      AdjustResilience(validated, &options);
      resilience::ParseResilience(name_, validated.Get("resilience"), options, env);
    }
    return validated;
  } catch (const ParameterError& e) {
    // The validator knows the type ("CSV"); messages name the instance ("orders_src").
    if (e.connector() == name_) throw;
    throw ParameterError(name_, e.problems());
  }
}

void Connector::ValidateIncrementalParams(const ParameterSet& params) const {
  std::vector<ParameterProblem> problems;
  if (!spec_.capabilities.incremental) {
    problems.push_back(
        {"sync_mode",
         fmt::format("connector type '{}' does not support incremental reads", spec_.type),
         "use sync_mode 'full_refresh'"});
  }
  if (!params.Has("cursor_field")) {
    problems.push_back({"cursor_field", "is required when sync_mode is 'incremental'",
                        "name the column that grows with every change, e.g. 'updated_at'"});
  } else {
    const nlohmann::json& cursor = params.Get("cursor_field");
    if (!cursor.is_string() || std::string(Trim(cursor.get<std::string>())).empty()) {
      problems.push_back({"cursor_field", "must not be empty when sync_mode is 'incremental'", ""});
    }
  }
  if (params.Has("primary_key")) {
    for (const std::string& key : params.GetStringList("primary_key")) {
      if (Trim(key).empty()) {
        problems.push_back({"primary_key", "must not contain an empty column name", ""});
        break;
      }
    }
  }
  if (!problems.empty()) throw ParameterError(name_, std::move(problems));
}

namespace {

// Return the row holding the largest non-null value of `column` (the first such row on ties),
// or -1 when every row is null. Reads the buffers directly: this runs once per chunk of an
// incremental load, and a Value per row would allocate.
template <typename T, typename Get>
int64_t MaxRowBy(const Column& column, Get get) {
  int64_t best = -1;
  T best_value{};
  for (int64_t i = 0; i < column.length; ++i) {
    if (column.IsNull(i)) continue;
    T v = get(i);
    if constexpr (std::is_floating_point_v<T>) {
      if (std::isnan(v)) continue;  // NaN has no place in an order.
    }
    if (best < 0 || best_value < v) {
      best = i;
      best_value = v;
    }
  }
  return best;
}

int64_t MaxRow(const Column& c) {
  switch (c.type.id()) {
    case TypeId::kBoolean:
      return MaxRowBy<bool>(c, [&](int64_t i) { return c.BoolAt(i); });
    case TypeId::kInt8:
      return MaxRowBy<int8_t>(c, [&](int64_t i) { return c.ValueAt<int8_t>(i); });
    case TypeId::kInt16:
      return MaxRowBy<int16_t>(c, [&](int64_t i) { return c.ValueAt<int16_t>(i); });
    case TypeId::kInt32:
    case TypeId::kDate:
      return MaxRowBy<int32_t>(c, [&](int64_t i) { return c.ValueAt<int32_t>(i); });
    case TypeId::kInt64:
    case TypeId::kTime:
    case TypeId::kTimestamp:
      return MaxRowBy<int64_t>(c, [&](int64_t i) { return c.ValueAt<int64_t>(i); });
    case TypeId::kUInt8:
      return MaxRowBy<uint8_t>(c, [&](int64_t i) { return c.ValueAt<uint8_t>(i); });
    case TypeId::kUInt16:
      return MaxRowBy<uint16_t>(c, [&](int64_t i) { return c.ValueAt<uint16_t>(i); });
    case TypeId::kUInt32:
      return MaxRowBy<uint32_t>(c, [&](int64_t i) { return c.ValueAt<uint32_t>(i); });
    case TypeId::kUInt64:
      return MaxRowBy<uint64_t>(c, [&](int64_t i) { return c.ValueAt<uint64_t>(i); });
    case TypeId::kFloat32:
      return MaxRowBy<float>(c, [&](int64_t i) { return c.ValueAt<float>(i); });
    case TypeId::kFloat64:
      return MaxRowBy<double>(c, [&](int64_t i) { return c.ValueAt<double>(i); });
    case TypeId::kDecimal:
      return MaxRowBy<Int128>(c, [&](int64_t i) { return c.DecimalAt(i); });
    case TypeId::kString:
    case TypeId::kBinary:
    case TypeId::kJson:
      return MaxRowBy<std::string_view>(c, [&](int64_t i) { return c.StringAt(i); });
  }
  return -1;
}

bool IsIncremental(const ParameterSet& params) {
  if (!params.Has("sync_mode")) return false;
  const nlohmann::json& mode = params.Get("sync_mode");
  return mode.is_string() && EqualsIgnoreCase(mode.get<std::string>(), "incremental");
}

}  // namespace

void Connector::Configure(const nlohmann::json& params, const EnvLookup& env) {
  // Validation errors leave the connector as it was: a bad Configure() on a working
  // connector must not break it (connector_test ConfigureFailureKeepsState).
  ParameterSet validated = ValidateParams(params, env);
  if (IsIncremental(validated)) ValidateIncrementalParams(validated);
  // The `resilience` value was type-checked by the validator; its fields are checked here,
  // before anything is applied, so a bad value leaves the connector as it was.
  resilience::ResilienceOptions options = resilience::DefaultProfile(spec_.type);
  AdjustResilience(validated, &options);
  if (validated.Has("resilience")) {
    options = resilience::ParseResilience(name_, validated.Get("resilience"), options, env);
  }
  // DoConfigure() may read the new policy's options (a per-attempt timeout).
  std::shared_ptr<resilience::ResiliencePolicy> previous =
      std::exchange(policy_, MakePolicy(options));
  try {
    DoConfigure(validated);
  } catch (const ParameterError&) {
    policy_ = std::move(previous);
    throw;
  } catch (const std::exception& e) {
    MarkError(e.what());
    throw;
  }
  std::lock_guard lock(mu_);
  params_ = std::move(validated);
  state_ = ConnectorState::kConfigured;
  last_error_.clear();
}

HealthReport Connector::CheckHealth() {
  HealthReport report;
  report.capabilities = spec_.capabilities;
  ConnectionTestResult result;
  const Clock::TimePoint start = clock_->Now();
  try {
    result = TestConnection();
  } catch (const std::exception& e) {
    result.success = false;
    result.message = e.what();
  } catch (...) {
    result.success = false;
    result.message = "connection test failed with an unknown exception";
  }
  const Clock::TimePoint end = clock_->Now();
  report.response_time_ms = MillisBetween(start, end);
  report.last_check = FormatIso8601Utc(clock_->WallNow());
  report.connected = result.success;
  report.healthy = result.success;
  try {
    report.resilience = ResilienceState();
  } catch (const std::exception&) {
    report.resilience = nlohmann::json::object();
  }
  if (result.success) {
    RecordConnectionTime(report.response_time_ms);
    MarkReady();
  } else {
    RecordFailure();
    report.error = result.message.empty() ? "connection test failed" : result.message;
  }
  return report;
}

PerformanceMetrics Connector::performance_metrics() const {
  std::lock_guard lock(mu_);
  PerformanceMetrics out = metrics_;
  out.retries += policy_->retries();
  out.rows_per_second = out.query_time_ms > 0
                            ? static_cast<double>(out.rows_transferred) / (out.query_time_ms / 1000)
                            : 0;
  return out;
}

nlohmann::json Connector::ResilienceState() const { return policy_->State(); }

void Connector::MarkReady() {
  std::lock_guard lock(mu_);
  // Only a configured connector becomes ready; ERROR is left only by Configure().
  if (state_ == ConnectorState::kConfigured) state_ = ConnectorState::kReady;
}

void Connector::MarkError(const std::string& message) {
  std::lock_guard lock(mu_);
  state_ = ConnectorState::kError;
  last_error_ = message;
}

void Connector::RecordConnectionTime(double ms) {
  std::lock_guard lock(mu_);
  metrics_.connection_time_ms = ms;
}

void Connector::RecordQueryTime(double ms) {
  std::lock_guard lock(mu_);
  metrics_.query_time_ms += ms;
}

void Connector::RecordTransfer(int64_t rows, int64_t bytes) {
  std::lock_guard lock(mu_);
  metrics_.rows_transferred += rows;
  metrics_.bytes_transferred += bytes;
}

void Connector::RecordRetry() {
  std::lock_guard lock(mu_);
  ++metrics_.retries;
}

void Connector::RecordFailure() {
  std::lock_guard lock(mu_);
  ++metrics_.failures;
}

// ---- SourceConnector ---------------------------------------------------------------------

std::unique_ptr<ChunkStream> SourceConnector::ReadIncremental(const IncrementalRequest& request) {
  if (!SupportsIncremental()) {
    throw IncrementalError(
        name(), "read_incremental",
        fmt::format("connector type '{}' does not support incremental reads", type_name()));
  }
  if (Trim(request.cursor_field).empty()) {
    throw IncrementalError(name(), "read_incremental", "cursor_field is empty");
  }
  ReadRequest read;
  read.object = request.object;
  read.columns = request.columns;
  read.filters = request.filters;
  read.batch_size = request.batch_size;
  if (request.cursor_value && !request.cursor_value->is_null()) {
    read.filters.push_back(Filter{request.cursor_field,
                                  request.inclusive ? FilterOp::kGe : FilterOp::kGt,
                                  {*request.cursor_value}});
  }
  return Read(read);
}

std::optional<Value> SourceConnector::CursorValue(const DataChunk& chunk,
                                                  const std::string& cursor_field) const {
  const int index = chunk.schema().FieldIndex(cursor_field);
  if (index < 0) {
    throw IncrementalError(
        name(), "cursor_value",
        fmt::format("cursor field '{}' is not a column of the data (columns: {})", cursor_field,
                    Join(chunk.schema().names(), ", ")));
  }
  const Field& field = chunk.schema().field(static_cast<size_t>(index));
  if (!field.type.is_orderable()) {
    throw IncrementalError(
        name(), "cursor_value",
        fmt::format("cursor field '{}' has type {}, which has no order usable as a cursor",
                    field.name, field.type.ToSql()));
  }
  const Column& column = chunk.column(static_cast<size_t>(index));
  const int64_t best = MaxRow(column);
  if (best < 0) return std::nullopt;
  return column.GetValue(best);
}

ParamSpec SnapshotSyncModeParam() {
  ParamSpec p = StandardParam("sync_mode");
  p.allowed = {"full_refresh", "incremental"};
  p.description = "How to read: full_refresh or incremental";
  return p;
}

int64_t EffectiveBatchSize(int64_t requested, int64_t configured) {
  return requested > 0 && requested != ReadRequest{}.batch_size ? requested : configured;
}

}  // namespace sqlflow
