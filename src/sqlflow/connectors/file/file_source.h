#pragma once

#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sqlflow/connectors/connector.h"
#include "sqlflow/connectors/file/file_paths.h"
#include "sqlflow/connectors/file/pushdown.h"
#include "sqlflow/duck/duck.h"

namespace sqlflow::file {

/// What one scan reads: the files, the DuckDB reader expression over them and the schema the
/// reader produces. Format hooks get it to translate errors and to finish a scan.
struct ScanContext {
  std::vector<std::string> files;  ///< The resolved files, in scan order.
  int64_t total_bytes = 0;         ///< Their total size (for progress).
  std::string reader_sql;          ///< e.g. "read_csv(['a.csv'], ...)".
  Schema schema;                   ///< Every column the reader produces.
};

/// A source over files that DuckDB reads itself (ARCHITECTURE.md, data flow point 5).
///
/// A read resolves the `path` parameter (a file or a glob) to files, asks the format for a
/// reader expression, and streams `SELECT <columns> FROM <reader> WHERE <filters>` through its
/// own in-memory DuckDB database, so streams are independent of each other and of the
/// connector. The connector must outlive its streams (they report metrics to it).
///
/// Formats (CSV, Parquet) implement ReaderSql() and TranslateError(), and may hook the end of
/// a scan (CSV reports rejected rows there).
class FileSource : public SourceConnector, public DuckDbScannable {
 public:
  using SourceConnector::SourceConnector;

  /// The files the configured path matches (non-empty ones).
  std::vector<std::string> Discover() override;
  /// The schema of `object` (a file or glob; "" = the configured path), after the default
  /// projection of the format.
  Schema GetSchema(const std::string& object) override;
  std::unique_ptr<ChunkStream> Read(const ReadRequest& request) override;
  /// Check that the path resolves to at least one readable, non-empty file.
  ConnectionTestResult TestConnection() override;

  std::optional<std::string> DuckDbRelation(const ReadRequest& request) override;
  int64_t RelationBytes() const override { return last_relation_.total_bytes; }
  [[noreturn]] void RethrowScanError(const std::exception_ptr& error) override;

  /// The configured path or glob.
  const std::string& path() const { return path_; }

 protected:
  /// The file extension used in hints ("csv" → "data/*.csv").
  virtual std::string FileExtension() const = 0;
  /// Return the DuckDB table function call reading `files`, e.g. "read_parquet([...])". May
  /// query `conn` (the CSV format sniffs the first file). Errors surface as duck::DuckError
  /// (translated by TranslateError) or as sqlflow errors.
  virtual std::string ReaderSql(duck::Connection& conn, const std::vector<std::string>& files) = 0;
  /// Throw this format's error (usually DataError) for a DuckDB error raised while scanning
  /// `context`; return to let the original error propagate.
  virtual void TranslateError(const duck::DuckError& error, const ScanContext& context) = 0;
  /// Whether scans of this configuration may be handed to DuckDB as a relation.
  virtual bool CanPushDown() const { return true; }
  /// Called once when a chunk scan has read everything, with the connection that ran it.
  virtual void OnScanEnd(duck::Connection& /*conn*/, const ScanContext& /*context*/) {}
  /// Names ending with these are not data files when a glob matches them.
  virtual std::vector<std::string> GlobSkipSuffixes() const { return {}; }
  /// Columns to read when the request names none (Parquet's `columns` parameter).
  virtual std::vector<std::string> DefaultColumns() const { return {}; }

  /// Store the parameters every file source has: path and batch_size.
  void ConfigureFileSource(const ParameterSet& params);
  /// Resolve `object` ("" = the configured path) to files.
  ResolvedFiles Resolve(const std::string& object, const std::string& operation) const;
  /// Rethrow `error` translated by TranslateError() for `context`.
  [[noreturn]] void RethrowTranslated(const std::exception_ptr& error, const ScanContext& context);

 private:
  /// Bind a scan: the reader and its schema, in `conn`.
  ScanContext Bind(duck::Connection& conn, const std::string& object, const std::string& operation);
  /// Throw a transient ConnectorError when `error` is an I/O error that may go away (an
  /// EIO of a network file system, a stale handle); return otherwise.
  void ThrowIfTransientIo(const duck::DuckError& error, const std::string& operation) const;
  /// One attempt of Bind.
  ScanContext BindOnce(duck::Connection& conn, const std::string& object,
                       const std::string& operation);
  /// The SELECT of a request over a bound scan (validates columns and filters).
  std::string BuildSelect(const ScanContext& context, const ReadRequest& request) const;
  int64_t EffectiveBatchSize(const ReadRequest& request) const;

  std::string path_;
  int64_t batch_size_ = 10000;
  ScanContext last_relation_;  // the context of the last DuckDbRelation(), for its errors
};

/// `files` as a DuckDB list of string literals: "['a.csv', 'b.csv']".
std::string FileListSql(const std::vector<std::string>& files);

/// Render `filters` as a WHERE condition over `schema` ("" when there are none). Column
/// names are matched like Schema::FieldIndex and quoted; values are typed SQL literals.
/// Throws SchemaError naming a column that is not in `schema`.
std::string RenderFilters(const std::string& connector, const std::vector<Filter>& filters,
                          const Schema& schema, const std::string& object);

/// Return the canonical names of `columns` in `schema`; throws SchemaError (with a
/// suggestion) for a name that is not there.
std::vector<std::string> ResolveColumns(const std::string& connector,
                                        const std::vector<std::string>& columns,
                                        const Schema& schema, const std::string& object);

}  // namespace sqlflow::file
