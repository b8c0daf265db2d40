#include "sqlflow/connectors/file/scan_stream.h"

#include <utility>

namespace sqlflow::file::internal {

ScanStream::ScanStream(std::shared_ptr<duck::Database> db, std::unique_ptr<duck::Connection> conn,
                       std::unique_ptr<ChunkStream> inner, int64_t bytes_total, ErrorFn on_error,
                       EndFn on_end)
    : db_(std::move(db)),
      conn_(std::move(conn)),
      inner_(std::move(inner)),
      schema_(std::make_shared<Schema>(inner_->schema())),
      bytes_total_(bytes_total),
      on_error_(std::move(on_error)),
      on_end_(std::move(on_end)) {}

std::optional<DataChunk> ScanStream::Next() {
  if (finished_) return std::nullopt;
  std::optional<DataChunk> chunk;
  try {
    chunk = inner_->Next();
    if (!chunk) {
      finished_ = true;
      inner_.reset();
      on_end_(*conn_, rows_, bytes_);
      return std::nullopt;
    }
  } catch (...) {
    finished_ = true;
    inner_.reset();
    on_error_(std::current_exception());
    throw;  // on_error_ must throw; keep the original if it did not
  }
  rows_ += chunk->num_rows();
  bytes_ += chunk->ByteSize();
  return chunk;
}

StreamProgress ScanStream::progress() const {
  StreamProgress p;
  p.rows = rows_;
  p.bytes_total = bytes_total_;
  if (finished_) {
    p.bytes_read = bytes_total_;
  } else if (double fraction = conn_->Progress(); fraction >= 0 && bytes_total_ >= 0) {
    p.bytes_read = static_cast<int64_t>(fraction * static_cast<double>(bytes_total_));
  }
  return p;
}

}  // namespace sqlflow::file::internal
