#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>

#include "sqlflow/data/stream.h"
#include "sqlflow/duck/duck.h"

namespace sqlflow::file::internal {

/// A chunk stream over a query running in its own DuckDB database: owns the database, the
/// connection and DuckDB's stream, translates scan errors and hooks the end of the scan.
class ScanStream : public ChunkStream {
 public:
  /// Rethrows a scan error as the connector's error; must not return normally.
  using ErrorFn = std::function<void(const std::exception_ptr&)>;
  /// Called once at the end of the scan, with the (then idle) connection and the totals.
  using EndFn = std::function<void(duck::Connection&, int64_t rows, int64_t bytes)>;

  ScanStream(std::shared_ptr<duck::Database> db, std::unique_ptr<duck::Connection> conn,
             std::unique_ptr<ChunkStream> inner, int64_t bytes_total, ErrorFn on_error,
             EndFn on_end);

  const Schema& schema() const override { return *schema_; }
  std::optional<DataChunk> Next() override;
  StreamProgress progress() const override;

 private:
  std::shared_ptr<duck::Database> db_;
  std::unique_ptr<duck::Connection> conn_;
  std::unique_ptr<ChunkStream> inner_;  // reset at the end: frees the connection
  std::shared_ptr<const Schema> schema_;
  int64_t bytes_total_;
  ErrorFn on_error_;
  EndFn on_end_;
  int64_t rows_ = 0;
  int64_t bytes_ = 0;
  bool finished_ = false;
};

}  // namespace sqlflow::file::internal
