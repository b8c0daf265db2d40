#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "sqlflow/connectors/connector.h"
#include "sqlflow/data/stream.h"

namespace sqlflow {

namespace duck {
class Connection;
}  // namespace duck

/// Called with progress while a long operation runs (rows so far, bytes read/total).
using ProgressFn = std::function<void(const StreamProgress&)>;

/// A source whose data DuckDB can scan itself (ARCHITECTURE.md, data flow point 5): instead of
/// handing out chunks, it describes the scan as a DuckDB relation such as
/// `(SELECT "a", "b" FROM read_csv(['x.csv'], ...) WHERE "a" > 3)`, so a file → file copy or a
/// LOAD into DuckDB runs at DuckDB's own speed. The relation applies the request's projection
/// and filters, and the connector's parameters, exactly as Read() would.
class DuckDbScannable {
 public:
  virtual ~DuckDbScannable() = default;
  /// Return the relation for `request`, or nullopt when this read cannot be pushed down
  /// (e.g. on_error: quarantine needs the chunk path). Validates the files (missing, empty,
  /// directory) with the same errors as Read().
  virtual std::optional<std::string> DuckDbRelation(const ReadRequest& request) = 0;
  /// Convert an error DuckDB raised while scanning the relation into this connector's error
  /// (e.g. a CSV conversion error into a DataError naming file, line, column and value).
  /// Rethrows `error` unchanged when it is not the connector's to translate.
  [[noreturn]] virtual void RethrowScanError(const std::exception_ptr& error) = 0;
  /// Bytes of the data the last DuckDbRelation() scans (the files' total size), or 0 when not
  /// known: what a LOAD pushed down to the engine reports as bytes transferred.
  virtual int64_t RelationBytes() const { return 0; }
};

/// A destination that can write a DuckDB relation directly (COPY ... TO), with the same
/// modes, atomicity and results as Write().
class DuckDbWritable {
 public:
  virtual ~DuckDbWritable() = default;
  /// Write the rows of `relation_sql` to `object` ("" = the configured path). `scan_errors`
  /// is the source that produced the relation, used to translate errors raised while
  /// scanning it. `progress` (may be empty) is called a few times a second.
  virtual WriteResult WriteRelation(const std::string& object, const std::string& relation_sql,
                                    DuckDbScannable& scan_errors, const WriteOptions& options,
                                    const ProgressFn& progress) = 0;
  /// Write the rows of `relation_sql`, a relation readable on `conn` (for example a table or a
  /// query of the pipeline engine's own DuckDB connection), with the same modes, atomicity and
  /// results as Write(). Runs COPY on `conn`; temporary objects it creates on `conn` are
  /// dropped afterwards, whatever happens. DuckDB's errors propagate as duck::DuckError.
  virtual WriteResult WriteRelationOn(duck::Connection& conn, const std::string& object,
                                      const std::string& relation_sql, const WriteOptions& options,
                                      const ProgressFn& progress) = 0;
};

}  // namespace sqlflow
