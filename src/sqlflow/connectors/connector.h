#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "sqlflow/common/clock.h"
#include "sqlflow/common/error.h"
#include "sqlflow/data/chunk.h"
#include "sqlflow/data/stream.h"
#include "sqlflow/data/value.h"
#include "sqlflow/params/parameter_validator.h"
#include "sqlflow/resilience/policy.h"

#include <nlohmann/json.hpp>

namespace sqlflow {

/// Which way data flows through a connector type.
enum class ConnectorType { kSource, kDestination, kBidirectional };
/// CREATED → Configure() → CONFIGURED → first successful connection → READY; ERROR on an
/// unrecoverable failure (the error is kept). Configure() again resets to CONFIGURED.
enum class ConnectorState { kCreated, kConfigured, kReady, kError };
enum class SyncMode { kFullRefresh, kIncremental, kCdc };

const char* ConnectorTypeName(ConnectorType type);     ///< "source", "destination", ...
const char* ConnectorStateName(ConnectorState state);  ///< "created", "configured", ...
const char* SyncModeName(SyncMode mode);               ///< "full_refresh", ...

/// What a connector type can do; shown by `connectors spec` and in health reports.
struct Capabilities {
  bool incremental = false;          ///< read_incremental() supported.
  bool batch_reading = true;         ///< read() streams bounded chunks.
  bool health_monitoring = true;     ///< check_health() really checks.
  bool projection_pushdown = false;  ///< Columns are selected at the source.
  bool filter_pushdown = false;      ///< Filters run at the source (else after reading).
  bool discovery = false;            ///< discover() lists objects.
  bool upsert = false;               ///< write() supports upsert.
  bool atomic_write = false;         ///< A failed write leaves the destination unchanged.

  nlohmann::json ToJson() const;
};

/// Everything the registry, the validator, the CLI and the docs know about a connector type.
struct ConnectorSpec {
  std::string type;         ///< Registered name, upper case by convention ("CSV").
  std::string description;  ///< One sentence.
  std::vector<ParamSpec> params;
  std::vector<ParamConstraint> constraints;
  Capabilities capabilities;

  /// A validator over params + constraints, for connector `type`.
  ParameterValidator MakeValidator() const;
  /// The spec as JSON: {"type", "description", "parameters": [{name, type, required,
  /// default, description, aliases, deprecated, allowed, minimum, maximum, secret}],
  /// "capabilities": {...}, "resilience": the type's default profile in the tier-3 shape
  /// (resilience::ResilienceOptions::ToJson)}. Secrets have no default shown.
  nlohmann::json ToJson() const;
};

/// The outcome of test_connection().
struct ConnectionTestResult {
  bool success = false;
  std::string message;  ///< What was checked, or why it failed.
  double response_time_ms = 0;
};

/// The health JSON of connector-interface-spec.md.
struct HealthReport {
  bool healthy = false;
  bool connected = false;
  double response_time_ms = 0;
  std::string last_check;  ///< ISO-8601 UTC.
  Capabilities capabilities;
  std::string error;  ///< Only when unhealthy; secrets never appear in it.
  nlohmann::json resilience = nlohmann::json::object();  ///< Breaker state, limiter wait.

  /// {"status": "healthy"|"unhealthy", "connected", "response_time_ms", "last_check",
  ///  "capabilities": {"incremental", "batch_reading", "health_monitoring"}, "resilience",
  ///  "error" (only when unhealthy)}
  nlohmann::json ToJson() const;
};

/// The performance metrics of connector-interface-spec.md plus retry/failure counters.
struct PerformanceMetrics {
  double connection_time_ms = 0;  ///< Time of the last successful connection (health check).
  double query_time_ms = 0;       ///< Total time spent reading and writing so far.
  double rows_per_second = 0;     ///< rows_transferred / query_time_ms (0 before any query).
  int64_t bytes_transferred = 0;
  int64_t rows_transferred = 0;
  int64_t retries = 0;
  int64_t failures = 0;

  nlohmann::json ToJson() const;
};

/// `sync_mode` for sources without a change stream (files, in-memory tables): full_refresh
/// or incremental, no cdc.
ParamSpec SnapshotSyncModeParam();

/// A comparison pushed into a read: column op value(s).
enum class FilterOp { kEq, kNe, kLt, kLe, kGt, kGe, kIn };
const char* FilterOpSql(FilterOp op);  ///< "=", "<>", "<", "<=", ">", ">=", "IN"

struct Filter {
  std::string column;
  FilterOp op = FilterOp::kEq;
  std::vector<Value> values;  ///< One value, or the list for IN.
};

/// Parse filters from JSON: {"col": value} (equality), {"col": {">=": v, "<": w}},
/// {"col": {"in": [a, b]}}; operators "=", "==", "!=", "<>", "<", "<=", ">", ">=", "in"
/// (case-insensitive). Values are typed by `schema` when the column is in it. Throws
/// ParameterError naming the column or operator at fault.
std::vector<Filter> ParseFilters(const std::string& connector, const nlohmann::json& filters,
                                 const Schema* schema = nullptr);

/// Return the rows of `chunk` that satisfy every filter (for connectors that cannot push
/// filters down). Columns missing from the chunk throw SchemaError.
DataChunk ApplyFilters(const DataChunk& chunk, const std::vector<Filter>& filters);

/// What read() is asked for.
struct ReadRequest {
  std::string object;                ///< Table, file or path; "" means the connector's default.
  std::vector<std::string> columns;  ///< Projection; empty means all columns.
  std::vector<Filter> filters;       ///< All must hold.
  int64_t batch_size = 10000;        ///< Rows per chunk at most.
};

/// The rows per chunk of a read: `requested` (ReadRequest/IncrementalRequest::batch_size) when
/// the caller asked for a size other than the default, else the source's own `batch_size`
/// parameter (`configured`).
int64_t EffectiveBatchSize(int64_t requested, int64_t configured);

/// What read_incremental() is asked for: rows whose cursor is strictly greater than
/// `cursor_value` (greater or equal when `inclusive`; all rows when it is empty), in addition
/// to `filters`.
struct IncrementalRequest {
  std::string object;
  std::string cursor_field;
  std::optional<Value> cursor_value;
  /// Also return the rows whose cursor equals `cursor_value`: the runner re-reads the boundary
  /// value of a source that cannot order ties and drops the rows it already loaded.
  bool inclusive = false;
  std::vector<std::string> columns;
  std::vector<Filter> filters;
  int64_t batch_size = 10000;
};

enum class WriteMode { kReplace, kAppend, kUpsert };
const char* WriteModeName(WriteMode mode);  ///< "replace", "append", "upsert"
/// Parse "replace" | "append" | "upsert" (case-insensitive); false otherwise.
bool ParseWriteMode(std::string_view text, WriteMode* out);

struct WriteOptions {
  WriteMode mode = WriteMode::kReplace;
  std::vector<std::string> keys;  ///< Required for upsert; one or more columns.
};

struct WriteResult {
  int64_t rows_written = 0;
  int64_t bytes_written = 0;  ///< Bytes of the destination after the write, when known.
};

/// Base of every connector: lifecycle, parameters, health and metrics.
///
/// Subclasses implement DoConfigure() and TestConnection(); Configure() validates through
/// the spec's ParameterValidator first, so DoConfigure() only ever sees valid parameters.
class Connector {
 public:
  Connector(const ConnectorSpec& spec, std::shared_ptr<Clock> clock);
  virtual ~Connector() = default;
  Connector(const Connector&) = delete;
  Connector& operator=(const Connector&) = delete;

  /// The registered type name ("CSV").
  const std::string& type_name() const { return spec_.type; }
  /// The instance name used in messages (the pipeline's SOURCE name); defaults to the type.
  const std::string& name() const { return name_; }
  void set_name(std::string name) { name_ = std::move(name); }
  const ConnectorSpec& spec() const { return spec_; }
  ConnectorState state() const;
  /// The error that moved the connector to ERROR, or "".
  std::string last_error() const;

  /// Validate and apply parameters. Throws ParameterError (all problems at once); on success
  /// the state is CONFIGURED. Validates incremental parameters when sync_mode is incremental.
  void Configure(const nlohmann::json& params, const EnvLookup& env = ProcessEnv());
  /// Validate without applying.
  ParameterSet ValidateParams(const nlohmann::json& params,
                              const EnvLookup& env = ProcessEnv()) const;
  /// Check sync_mode / cursor_field / primary_key coherence. Throws ParameterError.
  virtual void ValidateIncrementalParams(const ParameterSet& params) const;
  /// The parameters applied by the last Configure() (secrets included: do not print).
  const ParameterSet& params() const { return params_; }

  /// Count this connector's resilience events in `metrics` (the run's registry). Takes
  /// effect at the next Configure(), which builds the policy. Default: not counted.
  void set_resilience_metrics(std::shared_ptr<resilience::ResilienceMetrics> metrics);
  /// The policy the last Configure() built from the type's profile (resilience::
  /// DefaultProfile) and the `resilience` parameter; before Configure(), the bare profile's.
  const resilience::ResiliencePolicy& resilience() const { return *policy_; }

  /// Try to reach the data (open the file, connect to the server). Never throws.
  virtual ConnectionTestResult TestConnection() = 0;
  /// Run TestConnection() and report in the health JSON shape. Never throws.
  HealthReport CheckHealth();
  /// Connection/query times, throughput, bytes, retries and failures so far.
  PerformanceMetrics performance_metrics() const;

 protected:
  /// Apply validated parameters. Must not do I/O (constructors and configure are cheap).
  virtual void DoConfigure(const ParameterSet& params) = 0;

  Clock& clock() const { return *clock_; }
  const std::shared_ptr<Clock>& clock_ptr() const { return clock_; }
  /// Mark the connector READY after a successful connection.
  void MarkReady();
  /// Mark the connector ERROR with `message` (already free of secrets).
  void MarkError(const std::string& message);
  /// The resilience state shown in health reports: the policy's State() (breaker state,
  /// limiter wait). Must not throw.
  virtual nlohmann::json ResilienceState() const;
  /// The policy, for server feedback (ObserveServerBudget).
  resilience::ResiliencePolicy& policy() { return *policy_; }
  /// Run `op` under the connector's resilience policy for remote `host` ("" for a connector
  /// with one endpoint): retries, breaker, limiter and recovery as configured. Retries are
  /// counted in performance_metrics().
  template <typename F>
  std::invoke_result_t<F&> Resilient(std::string_view operation, std::string_view host, F&& op,
                                     const resilience::RecoveryHooks& hooks = {}) {
    return policy_->Run(operation, host, std::forward<F>(op), hooks);
  }

  /// Adjust the type's profile from the connector's own parameters before the `resilience`
  /// parameter applies (a legacy `max_retries`); nothing by default.
  virtual void AdjustResilience(const ParameterSet& /*params*/,
                                resilience::ResilienceOptions* /*options*/) const {}
  /// A policy of `options` for this connector (its type, name, clock and metrics).
  std::shared_ptr<resilience::ResiliencePolicy> MakePolicy(
      const resilience::ResilienceOptions& options) const;

  /// Metric recording for subclasses (thread-safe).
  void RecordConnectionTime(double ms);
  void RecordQueryTime(double ms);
  void RecordTransfer(int64_t rows, int64_t bytes);
  void RecordRetry();
  void RecordFailure();

 private:
  const ConnectorSpec& spec_;
  std::shared_ptr<Clock> clock_;
  std::string name_;
  ParameterSet params_;
  std::shared_ptr<resilience::ResilienceMetrics> resilience_metrics_;
  std::shared_ptr<resilience::ResiliencePolicy> policy_;  // never null
  mutable std::mutex mu_;
  ConnectorState state_ = ConnectorState::kCreated;
  std::string last_error_;
  PerformanceMetrics metrics_;
};

/// A connector that reads: bind (schema) → open → pull chunks until the end.
class SourceConnector : public Connector {
 public:
  using Connector::Connector;

  /// List the objects this source can read (files of a glob, tables of a schema).
  virtual std::vector<std::string> Discover() = 0;
  /// Return the schema of `object` ("" = the default object).
  virtual Schema GetSchema(const std::string& object) = 0;
  /// Stream the rows of request.object in chunks of at most request.batch_size rows.
  virtual std::unique_ptr<ChunkStream> Read(const ReadRequest& request) = 0;
  /// Stream the rows whose cursor is strictly greater than request.cursor_value. The default
  /// adds a `cursor > value` filter to Read(); throws IncrementalError when unsupported.
  virtual std::unique_ptr<ChunkStream> ReadIncremental(const IncrementalRequest& request);
  virtual bool SupportsIncremental() const { return spec().capabilities.incremental; }
  /// Whether GetSchema() is cheap enough for the planner's checks (no request to a remote
  /// service). A source that answers false is checked when its LOAD runs instead.
  virtual bool SchemaIsCheap() const { return true; }
  /// Return the largest non-null value of `cursor_field` in `chunk` (nullopt if all null).
  /// Throws IncrementalError when the column is missing or not orderable.
  virtual std::optional<Value> CursorValue(const DataChunk& chunk,
                                           const std::string& cursor_field) const;
};

/// A connector that writes a stream to an object.
class DestinationConnector : public Connector {
 public:
  using Connector::Connector;

  /// Write every chunk of `input` to `object` ("" = the configured default). A failed write
  /// leaves the destination as it was (atomic where capabilities().atomic_write).
  virtual WriteResult Write(const std::string& object, ChunkStream& input,
                            const WriteOptions& options) = 0;
};

}  // namespace sqlflow
