#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sqlflow/data/chunk.h"
#include "sqlflow/data/stream.h"

namespace sqlflow::duck {
class Connection;
}

/// The engine that runs LOADs, transforms and export queries (ARCHITECTURE.md): an interface,
/// with DuckDB over its C API as the embedded implementation.
namespace sqlflow::engine {

/// How to open an engine. Every field has a default that works.
struct EngineOptions {
  std::string path;            ///< Database file (persistent mode); "" = in memory.
  std::string memory_limit;    ///< "2GB", "512MB", "1073741824" (bytes), "75%"; "" = default.
  int threads = 0;             ///< Worker threads; 0 = all cores.
  std::string temp_directory;  ///< Spill directory; "" = DuckDB's default.
};

/// Turn a user's memory limit into DuckDB's setting: "2GB" / "2 gb" / "2GiB" / "512MB" /
/// "1073741824" (bytes) / "75%" (of physical memory) → e.g. "2GB", "512MB", "1073741824B".
/// Throws ConfigError naming `memory_limit`, the value and the accepted forms.
std::string NormalizeMemoryLimit(std::string_view text);

/// How rows land in a table.
enum class TableMode {
  kReplace,  ///< The table holds exactly the new rows (created or replaced).
  kAppend,   ///< New rows added; the table is created when missing.
  kUpsert,   ///< Rows whose keys match new rows are replaced; others kept; new keys added.
};
const char* TableModeName(TableMode mode);  ///< "replace", "append", "upsert"

struct LoadOptions {
  TableMode mode = TableMode::kReplace;
  /// Key columns for kUpsert (one or more); matched with IS NOT DISTINCT FROM, so NULL keys
  /// match; of duplicate keys among the new rows the last one wins.
  std::vector<std::string> keys;
  /// APPEND/UPSERT into an existing table: every incoming column must exist in the target
  /// with the same type family (data/types.h TypeFamily), else SchemaError naming the column,
  /// both types and the table. With this flag, missing columns are added instead.
  bool allow_schema_evolution = false;
  /// Called with the rows loaded so far, from the loading thread, at most every chunk.
  std::function<void(int64_t rows)> progress;
  /// Run inside the load's transaction just before COMMIT (e.g. to store a watermark so it
  /// commits with the rows). An exception rolls everything back.
  std::function<void(class Session&)> before_commit;
};

struct LoadResult {
  int64_t rows = 0;  ///< Rows inserted (for upsert: inserted or replaced).
};

/// One connection to the engine; used by one thread at a time. Tables are named as in SQL
/// ("t", "raw.t", "db.raw.t"); a table of catalog temp ("temp.main.t") is a temporary table of
/// the session, gone with it. (Interrupt and Progress may be
/// called from any thread).
class Session {
 public:
  virtual ~Session() = default;

  /// Load every chunk of `input` into `table`, in one transaction: on any failure (including
  /// an exception thrown by `input`, which propagates unchanged) the table is as before.
  virtual LoadResult Load(const std::string& table, ChunkStream& input,
                          const LoadOptions& options) = 0;
  /// Same with the rows of a relation the engine reads itself (`read_csv([...])`,
  /// `(SELECT ... FROM read_parquet(...))`, a view): a LOAD pushed down to the engine.
  virtual LoadResult LoadRelation(const std::string& table, const std::string& relation_sql,
                                  const LoadOptions& options) = 0;
  /// CREATE TABLE AS <query> with the same modes and checks as Load.
  virtual LoadResult CreateTableAs(const std::string& table, const std::string& query,
                                   const LoadOptions& options) = 0;
  /// An incremental transform window, in one transaction: create `table` from `query` when it
  /// does not exist; else delete the rows whose `column` is in (start_sql, end_sql] (SQL
  /// literals or expressions) and insert the rows of `query`. Returns the rows inserted.
  virtual LoadResult ReplaceWindow(const std::string& table, const std::string& query,
                                   const std::string& column, const std::string& start_sql,
                                   const std::string& end_sql, const LoadOptions& options) = 0;

  /// Run statements, discarding results.
  virtual void Execute(const std::string& sql) = 0;
  /// Stream a query's rows in chunks of at most `batch_size` rows.
  virtual std::unique_ptr<ChunkStream> Query(const std::string& sql, int64_t batch_size) = 0;
  /// One value (as text), or nullopt for NULL / no row.
  virtual std::optional<std::string> QueryScalar(const std::string& sql) = 0;
  /// The schema a query would produce, without running it.
  virtual Schema DescribeQuery(const std::string& sql) = 0;
  /// The schema of a table or view, or nullopt when it does not exist.
  virtual std::optional<Schema> TableSchema(const std::string& table) = 0;
  /// Names of the tables and views of the main schema.
  virtual std::vector<std::string> Tables() = 0;
  /// Rows of a table.
  virtual int64_t CountRows(const std::string& table) = 0;

  /// Stop the running statement (any thread); it fails with InterruptedError.
  virtual void Interrupt() = 0;
  /// Progress of the running statement in [0, 1], or -1 when unknown (any thread).
  virtual double Progress() = 0;

  /// The DuckDB connection under this session, for pushdown (export with COPY on the
  /// engine's own connection); null for engines that are not DuckDB.
  virtual duck::Connection* duck_connection() { return nullptr; }
};

class Engine {
 public:
  virtual ~Engine() = default;
  /// "duckdb"
  virtual std::string name() const = 0;
  /// A new session. Sessions of one engine see each other's committed tables.
  virtual std::unique_ptr<Session> Connect() = 0;
};

/// Open the embedded DuckDB engine (in memory, or the file of options.path, whose directory is
/// created). Throws ConfigError for bad options, QueryError when DuckDB cannot open the file
/// (e.g. locked by another process: the message says so).
std::unique_ptr<Engine> OpenDuckDbEngine(const EngineOptions& options);

/// Tables a query reads, from DuckDB's own parser (json_serialize_sql): every table reference,
/// minus the query's CTE names, as written (schema-qualified names as "schema.table"), in order
/// of first appearance, without duplicates. Table functions (read_csv(...)) are not tables.
/// Throws QueryError with DuckDB's message when the query does not parse.
/// Thread-safe; uses a private in-memory database.
class SqlAnalyzer {
 public:
  SqlAnalyzer();
  /// Parse on a session of `engine` when it is DuckDB (no second database to open: opening one
  /// costs ~20 ms, a third of a trivial run), else on a private one. `engine` must outlive it.
  explicit SqlAnalyzer(Engine& engine);
  ~SqlAnalyzer();
  std::vector<std::string> ReferencedTables(const std::string& query);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sqlflow::engine
