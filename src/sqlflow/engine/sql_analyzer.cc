// SqlAnalyzer: the tables a query reads, from DuckDB's own parser (json_serialize_sql).

#include <algorithm>
#include <mutex>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <duckdb.h>

#include "sqlflow/common/error.h"
#include "sqlflow/common/strings.h"
#include "sqlflow/duck/duck.h"
#include "sqlflow/engine/engine.h"
#include "sqlflow/engine/engine_internal.h"

#include <nlohmann/json.hpp>

namespace sqlflow::engine {

namespace {

using Json = nlohmann::ordered_json;  // keeps the parser's order: order of appearance

// Walks a serialized statement, collecting base-table references that are not CTE names in
// scope. Scopes follow DuckDB: a CTE is visible in the body of its WITH and in the CTEs
// defined after it; its own definition sees it only when recursive (RECURSIVE_CTE_NODE).
class TableCollector {
 public:
  void Walk(const Json& node, std::vector<std::string> scope) {
    if (node.is_array()) {
      for (const Json& child : node) Walk(child, scope);
      return;
    }
    if (!node.is_object()) return;
    if (auto type = node.find("type"); type != node.end() && type->is_string()) {
      if (*type == "BASE_TABLE") AddTable(node, scope);
      if (*type == "RECURSIVE_CTE_NODE") scope.push_back(node.value("cte_name", ""));
    }
    if (auto ctes = node.find("cte_map"); ctes != node.end() && ctes->contains("map")) {
      for (const Json& entry : (*ctes)["map"]) {
        if (entry.contains("value")) Walk(entry["value"], scope);
        scope.push_back(entry.value("key", ""));
      }
    }
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (it.key() != "cte_map") Walk(it.value(), scope);
    }
  }

  const std::vector<std::string>& tables() const { return tables_; }

 private:
  void AddTable(const Json& ref, const std::vector<std::string>& scope) {
    std::string catalog = ref.value("catalog_name", "");
    std::string schema = ref.value("schema_name", "");
    std::string table = ref.value("table_name", "");
    if (table.empty()) return;
    bool is_cte = catalog.empty() && schema.empty() &&
                  std::any_of(scope.begin(), scope.end(), [&](const std::string& name) {
                    return EqualsIgnoreCase(name, table);
                  });
    if (is_cte) return;
    std::string name = table;
    if (!schema.empty()) name = schema + "." + name;
    if (!catalog.empty()) name = catalog + "." + name;
    if (std::find(tables_.begin(), tables_.end(), name) == tables_.end()) {
      tables_.push_back(std::move(name));
    }
  }

  std::vector<std::string> tables_;
};

}  // namespace

struct SqlAnalyzer::Impl {
  std::mutex mu;
  std::shared_ptr<duck::Database> db;      // a private database, or
  std::unique_ptr<duck::Connection> conn;  // its connection;
  std::unique_ptr<Session> session;        // or a session of the engine
  duckdb_prepared_statement stmt = nullptr;

  ~Impl() { duckdb_destroy_prepare(&stmt); }

  void Prepare(duckdb_connection raw);
  std::string Serialize(const std::string& query);
};

void SqlAnalyzer::Impl::Prepare(duckdb_connection raw) {
  if (duckdb_prepare(raw, "SELECT json_serialize_sql(?::VARCHAR)", &stmt) == DuckDBError) {
    throw QueryError(internal::kEngineName, "parse", duckdb_prepare_error(stmt));
  }
}

std::string SqlAnalyzer::Impl::Serialize(const std::string& query) {
  duckdb_bind_varchar_length(stmt, 1, query.data(), query.size());
  duckdb_result result;
  std::string out;
  if (duckdb_execute_prepared(stmt, &result) == DuckDBError) {
    std::string message = duckdb_result_error(&result);
    duckdb_destroy_result(&result);
    throw QueryError(internal::kEngineName, "parse", message);
  }
  if (duckdb_row_count(&result) > 0 && !duckdb_value_is_null(&result, 0, 0)) {
    duckdb_string text = duckdb_value_string(&result, 0, 0);
    out.assign(text.data, text.size);
    duckdb_free(text.data);
  }
  duckdb_destroy_result(&result);
  return out;
}

SqlAnalyzer::SqlAnalyzer() : impl_(std::make_unique<Impl>()) {
  duck::DatabaseOptions options;
  options.threads = 1;  // parsing needs no workers
  impl_->db = duck::Database::Open(options);
  impl_->conn = std::make_unique<duck::Connection>(impl_->db);
  impl_->Prepare(impl_->conn->raw());
}

SqlAnalyzer::SqlAnalyzer(Engine& engine) : impl_(std::make_unique<Impl>()) {
  impl_->session = engine.Connect();
  if (duck::Connection* conn = impl_->session->duck_connection()) {
    impl_->Prepare(conn->raw());
    return;
  }
  impl_->session.reset();
  duck::DatabaseOptions options;
  options.threads = 1;
  impl_->db = duck::Database::Open(options);
  impl_->conn = std::make_unique<duck::Connection>(impl_->db);
  impl_->Prepare(impl_->conn->raw());
}

SqlAnalyzer::~SqlAnalyzer() = default;

std::vector<std::string> SqlAnalyzer::ReferencedTables(const std::string& query) {
  std::string serialized;
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    serialized = impl_->Serialize(query);
  }
  Json json = Json::parse(serialized, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) {
    throw QueryError(internal::kEngineName, "parse",
                     "DuckDB's parser returned no readable description of the query");
  }
  if (json.value("error", false)) {
    throw QueryError(internal::kEngineName, "parse",
                     json.value("error_message", std::string("the query does not parse")));
  }
  TableCollector collector;
  collector.Walk(json["statements"], {});
  return collector.tables();
}

}  // namespace sqlflow::engine
