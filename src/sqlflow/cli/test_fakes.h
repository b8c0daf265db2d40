// Fake connectors for the CLI's unit tests (test-only header).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sqlflow/connectors/connector.h"
#include "sqlflow/connectors/file/pushdown.h"
#include "sqlflow/connectors/registry.h"

namespace sqlflow::cli::testing {

/// A stream of `rows` int64 rows ("id" = 0, 1, ...) that reports 10 input bytes per row.
class FakeStream final : public ChunkStream {
 public:
  FakeStream(int64_t rows, int64_t batch_size);
  const Schema& schema() const override { return *schema_; }
  std::optional<DataChunk> Next() override;
  StreamProgress progress() const override { return {next_, next_ * 10, rows_ * 10}; }

 private:
  std::shared_ptr<const Schema> schema_;
  int64_t rows_;
  int64_t batch_size_;
  int64_t next_ = 0;
};

/// FAKE: params rows (integer, default 3), password (secret), fail (boolean: Read() throws a
/// ConnectorError naming 'missing.csv'), batch_size (integer, default 10000).
class FakeSource : public SourceConnector {
 public:
  using SourceConnector::SourceConnector;
  std::vector<std::string> Discover() override { return {"fake"}; }
  Schema GetSchema(const std::string& object) override;
  std::unique_ptr<ChunkStream> Read(const ReadRequest& request) override;
  ConnectionTestResult TestConnection() override { return {true, "ok", 0}; }

  ReadRequest last_request;  ///< What the last Read() was asked for.

 protected:
  void DoConfigure(const ParameterSet& params) override;

  int64_t rows_ = 0;
  bool fail_ = false;
};

/// FAST source: FAKE plus a DuckDB relation unless the parameter pushdown is false.
class FakePushdownSource final : public FakeSource, public DuckDbScannable {
 public:
  using FakeSource::FakeSource;
  std::optional<std::string> DuckDbRelation(const ReadRequest& request) override;
  [[noreturn]] void RethrowScanError(const std::exception_ptr& error) override;

 protected:
  void DoConfigure(const ParameterSet& params) override;

 private:
  bool pushdown_ = true;
};

/// SINK: params path (required string), compression (snappy | zstd), token (secret); drains
/// the stream and keeps what it wrote. Supports upsert.
class FakeDestination : public DestinationConnector {
 public:
  using DestinationConnector::DestinationConnector;
  WriteResult Write(const std::string& object, ChunkStream& input,
                    const WriteOptions& options) override;
  ConnectionTestResult TestConnection() override { return {true, "ok", 0}; }

  int64_t rows_written = 0;
  WriteOptions last_options;

 protected:
  void DoConfigure(const ParameterSet& /*params*/) override {}
};

/// FAST destination: SINK plus WriteRelation(), which reports progress (bytes 500 of 1000,
/// then 1000 of 1000) and writes 42 rows. No upsert.
class FakeWritableDestination final : public FakeDestination, public DuckDbWritable {
 public:
  using FakeDestination::FakeDestination;
  WriteResult WriteRelation(const std::string& object, const std::string& relation_sql,
                            DuckDbScannable& scan_errors, const WriteOptions& options,
                            const ProgressFn& progress) override;
  /// Same as WriteRelation (the fake ignores the connection).
  WriteResult WriteRelationOn(duck::Connection& conn, const std::string& object,
                              const std::string& relation_sql, const WriteOptions& options,
                              const ProgressFn& progress) override;

  std::string last_relation;
};

/// Sources FAKE and FAST, destinations SINK and FAST.
std::unique_ptr<ConnectorRegistry> MakeFakeRegistry();

}  // namespace sqlflow::cli::testing
