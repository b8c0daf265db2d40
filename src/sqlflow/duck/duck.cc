// Database and Connection: opening, statements, small text results, interrupts.

#include "sqlflow/duck/duck.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "sqlflow/common/strings.h"
#include "sqlflow/data/value.h"
#include "sqlflow/duck/duck_internal.h"

namespace sqlflow::duck {

namespace {

using internal::ErrorTypeFromMessage;
using internal::LogicalType;
using internal::PendingResult;
using internal::PreparedStatement;
using internal::Result;

// Settings every connection runs with. TimeZone: TIMESTAMPTZ values are exchanged as UTC.
// The arrow_* settings fix the layout duckdb_data_chunk_to_arrow produces, which Stream
// imports: plain "u" strings with int32 offsets (no string views, no large buffers), UUID as
// text and HUGEINT as decimal128(38,0) (no lossless extension types). The progress bar feeds
// duckdb_query_progress (without it Progress() is always -1); it is never printed.
constexpr const char* kConnectionSettings =
    "SET TimeZone = 'UTC';"
    "SET produce_arrow_string_view = false;"
    "SET arrow_large_buffer_size = false;"
    "SET arrow_lossless_conversion = false;"
    "SET arrow_output_version = '1.0';"
    "SET enable_progress_bar = true;"
    "SET enable_progress_bar_print = false;";

// Owns a duckdb_config.
class Config {
 public:
  Config() {
    if (duckdb_create_config(&config_) == DuckDBError) {
      duckdb_destroy_config(&config_);
      throw DuckError("open", "could not allocate a DuckDB configuration",
                      DUCKDB_ERROR_OUT_OF_MEMORY);
    }
  }
  ~Config() { duckdb_destroy_config(&config_); }
  Config(const Config&) = delete;
  Config& operator=(const Config&) = delete;

  void Set(const char* name, const std::string& value) {
    if (duckdb_set_config(config_, name, value.c_str()) == DuckDBError) {
      throw DuckError("open",
                      fmt::format("invalid value for DuckDB option '{}': '{}'", name, value),
                      DUCKDB_INVALID_CONFIGURATION);
    }
  }
  duckdb_config get() const { return config_; }

 private:
  duckdb_config config_ = nullptr;
};

bool IsInMemory(const std::string& path) { return path.empty() || path == ":memory:"; }

// Remove trailing blanks and semicolons so a statement can be nested in a subquery.
std::string StripStatementEnd(const std::string& sql) {
  size_t end = sql.size();
  while (end > 0 &&
         (std::isspace(static_cast<unsigned char>(sql[end - 1])) || sql[end - 1] == ';')) {
    --end;
  }
  return sql.substr(0, end);
}

DataType TextColumnType(duckdb_logical_type type) {
  DataType out;
  return FromDuckType(type, &out) ? out : DataType::String();
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Database

Database::Database() : registry_(std::make_unique<internal::StreamRegistry>()) {}

Database::~Database() {
  // Close first: the scan function registered at open points into registry_.
  if (db_ != nullptr) duckdb_close(&db_);
}

std::shared_ptr<Database> Database::Open(const DatabaseOptions& options) {
  const std::string shown = IsInMemory(options.path) ? ":memory:" : options.path;
  if (options.threads < 0) {
    throw DuckError("open",
                    fmt::format("threads must be 0 (all cores) or more, got {}", options.threads),
                    DUCKDB_INVALID_CONFIGURATION);
  }
  Config config;
  if (!options.memory_limit.empty()) config.Set("memory_limit", options.memory_limit);
  if (options.threads > 0) config.Set("threads", std::to_string(options.threads));
  if (!options.temp_directory.empty()) config.Set("temp_directory", options.temp_directory);

  std::shared_ptr<Database> db(new Database());
  char* error = nullptr;
  const char* path = IsInMemory(options.path) ? nullptr : options.path.c_str();
  if (duckdb_open_ext(path, &db->db_, config.get(), &error) == DuckDBError) {
    std::string message = error != nullptr ? error : "unknown error";
    if (error != nullptr) duckdb_free(error);
    db->db_ = nullptr;
    throw DuckError("open", fmt::format("cannot open database '{}': {}", shown, message),
                    ErrorTypeFromMessage(message));
  }

  duckdb_connection conn = nullptr;
  if (duckdb_connect(db->db_, &conn) == DuckDBError) {
    throw DuckError("open", fmt::format("cannot connect to database '{}'", shown),
                    DUCKDB_ERROR_CONNECTION);
  }
  try {
    internal::RegisterStreamScanFunction(conn, db->registry_.get());
  } catch (...) {
    duckdb_disconnect(&conn);
    throw;
  }
  duckdb_disconnect(&conn);
  return db;
}

// ---------------------------------------------------------------------------------------------
// Connection

Connection::Connection(std::shared_ptr<Database> db) : db_(std::move(db)) {
  if (duckdb_connect(db_->raw(), &conn_) == DuckDBError) {
    conn_ = nullptr;
    throw DuckError("connect", "cannot open a connection to the database", DUCKDB_ERROR_CONNECTION);
  }
  try {
    Execute(kConnectionSettings);
  } catch (...) {
    duckdb_disconnect(&conn_);
    throw;
  }
}

void Connection::ThrowError(const std::string& operation, const std::string& message,
                            duckdb_error_type type) {
  for (const std::shared_ptr<RegisteredStream>& entry : streams_) {
    if (std::exception_ptr error = entry->scan->TakeUnreportedError()) {
      std::rethrow_exception(error);
    }
  }
  throw DuckError(operation, message, type);
}

namespace {

// What a failed query reports: DuckDB's message and error type.
struct QueryFailure {
  std::string message;
  duckdb_error_type type;
};

// duckdb_query, except that the calling thread sleeps instead of spinning while DuckDB's
// worker threads hold every task of the query. That is the common case when a scan waits for
// a connector's next chunk (a PostgreSQL COPY, an HTTP page): duckdb_query's own loop polls the
// scheduler without pause and takes a whole core from the connector and the server. Pauses
// grow from 20 µs to 1 ms and start over whenever a task ran, so a query never waits more than
// about a millisecond past its last task. What cannot be prepared (several statements in one
// string) goes through duckdb_query. Returns the failure, or nullopt when `out` holds the
// result.
std::optional<QueryFailure> RunQuery(duckdb_connection conn, const std::string& sql,
                                     duckdb_result* out) {
  auto result_failure = [&]() -> std::optional<QueryFailure> {
    const char* error = duckdb_result_error(out);
    return QueryFailure{error != nullptr ? error : "query failed", duckdb_result_error_type(out)};
  };
  PreparedStatement stmt;
  PendingResult pending;
  if (duckdb_prepare(conn, sql.c_str(), stmt.out()) == DuckDBError ||
      duckdb_pending_prepared(stmt.get(), pending.out()) == DuckDBError) {
    if (duckdb_query(conn, sql.c_str(), out) == DuckDBSuccess) return std::nullopt;
    return result_failure();
  }
  std::chrono::microseconds pause(0);
  for (;;) {
    duckdb_pending_state state = duckdb_pending_execute_task(pending.get());
    if (state == DUCKDB_PENDING_NO_TASKS_AVAILABLE) {
      pause = std::clamp(pause * 2, std::chrono::microseconds(20), std::chrono::microseconds(1000));
      std::this_thread::sleep_for(pause);
      continue;
    }
    if (state == DUCKDB_PENDING_ERROR) {
      // duckdb_execute_pending would wrap the message in its own ("unsuccessful pending
      // query"): report the query's.
      const char* error = duckdb_pending_error(pending.get());
      std::string message = error != nullptr ? error : "query failed";
      return QueryFailure{message, ErrorTypeFromMessage(message)};
    }
    if (state != DUCKDB_PENDING_RESULT_NOT_READY) break;
    pause = std::chrono::microseconds(0);
  }
  if (duckdb_execute_pending(pending.get(), out) == DuckDBSuccess) return std::nullopt;
  return result_failure();
}

}  // namespace

void Connection::Execute(const std::string& sql) {
  Result result;
  if (std::optional<QueryFailure> failure = RunQuery(conn_, sql, result.get())) {
    ThrowError("execute", failure->message, failure->type);
  }
}

namespace {

// Render a materialised result with duckdb_value_* (the path for non-SELECT statements,
// whose result cannot be nested in a subquery). duckdb_value_varchar renders scalars but
// returns null for TIMESTAMPTZ (formatted here) and for nested types (an error).
TextResult RenderResult(duckdb_result* result) {
  TextResult out;
  idx_t columns = duckdb_column_count(result);
  std::vector<duckdb_type> ids;
  for (idx_t c = 0; c < columns; ++c) {
    out.names.emplace_back(duckdb_column_name(result, c));
    LogicalType type(duckdb_column_logical_type(result, c));
    out.types.push_back(TextColumnType(type.get()));
    ids.push_back(duckdb_get_type_id(type.get()));
  }
  idx_t rows = duckdb_row_count(result);
  for (idx_t r = 0; r < rows; ++r) {
    std::vector<std::optional<std::string>> row;
    for (idx_t c = 0; c < columns; ++c) {
      if (duckdb_value_is_null(result, c, r)) {
        row.emplace_back(std::nullopt);
      } else if (ids[c] == DUCKDB_TYPE_TIMESTAMP_TZ) {
        row.emplace_back(FormatTimestamp(duckdb_value_timestamp(result, c, r).micros, true));
      } else {
        char* text = duckdb_value_varchar(result, c, r);
        if (text == nullptr) {
          LogicalType type(duckdb_column_logical_type(result, c));
          throw SchemaError("DuckDB", "query",
                            fmt::format("column '{}' of type {} cannot be shown as text; cast it "
                                        "to VARCHAR in the query",
                                        out.names[c], DuckTypeName(type.get())));
        }
        row.emplace_back(text);
        duckdb_free(text);
      }
    }
    out.rows.push_back(std::move(row));
  }
  return out;
}

}  // namespace

TextResult Connection::QueryText(const std::string& sql) {
  // A single SELECT is wrapped so DuckDB casts every column to VARCHAR itself (lists, structs,
  // intervals, TIMESTAMPTZ in UTC); names and types come from preparing the query as written.
  PreparedStatement stmt;
  bool select = duckdb_prepare(conn_, sql.c_str(), stmt.out()) == DuckDBSuccess &&
                duckdb_prepared_statement_type(stmt.get()) == DUCKDB_STATEMENT_TYPE_SELECT;
  if (select) {
    TextResult out;
    idx_t columns = duckdb_prepared_statement_column_count(stmt.get());
    for (idx_t c = 0; c < columns; ++c) {
      const char* name = duckdb_prepared_statement_column_name(stmt.get(), c);
      out.names.emplace_back(name != nullptr ? name : "");
      duckdb_free(const_cast<char*>(name));
      LogicalType type(duckdb_prepared_statement_column_logical_type(stmt.get(), c));
      out.types.push_back(TextColumnType(type.get()));
    }
    std::string wrapped = fmt::format(
        "SELECT CAST(COLUMNS(*) AS VARCHAR) FROM (\n{}\n) AS sqlflow_text", StripStatementEnd(sql));
    Result result;
    if (!RunQuery(conn_, wrapped, result.get()).has_value() &&
        duckdb_column_count(result.get()) == columns) {
      idx_t rows = duckdb_row_count(result.get());
      for (idx_t r = 0; r < rows; ++r) {
        std::vector<std::optional<std::string>> row;
        for (idx_t c = 0; c < columns; ++c) {
          if (duckdb_value_is_null(result.get(), c, r)) {
            row.emplace_back(std::nullopt);
            continue;
          }
          duckdb_string text = duckdb_value_string(result.get(), c, r);
          row.emplace_back(std::string(text.data, text.size));
          duckdb_free(text.data);
        }
        out.rows.push_back(std::move(row));
      }
      return out;
    }
    // Fall through: run the statement as written, so an error carries DuckDB's message about
    // the user's query rather than about the wrapper.
  }
  Result result;
  if (std::optional<QueryFailure> failure = RunQuery(conn_, sql, result.get())) {
    ThrowError("query", failure->message, failure->type);
  }
  return RenderResult(result.get());
}

std::optional<std::string> Connection::QueryScalar(const std::string& sql) {
  TextResult result = QueryText(sql);
  if (result.rows.empty() || result.rows.front().empty()) return std::nullopt;
  return result.rows.front().front();
}

Schema Connection::DescribeQuery(const std::string& sql) {
  PreparedStatement stmt;
  if (duckdb_prepare(conn_, sql.c_str(), stmt.out()) == DuckDBError) {
    const char* error = duckdb_prepare_error(stmt.get());
    std::string message = error != nullptr ? error : "prepare failed";
    ThrowError("describe", message, ErrorTypeFromMessage(message));
  }
  return internal::PreparedSchema(stmt.get(), nullptr);
}

std::unique_ptr<ChunkStream> Connection::Stream(const std::string& sql, int64_t batch_size) {
  if (batch_size < 1) {
    throw QueryError("DuckDB", "query",
                     fmt::format("batch_size must be at least 1, got {}", batch_size));
  }
  return internal::MakeStickyErrorStream(
      MakeRebatchStream(std::make_unique<internal::QueryStream>(this, sql), batch_size));
}

void Connection::Interrupt() { duckdb_interrupt(conn_); }

double Connection::Progress() {
  duckdb_query_progress_type progress = duckdb_query_progress(conn_);
  if (progress.percentage < 0) return -1;
  // DuckDB reports a percentage.
  return std::min(progress.percentage / 100.0, 1.0);
}

}  // namespace sqlflow::duck
