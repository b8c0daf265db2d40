// The embedded DuckDB engine: opening it, and the session's statements and catalog queries.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "sqlflow/common/error.h"
#include "sqlflow/common/strings.h"
#include "sqlflow/engine/engine.h"
#include "sqlflow/engine/engine_internal.h"

namespace sqlflow::engine {

const char* TableModeName(TableMode mode) {
  switch (mode) {
    case TableMode::kReplace:
      return "replace";
    case TableMode::kAppend:
      return "append";
    case TableMode::kUpsert:
      return "upsert";
  }
  return "unknown";
}

namespace internal {

namespace {

bool IsInterrupt(const duck::DuckError& e) { return e.type() == DUCKDB_ERROR_INTERRUPT; }

// A query's stream whose interruption surfaces as InterruptedError.
class TranslatingStream : public ChunkStream {
 public:
  explicit TranslatingStream(std::unique_ptr<ChunkStream> input) : input_(std::move(input)) {}
  const Schema& schema() const override { return input_->schema(); }
  StreamProgress progress() const override { return input_->progress(); }
  std::optional<DataChunk> Next() override {
    try {
      return input_->Next();
    } catch (...) {
      RethrowTranslated();
    }
  }

 private:
  std::unique_ptr<ChunkStream> input_;
};

}  // namespace

void RethrowTranslated() {
  try {
    throw;
  } catch (const duck::DuckError& e) {
    if (IsInterrupt(e)) throw InterruptedError();
    throw;
  }
}

DuckSession::DuckSession(std::shared_ptr<duck::Database> db) : conn_(std::move(db)) {}

void DuckSession::Execute(const std::string& sql) {
  try {
    conn_.Execute(sql);
  } catch (...) {
    RethrowTranslated();
  }
}

std::unique_ptr<ChunkStream> DuckSession::Query(const std::string& sql, int64_t batch_size) {
  try {
    return std::make_unique<TranslatingStream>(conn_.Stream(sql, batch_size));
  } catch (...) {
    RethrowTranslated();
  }
}

std::optional<std::string> DuckSession::QueryScalar(const std::string& sql) {
  try {
    return conn_.QueryScalar(sql);
  } catch (...) {
    RethrowTranslated();
  }
}

Schema DuckSession::DescribeQuery(const std::string& sql) { return conn_.DescribeQuery(sql); }

std::optional<Schema> DuckSession::TableSchema(const std::string& table) {
  std::optional<std::vector<ColumnInfo>> columns = DescribeTable(conn_, TableName::Parse(table));
  if (!columns) return std::nullopt;
  std::vector<Field> fields;
  for (const ColumnInfo& column : *columns) {
    // A column SQLFlow has no type for (LIST, INTERVAL, ...) reads as its text.
    fields.push_back(Field{column.name, column.type.value_or(DataType::String())});
  }
  return Schema(std::move(fields));
}

std::vector<std::string> DuckSession::Tables() {
  duck::TextResult result = conn_.QueryText(
      "SELECT table_name FROM information_schema.tables WHERE table_catalog = current_database() "
      "AND table_schema = 'main' ORDER BY table_name");
  std::vector<std::string> out;
  for (const auto& row : result.rows) out.push_back(row.front().value_or(""));
  return out;
}

int64_t DuckSession::CountRows(const std::string& table) {
  std::optional<std::string> count =
      QueryScalar("SELECT count(*) FROM " + TableName::Parse(table).Quoted());
  return count ? std::stoll(*count) : 0;
}

void DuckSession::Interrupt() {
  interrupted_ = true;
  conn_.Interrupt();
}

double DuckSession::Progress() { return conn_.Progress(); }

}  // namespace internal

namespace {

class DuckDbEngine : public Engine {
 public:
  explicit DuckDbEngine(std::shared_ptr<duck::Database> db) : db_(std::move(db)) {}
  std::string name() const override { return "duckdb"; }
  std::unique_ptr<Session> Connect() override {
    return std::make_unique<internal::DuckSession>(db_);
  }

 private:
  std::shared_ptr<duck::Database> db_;
};

bool IsInMemory(const std::string& path) { return path.empty() || path == ":memory:"; }

// Check the options and turn them into DuckDB's; create the database file's directory.
duck::DatabaseOptions ToDatabaseOptions(const EngineOptions& options) {
  if (options.threads < 0) {
    throw ConfigError(
        fmt::format("invalid threads {}: it must be 0 (all cores) or more", options.threads));
  }
  duck::DatabaseOptions out;
  out.path = IsInMemory(options.path) ? "" : options.path;
  out.threads = options.threads;
  out.temp_directory = options.temp_directory;
  if (!options.memory_limit.empty()) out.memory_limit = NormalizeMemoryLimit(options.memory_limit);
  if (!out.path.empty()) {
    std::filesystem::path parent = std::filesystem::path(out.path).parent_path();
    std::error_code error;
    if (!parent.empty()) std::filesystem::create_directories(parent, error);
    if (error) {
      throw ConfigError(fmt::format("cannot create directory '{}' for the database file '{}': {}",
                                    parent.string(), out.path, error.message()));
    }
  }
  return out;
}

}  // namespace

std::unique_ptr<Engine> OpenDuckDbEngine(const EngineOptions& options) {
  duck::DatabaseOptions db_options = ToDatabaseOptions(options);
  try {
    return std::make_unique<DuckDbEngine>(duck::Database::Open(db_options));
  } catch (const duck::DuckError& e) {
    if (e.type() == DUCKDB_INVALID_CONFIGURATION) throw ConfigError(e.message());
    if (e.message().find("Could not set lock on file") != std::string::npos) {
      throw QueryError(
          internal::kEngineName, "open",
          fmt::format("the database file '{}' is locked by another process (another sqlflow run "
                      "or DuckDB client has it open); stop that process or use another path. "
                      "DuckDB said: {}",
                      db_options.path, e.message()));
    }
    throw;
  }
}

}  // namespace sqlflow::engine
