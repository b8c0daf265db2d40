// DuckDbWritable::WriteRelationOn of the file destinations (CSV, Parquet): writes run on the
// caller's connection, with the modes, atomicity and metrics of Write(), and leave no object
// behind on that connection.

#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sqlflow/connectors/csv/csv_connector.h"
#include "sqlflow/connectors/file/file_testing.h"
#include "sqlflow/connectors/parquet/parquet_connector.h"
#include "sqlflow/duck/duck.h"

namespace sqlflow::file {
namespace {

using testing::ReadFileBytes;
using testing::TempDir;

/// A file format under test: how to make its destination and how DuckDB reads its files.
struct Format {
  std::string name;
  std::function<std::unique_ptr<DestinationConnector>()> make;
  std::string reader;  ///< "read_csv" or "read_parquet".
};

void PrintTo(const Format& format, std::ostream* out) { *out << format.name; }

class WriteOnConnection : public ::testing::TestWithParam<Format> {
 protected:
  WriteOnConnection() : conn_(duck::Database::Open()) {
    conn_.Execute("CREATE TABLE orders AS SELECT * FROM (VALUES (1, 'a'), (2, 'b')) t(k, v)");
  }

  std::string Target() const { return dir_.Path("out." + GetParam().name); }

  std::unique_ptr<DestinationConnector> Destination() const {
    auto destination = GetParam().make();
    destination->Configure({{"path", Target()}});
    return destination;
  }

  WriteResult WriteOn(DestinationConnector& destination, const std::string& relation,
                      WriteMode mode, std::vector<std::string> keys = {"k"},
                      const ProgressFn& progress = {}) {
    WriteOptions options;
    options.mode = mode;
    options.keys = std::move(keys);
    return dynamic_cast<DuckDbWritable&>(destination)
        .WriteRelationOn(conn_, "", relation, options, progress);
  }

  /// The rows of the target as "k|v", read by DuckDB in file order.
  std::vector<std::string> TargetRows() {
    duck::Connection reader(duck::Database::Open());
    auto result = reader.QueryText("SELECT k::VARCHAR || '|' || v FROM " + GetParam().reader +
                                   "('" + Target() + "')");
    std::vector<std::string> rows;
    for (const auto& row : result.rows) rows.push_back(row[0].value_or("NULL"));
    return rows;
  }

  /// The names of the tables and views on the connection that DuckDB did not make.
  std::vector<std::string> UserObjects() {
    auto result = conn_.QueryText(
        "SELECT database_name || '.' || table_name FROM duckdb_tables() WHERE NOT internal "
        "UNION ALL SELECT database_name || '.' || view_name FROM duckdb_views() "
        "WHERE NOT internal ORDER BY 1");
    std::vector<std::string> names;
    for (const auto& row : result.rows) names.push_back(row[0].value_or(""));
    return names;
  }

  TempDir dir_;
  duck::Connection conn_;
};

TEST_P(WriteOnConnection, ReplaceAppendUpsertFromTheConnectionsTablesAndQueries) {
  auto destination = Destination();
  WriteResult replaced = WriteOn(*destination, "orders", WriteMode::kReplace);
  EXPECT_EQ(replaced.rows_written, 2);
  EXPECT_EQ(replaced.bytes_written, static_cast<int64_t>(ReadFileBytes(Target()).size()));
  EXPECT_EQ(TargetRows(), (std::vector<std::string>{"1|a", "2|b"}));

  WriteResult appended = WriteOn(*destination, "(SELECT 3 AS k, 'c' AS v)", WriteMode::kAppend);
  EXPECT_EQ(appended.rows_written, 1);
  EXPECT_EQ(TargetRows(), (std::vector<std::string>{"1|a", "2|b", "3|c"}));

  conn_.Execute("INSERT INTO orders VALUES (4, 'd'), (2, 'x'), (2, 'B')");
  WriteResult upserted = WriteOn(
      *destination, "(SELECT * FROM orders WHERE k IN (2, 4) ORDER BY rowid)", WriteMode::kUpsert);
  EXPECT_EQ(upserted.rows_written, 4);  // input rows, duplicates of a key included
  EXPECT_EQ(upserted.bytes_written, static_cast<int64_t>(ReadFileBytes(Target()).size()));
  EXPECT_EQ(TargetRows(), (std::vector<std::string>{"1|a", "3|c", "4|d", "2|B"}));

  EXPECT_EQ(UserObjects(), std::vector<std::string>{"memory.orders"});
  EXPECT_EQ(dir_.List(), std::vector<std::string>{"out." + GetParam().name});
  PerformanceMetrics metrics = destination->performance_metrics();
  EXPECT_EQ(metrics.rows_transferred, 7);
  EXPECT_EQ(metrics.bytes_transferred,
            replaced.bytes_written + appended.bytes_written + upserted.bytes_written);
  EXPECT_EQ(metrics.failures, 0);
}

TEST_P(WriteOnConnection, SparesTheCallersObjectsNamedLikeScratchTables) {
  conn_.Execute(
      "CREATE TEMP TABLE __sqlflow_new AS SELECT 'mine' AS s;"
      "CREATE TABLE __sqlflow_old AS SELECT 'also mine' AS s;"
      "CREATE VIEW __sqlflow_input AS SELECT 1 AS one;");
  auto destination = Destination();
  WriteOn(*destination, "orders", WriteMode::kReplace);
  WriteOn(*destination, "(SELECT 1 AS k, 'A' AS v)", WriteMode::kUpsert);
  EXPECT_EQ(TargetRows(), (std::vector<std::string>{"2|b", "1|A"}));
  EXPECT_EQ(conn_.QueryScalar("SELECT s FROM temp.__sqlflow_new"), "mine");
  EXPECT_EQ(conn_.QueryScalar("SELECT s FROM memory.__sqlflow_old"), "also mine");
  EXPECT_EQ(UserObjects(),
            (std::vector<std::string>{"memory.__sqlflow_input", "memory.__sqlflow_old",
                                      "memory.orders", "temp.__sqlflow_new"}));
}

TEST_P(WriteOnConnection, AFailureMidwayLeavesTheOldFileAndNothingBehind) {
  auto destination = Destination();
  WriteOn(*destination, "orders", WriteMode::kReplace);
  const std::string before = ReadFileBytes(Target());
  // Fails after many rows were produced (DuckDB's error() raises when evaluated).
  const std::string failing =
      "(SELECT CASE WHEN i < 150000 THEN i ELSE error('broken at ' || i) END AS k, 'v' AS v "
      "FROM range(200000) t(i))";
  for (WriteMode mode : {WriteMode::kReplace, WriteMode::kAppend, WriteMode::kUpsert}) {
    SCOPED_TRACE(WriteModeName(mode));
    try {
      WriteOn(*destination, failing, mode);
      FAIL() << "no error";
    } catch (const duck::DuckError& e) {
      EXPECT_NE(std::string(e.what()).find("broken at 150000"), std::string::npos) << e.what();
    }
    EXPECT_EQ(ReadFileBytes(Target()), before);
    EXPECT_EQ(dir_.List(), std::vector<std::string>{"out." + GetParam().name});
    EXPECT_EQ(UserObjects(), std::vector<std::string>{"memory.orders"});
  }
  EXPECT_EQ(destination->performance_metrics().failures, 3);
  EXPECT_EQ(conn_.QueryScalar("SELECT count(*) FROM orders"), "2");  // still usable
}

TEST_P(WriteOnConnection, AnErrorAfterTheScratchTablesExistDropsThem) {
  auto destination = Destination();
  WriteOn(*destination, "orders", WriteMode::kReplace);
  const std::string before = ReadFileBytes(Target());
  // The key is checked once the input was materialised into a scratch table.
  EXPECT_THROW(WriteOn(*destination, "orders", WriteMode::kUpsert, {"id"}), SchemaError);
  // Both sides materialised, then the columns are checked.
  EXPECT_THROW(WriteOn(*destination, "(SELECT 5 AS k, 'e' AS v, 1 AS extra)", WriteMode::kAppend),
               SchemaError);
  EXPECT_EQ(ReadFileBytes(Target()), before);
  EXPECT_EQ(dir_.List(), std::vector<std::string>{"out." + GetParam().name});
  EXPECT_EQ(UserObjects(), std::vector<std::string>{"memory.orders"});
}

/// Rows (k, v) that interrupt `conn`'s running query once a few chunks were handed out, like a
/// Ctrl-C in the middle of a write; ends after `limit` chunks if the interruption is ignored.
class InterruptingStream final : public ChunkStream {
 public:
  InterruptingStream(duck::Connection& conn, int limit) : conn_(conn), limit_(limit) {}
  const Schema& schema() const override { return schema_; }
  std::optional<DataChunk> Next() override {
    if (calls_ == limit_) return std::nullopt;
    if (++calls_ == 3) conn_.Interrupt();
    std::vector<std::vector<Value>> rows;
    for (int i = 0; i < 100; ++i)
      rows.push_back({Value::Int(calls_ * 100 + i), Value::String("v")});
    return testing::MakeChunk(schema_, rows);
  }

 private:
  duck::Connection& conn_;
  const int limit_;
  int calls_ = 0;
  const Schema schema_{{{"k", DataType::Int64()}, {"v", DataType::String()}}};
};

TEST_P(WriteOnConnection, AnInterruptedWriteLeavesTheOldFile) {
  auto destination = Destination();
  WriteOn(*destination, "orders", WriteMode::kReplace);
  const std::string before = ReadFileBytes(Target());
  for (WriteMode mode : {WriteMode::kReplace, WriteMode::kUpsert}) {
    SCOPED_TRACE(WriteModeName(mode));
    conn_.RegisterStream("rows", std::make_unique<InterruptingStream>(conn_, 1000));
    try {
      WriteOn(*destination, "rows", mode);
      FAIL() << "not interrupted";
    } catch (const duck::DuckError& e) {
      EXPECT_EQ(e.type(), DUCKDB_ERROR_INTERRUPT) << e.what();
    }
    conn_.UnregisterStream("rows");
    EXPECT_EQ(ReadFileBytes(Target()), before);
    EXPECT_EQ(dir_.List(), std::vector<std::string>{"out." + GetParam().name});
    EXPECT_EQ(UserObjects(), std::vector<std::string>{"memory.orders"});
  }
  EXPECT_EQ(conn_.QueryScalar("SELECT 42"), "42");
}

INSTANTIATE_TEST_SUITE_P(
    Formats, WriteOnConnection,
    ::testing::Values(Format{"csv", [] { return MakeCsvDestination(); }, "read_csv"},
                      Format{"parquet", [] { return MakeParquetDestination(); }, "read_parquet"}),
    [](const ::testing::TestParamInfo<Format>& param) { return param.param.name; });

}  // namespace
}  // namespace sqlflow::file
