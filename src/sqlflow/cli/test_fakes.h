// Fake connectors and shared fixtures for the CLI's unit tests (test-only header).
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "sqlflow/cli/cli.h"
#include "sqlflow/common/clock.h"
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

/// A fixture with a fresh temporary directory `dir_`, removed after the test.
class TempDirTest : public ::testing::Test {
 protected:
  /// The directory is "<system temp>/<temp_prefix>-XXXXXX".
  explicit TempDirTest(std::string temp_prefix) : temp_prefix_(std::move(temp_prefix)) {}
  void SetUp() override;
  void TearDown() override;

  /// Write `text` to `path` (relative to dir_), creating the missing folders.
  void Write(const std::string& path, const std::string& text) const;
  /// Return the bytes of `path`: relative to dir_, unless absolute.
  std::string Read(const std::filesystem::path& path) const;

  std::filesystem::path dir_;

 private:
  std::string temp_prefix_;
};

/// A fixture that runs `sqlflow` command lines in process (RunCli) with the built-in
/// connectors, a FakeClock, no environment variables and string streams for the output.
class CliCommandTest : public TempDirTest {
 protected:
  using TempDirTest::TempDirTest;
  void SetUp() override;

  /// Run `sqlflow ARGS` with `registry` (nullptr: the built-in connectors) and return the exit
  /// code; out_ and err_ then hold what this run printed.
  int Run(const std::vector<std::string>& args, const ConnectorRegistry* registry = nullptr);
  /// Same, on the project in dir_ (`--project-dir DIR` appended).
  int RunInProject(std::vector<std::string> args, const ConnectorRegistry* registry = nullptr);

  ConnectorRegistry builtin_;  ///< The built-in connectors, registered in SetUp().
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
  std::ostringstream out_;
  std::ostringstream err_;
};

}  // namespace sqlflow::cli::testing
