// Connection::Stream: a streaming query result imported chunk by chunk through Arrow.

#include <algorithm>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "sqlflow/common/error.h"
#include "sqlflow/duck/duck.h"
#include "sqlflow/duck/duck_internal.h"

namespace sqlflow::duck::internal {

namespace {

// The largest magnitude of DECIMAL(38,0): 10^38 - 1.
Int128 MaxDecimal38() {
  Int128 v = 1;
  for (int i = 0; i < 38; ++i) v *= 10;
  return v - 1;
}

bool IsCoarseTimestamp(duckdb_type id) {
  return id == DUCKDB_TYPE_TIMESTAMP_S || id == DUCKDB_TYPE_TIMESTAMP_MS ||
         id == DUCKDB_TYPE_TIMESTAMP_NS;
}

// DuckDB stores infinity / -infinity as the extreme int64 values in every timestamp unit.
constexpr int64_t kInfinity = INT64_MAX;

// Convert a TIMESTAMP_S/_MS/_NS value to microseconds the way DuckDB's own cast to TIMESTAMP
// does (nanoseconds truncate toward zero), keeping infinities.
int64_t ToMicros(int64_t value, duckdb_type unit) {
  if (value == kInfinity || value == -kInfinity) return value;
  int64_t out = 0;
  switch (unit) {
    case DUCKDB_TYPE_TIMESTAMP_S:
      return __builtin_mul_overflow(value, int64_t{1000000}, &out)
                 ? (value < 0 ? -kInfinity : kInfinity)
                 : out;
    case DUCKDB_TYPE_TIMESTAMP_MS:
      return __builtin_mul_overflow(value, int64_t{1000}, &out)
                 ? (value < 0 ? -kInfinity : kInfinity)
                 : out;
    default:
      return value / 1000;
  }
}

class StickyErrorStream : public ChunkStream {
 public:
  explicit StickyErrorStream(std::unique_ptr<ChunkStream> input) : input_(std::move(input)) {}

  const Schema& schema() const override { return input_->schema(); }
  StreamProgress progress() const override { return input_->progress(); }
  std::optional<DataChunk> Next() override {
    if (error_) std::rethrow_exception(error_);
    try {
      return input_->Next();
    } catch (...) {
      error_ = std::current_exception();
      throw;
    }
  }

 private:
  std::unique_ptr<ChunkStream> input_;
  std::exception_ptr error_;
};

}  // namespace

std::unique_ptr<ChunkStream> MakeStickyErrorStream(std::unique_ptr<ChunkStream> input) {
  return std::make_unique<StickyErrorStream>(std::move(input));
}

QueryStream::QueryStream(Connection* conn, const std::string& sql) : conn_(conn) {
  if (duckdb_prepare(conn_->raw(), sql.c_str(), stmt_.out()) == DuckDBError) {
    const char* error = duckdb_prepare_error(stmt_.get());
    std::string message = error != nullptr ? error : "prepare failed";
    conn_->ThrowError("query", message, ErrorTypeFromMessage(message));
  }
  // Check the schema before running anything.
  schema_ = std::make_shared<Schema>(PreparedSchema(stmt_.get(), &duck_types_));
  needs_fix_ = std::any_of(duck_types_.begin(), duck_types_.end(), [](duckdb_type id) {
    return id == DUCKDB_TYPE_HUGEINT || IsCoarseTimestamp(id);
  });

  if (duckdb_pending_prepared_streaming(stmt_.get(), pending_.out()) == DuckDBError) {
    const char* error = duckdb_pending_error(pending_.get());
    std::string message = error != nullptr ? error : "query failed";
    conn_->ThrowError("query", message, ErrorTypeFromMessage(message));
  }
  if (duckdb_execute_pending(pending_.get(), result_.get()) == DuckDBError) {
    const char* error = duckdb_result_error(result_.get());
    conn_->ThrowError("query", error != nullptr ? error : "query failed",
                      duckdb_result_error_type(result_.get()));
  }
  arrow_options_.reset(duckdb_result_get_arrow_options(result_.get()));
  CheckArrowLayout();
}

void QueryStream::CheckArrowLayout() {
  // Chunks are imported zero-copy as the layout of the SQLFlow type (ArrowFormat()), which
  // holds for the settings every Connection starts with. A statement that changed them (SET
  // produce_arrow_string_view = true, ...) would make the import misread buffers: refuse.
  idx_t n = duckdb_column_count(result_.get());
  std::vector<LogicalType> types;
  std::vector<duckdb_logical_type> raw_types;
  std::vector<const char*> names;
  for (idx_t i = 0; i < n; ++i) {
    types.emplace_back(duckdb_column_logical_type(result_.get(), i));
    raw_types.push_back(types.back().get());
    names.push_back(duckdb_column_name(result_.get(), i));
  }
  ArrowSchema arrow{};
  ErrorData error(
      duckdb_to_arrow_schema(arrow_options_.get(), raw_types.data(), names.data(), n, &arrow));
  if (error.failed()) throw DuckError("query", error.message(), error.type());
  std::string problem;
  for (idx_t i = 0; i < n && problem.empty(); ++i) {
    std::string got = arrow.children[i]->format;
    const DataType& type = schema_->field(i).type;
    std::string want = type.ArrowFormat();
    bool ok = got == want;
    if (type.id() == TypeId::kDecimal) ok = ok || got == want + ",128";
    if (type.id() == TypeId::kTimestamp) {
      switch (duck_types_[i]) {
        case DUCKDB_TYPE_TIMESTAMP_S:
          ok = got == "tss:";
          break;
        case DUCKDB_TYPE_TIMESTAMP_MS:
          ok = got == "tsm:";
          break;
        case DUCKDB_TYPE_TIMESTAMP_NS:
          ok = got == "tsn:";
          break;
        case DUCKDB_TYPE_TIMESTAMP_TZ:
          ok = got.rfind("tsu:", 0) == 0 && got.size() > 4;
          break;
        default:
          break;
      }
    }
    if (!ok) {
      problem = fmt::format(
          "DuckDB exports column '{}' as Arrow format '{}' where SQLFlow reads '{}': a "
          "statement changed the connection's Arrow settings (produce_arrow_string_view, "
          "arrow_large_buffer_size, arrow_lossless_conversion, arrow_output_version)",
          schema_->field(i).name, got, want);
    }
  }
  if (arrow.release != nullptr) arrow.release(&arrow);
  if (!problem.empty()) throw SchemaError("DuckDB", "query", problem);
}

QueryStream::~QueryStream() {
  if (done_) return;
  // Destroying a streaming result while DuckDB's workers are still scanning (a parallel
  // read_csv) races with them: a crash in MultiFileScan or a hang in ~TaskScheduler. Interrupt
  // the query and drain it, so every task has finished before the result is destroyed.
  duckdb_interrupt(conn_->raw());
  while (duckdb_data_chunk chunk = duckdb_fetch_chunk(*result_.get())) {
    duckdb_destroy_data_chunk(&chunk);
  }
}

std::optional<DataChunk> QueryStream::Next() {
  while (!done_) {
    duckdb_data_chunk chunk = duckdb_fetch_chunk(*result_.get());
    if (chunk == nullptr) {
      done_ = true;
      const char* error = duckdb_result_error(result_.get());
      if (error != nullptr) {
        conn_->ThrowError("query", error, duckdb_result_error_type(result_.get()));
      }
      return std::nullopt;
    }
    if (duckdb_data_chunk_get_size(chunk) == 0) {
      duckdb_destroy_data_chunk(&chunk);
      continue;
    }
    try {
      DataChunk out = Convert(chunk);
      duckdb_destroy_data_chunk(&chunk);
      return out;
    } catch (...) {
      duckdb_destroy_data_chunk(&chunk);
      done_ = true;
      throw;
    }
  }
  return std::nullopt;
}

DataChunk QueryStream::Convert(duckdb_data_chunk chunk) {
  ArrowArray array{};
  ErrorData error(duckdb_data_chunk_to_arrow(arrow_options_.get(), chunk, &array));
  if (error.failed()) throw DuckError("query", error.message(), error.type());
  int64_t num_rows = array.length;
  DataChunk imported;
  try {
    imported = DataChunk::ImportFromArrow(&array, schema_);
  } catch (...) {
    if (array.release != nullptr) array.release(&array);
    throw;
  }
  if (needs_fix_) {
    std::vector<Column> columns = imported.columns();
    FixColumns(&columns, num_rows);
    imported = DataChunk(schema_, std::move(columns), num_rows);
  }
  rows_ += num_rows;
  return imported;
}

void QueryStream::FixColumns(std::vector<Column>* columns, int64_t num_rows) {
  for (size_t i = 0; i < columns->size(); ++i) {
    if (!IsCoarseTimestamp(duck_types_[i])) continue;
    Column& col = (*columns)[i];
    // Keep offset and validity; rewrite the values in microseconds.
    int64_t slots = col.offset + col.length;
    std::shared_ptr<Buffer> values = Buffer::Allocate(static_cast<size_t>(slots) * 8);
    const int64_t* src = reinterpret_cast<const int64_t*>(col.values->data());
    int64_t* dst = reinterpret_cast<int64_t*>(values->mutable_data());
    for (int64_t j = col.offset; j < slots; ++j) dst[j] = ToMicros(src[j], duck_types_[i]);
    col.values = std::move(values);
  }
  static const Int128 kMax = MaxDecimal38();
  for (size_t i = 0; i < columns->size(); ++i) {
    if (duck_types_[i] != DUCKDB_TYPE_HUGEINT) continue;
    const Column& col = (*columns)[i];
    for (int64_t j = 0; j < num_rows; ++j) {
      if (col.IsNull(j)) continue;
      Int128 v = col.DecimalAt(j);
      if (v > kMax || v < -kMax) {
        DataLocation where;
        where.object = "query result";
        where.line = rows_ + j + 1;
        where.column = schema_->field(i).name;
        throw DataError("DuckDB", "query", where,
                        "HUGEINT value does not fit DECIMAL(38,0); cast the column to VARCHAR or "
                        "DOUBLE in the query");
      }
    }
  }
}

}  // namespace sqlflow::duck::internal
