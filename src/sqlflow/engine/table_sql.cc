// Table names, column descriptions, schema checks and the SQL that LOAD modes run.

#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include <duckdb.h>

#include "sqlflow/common/error.h"
#include "sqlflow/common/strings.h"
#include "sqlflow/engine/engine_internal.h"

namespace sqlflow::engine::internal {

namespace {

// Owns a duckdb_prepared_statement.
class Prepared {
 public:
  Prepared() = default;
  ~Prepared() { duckdb_destroy_prepare(&stmt_); }
  Prepared(const Prepared&) = delete;
  Prepared& operator=(const Prepared&) = delete;
  duckdb_prepared_statement get() const { return stmt_; }
  duckdb_prepared_statement* out() { return &stmt_; }
  std::string error() const {
    const char* text = duckdb_prepare_error(stmt_);
    return text != nullptr ? text : "prepare failed";
  }

 private:
  duckdb_prepared_statement stmt_ = nullptr;
};

std::vector<ColumnInfo> ColumnsOfPrepared(duckdb_prepared_statement stmt) {
  std::vector<ColumnInfo> out;
  idx_t n = duckdb_prepared_statement_column_count(stmt);
  for (idx_t i = 0; i < n; ++i) {
    ColumnInfo column;
    // The C API allocates the name (const only in the signature).
    char* name = const_cast<char*>(duckdb_prepared_statement_column_name(stmt, i));
    column.name = name != nullptr ? name : "";
    duckdb_free(name);
    duckdb_logical_type type = duckdb_prepared_statement_column_logical_type(stmt, i);
    column.sql_type = duck::DuckTypeName(type);
    DataType mapped;
    if (duck::FromDuckType(type, &mapped)) column.type = mapped;
    duckdb_destroy_logical_type(&type);
    out.push_back(std::move(column));
  }
  return out;
}

int FindColumn(const std::vector<ColumnInfo>& columns, const std::string& name) {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == name) return static_cast<int>(i);
  }
  for (size_t i = 0; i < columns.size(); ++i) {
    if (EqualsIgnoreCase(columns[i].name, name)) return static_cast<int>(i);
  }
  return -1;
}

// "BIGINT (numeric)"; a type SQLFlow cannot represent is shown alone.
std::string TypeForMessage(const ColumnInfo& column) {
  if (!column.type) return column.sql_type;
  return fmt::format("{} ({})", column.sql_type, TypeFamilyName(FamilyOf(*column.type)));
}

bool SameFamily(const ColumnInfo& a, const ColumnInfo& b) {
  if (a.type && b.type) return FamilyOf(*a.type) == FamilyOf(*b.type);
  return EqualsIgnoreCase(a.sql_type, b.sql_type);
}

// Report a statement DuckDB could not prepare the way duck/ reports every failed statement
// (DuckError with DuckDB's message and error type).
[[noreturn]] void ThrowPrepareError(duck::Connection& conn, const std::string& sql,
                                    const Prepared& stmt) {
  conn.DescribeQuery(sql);
  throw QueryError(kEngineName, "describe", stmt.error());
}

}  // namespace

TableName TableName::Parse(const std::string& text) {
  TableName out;
  out.text = text;
  std::string part;
  bool quoted = false;
  bool was_quoted = false;
  auto finish = [&] {
    std::string name = was_quoted ? part : std::string(Trim(part));
    if (name.empty()) {
      throw QueryError(kEngineName, "resolve table", fmt::format("invalid table name '{}'", text));
    }
    out.parts.push_back(std::move(name));
    part.clear();
    was_quoted = false;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        part += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        part += c;
      }
    } else if (c == '"') {
      quoted = was_quoted = true;
      part.clear();
    } else if (c == '.') {
      finish();
    } else if (!was_quoted) {
      part += c;
    }
  }
  finish();
  if (quoted || out.parts.size() > 3) {
    throw QueryError(kEngineName, "resolve table", fmt::format("invalid table name '{}'", text));
  }
  return out;
}

std::string TableName::Quoted() const {
  std::vector<std::string> quoted;
  for (const std::string& part : parts) quoted.push_back(QuoteIdentifier(part));
  return Join(quoted, ".");
}

std::vector<ColumnInfo> ColumnsOf(const Schema& schema) {
  std::vector<ColumnInfo> out;
  for (const Field& field : schema.fields()) {
    out.push_back(ColumnInfo{field.name, field.type.ToSql(), field.type});
  }
  return out;
}

std::vector<ColumnInfo> DescribeColumns(duck::Connection& conn, const std::string& sql) {
  Prepared stmt;
  if (duckdb_prepare(conn.raw(), sql.c_str(), stmt.out()) == DuckDBError) {
    ThrowPrepareError(conn, sql, stmt);
  }
  return ColumnsOfPrepared(stmt.get());
}

std::optional<std::vector<ColumnInfo>> DescribeTable(duck::Connection& conn,
                                                     const TableName& table) {
  Prepared stmt;
  std::string sql = "SELECT * FROM " + table.Quoted();
  if (duckdb_prepare(conn.raw(), sql.c_str(), stmt.out()) == DuckDBError) {
    // A missing table, schema or catalog is a catalog error; anything else is a failure.
    if (StartsWith(stmt.error(), "Catalog Error")) return std::nullopt;
    ThrowPrepareError(conn, sql, stmt);
  }
  return ColumnsOfPrepared(stmt.get());
}

std::string QuotedList(const std::vector<std::string>& names) {
  std::vector<std::string> quoted;
  for (const std::string& name : names) quoted.push_back(QuoteIdentifier(name));
  return Join(quoted, ", ");
}

std::vector<std::string> NamesOf(const std::vector<ColumnInfo>& columns) {
  std::vector<std::string> out;
  for (const ColumnInfo& column : columns) out.push_back(column.name);
  return out;
}

std::vector<std::string> ResolveKeys(const std::vector<std::string>& keys,
                                     const std::vector<ColumnInfo>& input) {
  if (keys.empty()) {
    throw QueryError(kEngineName, "upsert", "mode upsert needs at least one key column");
  }
  std::vector<std::string> out;
  for (const std::string& key : keys) {
    int index = FindColumn(input, key);
    if (index < 0) {
      throw SchemaError(
          kEngineName, "upsert",
          fmt::format("key column '{}' is not a column of the input (its columns: {})", key,
                      Join(NamesOf(input), ", ")));
    }
    out.push_back(input[index].name);
  }
  return out;
}

std::vector<std::string> MatchColumns(duck::Connection& conn, const TableName& table,
                                      const std::vector<ColumnInfo>& target,
                                      const std::vector<ColumnInfo>& input, bool allow_evolution) {
  std::vector<std::string> out;
  std::vector<const ColumnInfo*> missing;
  for (const ColumnInfo& column : input) {
    int index = FindColumn(target, column.name);
    if (index < 0) {
      if (!allow_evolution) {
        throw SchemaError(
            kEngineName, "load",
            fmt::format("column '{}' of the input is not in table '{}' (its columns: {}); allow "
                        "schema evolution to add it, or load with mode replace",
                        column.name, table.text, Join(NamesOf(target), ", ")));
      }
      missing.push_back(&column);
      out.push_back(column.name);
      continue;
    }
    if (!SameFamily(column, target[index])) {
      throw SchemaError(
          kEngineName, "load",
          fmt::format("column '{}' is {} in the input but {} in table '{}'; cast it in the "
                      "query, or load with mode replace",
                      column.name, TypeForMessage(column), TypeForMessage(target[index]),
                      table.text));
    }
    out.push_back(target[index].name);
  }
  for (const ColumnInfo* column : missing) {
    conn.Execute(fmt::format("ALTER TABLE {} ADD COLUMN {} {}", table.Quoted(),
                             QuoteIdentifier(column->name), column->sql_type));
  }
  return out;
}

std::string TableKeyword(const TableName& table) {
  return EqualsIgnoreCase(table.catalog(), "temp") ? "TEMP TABLE" : "TABLE";
}

void EnsureSchema(duck::Connection& conn, const TableName& table) {
  if (table.parts.size() < 2 || EqualsIgnoreCase(table.catalog(), "temp")) return;
  std::string schema = QuoteIdentifier(table.schema());
  if (!table.catalog().empty()) schema = QuoteIdentifier(table.catalog()) + "." + schema;
  conn.Execute("CREATE SCHEMA IF NOT EXISTS " + schema);
}

std::string ColumnDefsSql(const std::vector<ColumnInfo>& columns) {
  std::vector<std::string> defs;
  for (const ColumnInfo& column : columns) {
    defs.push_back(QuoteIdentifier(column.name) + " " + column.sql_type);
  }
  return Join(defs, ", ");
}

void CreateTable(duck::Connection& conn, const TableName& table,
                 const std::vector<ColumnInfo>& columns, bool or_replace) {
  EnsureSchema(conn, table);
  conn.Execute(fmt::format("CREATE {}{} {} ({})", or_replace ? "OR REPLACE " : "",
                           TableKeyword(table), table.Quoted(), ColumnDefsSql(columns)));
}

int64_t ExecuteCount(duck::Connection& conn, const std::string& sql) {
  std::optional<std::string> count = conn.QueryScalar(sql);
  return count ? std::stoll(*count) : 0;
}

}  // namespace sqlflow::engine::internal
