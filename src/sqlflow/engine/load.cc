// Session loads: chunks through DuckDB's appender, relations and queries through SQL, each in
// one transaction.

#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "sqlflow/common/error.h"
#include "sqlflow/common/strings.h"
#include "sqlflow/duck/appender.h"
#include "sqlflow/engine/engine_internal.h"

namespace sqlflow::engine::internal {

namespace {

duck::AppendTarget TargetOf(const TableName& table) {
  return duck::AppendTarget{table.catalog(), table.schema(), table.table()};
}

// A chunk whose column types differ from the stream's schema would be misread through Arrow.
void CheckChunkTypes(const DataChunk& chunk, const Schema& schema) {
  bool same = chunk.num_columns() == schema.num_fields();
  for (size_t i = 0; same && i < chunk.num_columns(); ++i) {
    same = chunk.column(i).type == schema.field(i).type;
  }
  if (!same) {
    throw SchemaError(kEngineName, "load",
                      fmt::format("a chunk has columns ({}), but the stream's schema is ({})",
                                  chunk.schema().ToString(), schema.ToString()));
  }
}

}  // namespace

std::string DuckSession::NextStagingName() {
  return fmt::format("__sqlflow_stage_{}", ++staging_counter_);
}

void DuckSession::Finish(Transaction& txn, const LoadOptions& options) {
  if (options.before_commit) options.before_commit(*this);
  txn.Commit();
}

int64_t DuckSession::AppendChunks(const duck::AppendTarget& target,
                                  const std::vector<std::string>& columns, ChunkStream& input,
                                  const LoadOptions& options) {
  const Schema& schema = input.schema();
  std::unique_ptr<duck::Appender> appender = duck::Appender::Open(conn_, target, schema, columns);
  int64_t rows = 0;
  while (true) {
    if (interrupted_) throw InterruptedError();
    std::optional<DataChunk> chunk = input.Next();
    if (!chunk) break;
    if (chunk->num_rows() == 0) continue;
    CheckChunkTypes(*chunk, schema);
    appender->Append(*chunk);
    rows += chunk->num_rows();
    if (options.progress) options.progress(rows);
  }
  if (interrupted_) throw InterruptedError();
  appender->Close();
  return rows;
}

int64_t DuckSession::LoadChunksInto(const TableName& table, ChunkStream& input,
                                    const LoadOptions& options) {
  const std::vector<ColumnInfo> columns = ColumnsOf(input.schema());
  switch (options.mode) {
    case TableMode::kReplace:
      CreateTable(conn_, table, columns, /*or_replace=*/true);
      return AppendChunks(TargetOf(table), NamesOf(columns), input, options);
    case TableMode::kAppend: {
      std::optional<std::vector<ColumnInfo>> existing = DescribeTable(conn_, table);
      if (!existing) {
        CreateTable(conn_, table, columns, /*or_replace=*/false);
        return AppendChunks(TargetOf(table), NamesOf(columns), input, options);
      }
      std::vector<std::string> targets =
          MatchColumns(conn_, table, *existing, columns, options.allow_schema_evolution);
      return AppendChunks(TargetOf(table), targets, input, options);
    }
    case TableMode::kUpsert: {
      // Check keys and the target before reading a row; stage; merge.
      UpsertPlan plan = PlanUpsert(conn_, table, columns, options);
      const std::string staged = NextStagingName();
      conn_.Execute(fmt::format("CREATE TEMP TABLE {} ({})", QuoteIdentifier(staged),
                                ColumnDefsSql(columns)));
      AppendChunks(duck::AppendTarget{"temp", "main", staged}, NamesOf(columns), input, options);
      int64_t rows = MergeStaged(conn_, table, staged, columns, plan);
      conn_.Execute("DROP TABLE " + QuoteIdentifier(staged));
      return rows;
    }
  }
  return 0;
}

LoadResult DuckSession::Load(const std::string& table, ChunkStream& input,
                             const LoadOptions& options) {
  interrupted_ = false;
  try {
    TableName name = TableName::Parse(table);
    Transaction txn(conn_);
    LoadResult result{LoadChunksInto(name, input, options)};
    Finish(txn, options);
    return result;
  } catch (...) {
    RethrowTranslated();
  }
}

int64_t DuckSession::CreateTableAsSelect(const TableName& table, const std::string& select_sql,
                                         bool or_replace) {
  EnsureSchema(conn_, table);
  return ExecuteCount(conn_, fmt::format("CREATE {}{} {} AS {}", or_replace ? "OR REPLACE " : "",
                                         TableKeyword(table), table.Quoted(), select_sql));
}

int64_t DuckSession::InsertSelect(const TableName& table, const std::vector<ColumnInfo>& existing,
                                  const std::string& select_sql, const LoadOptions& options) {
  std::vector<ColumnInfo> input = DescribeColumns(conn_, select_sql);
  std::vector<std::string> targets =
      MatchColumns(conn_, table, existing, input, options.allow_schema_evolution);
  return ExecuteCount(conn_, fmt::format("INSERT INTO {} ({}) {}", table.Quoted(),
                                         QuotedList(targets), select_sql));
}

int64_t DuckSession::LoadSelectInto(const TableName& table, const std::string& select_sql,
                                    const LoadOptions& options) {
  switch (options.mode) {
    case TableMode::kReplace:
      return CreateTableAsSelect(table, select_sql, /*or_replace=*/true);
    case TableMode::kAppend: {
      std::optional<std::vector<ColumnInfo>> existing = DescribeTable(conn_, table);
      if (!existing) return CreateTableAsSelect(table, select_sql, /*or_replace=*/false);
      return InsertSelect(table, *existing, select_sql, options);
    }
    case TableMode::kUpsert: {
      std::vector<ColumnInfo> input = DescribeColumns(conn_, select_sql);
      UpsertPlan plan = PlanUpsert(conn_, table, input, options);
      const std::string staged = NextStagingName();
      conn_.Execute(fmt::format("CREATE TEMP TABLE {} AS {}", QuoteIdentifier(staged), select_sql));
      int64_t rows = MergeStaged(conn_, table, staged, input, plan);
      conn_.Execute("DROP TABLE " + QuoteIdentifier(staged));
      return rows;
    }
  }
  return 0;
}

LoadResult DuckSession::LoadSelect(const TableName& table, const std::string& select_sql,
                                   const LoadOptions& options) {
  Transaction txn(conn_);
  int64_t rows = LoadSelectInto(table, select_sql, options);
  if (options.progress) options.progress(rows);
  Finish(txn, options);
  return LoadResult{rows};
}

LoadResult DuckSession::LoadRelation(const std::string& table, const std::string& relation_sql,
                                     const LoadOptions& options) {
  try {
    return LoadSelect(TableName::Parse(table), "SELECT * FROM " + relation_sql, options);
  } catch (...) {
    RethrowTranslated();
  }
}

LoadResult DuckSession::CreateTableAs(const std::string& table, const std::string& query,
                                      const LoadOptions& options) {
  try {
    return LoadSelect(TableName::Parse(table), query, options);
  } catch (...) {
    RethrowTranslated();
  }
}

LoadResult DuckSession::ReplaceWindow(const std::string& table, const std::string& query,
                                      const std::string& column, const std::string& start_sql,
                                      const std::string& end_sql, const LoadOptions& options) {
  try {
    TableName name = TableName::Parse(table);
    Transaction txn(conn_);
    int64_t rows = 0;
    std::optional<std::vector<ColumnInfo>> existing = DescribeTable(conn_, name);
    if (!existing) {
      rows = CreateTableAsSelect(name, query, /*or_replace=*/false);
    } else {
      conn_.Execute(fmt::format("DELETE FROM {} WHERE {} > ({}) AND {} <= ({})", name.Quoted(),
                                QuoteIdentifier(column), start_sql, QuoteIdentifier(column),
                                end_sql));
      rows = InsertSelect(name, *existing, query, options);
    }
    if (options.progress) options.progress(rows);
    Finish(txn, options);
    return LoadResult{rows};
  } catch (...) {
    RethrowTranslated();
  }
}

}  // namespace sqlflow::engine::internal
