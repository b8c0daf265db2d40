#pragma once

// Private helpers of duck/: never included from another component.

#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <duckdb.h>

#include "sqlflow/data/chunk.h"
#include "sqlflow/data/stream.h"
#include "sqlflow/duck/duck.h"

namespace sqlflow::duck::internal {

/// Owns a duckdb_error_data (from the appender, Arrow conversions); null means success.
class ErrorData {
 public:
  explicit ErrorData(duckdb_error_data data) : data_(data) {}
  ~ErrorData() {
    if (data_ != nullptr) duckdb_destroy_error_data(&data_);
  }
  ErrorData(const ErrorData&) = delete;
  ErrorData& operator=(const ErrorData&) = delete;
  bool failed() const { return data_ != nullptr && duckdb_error_data_has_error(data_); }
  std::string message() const {
    const char* text = data_ != nullptr ? duckdb_error_data_message(data_) : nullptr;
    return text != nullptr ? text : "";
  }
  duckdb_error_type type() const {
    return data_ != nullptr ? duckdb_error_data_error_type(data_) : DUCKDB_ERROR_INVALID;
  }

 private:
  duckdb_error_data data_;
};

/// The name of the table function that reads registered streams.
inline constexpr const char* kStreamScanFunction = "sqlflow_stream_scan";

/// Return the duckdb_error_type named by the "<Type> Error: " prefix DuckDB puts on every
/// message, for the C API calls that only hand out a string (duckdb_prepare_error,
/// duckdb_open_ext). DUCKDB_ERROR_INVALID when there is no known prefix.
duckdb_error_type ErrorTypeFromMessage(std::string_view message);

/// Convert a SQLFlow type to the DuckDB logical type a scan produces for it (caller destroys).
duckdb_logical_type ToDuckType(const DataType& type);

/// Describe why a column of DuckDB type `type` cannot be read and how to fix the query.
std::string UnsupportedColumnMessage(const std::string& column, duckdb_logical_type type);

/// Owns a duckdb_logical_type.
class LogicalType {
 public:
  explicit LogicalType(duckdb_logical_type type) : type_(type) {}
  ~LogicalType() {
    if (type_ != nullptr) duckdb_destroy_logical_type(&type_);
  }
  LogicalType(LogicalType&& other) noexcept : type_(std::exchange(other.type_, nullptr)) {}
  LogicalType(const LogicalType&) = delete;
  LogicalType& operator=(const LogicalType&) = delete;
  duckdb_logical_type get() const { return type_; }

 private:
  duckdb_logical_type type_;
};

/// Owns a duckdb_prepared_statement.
class PreparedStatement {
 public:
  PreparedStatement() = default;
  ~PreparedStatement() { duckdb_destroy_prepare(&stmt_); }
  PreparedStatement(const PreparedStatement&) = delete;
  PreparedStatement& operator=(const PreparedStatement&) = delete;
  duckdb_prepared_statement get() const { return stmt_; }
  duckdb_prepared_statement* out() { return &stmt_; }

 private:
  duckdb_prepared_statement stmt_ = nullptr;
};

/// Owns a duckdb_result (destroyed even when the query failed, as the C API requires).
class Result {
 public:
  Result() = default;
  ~Result() { duckdb_destroy_result(&result_); }
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;
  duckdb_result* get() { return &result_; }

 private:
  duckdb_result result_{};
};

/// Owns a duckdb_pending_result.
class PendingResult {
 public:
  PendingResult() = default;
  ~PendingResult() {
    if (pending_ != nullptr) duckdb_destroy_pending(&pending_);
  }
  PendingResult(const PendingResult&) = delete;
  PendingResult& operator=(const PendingResult&) = delete;
  duckdb_pending_result get() const { return pending_; }
  duckdb_pending_result* out() { return &pending_; }

 private:
  duckdb_pending_result pending_ = nullptr;
};

/// Owns a duckdb_arrow_options.
class ArrowOptions {
 public:
  ArrowOptions() = default;
  ~ArrowOptions() {
    if (options_ != nullptr) duckdb_destroy_arrow_options(&options_);
  }
  ArrowOptions(const ArrowOptions&) = delete;
  ArrowOptions& operator=(const ArrowOptions&) = delete;
  duckdb_arrow_options get() const { return options_; }
  void reset(duckdb_arrow_options options) { options_ = options; }

 private:
  duckdb_arrow_options options_ = nullptr;
};

/// The schema of a prepared statement's result: every column mapped, or a SchemaError naming
/// each column SQLFlow cannot represent. `duck_types` (if given) receives each column's DuckDB
/// type id, which tells Stream the columns it converts or range-checks (TIMESTAMP_S/_MS/_NS,
/// HUGEINT).
Schema PreparedSchema(duckdb_prepared_statement stmt, std::vector<duckdb_type>* duck_types);

/// One registered stream, read by the sqlflow_stream_scan table function. Thread-safe:
/// DuckDB calls the scan from its worker threads.
class StreamScan {
 public:
  StreamScan(std::string view_name, std::unique_ptr<ChunkStream> stream);

  const std::string& view_name() const { return view_name_; }
  const Schema& schema() const { return *schema_; }

  /// Claim the stream for a scan; false (with a message) if a scan already claimed it.
  bool Start(std::string* error);
  /// Copy the next rows (at most the vector size) into `output`; 0 rows at the end. Throws
  /// whatever the stream throws, and SchemaError for a malformed chunk.
  void Fill(duckdb_data_chunk output);
  /// Record the exception that failed the scan (the first one wins).
  void Fail(std::exception_ptr error);

  /// The scan's exception, if any.
  std::exception_ptr error();
  /// The scan's exception if it was not handed out by TakeUnreportedError before.
  std::exception_ptr TakeUnreportedError();

 private:
  std::optional<DataChunk> NextChunk();

  std::mutex mu_;
  const std::string view_name_;
  const std::shared_ptr<const Schema> schema_;
  std::unique_ptr<ChunkStream> stream_;
  std::optional<DataChunk> current_;
  int64_t position_ = 0;     // next row of current_
  int64_t chunks_read_ = 0;  // for messages
  bool started_ = false;
  bool finished_ = false;
  std::exception_ptr error_;
  bool reported_ = false;
};

/// Registered streams by id, shared by a database's connections. Holds weak references:
/// connections own their streams.
class StreamRegistry {
 public:
  int64_t Add(std::shared_ptr<StreamScan> scan);
  void Remove(int64_t id);
  /// Return the stream registered under `id`, or null.
  std::shared_ptr<StreamScan> Find(int64_t id);

 private:
  std::mutex mu_;
  int64_t next_id_ = 1;
  std::map<int64_t, std::weak_ptr<StreamScan>> scans_;
};

/// Register the sqlflow_stream_scan table function on a database (once, at open).
void RegisterStreamScanFunction(duckdb_connection conn, StreamRegistry* registry);

/// Wrap `input` so that after it throws once, every further Next() rethrows that exception
/// (instead of, say, a rebatching stream handing out the rows it had buffered).
std::unique_ptr<ChunkStream> MakeStickyErrorStream(std::unique_ptr<ChunkStream> input);

/// A query's result as chunks of DuckDB's vector size, imported through Arrow.
class QueryStream : public ChunkStream {
 public:
  /// Prepare and start `sql` on `conn`; throws DuckError or SchemaError.
  QueryStream(Connection* conn, const std::string& sql);
  /// Stops an unfinished query before its result goes away (see the .cc).
  ~QueryStream() override;
  QueryStream(const QueryStream&) = delete;
  QueryStream& operator=(const QueryStream&) = delete;

  const Schema& schema() const override { return *schema_; }
  std::optional<DataChunk> Next() override;
  StreamProgress progress() const override { return {rows_, -1, -1}; }

 private:
  void CheckArrowLayout();
  DataChunk Convert(duckdb_data_chunk chunk);
  void FixColumns(std::vector<Column>* columns, int64_t num_rows);

  Connection* conn_;
  // Destroyed in reverse order: options, result, pending result, statement.
  PreparedStatement stmt_;
  PendingResult pending_;
  Result result_;
  ArrowOptions arrow_options_;
  std::shared_ptr<const Schema> schema_;
  std::vector<duckdb_type> duck_types_;
  bool needs_fix_ = false;
  bool done_ = false;
  int64_t rows_ = 0;
};

}  // namespace sqlflow::duck::internal

namespace sqlflow::duck {

/// A stream registered on a connection under a view name.
struct Connection::RegisteredStream {
  std::string view_name;
  int64_t id = 0;  ///< Its key in the database's StreamRegistry.
  std::shared_ptr<internal::StreamScan> scan;
};

}  // namespace sqlflow::duck
