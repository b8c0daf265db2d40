#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqlflow/data/stream.h"
#include "sqlflow/duck/duck.h"
#include "sqlflow/duck/duck_testing.h"

namespace sqlflow::duck {
namespace {

using ::testing::StartsWith;
using testing::TempDir;

Int128 ParseInt128(const std::string& digits) {
  bool negative = digits[0] == '-';
  Int128 v = 0;
  for (size_t i = negative ? 1 : 0; i < digits.size(); ++i) v = v * 10 + (digits[i] - '0');
  return negative ? -v : v;
}

class StreamTest : public ::testing::TestWithParam<bool> {
 protected:
  std::shared_ptr<Database> OpenDb() {
    DatabaseOptions options;
    if (GetParam()) options.path = dir_.File("stream.duckdb");
    return Database::Open(options);
  }

  TempDir dir_;
};

INSTANTIATE_TEST_SUITE_P(InMemoryAndFile, StreamTest, ::testing::Values(false, true),
                         testing::StorageName);

TEST_P(StreamTest, BatchesHaveExactSizesAndSums) {
  Connection conn(OpenDb());
  conn.Execute("CREATE TABLE numbers AS SELECT range AS i FROM range(100003)");
  for (int64_t batch_size : {10000, 1000, 2048, 100003, 200000}) {
    auto stream =
        conn.Stream("SELECT i, i * 2 AS j, 'r' || i AS s FROM numbers ORDER BY i", batch_size);
    EXPECT_EQ(
        stream->schema(),
        Schema({{"i", DataType::Int64()}, {"j", DataType::Int64()}, {"s", DataType::String()}}));
    std::vector<int64_t> sizes;
    int64_t sum_i = 0;
    int64_t sum_j = 0;
    int64_t row = 0;
    bool strings_match = true;
    while (auto chunk = stream->Next()) {
      sizes.push_back(chunk->num_rows());
      for (int64_t r = 0; r < chunk->num_rows(); ++r, ++row) {
        sum_i += chunk->column(0).ValueAt<int64_t>(r);
        sum_j += chunk->column(1).ValueAt<int64_t>(r);
        strings_match = strings_match && chunk->column(2).StringAt(r) == "r" + std::to_string(row);
      }
    }
    std::vector<int64_t> expected(100003 / batch_size, batch_size);
    if (100003 % batch_size != 0) expected.push_back(100003 % batch_size);
    EXPECT_EQ(sizes, expected) << "batch_size " << batch_size;
    EXPECT_EQ(row, 100003);
    EXPECT_EQ(sum_i, int64_t{5000250003});
    EXPECT_EQ(sum_j, int64_t{10000500006});
    EXPECT_TRUE(strings_match);
  }
}

TEST(StreamTypesTest, EveryMappedTypeRoundTripsWithNulls) {
  struct Case {
    std::string name;
    std::string expr;
    Value expected;
  };
  const int64_t kMax = std::numeric_limits<int64_t>::max();
  const std::vector<Case> cases = {
      {"b", "true", Value::Boolean(true)},
      {"i8", "(-128)::TINYINT", Value::Int(-128, DataType::Int8())},
      {"i16", "(-32768)::SMALLINT", Value::Int(-32768, DataType::Int16())},
      {"i32", "(-2147483648)::INTEGER", Value::Int(-2147483648LL, DataType::Int32())},
      {"i64", "(-9223372036854775808)::BIGINT",
       Value::Int(std::numeric_limits<int64_t>::min(), DataType::Int64())},
      {"u8", "255::UTINYINT", Value::UInt(255, DataType::UInt8())},
      {"u16", "65535::USMALLINT", Value::UInt(65535, DataType::UInt16())},
      {"u32", "4294967295::UINTEGER", Value::UInt(4294967295ULL, DataType::UInt32())},
      {"u64", "18446744073709551615::UBIGINT",
       Value::UInt(std::numeric_limits<uint64_t>::max(), DataType::UInt64())},
      {"f32", "1.5::FLOAT", Value::Double(1.5, DataType::Float32())},
      {"f64", "(-2.25)::DOUBLE", Value::Double(-2.25)},
      {"d4", "(-12.34)::DECIMAL(4,2)", Value::Decimal(-1234, DataType::Decimal(4, 2))},
      {"d9", "123456.789::DECIMAL(9,3)", Value::Decimal(123456789, DataType::Decimal(9, 3))},
      {"d18", "(-12345678901234.5678)::DECIMAL(18,4)",
       Value::Decimal(-123456789012345678LL, DataType::Decimal(18, 4))},
      {"d38", "'1234567890123456789012345678.0123456789'::DECIMAL(38,10)",
       Value::Decimal(ParseInt128("12345678901234567890123456780123456789"),
                      DataType::Decimal(38, 10))},
      {"h", "'99999999999999999999999999999999999999'::HUGEINT",
       Value::Decimal(ParseInt128("99999999999999999999999999999999999999"),
                      DataType::Decimal(38, 0))},
      {"h_neg", "'-99999999999999999999999999999999999999'::HUGEINT",
       Value::Decimal(ParseInt128("-99999999999999999999999999999999999999"),
                      DataType::Decimal(38, 0))},
      {"dt", "DATE '2024-02-29'", Value::Date(19782)},
      {"tm", "TIME '23:59:59.999999'", Value::Time(86399999999)},
      {"ts", "TIMESTAMP '2024-02-29 12:34:56.789012'", Value::Timestamp(1709210096789012)},
      {"ts_s", "'2024-02-29 12:34:56'::TIMESTAMP_S", Value::Timestamp(1709210096000000)},
      {"ts_ms", "'2024-02-29 12:34:56.789'::TIMESTAMP_MS", Value::Timestamp(1709210096789000)},
      {"ts_ns", "'2024-02-29 12:34:56.789012345'::TIMESTAMP_NS",
       Value::Timestamp(1709210096789012)},
      // -500 ns: truncated toward zero, as DuckDB's own CAST(... AS TIMESTAMP) does.
      {"ts_ns_pre_epoch", "'1969-12-31 23:59:59.9999995'::TIMESTAMP_NS", Value::Timestamp(0)},
      {"ts_s_infinity", "'infinity'::TIMESTAMP_S", Value::Timestamp(kMax)},
      {"tz", "TIMESTAMPTZ '2024-02-29 12:34:56.789012+02'",
       Value::Timestamp(1709202896789012, "UTC")},
      {"v", "'héllo, wörld'", Value::String("héllo, wörld")},
      {"empty", "''", Value::String("")},
      {"bl", "'\\x00\\xFFab'::BLOB",
       Value::Binary(std::string("\0\xff"
                                 "ab",
                                 4))},
      {"j", "'{\"a\": [1, 2]}'::JSON", Value::Json("{\"a\": [1, 2]}")},
      {"u", "'8c3a7f1e-0000-4000-8000-000000000001'::UUID",
       Value::String("8c3a7f1e-0000-4000-8000-000000000001")},
  };
  // Row 1 has the values, row 2 NULL in every column (CASE without ELSE).
  std::string sql = "SELECT k";
  std::vector<Field> fields = {{"k", DataType::Int64()}};
  for (const Case& c : cases) {
    sql += ", CASE WHEN k = 1 THEN " + c.expr + " END AS " + c.name;
    fields.push_back({c.name, c.expected.type()});
  }
  sql += " FROM range(1, 3) t(k) ORDER BY k";

  Connection conn(Database::Open());
  EXPECT_EQ(conn.DescribeQuery(sql), Schema(fields));
  auto stream = conn.Stream(sql);
  EXPECT_EQ(stream->schema(), Schema(fields));
  std::vector<DataChunk> chunks = DrainStream(*stream);
  ASSERT_EQ(chunks.size(), 1u);
  const DataChunk& chunk = chunks[0];
  ASSERT_EQ(chunk.num_rows(), 2);
  EXPECT_EQ(chunk.schema(), Schema(fields));
  for (size_t i = 0; i < cases.size(); ++i) {
    const Column& column = chunk.column(i + 1);
    EXPECT_EQ(column.GetValue(0), cases[i].expected) << cases[i].name;
    EXPECT_TRUE(column.IsValid(0)) << cases[i].name;
    EXPECT_TRUE(column.IsNull(1)) << cases[i].name;
    EXPECT_EQ(column.null_count, 1) << cases[i].name;
  }
}

TEST(StreamTypesTest, UnsupportedTypesAreRejectedBeforeTheQueryRuns) {
  Connection conn(Database::Open());
  // error() would fail the query if it ran: the SchemaError proves it did not.
  const std::string sql =
      "SELECT i AS ok, [i, i] AS l, INTERVAL 1 DAY AS iv, "
      "CASE WHEN i >= 0 THEN error('the query ran')::VARCHAR END AS e FROM range(3) t(i)";
  const std::string expected =
      "column 'l' has DuckDB type BIGINT[], which SQLFlow cannot represent; cast it to VARCHAR "
      "or JSON in the query, e.g. CAST(\"l\" AS JSON)\n"
      "column 'iv' has DuckDB type INTERVAL, which SQLFlow cannot represent; cast it to VARCHAR "
      "in the query, e.g. CAST(\"iv\" AS VARCHAR)";
  try {
    conn.Stream(sql);
    FAIL() << "expected a SchemaError";
  } catch (const SchemaError& e) {
    EXPECT_EQ(e.message(), expected);
    EXPECT_EQ(std::string(e.what()), "DuckDB query: " + expected);
  }
  try {
    conn.DescribeQuery(sql);
    FAIL() << "expected a SchemaError";
  } catch (const SchemaError& e) {
    EXPECT_EQ(e.message(), expected);
  }
}

TEST(StreamTypesTest, UnsupportedTypesAreNamedAsDuckDbNamesThem) {
  Connection conn(Database::Open());
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{'a': 1, 'b': 'x'}", "STRUCT(a INTEGER, b VARCHAR)"},
      {"MAP {'k': 1}", "MAP(VARCHAR, INTEGER)"},
      {"[1, 2, 3]::INTEGER[3]", "INTEGER[3]"},
      {"[[1]]", "INTEGER[][]"},
      {"'a'::ENUM('a', 'b')", "ENUM"},
      {"1::UHUGEINT", "UHUGEINT"},
      {"TIMETZ '01:02:03+01'", "TIME WITH TIME ZONE"},
      {"'101'::BIT", "BIT"},
  };
  for (const auto& [expr, name] : cases) {
    try {
      conn.DescribeQuery("SELECT " + expr + " AS c");
      ADD_FAILURE() << expr;
    } catch (const SchemaError& e) {
      EXPECT_THAT(e.message(), StartsWith("column 'c' has DuckDB type " + name + ", which"))
          << expr;
    }
  }
}

TEST(StreamTypesTest, HugeintBeyondDecimalIsADataError) {
  Connection conn(Database::Open());
  auto stream = conn.Stream(
      "SELECT CASE WHEN k = 1 THEN 1::HUGEINT ELSE '100000000000000000000000000000000000000'"
      "::HUGEINT END AS h FROM range(1, 3) t(k) ORDER BY k");
  try {
    stream->Next();
    FAIL() << "expected a DataError";
  } catch (const DataError& e) {
    EXPECT_EQ(std::string(e.what()),
              "DuckDB query: query result:2: column 'h': HUGEINT value does not fit "
              "DECIMAL(38,0); cast the column to VARCHAR or DOUBLE in the query");
    EXPECT_EQ(e.location().line, 2);
  }
}

TEST(StreamErrorTest, ErrorDuringTheScanIsThrownFromNext) {
  Connection conn(Database::Open());
  // The error comes long after the first rows: the streaming result buffers only a few MB.
  auto stream = conn.Stream(
      "SELECT CASE WHEN i = 9000000 THEN error('boom') ELSE i END AS v FROM range(10000000) t(i)");
  int64_t rows = 0;
  try {
    while (auto chunk = stream->Next()) rows += chunk->num_rows();
    FAIL() << "expected a DuckError";
  } catch (const DuckError& e) {
    EXPECT_EQ(e.message(), "Invalid Input Error: boom");
    EXPECT_EQ(e.type(), DUCKDB_ERROR_INVALID_INPUT);
  }
  EXPECT_GT(rows, 0);
  // No rows after the error, however many were buffered for the batch being built.
  try {
    stream->Next();
    FAIL() << "expected the same DuckError again";
  } catch (const DuckError& e) {
    EXPECT_EQ(e.message(), "Invalid Input Error: boom");
  }
}

TEST(StreamErrorTest, RefusesArrowSettingsItCannotImport) {
  Connection conn(Database::Open());
  conn.Execute("SET produce_arrow_string_view = true; SET arrow_output_version = '1.5'");
  try {
    conn.Stream("SELECT 'x' AS s");
    FAIL() << "expected a SchemaError";
  } catch (const SchemaError& e) {
    EXPECT_THAT(e.message(), StartsWith("DuckDB exports column 's' as Arrow format 'vu' where "
                                        "SQLFlow reads 'u'"));
  }
}

TEST(StreamErrorTest, RejectsABatchSizeBelowOne) {
  Connection conn(Database::Open());
  EXPECT_THROW(conn.Stream("SELECT 1", 0), QueryError);
}

TEST(StreamErrorTest, PrepareErrorKeepsDuckDbsMessage) {
  Connection conn(Database::Open());
  try {
    conn.Stream("SELECT * FROM missing_table");
    FAIL() << "expected a DuckError";
  } catch (const DuckError& e) {
    EXPECT_THAT(e.message(),
                StartsWith("Catalog Error: Table with name missing_table does not exist!"));
    EXPECT_EQ(e.type(), DUCKDB_ERROR_CATALOG);
  }
}

}  // namespace
}  // namespace sqlflow::duck

namespace sqlflow::duck {
namespace {

// A stream dropped in the middle of a multi-threaded CSV scan must stop DuckDB's workers
// before the result, connection and database go away: ~QueryStream interrupts and drains.
// Without that, abandoning a CSV-connector read of a 425 MB file crashed in MultiFileScan in
// 2 of 6 runs; this smaller file does not reliably show the race, so this test pins the
// lifetime contract (abandon midway, connection still usable) rather than the race itself.
TEST(StreamLifetimeTest, AbandoningAParallelCsvScanMidwayIsSafe) {
  testing::TempDir dir;
  std::string csv = (dir.path() / "big.csv").string();
  {
    Connection setup(Database::Open());
    setup.Execute(
        "COPY (SELECT i AS id, i * 3 AS v, 'row ' || i AS s FROM range(600000) t(i)) "
        "TO '" +
        csv + "' (HEADER)");
  }
  for (int round = 0; round < 6; ++round) {
    auto db = Database::Open({.threads = 2});
    auto conn = std::make_unique<Connection>(db);
    auto stream = conn->Stream("SELECT * FROM read_csv('" + csv + "')", 2048);
    for (int i = 0; i < 1 + round; ++i) ASSERT_TRUE(stream->Next().has_value());
    stream.reset();
    // The connection stays usable after an abandoned stream.
    EXPECT_EQ(conn->QueryScalar("SELECT 41 + 1"), "42");
  }
}

}  // namespace
}  // namespace sqlflow::duck
