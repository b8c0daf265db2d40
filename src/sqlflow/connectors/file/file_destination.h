#pragma once

#include <functional>
#include <string>

#include "sqlflow/connectors/connector.h"
#include "sqlflow/connectors/file/pushdown.h"
#include "sqlflow/duck/duck.h"

namespace sqlflow::file {

/// The existing target of an append or upsert, as a format reads it back.
struct ExistingFile {
  std::string reader_sql;  ///< A DuckDB expression yielding its rows.
  Schema schema;           ///< Column types for the checks (the stored or detected types).
  /// reader_sql yields every column as VARCHAR, so the existing rows are rewritten exactly as
  /// they were (CSV). A text column then accepts input of any type, and keys are compared
  /// after casting the file's text to the input key's type.
  bool text = false;
};

/// A destination writing one file with DuckDB's own writer (COPY ... TO), atomically.
///
/// Every write goes to a temporary file in the target's directory, is flushed to disk and
/// renamed over the target: a failed or interrupted write leaves the previous file intact and
/// no temporary file behind. Modes (WriteOptions):
///  - replace: the file holds exactly the input;
///  - append: the existing rows, then the input rows. Every input column must exist in the
///    target with a compatible type family (see write_plan.h), else SchemaError naming it;
///    target columns missing from the input are NULL in the new rows;
///  - upsert: existing rows whose key appears in the input are dropped, then the input rows
///    are added (duplicate keys within the input: the last row wins). Keys are compared with
///    IS NOT DISTINCT FROM, so NULL keys match each other.
/// A missing target makes append and upsert behave like replace. A missing parent directory is
/// an error naming it (directories are not created).
///
/// Formats implement CopyOptionsSql() and ReadExisting().
class FileDestination : public DestinationConnector, public DuckDbWritable {
 public:
  using DestinationConnector::DestinationConnector;

  WriteResult Write(const std::string& object, ChunkStream& input,
                    const WriteOptions& options) override;
  WriteResult WriteRelation(const std::string& object, const std::string& relation_sql,
                            DuckDbScannable& scan_errors, const WriteOptions& options,
                            const ProgressFn& progress) override;
  /// Write on the caller's connection: the scratch tables of an append or upsert get names
  /// unique to the call and are dropped before returning or throwing (best effort: when the
  /// caller's own transaction was aborted by the failure, its rollback drops them).
  WriteResult WriteRelationOn(duck::Connection& conn, const std::string& object,
                              const std::string& relation_sql, const WriteOptions& options,
                              const ProgressFn& progress) override;
  /// Check that the target's directory exists and is writable.
  ConnectionTestResult TestConnection() override;

  const std::string& path() const { return path_; }

 protected:
  /// The options of `COPY ... TO file (<options>)`, e.g. "FORMAT parquet, COMPRESSION snappy".
  virtual std::string CopyOptionsSql() const = 0;
  /// How to read the existing target `path` back for append and upsert. `incoming` is the
  /// schema of the rows being written.
  virtual ExistingFile ReadExisting(duck::Connection& conn, const std::string& path,
                                    const Schema& incoming) = 0;

  /// Store the parameters every file destination has: path.
  void ConfigureFileDestination(const ParameterSet& params);

 private:
  /// The temporary tables an append or upsert materialises its input and the existing file
  /// into (they keep both row orders).
  struct ScratchTables {
    std::string new_rows = "__sqlflow_new";
    std::string old_rows = "__sqlflow_old";
  };

  /// Run `write` on `conn`, or on a connection to a fresh in-memory database when `conn` is
  /// null, recording its time, transfer or failure. A DuckDB error is first passed to
  /// `rethrow_duck_error`, which may throw the connector's error instead; otherwise it
  /// propagates.
  WriteResult RunWrite(duck::Connection* conn,
                       const std::function<WriteResult(duck::Connection&)>& write,
                       const std::function<void(duck::Connection&)>& rethrow_duck_error);
  /// Write the rows of `relation` (a view, table or parenthesised query in `conn`).
  WriteResult WriteFrom(duck::Connection& conn, const std::string& object,
                        const std::string& relation, const WriteOptions& options,
                        const ScratchTables& scratch);

  /// The SELECT producing the file of an append or upsert of `relation` into `target`;
  /// sets `*input_rows` to the number of input rows. Creates the `scratch` tables in `conn`.
  std::string MergeSelect(duck::Connection& conn, const std::string& target,
                          const std::string& relation, const WriteOptions& options,
                          const ScratchTables& scratch, int64_t* input_rows);

  std::string path_;
};

}  // namespace sqlflow::file
