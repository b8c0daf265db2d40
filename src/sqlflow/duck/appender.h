#pragma once

#include <memory>
#include <string>
#include <vector>

#include <duckdb.h>

#include "sqlflow/data/chunk.h"
#include "sqlflow/duck/duck.h"

namespace sqlflow::duck {

/// Where an Appender writes: a table, optionally in a schema and a catalog ("" = the
/// connection's default; "temp" is the catalog of temporary tables).
struct AppendTarget {
  std::string catalog;
  std::string schema;
  std::string table;
};

/// Appends DataChunks to a table through DuckDB's appender: each chunk is handed to DuckDB
/// through the Arrow C Data Interface (duckdb_data_chunk_from_arrow) and appended whole
/// (duckdb_append_data_chunk), in the transaction of the connection when one is open.
///
/// Not thread-safe; the connection must outlive the appender. Destroying an appender that was
/// not closed flushes what it buffered (DuckDB offers no way to drop it): callers that abandon
/// a load roll back the transaction afterwards.
class Appender {
 public:
  /// Open an appender on `target` for chunks of `schema`, whose columns go to the table's
  /// columns `columns` (same count and order as the schema's fields; any other table column
  /// gets its default, NULL unless declared). Values are cast to the column types by DuckDB.
  /// Throws DuckError when the table does not exist or a column is unknown.
  static std::unique_ptr<Appender> Open(Connection& conn, const AppendTarget& target,
                                        const Schema& schema,
                                        const std::vector<std::string>& columns);
  ~Appender();
  Appender(const Appender&) = delete;
  Appender& operator=(const Appender&) = delete;

  /// Append every row of `chunk` (whose schema must be the one given to Open). Throws
  /// DuckError with DuckDB's message (e.g. a conversion error).
  void Append(const DataChunk& chunk);
  /// Flush the buffered rows and close the appender. Throws DuckError (e.g. a constraint).
  void Close();

 private:
  Appender(Connection& conn, std::string table);
  void AppendSlice(const DataChunk& slice);
  [[noreturn]] void ThrowAppenderError(const std::string& fallback);

  Connection& conn_;
  std::string table_;  // for messages
  duckdb_appender appender_ = nullptr;
  duckdb_arrow_converted_schema converted_ = nullptr;
  bool closed_ = false;
};

}  // namespace sqlflow::duck
