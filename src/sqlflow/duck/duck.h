#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <duckdb.h>

#include "sqlflow/common/error.h"
#include "sqlflow/data/chunk.h"
#include "sqlflow/data/stream.h"

/// A thin RAII layer over DuckDB's C API, shared by the file connectors (which use DuckDB's
/// own CSV/Parquet readers and writers) and the engine. Errors from the C API are converted
/// here, right where they happen, into sqlflow::QueryError carrying DuckDB's message and
/// error type.
namespace sqlflow::duck {

namespace internal {
class QueryStream;
class StreamRegistry;
}  // namespace internal

/// Options for opening a database. Every field: "" / 0 means DuckDB's default.
struct DatabaseOptions {
  std::string path;            ///< "" or ":memory:" for in-memory; else a database file.
  std::string memory_limit;    ///< "2GB", "512MB", "75%"; "" = DuckDB default (80% of RAM).
  int threads = 0;             ///< Worker threads; 0 = all cores.
  std::string temp_directory;  ///< Where spilled data goes; "" = DuckDB default.
};

/// An error raised by DuckDB, with its error type (duckdb_error_type) kept for callers that
/// translate it (e.g. the CSV connector turns conversion errors into DataError).
class DuckError : public QueryError {
 public:
  DuckError(std::string operation, std::string message, duckdb_error_type type)
      : QueryError("DuckDB", std::move(operation), std::move(message)), type_(type) {}
  duckdb_error_type type() const { return type_; }

 private:
  duckdb_error_type type_;
};

/// An open DuckDB database. Shared by its connections.
class Database {
 public:
  /// Open (or create) a database. Sets TimeZone to UTC on every connection so TIMESTAMPTZ
  /// values are exchanged as UTC. Throws DuckError with DuckDB's message on failure.
  static std::shared_ptr<Database> Open(const DatabaseOptions& options = {});
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  duckdb_database raw() const { return db_; }

 private:
  friend class Connection;
  Database();

  duckdb_database db_ = nullptr;
  /// Streams registered by this database's connections, found by the scan function
  /// (sqlflow_stream_scan) that reads them. Outlives db_ (destroyed after duckdb_close).
  std::unique_ptr<internal::StreamRegistry> registry_;
};

/// A materialised small result: column names, types and values rendered as text
/// (NULL as nullopt). For catalog queries and tests, not for data. A column whose DuckDB type
/// has no SQLFlow equivalent (LIST, INTERVAL, ...) is typed String; its text is DuckDB's.
struct TextResult {
  std::vector<std::string> names;
  std::vector<DataType> types;
  std::vector<std::vector<std::optional<std::string>>> rows;
};

/// A connection. Not thread-safe: one thread at a time (Interrupt() excepted).
class Connection {
 public:
  explicit Connection(std::shared_ptr<Database> db);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// Run one or more statements, discarding results. Throws DuckError.
  void Execute(const std::string& sql);
  /// Run a query and return its (small) result as text.
  TextResult QueryText(const std::string& sql);
  /// Run a query returning one value; nullopt when NULL or no row.
  std::optional<std::string> QueryScalar(const std::string& sql);
  /// Return the schema a query would produce, without running it (prepare only).
  Schema DescribeQuery(const std::string& sql);

  /// Stream a query's result as DataChunks of at most `batch_size` rows, converted through
  /// the Arrow C Data Interface (duckdb_data_chunk_to_arrow). The stream keeps this
  /// connection busy until it is destroyed or exhausted; the connection must outlive it, and
  /// running another statement on the connection meanwhile ends the stream with an error.
  /// Every chunk but the last has exactly `batch_size` rows. The schema is checked before the
  /// query runs: a column SQLFlow cannot represent is a SchemaError (see DescribeQuery).
  /// Errors during the scan (e.g. a CSV conversion error) are thrown from Next() as DuckError.
  std::unique_ptr<ChunkStream> Stream(const std::string& sql, int64_t batch_size = 10000);

  /// Make `stream` readable as a temporary view called `view_name`, replacing any view of that
  /// name (and releasing the stream registered under it). The view scans the stream through
  /// a table function (sqlflow_stream_scan), one chunk at a time, so memory stays bounded.
  ///
  /// The stream is single-use: the first query that scans the view consumes it, and a second
  /// scan fails with a DuckError saying so. Exceptions thrown by the stream fail that query and
  /// surface from it unchanged (a DataError stays a DataError), as does RethrowStreamError().
  /// The stream is released when the view is replaced or unregistered, or the connection dies.
  /// Its Next() runs on DuckDB's worker threads, one call at a time (never concurrently).
  ///
  /// Not duckdb_arrow_scan: in DuckDB 1.4 it pushes projections and filters down to a stream
  /// that cannot apply them, so `SELECT b FROM v WHERE a > 5` returns wrong rows (pinned by
  /// the RegisterStream tests that project and filter).
  void RegisterStream(const std::string& view_name, std::unique_ptr<ChunkStream> stream);
  /// Drop the view made by RegisterStream and release its stream (no-op if absent).
  void UnregisterStream(const std::string& view_name);
  /// If a stream registered on this connection failed, rethrow its original exception.
  void RethrowStreamError();

  /// Interrupt the running query from another thread (Ctrl-C).
  void Interrupt();
  /// Progress of the running query in [0, 1], or -1 when unknown.
  double Progress();

  duckdb_connection raw() const { return conn_; }

 private:
  friend class internal::QueryStream;
  struct RegisteredStream;

  /// Throw the original exception of a registered stream that failed during the statement
  /// that just failed (once), else a DuckError with DuckDB's message.
  [[noreturn]] void ThrowError(const std::string& operation, const std::string& message,
                               duckdb_error_type type);

  std::shared_ptr<Database> db_;
  duckdb_connection conn_ = nullptr;
  std::vector<std::shared_ptr<RegisteredStream>> streams_;
};

/// Convert a DuckDB logical type to a SQLFlow DataType; false when there is no faithful
/// mapping (e.g. LIST, STRUCT, INTERVAL: callers cast those to JSON/VARCHAR in SQL).
/// TIMESTAMP_S/_MS/_NS map to TIMESTAMP (microseconds), TIMESTAMP WITH TIME ZONE to a UTC
/// timestamp, UUID to string, VARCHAR aliased JSON to JSON, and HUGEINT to DECIMAL(38,0)
/// (Stream rejects a value beyond 38 digits with a DataError).
bool FromDuckType(duckdb_logical_type type, DataType* out);

/// Return DuckDB's name for a type, for messages: "INTEGER[]", "STRUCT(a INTEGER)", "JSON".
std::string DuckTypeName(duckdb_logical_type type);

}  // namespace sqlflow::duck
