#pragma once

// Private helpers of engine/: never included from another component.

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sqlflow/data/types.h"
#include "sqlflow/duck/appender.h"
#include "sqlflow/duck/duck.h"
#include "sqlflow/engine/engine.h"

namespace sqlflow::engine::internal {

/// The connector name engine errors carry ("DuckDB load: ...").
inline constexpr const char* kEngineName = "DuckDB";

/// A table name as users write it: "orders", "raw.orders" or "db.raw.orders"; a part may be
/// double-quoted ("my.table" keeps its dot). Throws QueryError for an empty part.
struct TableName {
  std::string text;                ///< As written, for messages.
  std::vector<std::string> parts;  ///< [catalog, [schema,]] table, unquoted.

  static TableName Parse(const std::string& text);
  /// Every part quoted with QuoteIdentifier: "raw"."orders".
  std::string Quoted() const;
  const std::string& table() const { return parts.back(); }
  /// The schema part, or "" when not given.
  std::string schema() const { return parts.size() >= 2 ? parts[parts.size() - 2] : ""; }
  /// The catalog part, or "" when not given.
  std::string catalog() const { return parts.size() == 3 ? parts[0] : ""; }
};

/// A column of a table or of a query's result.
struct ColumnInfo {
  std::string name;
  std::string sql_type;          ///< DuckDB's spelling ("BIGINT", "DECIMAL(12,2)", "INTEGER[]").
  std::optional<DataType> type;  ///< nullopt when SQLFlow has no equivalent (LIST, INTERVAL).
};

/// The columns of a schema (every type known).
std::vector<ColumnInfo> ColumnsOf(const Schema& schema);
/// The columns a query would produce (prepared, not run). Throws DuckError.
std::vector<ColumnInfo> DescribeColumns(duck::Connection& conn, const std::string& sql);
/// The columns of a table or view, or nullopt when it does not exist. Throws DuckError.
std::optional<std::vector<ColumnInfo>> DescribeTable(duck::Connection& conn,
                                                     const TableName& table);

/// Names of `columns`, each quoted and comma-separated: "a", "b".
std::string QuotedList(const std::vector<std::string>& names);
std::vector<std::string> NamesOf(const std::vector<ColumnInfo>& columns);

/// The canonical input names of the upsert `keys` (matched like Schema::FieldIndex). Throws
/// QueryError when there is no key and SchemaError naming the first key that is not a column.
std::vector<std::string> ResolveKeys(const std::vector<std::string>& keys,
                                     const std::vector<ColumnInfo>& input);

/// For APPEND/UPSERT into an existing table: the target column each input column goes to (by
/// name, case-insensitively). Every input column must exist in `target` with the same type
/// family, else SchemaError naming the column, both types and the table; with
/// `allow_evolution` a missing column is added to the table (ALTER TABLE, in the caller's
/// transaction) instead.
std::vector<std::string> MatchColumns(duck::Connection& conn, const TableName& table,
                                      const std::vector<ColumnInfo>& target,
                                      const std::vector<ColumnInfo>& input, bool allow_evolution);

/// The column definitions of a CREATE TABLE: "a" BIGINT, "b" VARCHAR.
std::string ColumnDefsSql(const std::vector<ColumnInfo>& columns);
/// CREATE [OR REPLACE] TABLE name (columns), creating a missing schema first.
void CreateTable(duck::Connection& conn, const TableName& table,
                 const std::vector<ColumnInfo>& columns, bool or_replace);
/// "TEMP TABLE" for a table of the session's temporary catalog (temp.main.x), else "TABLE".
std::string TableKeyword(const TableName& table);
/// CREATE SCHEMA IF NOT EXISTS for a schema-qualified name (nothing for a bare name or a
/// temporary table).
void EnsureSchema(duck::Connection& conn, const TableName& table);

/// Run a statement that reports a row count (INSERT, DELETE, CREATE TABLE AS) and return it.
int64_t ExecuteCount(duck::Connection& conn, const std::string& sql);

/// How an UPSERT lands, decided before any row is read: the canonical input names of the keys
/// and, for an existing table, the target column of each input column.
struct UpsertPlan {
  std::vector<std::string> keys;            ///< Input names of the key columns.
  bool create = false;                      ///< The table does not exist yet.
  std::vector<std::string> target_columns;  ///< When !create: MatchColumns' answer.
};

/// Resolve the keys and check (or evolve) an existing target, as Load documents.
UpsertPlan PlanUpsert(duck::Connection& conn, const TableName& table,
                      const std::vector<ColumnInfo>& input, const LoadOptions& options);

/// Merge the rows of the temporary table `staged` (columns `input`) into `table`: of staged
/// rows with equal keys (IS NOT DISTINCT FROM) the last one wins; target rows whose keys match
/// a staged row are deleted; the table is created when `plan.create`. Runs in the caller's
/// transaction; returns the rows inserted.
int64_t MergeStaged(duck::Connection& conn, const TableName& table, const std::string& staged,
                    const std::vector<ColumnInfo>& input, const UpsertPlan& plan);

/// BEGIN TRANSACTION now; ROLLBACK when destroyed before Commit().
class Transaction {
 public:
  explicit Transaction(duck::Connection& conn);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void Commit();

 private:
  duck::Connection& conn_;
  bool open_ = false;
};

/// Rethrow the exception in flight, turning DuckDB's interruption into InterruptedError.
[[noreturn]] void RethrowTranslated();

/// The DuckDB session: one duck::Connection.
class DuckSession : public Session {
 public:
  explicit DuckSession(std::shared_ptr<duck::Database> db);

  LoadResult Load(const std::string& table, ChunkStream& input,
                  const LoadOptions& options) override;
  LoadResult LoadRelation(const std::string& table, const std::string& relation_sql,
                          const LoadOptions& options) override;
  LoadResult CreateTableAs(const std::string& table, const std::string& query,
                           const LoadOptions& options) override;
  LoadResult ReplaceWindow(const std::string& table, const std::string& query,
                           const std::string& column, const std::string& start_sql,
                           const std::string& end_sql, const LoadOptions& options) override;

  void Execute(const std::string& sql) override;
  std::unique_ptr<ChunkStream> Query(const std::string& sql, int64_t batch_size) override;
  std::optional<std::string> QueryScalar(const std::string& sql) override;
  Schema DescribeQuery(const std::string& sql) override;
  std::optional<Schema> TableSchema(const std::string& table) override;
  std::vector<std::string> Tables() override;
  int64_t CountRows(const std::string& table) override;

  void Interrupt() override;
  double Progress() override;
  duck::Connection* duck_connection() override { return &conn_; }

 private:
  /// Load the rows of a SELECT statement (LoadRelation, CreateTableAs) in a transaction.
  LoadResult LoadSelect(const TableName& table, const std::string& select_sql,
                        const LoadOptions& options);
  /// The same inside the caller's transaction.
  int64_t LoadSelectInto(const TableName& table, const std::string& select_sql,
                         const LoadOptions& options);
  /// CREATE [OR REPLACE] TABLE table AS select_sql (creating a missing schema); returns rows.
  int64_t CreateTableAsSelect(const TableName& table, const std::string& select_sql,
                              bool or_replace);
  /// INSERT the rows of select_sql into the existing table (columns `existing`) after the
  /// schema check of MatchColumns; returns rows.
  int64_t InsertSelect(const TableName& table, const std::vector<ColumnInfo>& existing,
                       const std::string& select_sql, const LoadOptions& options);
  /// Append every chunk of `input` to `target` (columns `columns`), checking for interrupts
  /// between chunks and reporting progress.
  int64_t AppendChunks(const duck::AppendTarget& target, const std::vector<std::string>& columns,
                       ChunkStream& input, const LoadOptions& options);
  /// Load `input` into `table` inside the transaction (every mode).
  int64_t LoadChunksInto(const TableName& table, ChunkStream& input, const LoadOptions& options);
  /// A fresh name for a temporary staging table.
  std::string NextStagingName();
  /// Run the before_commit hook, then commit.
  void Finish(Transaction& txn, const LoadOptions& options);

  duck::Connection conn_;
  std::atomic<bool> interrupted_{false};
  int64_t staging_counter_ = 0;
};

}  // namespace sqlflow::engine::internal
