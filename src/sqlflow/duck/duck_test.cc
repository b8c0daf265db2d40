#include "sqlflow/duck/duck.h"

#include <atomic>
#include <exception>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqlflow/duck/duck_internal.h"
#include "sqlflow/duck/duck_testing.h"

namespace sqlflow::duck {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
using testing::TempDir;

using Rows = std::vector<std::vector<std::optional<std::string>>>;

// Run `fn`, which must throw DuckError, and return the error.
template <typename Fn>
DuckError CatchDuckError(Fn fn) {
  try {
    fn();
  } catch (const DuckError& e) {
    return e;
  }
  ADD_FAILURE() << "expected a DuckError";
  return DuckError("", "", DUCKDB_ERROR_INVALID);
}

// In memory and in a temporary database file.
class ConnectionTest : public ::testing::TestWithParam<bool> {
 protected:
  std::shared_ptr<Database> OpenDb() {
    DatabaseOptions options;
    if (GetParam()) options.path = dir_.File("test.duckdb");
    return Database::Open(options);
  }

  TempDir dir_;
};

INSTANTIATE_TEST_SUITE_P(InMemoryAndFile, ConnectionTest, ::testing::Values(false, true),
                         testing::StorageName);

TEST_P(ConnectionTest, ExecuteAndQueryText) {
  Connection conn(OpenDb());
  conn.Execute("CREATE TABLE t(a INTEGER, b VARCHAR); INSERT INTO t VALUES (2, NULL), (1, 'x');");

  TextResult result = conn.QueryText("SELECT a, b, [a, a] AS l FROM t ORDER BY a;");
  EXPECT_EQ(result.names, (std::vector<std::string>{"a", "b", "l"}));
  // A LIST has no SQLFlow type: shown as DuckDB's text, typed String.
  EXPECT_EQ(result.types,
            (std::vector<DataType>{DataType::Int32(), DataType::String(), DataType::String()}));
  EXPECT_EQ(result.rows, (Rows{{"1", "x", "[1, 1]"}, {"2", std::nullopt, "[2, 2]"}}));

  EXPECT_EQ(conn.QueryScalar("SELECT count(*) FROM t"), "2");
  EXPECT_EQ(conn.QueryScalar("SELECT NULL"), std::nullopt);
  EXPECT_EQ(conn.QueryScalar("SELECT 1 WHERE false"), std::nullopt);
  EXPECT_EQ(conn.QueryScalar("SELECT INTERVAL 1 DAY -- trailing comment"), "1 day");

  // The query's own ORDER BY survives the wrapping that renders values as text.
  TextResult ordered = conn.QueryText("SELECT i FROM range(3000) r(i) ORDER BY i DESC");
  ASSERT_EQ(ordered.rows.size(), 3000u);
  bool descending = true;
  for (size_t r = 0; r < ordered.rows.size(); ++r) {
    descending = descending && ordered.rows[r][0] == std::to_string(2999 - r);
  }
  EXPECT_TRUE(descending);

  TextResult described = conn.QueryText("DESCRIBE t");
  ASSERT_EQ(described.rows.size(), 2u);
  EXPECT_EQ(described.rows[0][0], "a");
  EXPECT_EQ(described.rows[0][1], "INTEGER");
}

TEST_P(ConnectionTest, QueryTextOfStatementsThatAreNotSelects) {
  Connection conn(OpenDb());
  conn.Execute("CREATE TABLE t(a INTEGER)");
  // INSERT ... RETURNING cannot be nested in a subquery: rendered from the result itself.
  TextResult inserted = conn.QueryText("INSERT INTO t VALUES (7), (8) RETURNING a, a * 2 AS b");
  EXPECT_EQ(inserted.names, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(inserted.rows, (Rows{{"7", "14"}, {"8", "16"}}));
  // Several statements: the last one's result.
  EXPECT_EQ(conn.QueryScalar("INSERT INTO t VALUES (9); SELECT sum(a) FROM t"), "24");
  TextResult pragma = conn.QueryText("PRAGMA table_info('t')");
  ASSERT_EQ(pragma.rows.size(), 1u);
  EXPECT_EQ(pragma.rows[0][1], "a");
  EXPECT_EQ(pragma.rows[0][2], "INTEGER");
}

TEST(DatabaseTest, FileDatabaseKeepsItsTables) {
  TempDir dir;
  DatabaseOptions options;
  options.path = dir.File("keep.duckdb");
  {
    Connection conn(Database::Open(options));
    conn.Execute("CREATE TABLE t AS SELECT range AS i FROM range(5)");
  }
  Connection conn(Database::Open(options));
  EXPECT_EQ(conn.QueryScalar("SELECT sum(i) FROM t"), "10");
}

TEST(DatabaseTest, OpenErrorKeepsDuckDbsMessageAndNamesThePath) {
  DatabaseOptions options;
  options.path = "/nonexistent-sqlflow-dir/sub/db.duckdb";
  DuckError error = CatchDuckError([&] { Database::Open(options); });
  EXPECT_EQ(error.message(),
            "cannot open database '/nonexistent-sqlflow-dir/sub/db.duckdb': IO Error: Cannot open "
            "file \"/nonexistent-sqlflow-dir/sub/db.duckdb\": No such file or directory");
  EXPECT_EQ(error.type(), DUCKDB_ERROR_IO);
  EXPECT_EQ(error.operation(), "open");
  EXPECT_THAT(error.what(), StartsWith("DuckDB open: cannot open database"));
}

TEST(DatabaseTest, AppliesOptions) {
  TempDir dir;
  DatabaseOptions options;
  options.memory_limit = "512MB";
  options.threads = 3;
  options.temp_directory = dir.File("spill");
  Connection conn(Database::Open(options));
  EXPECT_EQ(conn.QueryScalar("SELECT current_setting('threads')"), "3");
  // DuckDB shows limits in binary units: 512 MB = 488.2 MiB.
  EXPECT_EQ(conn.QueryScalar("SELECT current_setting('memory_limit')"), "488.2 MiB");
  EXPECT_EQ(conn.QueryScalar("SELECT current_setting('temp_directory')"), dir.File("spill"));
}

TEST(DatabaseTest, RejectsInvalidOptions) {
  DatabaseOptions bad_limit;
  bad_limit.memory_limit = "lots";
  DuckError error = CatchDuckError([&] { Database::Open(bad_limit); });
  EXPECT_EQ(error.message(), "invalid value for DuckDB option 'memory_limit': 'lots'");
  EXPECT_EQ(error.type(), DUCKDB_INVALID_CONFIGURATION);

  DatabaseOptions bad_threads;
  bad_threads.threads = -1;
  EXPECT_EQ(CatchDuckError([&] { Database::Open(bad_threads); }).message(),
            "threads must be 0 (all cores) or more, got -1");
}

TEST(ConnectionSettingsTest, EveryConnectionRunsInUtc) {
  auto db = Database::Open();
  Connection first(db);
  Connection second(db);
  EXPECT_EQ(second.QueryScalar("SELECT current_setting('TimeZone')"), "UTC");
  EXPECT_EQ(first.QueryScalar("SELECT TIMESTAMPTZ '2024-01-02 03:04:05.5+01'"),
            "2024-01-02 02:04:05.5+00");
}

TEST(ConnectionErrorTest, QueryErrorsKeepDuckDbsMessageAndType) {
  Connection conn(Database::Open());
  DuckError catalog = CatchDuckError([&] { conn.Execute("SELECT * FROM missing_table"); });
  EXPECT_THAT(catalog.message(),
              StartsWith("Catalog Error: Table with name missing_table does not exist!"));
  EXPECT_EQ(catalog.type(), DUCKDB_ERROR_CATALOG);
  EXPECT_THAT(catalog.what(), StartsWith("DuckDB execute: Catalog Error:"));

  DuckError parser = CatchDuckError([&] { conn.QueryText("SELEC 1"); });
  EXPECT_THAT(parser.message(), StartsWith("Parser Error: syntax error at or near \"SELEC\""));
  EXPECT_EQ(parser.type(), DUCKDB_ERROR_PARSER);

  DuckError binder = CatchDuckError([&] { conn.DescribeQuery("SELECT nope FROM range(1)"); });
  EXPECT_THAT(binder.message(), StartsWith("Binder Error: Referenced column \"nope\" not found"));
  EXPECT_EQ(binder.type(), DUCKDB_ERROR_BINDER);
  EXPECT_EQ(binder.operation(), "describe");

  // A run-time error; QueryText reports it about the user's query, not its own wrapper.
  DuckError conversion = CatchDuckError([&] { conn.QueryText("SELECT CAST('x' AS INTEGER)"); });
  EXPECT_THAT(conversion.message(),
              StartsWith("Conversion Error: Could not convert string 'x' to INT32"));
  EXPECT_THAT(conversion.message(), Not(HasSubstr("sqlflow_text")));
  EXPECT_EQ(conversion.type(), DUCKDB_ERROR_CONVERSION);
}

TEST(ConnectionErrorTest, MessagePrefixGivesTheSameTypeAsDuckDb) {
  // Prepare errors come as text only: the prefix table must agree with duckdb_result_error_type.
  Connection conn(Database::Open());
  conn.Execute("CREATE TABLE u(a INTEGER PRIMARY KEY)");
  conn.Execute("INSERT INTO u VALUES (1)");
  const std::vector<std::string> failing = {
      "SELEC 1",
      "SELECT * FROM nope",
      "SELECT nope",
      "SELECT CAST('x' AS INTEGER)",
      "SELECT 1::TINYINT + 1000::TINYINT * 1000::TINYINT",
      "INSERT INTO u VALUES (1)",
      "SELECT * FROM read_csv('/nonexistent-sqlflow-file.csv')",
      "SELECT error('boom')",
      "SET threads = -5",
  };
  for (const std::string& sql : failing) {
    internal::Result result;
    ASSERT_EQ(duckdb_query(conn.raw(), sql.c_str(), result.get()), DuckDBError) << sql;
    std::string message = duckdb_result_error(result.get());
    EXPECT_EQ(internal::ErrorTypeFromMessage(message), duckdb_result_error_type(result.get()))
        << message;
  }
  EXPECT_EQ(internal::ErrorTypeFromMessage("no prefix"), DUCKDB_ERROR_INVALID);
}

TEST(ConnectionErrorTest, CsvConversionErrorNamesTheLine) {
  // The CSV connector parses this exact format out of DuckDB's message.
  TempDir dir;
  std::string csv = "id,amount\n";
  for (int i = 1; i <= 3000; ++i) csv += std::to_string(i) + "," + std::to_string(i) + ".5\n";
  csv += "3001,abc\n3002,1.0\n";
  std::string path = dir.Write("orders.csv", csv);

  Connection conn(Database::Open());
  DuckError error = CatchDuckError([&] {
    conn.Execute("CREATE TABLE t AS SELECT * FROM read_csv('" + path +
                 "', header = true, columns = {'id': 'INTEGER', 'amount': 'DOUBLE'})");
  });
  EXPECT_THAT(error.message(),
              StartsWith("Conversion Error: CSV Error on Line: 3002\nOriginal Line: 3001,abc\n"
                         "Error when converting column \"amount\". Could not convert string "
                         "\"abc\" to 'DOUBLE'\n"));
  EXPECT_EQ(error.type(), DUCKDB_ERROR_CONVERSION);
}

TEST(ConnectionErrorTest, CsvErrorFoundWhileStreamingNamesTheLine) {
  // Past the sniffer's sample, the error is found while rows are already flowing.
  TempDir dir;
  std::string csv = "id,name\n";
  for (int i = 1; i <= 100000; ++i) csv += std::to_string(i) + ",n" + std::to_string(i) + "\n";
  csv += "oops,x\n";
  std::string path = dir.Write("big.csv", csv);

  Connection conn(Database::Open());
  int64_t rows = 0;
  DuckError error = CatchDuckError([&] {
    auto stream = conn.Stream("SELECT * FROM read_csv('" + path + "')");
    while (auto chunk = stream->Next()) rows += chunk->num_rows();
  });
  EXPECT_THAT(error.message(),
              StartsWith("Conversion Error: CSV Error on Line: 100002\nOriginal Line: oops,x\n"
                         "Error when converting column \"id\". Could not convert string "
                         "\"oops\" to 'BIGINT'\n"));
  EXPECT_EQ(error.type(), DUCKDB_ERROR_CONVERSION);
  EXPECT_LT(rows, 100000);
}

TEST(ConnectionInterruptTest, InterruptStopsALongQuery) {
  Connection conn(Database::Open());
  std::atomic<bool> finished = false;
  std::exception_ptr error;
  std::thread query([&] {
    try {
      // Hours of work: only the interrupt ends it.
      conn.Execute("SELECT count(*) FROM range(1000000000000::BIGINT) t(i) WHERE i % 7 = 3");
    } catch (...) {
      error = std::current_exception();
    }
    finished = true;
  });
  // An interrupt that arrives before the query starts is forgotten, so keep sending.
  while (!finished) {
    conn.Interrupt();
    std::this_thread::yield();
  }
  query.join();
  ASSERT_TRUE(error);
  try {
    std::rethrow_exception(error);
  } catch (const DuckError& e) {
    EXPECT_EQ(e.message(), "INTERRUPT Error: Interrupted!");
    EXPECT_EQ(e.type(), DUCKDB_ERROR_INTERRUPT);
  }
  // The connection still works.
  EXPECT_EQ(conn.QueryScalar("SELECT 42"), "42");
}

TEST(ConnectionInterruptTest, ProgressIsAFractionWhileAScanRuns) {
  Connection conn(Database::Open());
  EXPECT_EQ(conn.Progress(), -1);
  conn.Execute("CREATE TABLE big AS SELECT range AS i FROM range(20000000)");
  std::atomic<bool> finished = false;
  std::thread query([&] {
    try {
      conn.Execute("SELECT sum(hash(i::VARCHAR || 'x' || i::VARCHAR)) FROM big");
    } catch (const DuckError&) {
      // Interrupted below once progress was seen.
    }
    finished = true;
  });
  double seen = -1;
  while (!finished) {
    double progress = conn.Progress();
    EXPECT_GE(progress, -1);
    EXPECT_LE(progress, 1);
    if (progress > 0) {
      seen = progress;
      conn.Interrupt();
    }
    std::this_thread::yield();
  }
  query.join();
  EXPECT_GT(seen, 0);
}

}  // namespace
}  // namespace sqlflow::duck
