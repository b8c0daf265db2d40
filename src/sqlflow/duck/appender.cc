// Appender: DataChunks into a table through DuckDB's appender, converted through Arrow.

#include "sqlflow/duck/appender.h"

#include <algorithm>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "sqlflow/common/error.h"
#include "sqlflow/duck/duck_internal.h"

namespace sqlflow::duck {

using internal::ErrorData;

namespace {

std::string Describe(const AppendTarget& target) {
  std::string out;
  if (!target.catalog.empty()) out += target.catalog + ".";
  if (!target.schema.empty()) out += target.schema + ".";
  return out + target.table;
}

const char* OrNull(const std::string& s) { return s.empty() ? nullptr : s.c_str(); }

}  // namespace

Appender::Appender(Connection& conn, std::string table) : conn_(conn), table_(std::move(table)) {}

Appender::~Appender() {
  if (converted_ != nullptr) duckdb_destroy_arrow_converted_schema(&converted_);
  if (appender_ != nullptr) duckdb_appender_destroy(&appender_);
}

void Appender::ThrowAppenderError(const std::string& fallback) {
  ErrorData error(duckdb_appender_error_data(appender_));
  std::string message = error.failed() ? error.message() : fallback;
  throw DuckError("append", fmt::format("table '{}': {}", table_, message), error.type());
}

std::unique_ptr<Appender> Appender::Open(Connection& conn, const AppendTarget& target,
                                         const Schema& schema,
                                         const std::vector<std::string>& columns) {
  std::unique_ptr<Appender> out(new Appender(conn, Describe(target)));
  if (columns.size() != schema.num_fields()) {
    throw DuckError("append",
                    fmt::format("table '{}': {} target columns for {} input columns", out->table_,
                                columns.size(), schema.num_fields()),
                    DUCKDB_ERROR_INVALID_INPUT);
  }
  if (duckdb_appender_create_ext(conn.raw(), OrNull(target.catalog), OrNull(target.schema),
                                 target.table.c_str(), &out->appender_) == DuckDBError) {
    out->ThrowAppenderError("cannot open an appender (does the table exist?)");
  }
  for (const std::string& column : columns) {
    if (duckdb_appender_add_column(out->appender_, column.c_str()) == DuckDBError) {
      out->ThrowAppenderError(fmt::format("unknown column '{}'", column));
    }
  }
  ArrowSchema arrow{};
  ExportSchemaToArrow(schema, &arrow);
  ErrorData error(duckdb_schema_from_arrow(conn.raw(), &arrow, &out->converted_));
  if (arrow.release != nullptr) arrow.release(&arrow);
  if (error.failed()) {
    throw DuckError("append",
                    fmt::format("table '{}': DuckDB cannot read the input's Arrow schema ({}): {}",
                                out->table_, schema.ToString(), error.message()),
                    error.type());
  }
  return out;
}

void Appender::Append(const DataChunk& chunk) {
  if (closed_) {
    throw DuckError("append", fmt::format("table '{}': the appender is closed", table_),
                    DUCKDB_ERROR_INVALID);
  }
  // duckdb_data_chunk_from_arrow takes at most one vector (2048 rows) per call.
  const int64_t step = static_cast<int64_t>(duckdb_vector_size());
  for (int64_t start = 0; start < chunk.num_rows(); start += step) {
    int64_t count = std::min(step, chunk.num_rows() - start);
    AppendSlice(count == chunk.num_rows() ? chunk : chunk.Slice(start, count));
  }
}

void Appender::AppendSlice(const DataChunk& slice) {
  ArrowArray array{};
  slice.ExportToArrow(&array, nullptr);
  duckdb_data_chunk data = nullptr;
  ErrorData error(duckdb_data_chunk_from_arrow(conn_.raw(), &array, converted_, &data));
  // DuckDB takes the array's buffers when it succeeds (leaving release null); release
  // whatever it left.
  if (array.release != nullptr) array.release(&array);
  if (error.failed()) {
    if (data != nullptr) duckdb_destroy_data_chunk(&data);
    throw DuckError("append", fmt::format("table '{}': {}", table_, error.message()), error.type());
  }
  duckdb_state state = duckdb_append_data_chunk(appender_, data);
  duckdb_destroy_data_chunk(&data);
  if (state == DuckDBError) ThrowAppenderError("append failed");
}

void Appender::Close() {
  if (closed_) return;
  closed_ = true;
  if (duckdb_appender_close(appender_) == DuckDBError) ThrowAppenderError("flush failed");
}

}  // namespace sqlflow::duck
