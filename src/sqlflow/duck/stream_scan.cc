// RegisterStream: a ChunkStream read by DuckDB through the sqlflow_stream_scan table function.
//
// Why a table function and not duckdb_arrow_scan: the C API's arrow_scan view advertises
// projection and filter pushdown but hands DuckDB the raw stream, so a query that selects or
// filters columns reads the wrong columns and unfiltered rows (DuckDB 1.4.4). The table
// function below declares no pushdown, so DuckDB projects and filters itself. See the
// RegisterStream tests that project and filter.

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "sqlflow/common/error.h"
#include "sqlflow/common/strings.h"
#include "sqlflow/duck/duck.h"
#include "sqlflow/duck/duck_internal.h"

namespace sqlflow::duck {

namespace internal {

namespace {

template <typename T>
void CopyNarrowedDecimals(const Column& col, int64_t start, idx_t n, void* out) {
  T* dst = static_cast<T*>(out);
  for (idx_t i = 0; i < n; ++i) {
    dst[i] = static_cast<T>(col.DecimalAt(start + static_cast<int64_t>(i)));
  }
}

// Copy rows [start, start + n) of `col` into a DuckDB vector of the type ToDuckType gives.
void CopyColumn(const Column& col, int64_t start, idx_t n, duckdb_vector vec) {
  uint64_t* validity = duckdb_vector_get_validity(vec);
  if (col.null_count > 0 || validity != nullptr) {
    duckdb_vector_ensure_validity_writable(vec);
    validity = duckdb_vector_get_validity(vec);
    for (idx_t i = 0; i < n; ++i) {
      duckdb_validity_set_row_validity(validity, i, col.IsValid(start + static_cast<int64_t>(i)));
    }
  }
  void* data = duckdb_vector_get_data(vec);
  switch (col.type.id()) {
    case TypeId::kBoolean: {
      bool* dst = static_cast<bool*>(data);
      for (idx_t i = 0; i < n; ++i) dst[i] = col.BoolAt(start + static_cast<int64_t>(i));
      return;
    }
    case TypeId::kDecimal: {
      // DuckDB stores DECIMAL in the narrowest integer that holds its precision.
      int precision = col.type.precision();
      if (precision <= 4) {
        CopyNarrowedDecimals<int16_t>(col, start, n, data);
      } else if (precision <= 9) {
        CopyNarrowedDecimals<int32_t>(col, start, n, data);
      } else if (precision <= 18) {
        CopyNarrowedDecimals<int64_t>(col, start, n, data);
      } else {
        // hugeint_t {uint64 lower; int64 upper} has the layout of a little-endian __int128.
        std::memcpy(data, col.values->data() + (col.offset + start) * 16, n * 16);
      }
      return;
    }
    case TypeId::kString:
    case TypeId::kBinary:
    case TypeId::kJson:
      for (idx_t i = 0; i < n; ++i) {
        int64_t row = start + static_cast<int64_t>(i);
        if (col.IsNull(row)) continue;
        std::string_view text = col.StringAt(row);
        duckdb_vector_assign_string_element_len(vec, i, text.data(), text.size());
      }
      return;
    default: {
      // Integers, floats, date (int32 days), time and timestamps (int64 micros): same layout.
      size_t width = static_cast<size_t>(col.type.byte_width());
      std::memcpy(data, col.values->data() + (col.offset + start) * static_cast<int64_t>(width),
                  n * width);
      return;
    }
  }
}

void DeleteScanRef(void* p) { delete static_cast<std::shared_ptr<StreamScan>*>(p); }
void DeleteWeakScanRef(void* p) { delete static_cast<std::weak_ptr<StreamScan>*>(p); }

// The callbacks run inside DuckDB: no exception may leave them.

void ScanBind(duckdb_bind_info info) {
  try {
    auto* registry = static_cast<StreamRegistry*>(duckdb_bind_get_extra_info(info));
    duckdb_value param = duckdb_bind_get_parameter(info, 0);
    int64_t id = duckdb_get_int64(param);
    duckdb_destroy_value(&param);
    std::shared_ptr<StreamScan> scan = registry->Find(id);
    if (scan == nullptr) {
      std::string message = fmt::format(
          "{}: no stream is registered under id {} (its view was replaced or its connection "
          "closed)",
          kStreamScanFunction, id);
      duckdb_bind_set_error(info, message.c_str());
      return;
    }
    for (const Field& field : scan->schema().fields()) {
      LogicalType type(ToDuckType(field.type));
      duckdb_bind_add_result_column(info, field.name.c_str(), type.get());
    }
    // Weak: a bound plan (a view definition, a prepared statement) must not keep the stream.
    duckdb_bind_set_bind_data(info, new std::weak_ptr<StreamScan>(scan), DeleteWeakScanRef);
  } catch (const std::exception& e) {
    duckdb_bind_set_error(info, e.what());
  }
}

void ScanInit(duckdb_init_info info) {
  try {
    auto* weak = static_cast<std::weak_ptr<StreamScan>*>(duckdb_init_get_bind_data(info));
    std::shared_ptr<StreamScan> scan = weak->lock();
    if (scan == nullptr) {
      duckdb_init_set_error(info, "the registered stream was released (its view was replaced)");
      return;
    }
    std::string error;
    if (!scan->Start(&error)) {
      duckdb_init_set_error(info, error.c_str());
      return;
    }
    // One reader: a stream has one cursor. Fill() locks anyway, as DuckDB may still call it
    // from any of its worker threads.
    duckdb_init_set_max_threads(info, 1);
    duckdb_init_set_init_data(info, new std::shared_ptr<StreamScan>(std::move(scan)),
                              DeleteScanRef);
  } catch (const std::exception& e) {
    duckdb_init_set_error(info, e.what());
  }
}

void ScanFunction(duckdb_function_info info, duckdb_data_chunk output) {
  auto* scan = static_cast<std::shared_ptr<StreamScan>*>(duckdb_function_get_init_data(info));
  try {
    (*scan)->Fill(output);
  } catch (const std::exception& e) {
    (*scan)->Fail(std::current_exception());
    duckdb_data_chunk_set_size(output, 0);
    std::string message =
        fmt::format("stream of view '{}' failed: {}", (*scan)->view_name(), e.what());
    duckdb_function_set_error(info, message.c_str());
  } catch (...) {
    (*scan)->Fail(std::current_exception());
    duckdb_data_chunk_set_size(output, 0);
    std::string message =
        fmt::format("stream of view '{}' failed with an unknown exception", (*scan)->view_name());
    duckdb_function_set_error(info, message.c_str());
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// StreamScan

StreamScan::StreamScan(std::string view_name, std::unique_ptr<ChunkStream> stream)
    : view_name_(std::move(view_name)),
      schema_(std::make_shared<Schema>(stream->schema())),
      stream_(std::move(stream)) {}

bool StreamScan::Start(std::string* error) {
  std::lock_guard<std::mutex> lock(mu_);
  if (started_) {
    *error = fmt::format(
        "the stream behind view '{}' was already read: a registered stream can be scanned "
        "once (register it again, or load it into a table first)",
        view_name_);
    return false;
  }
  started_ = true;
  return true;
}

std::optional<DataChunk> StreamScan::NextChunk() {
  std::optional<DataChunk> chunk = stream_->Next();
  if (!chunk) return std::nullopt;
  ++chunks_read_;
  bool same = chunk->num_columns() == schema_->num_fields();
  for (size_t i = 0; same && i < chunk->num_columns(); ++i) {
    same = chunk->column(i).type == schema_->field(i).type;
  }
  if (!same) {
    throw SchemaError(
        "DuckDB", "scan",
        fmt::format("stream of view '{}': chunk {} has columns ({}), but the "
                    "stream's schema is ({})",
                    view_name_, chunks_read_, chunk->schema().ToString(), schema_->ToString()));
  }
  // The scan reads raw buffers: a malformed chunk must not reach DuckDB.
  chunk->Validate();
  return chunk;
}

void StreamScan::Fill(duckdb_data_chunk output) {
  std::lock_guard<std::mutex> lock(mu_);
  duckdb_data_chunk_set_size(output, 0);
  if (error_) std::rethrow_exception(error_);
  if (finished_) return;
  while (!current_ || position_ >= current_->num_rows()) {
    current_ = NextChunk();
    position_ = 0;
    if (!current_) {
      finished_ = true;
      return;
    }
  }
  idx_t n =
      std::min<idx_t>(static_cast<idx_t>(current_->num_rows() - position_), duckdb_vector_size());
  for (size_t c = 0; c < current_->num_columns(); ++c) {
    CopyColumn(current_->column(c), position_, n, duckdb_data_chunk_get_vector(output, c));
  }
  duckdb_data_chunk_set_size(output, n);
  position_ += static_cast<int64_t>(n);
}

void StreamScan::Fail(std::exception_ptr error) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!error_) error_ = std::move(error);
  current_.reset();
}

std::exception_ptr StreamScan::error() {
  std::lock_guard<std::mutex> lock(mu_);
  return error_;
}

std::exception_ptr StreamScan::TakeUnreportedError() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!error_ || reported_) return nullptr;
  reported_ = true;
  return error_;
}

// ---------------------------------------------------------------------------------------------
// StreamRegistry

int64_t StreamRegistry::Add(std::shared_ptr<StreamScan> scan) {
  std::lock_guard<std::mutex> lock(mu_);
  int64_t id = next_id_++;
  scans_[id] = scan;
  return id;
}

void StreamRegistry::Remove(int64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  scans_.erase(id);
}

std::shared_ptr<StreamScan> StreamRegistry::Find(int64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = scans_.find(id);
  return it == scans_.end() ? nullptr : it->second.lock();
}

void RegisterStreamScanFunction(duckdb_connection conn, StreamRegistry* registry) {
  duckdb_table_function function = duckdb_create_table_function();
  duckdb_table_function_set_name(function, kStreamScanFunction);
  LogicalType id_type(duckdb_create_logical_type(DUCKDB_TYPE_BIGINT));
  duckdb_table_function_add_parameter(function, id_type.get());
  duckdb_table_function_set_extra_info(function, registry, nullptr);
  duckdb_table_function_set_bind(function, ScanBind);
  duckdb_table_function_set_init(function, ScanInit);
  duckdb_table_function_set_function(function, ScanFunction);
  duckdb_state state = duckdb_register_table_function(conn, function);
  duckdb_destroy_table_function(&function);
  if (state == DuckDBError) {
    throw DuckError("open",
                    fmt::format("cannot register the {} table function", kStreamScanFunction),
                    DUCKDB_ERROR_CATALOG);
  }
}

}  // namespace internal

// ---------------------------------------------------------------------------------------------
// Connection: registered streams

Connection::~Connection() {
  // Disconnecting drops the temporary views; then nothing can reach the streams.
  if (conn_ != nullptr) duckdb_disconnect(&conn_);
  for (const std::shared_ptr<RegisteredStream>& entry : streams_) {
    db_->registry_->Remove(entry->id);
  }
}

void Connection::RegisterStream(const std::string& view_name, std::unique_ptr<ChunkStream> stream) {
  if (stream == nullptr) {
    throw QueryError("DuckDB", "register stream",
                     fmt::format("no stream given for view '{}'", view_name));
  }
  auto entry = std::make_shared<RegisteredStream>();
  entry->view_name = view_name;
  entry->scan = std::make_shared<internal::StreamScan>(view_name, std::move(stream));
  entry->id = db_->registry_->Add(entry->scan);
  try {
    Execute(fmt::format("CREATE OR REPLACE TEMP VIEW {} AS SELECT * FROM {}({})",
                        QuoteIdentifier(view_name), internal::kStreamScanFunction, entry->id));
  } catch (...) {
    db_->registry_->Remove(entry->id);
    throw;
  }
  // The view now reads the new stream: release the one it replaced. SQL names are
  // case-insensitive, so "V" replaced "v".
  std::erase_if(streams_, [&](const std::shared_ptr<RegisteredStream>& old) {
    if (!EqualsIgnoreCase(old->view_name, view_name)) return false;
    db_->registry_->Remove(old->id);
    return true;
  });
  streams_.push_back(std::move(entry));
}

void Connection::UnregisterStream(const std::string& view_name) {
  auto it = std::find_if(streams_.begin(), streams_.end(),
                         [&](const std::shared_ptr<RegisteredStream>& entry) {
                           return EqualsIgnoreCase(entry->view_name, view_name);
                         });
  if (it == streams_.end()) return;
  Execute(fmt::format("DROP VIEW IF EXISTS {}", QuoteIdentifier(view_name)));
  db_->registry_->Remove((*it)->id);
  streams_.erase(it);
}

void Connection::RethrowStreamError() {
  for (const std::shared_ptr<RegisteredStream>& entry : streams_) {
    if (std::exception_ptr error = entry->scan->error()) std::rethrow_exception(error);
  }
}

}  // namespace sqlflow::duck
