#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqlflow/common/error.h"
#include "sqlflow/data/chunk.h"
#include "sqlflow/data/stream.h"
#include "sqlflow/duck/duck.h"
#include "sqlflow/duck/duck_internal.h"
#include "sqlflow/duck/duck_testing.h"

namespace sqlflow::duck {
namespace {

using ::testing::HasSubstr;
using testing::ScriptedStream;
using testing::TempDir;

using Rows = std::vector<std::vector<std::optional<std::string>>>;

// Every SQLFlow type.
std::shared_ptr<const Schema> AllTypesSchema() {
  return std::make_shared<Schema>(std::vector<Field>{
      {"id", DataType::Int64()},          {"flag", DataType::Boolean()},
      {"i8", DataType::Int8()},           {"i16", DataType::Int16()},
      {"i32", DataType::Int32()},         {"u8", DataType::UInt8()},
      {"u16", DataType::UInt16()},        {"u32", DataType::UInt32()},
      {"u64", DataType::UInt64()},        {"f32", DataType::Float32()},
      {"f64", DataType::Float64()},       {"d4", DataType::Decimal(4, 1)},
      {"d9", DataType::Decimal(9, 2)},    {"d18", DataType::Decimal(18, 3)},
      {"d38", DataType::Decimal(38, 4)},  {"day", DataType::Date()},
      {"clock", DataType::Time()},        {"ts", DataType::Timestamp()},
      {"at", DataType::Timestamp("UTC")}, {"name", DataType::String()},
      {"bytes", DataType::Binary()},      {"doc", DataType::Json()},
  });
}

// The value of column `col` in row `id`: deterministic, with a NULL every 7th row (but id).
Value CellValue(const Field& field, size_t col, int64_t id) {
  if (col > 0 && (id + static_cast<int64_t>(col)) % 7 == 0) return Value::Null(field.type);
  const DataType& type = field.type;
  int64_t sign = id % 2 == 0 ? 1 : -1;
  switch (type.id()) {
    case TypeId::kBoolean:
      return Value::Boolean(id % 3 == 0);
    case TypeId::kInt8:
      return Value::Int(sign * (id % 128), type);
    case TypeId::kInt16:
      return Value::Int(sign * (id % 32768), type);
    case TypeId::kInt32:
      return Value::Int(sign * id * 1000, type);
    case TypeId::kInt64:
      return Value::Int(col == 0 ? id : sign * id * 1000000007LL, type);
    case TypeId::kUInt8:
      return Value::UInt(static_cast<uint64_t>(id % 256), type);
    case TypeId::kUInt16:
      return Value::UInt(static_cast<uint64_t>(id % 65536), type);
    case TypeId::kUInt32:
      return Value::UInt(static_cast<uint64_t>(id) * 427001 % 4294967296ULL, type);
    case TypeId::kUInt64:
      return Value::UInt(18446744073709551615ULL - static_cast<uint64_t>(id), type);
    case TypeId::kFloat32:
      return Value::Double(static_cast<double>(id) + 0.5, type);
    case TypeId::kFloat64:
      return Value::Double(static_cast<double>(sign * id) / 4, type);
    case TypeId::kDecimal: {
      Int128 unscaled = static_cast<Int128>(sign * (id % 999));
      if (type.precision() == 38) unscaled = unscaled * Int128{1000000000000000000LL} * 1000;
      return Value::Decimal(unscaled, type);
    }
    case TypeId::kDate:
      return Value::Date(static_cast<int32_t>(19000 + sign * id));
    case TypeId::kTime:
      return Value::Time(id * 1000003 % 86400000000LL);
    case TypeId::kTimestamp:
      return Value::Timestamp(1700000000000000LL + sign * id * 1000001, type.timezone());
    case TypeId::kString:
      return Value::String(id % 5 == 0 ? "" : "name-" + std::to_string(id) + "-é");
    case TypeId::kBinary:
      return Value::Binary(std::string("\0\xff", 2) + std::to_string(id));
    case TypeId::kJson:
      return Value::Json("{\"id\": " + std::to_string(id) + "}");
  }
  return Value();
}

// Build chunks of the given sizes holding rows 0, 1, 2, ... of CellValue.
std::vector<DataChunk> MakeChunks(const std::shared_ptr<const Schema>& schema,
                                  const std::vector<int64_t>& sizes) {
  std::vector<DataChunk> chunks;
  int64_t id = 0;
  for (int64_t size : sizes) {
    ChunkBuilder builder(schema);
    for (int64_t r = 0; r < size; ++r, ++id) {
      std::vector<Value> row;
      for (size_t c = 0; c < schema->num_fields(); ++c) {
        row.push_back(CellValue(schema->field(c), c, id));
      }
      builder.AppendRow(row);
    }
    chunks.push_back(builder.Finish());
  }
  return chunks;
}

std::unique_ptr<ScriptedStream> MakeStream(const std::shared_ptr<const Schema>& schema,
                                           const std::vector<int64_t>& sizes) {
  return std::make_unique<ScriptedStream>(schema, MakeChunks(schema, sizes));
}

std::shared_ptr<const Schema> AbcSchema() {
  return std::make_shared<Schema>(std::vector<Field>{
      {"a", DataType::Int64()}, {"b", DataType::String()}, {"c", DataType::Int64()}});
}

// Rows a = 1..10, b = "v<a>", c = 10 * a.
std::unique_ptr<ScriptedStream> AbcStream() {
  auto schema = AbcSchema();
  ChunkBuilder builder(schema);
  for (int64_t a = 1; a <= 10; ++a) {
    builder.AppendRow({Value::Int(a), Value::String("v" + std::to_string(a)), Value::Int(a * 10)});
  }
  std::vector<DataChunk> chunks = {builder.Finish()};
  return std::make_unique<ScriptedStream>(schema, std::move(chunks));
}

class RegisterStreamTest : public ::testing::TestWithParam<bool> {
 protected:
  std::shared_ptr<Database> OpenDb() {
    DatabaseOptions options;
    if (GetParam()) options.path = dir_.File("scan.duckdb");
    return Database::Open(options);
  }

  TempDir dir_;
};

INSTANTIATE_TEST_SUITE_P(InMemoryAndFile, RegisterStreamTest, ::testing::Values(false, true),
                         testing::StorageName);

TEST_P(RegisterStreamTest, CreateTableAsSelectCopiesEveryValue) {
  Connection conn(OpenDb());
  auto schema = AllTypesSchema();
  // Chunks larger and smaller than DuckDB's 2048-row vectors, and an empty one.
  const std::vector<int64_t> sizes = {5000, 0, 2048, 1, 3000};
  conn.RegisterStream("src", MakeStream(schema, sizes));
  conn.Execute("CREATE TABLE t AS SELECT * FROM src");

  EXPECT_EQ(conn.QueryScalar("SELECT count(*) FROM t"), "10049");
  EXPECT_EQ(conn.DescribeQuery("SELECT * FROM t"), *schema);
  EXPECT_EQ(conn.QueryScalar("SELECT typeof(doc) FROM t LIMIT 1"), "JSON");

  auto stream = conn.Stream("SELECT * FROM t ORDER BY id", 2048);
  int64_t id = 0;
  int64_t mismatches = 0;
  while (auto chunk = stream->Next()) {
    for (int64_t r = 0; r < chunk->num_rows(); ++r, ++id) {
      for (size_t c = 0; c < schema->num_fields(); ++c) {
        Value expected = CellValue(schema->field(c), c, id);
        Value actual = chunk->column(c).GetValue(r);
        bool same = expected.is_null() ? actual.is_null() : actual == expected;
        if (!same && ++mismatches <= 5) {
          ADD_FAILURE() << "row " << id << " column " << schema->field(c).name << ": expected "
                        << expected.ToString() << ", got " << actual.ToString();
        }
      }
    }
  }
  EXPECT_EQ(id, 10049);
  EXPECT_EQ(mismatches, 0);
}

TEST_P(RegisterStreamTest, ProjectionAndFilterReadTheRightColumnsAndRows) {
  // duckdb_arrow_scan returned shifted columns and unfiltered rows for this query.
  Connection conn(OpenDb());
  conn.RegisterStream("v", AbcStream());
  TextResult result = conn.QueryText("SELECT c, a FROM v WHERE a > 7 ORDER BY a");
  EXPECT_EQ(result.rows, (Rows{{"80", "8"}, {"90", "9"}, {"100", "10"}}));
}

TEST_P(RegisterStreamTest, StreamIsReadOnce) {
  Connection conn(OpenDb());
  conn.RegisterStream("v", AbcStream());
  EXPECT_EQ(conn.QueryScalar("SELECT sum(c) FROM v"), "550");
  try {
    conn.QueryText("SELECT count(*) FROM v");
    FAIL() << "expected a DuckError";
  } catch (const DuckError& e) {
    EXPECT_THAT(e.message(), HasSubstr("the stream behind view 'v' was already read: a "
                                       "registered stream can be scanned once"));
  }
}

TEST_P(RegisterStreamTest, StreamErrorFailsTheQueryWithTheOriginalException) {
  Connection conn(OpenDb());
  auto schema = AllTypesSchema();
  auto stream = MakeStream(schema, {3000, 10});
  stream->ThrowAtEnd([] {
    DataLocation where;
    where.object = "orders.csv";
    where.line = 42;
    throw DataError("CSV", "read", where, "bad value");
  });
  conn.RegisterStream("src", std::move(stream));
  try {
    conn.Execute("CREATE TABLE t AS SELECT * FROM src");
    FAIL() << "expected a DataError";
  } catch (const DataError& e) {
    EXPECT_EQ(std::string(e.what()), "CSV read: orders.csv:42: bad value");
    EXPECT_EQ(e.location().line, 42);
  }
  // Kept for callers that ran the query through the raw handle.
  EXPECT_THROW(conn.RethrowStreamError(), DataError);
  EXPECT_EQ(conn.QueryScalar("SELECT count(*) FROM duckdb_tables() WHERE table_name = 't'"), "0");
  // A later, unrelated failure is a DuckError again.
  EXPECT_THROW(conn.Execute("SELECT * FROM missing_table"), DuckError);
}

TEST_P(RegisterStreamTest, DuckDbsOwnMessageCarriesTheStreamError) {
  Connection conn(OpenDb());
  auto stream = AbcStream();
  stream->ThrowAtEnd([] { throw ConnectionError("REST", "read", "connection reset"); });
  conn.RegisterStream("w", std::move(stream));
  internal::Result result;
  ASSERT_EQ(duckdb_query(conn.raw(), "SELECT * FROM w", result.get()), DuckDBError);
  EXPECT_THAT(duckdb_result_error(result.get()),
              HasSubstr("stream of view 'w' failed: REST read: connection reset"));
  try {
    conn.RethrowStreamError();
    FAIL() << "expected a ConnectionError";
  } catch (const ConnectionError& e) {
    EXPECT_TRUE(e.retryable());
  }
}

TEST_P(RegisterStreamTest, StreamErrorSurfacesThroughStream) {
  Connection conn(OpenDb());
  auto stream = AbcStream();
  stream->ThrowAtEnd([] { throw DataError("CSV", "read", DataLocation{}, "truncated file"); });
  conn.RegisterStream("v", std::move(stream));
  EXPECT_THROW(
      {
        auto result = conn.Stream("SELECT * FROM v");
        DrainStream(*result);
      },
      DataError);
}

TEST_P(RegisterStreamTest, ChunkNotMatchingTheSchemaIsRejected) {
  Connection conn(OpenDb());
  auto declared = std::make_shared<Schema>(std::vector<Field>{{"a", DataType::Int64()}});
  auto actual = std::make_shared<Schema>(std::vector<Field>{{"a", DataType::Int32()}});
  ChunkBuilder builder(actual);
  builder.AppendRow({Value::Int(1, DataType::Int32())});
  std::vector<DataChunk> chunks = {builder.Finish()};
  conn.RegisterStream("v", std::make_unique<ScriptedStream>(declared, std::move(chunks)));
  try {
    conn.Execute("CREATE TABLE t AS SELECT * FROM v");
    FAIL() << "expected a SchemaError";
  } catch (const SchemaError& e) {
    EXPECT_THAT(e.message(), HasSubstr("stream of view 'v': chunk 1 has columns ("));
  }
}

// DuckDB does not check the UTF-8 of VARCHAR values it is handed (duckdb.h: "undefined
// behavior"): StreamScan validates every chunk before copying it.
TEST_P(RegisterStreamTest, InvalidUtf8IsRejectedBeforeDuckDbSeesIt) {
  Connection conn(OpenDb());
  auto schema = std::make_shared<Schema>(std::vector<Field>{{"s", DataType::String()}});
  ChunkBuilder builder(schema);
  builder.AppendRow({Value::String("ok")});
  builder.AppendRow({Value::String("bad \xff")});
  std::vector<DataChunk> chunks = {builder.Finish()};
  conn.RegisterStream("v", std::make_unique<ScriptedStream>(schema, std::move(chunks)));
  try {
    conn.Execute("CREATE TABLE t AS SELECT * FROM v");
    FAIL() << "expected a SchemaError";
  } catch (const SchemaError& e) {
    EXPECT_EQ(e.message(), "column 's' row 1: invalid UTF-8 at byte 4; value: 'bad '");
  }
  EXPECT_EQ(conn.QueryScalar("SELECT count(*) FROM duckdb_tables() WHERE table_name = 't'"), "0");
}

TEST_P(RegisterStreamTest, ReplacingOrUnregisteringReleasesTheStream) {
  auto db = OpenDb();
  int released_a = 0;
  int released_b = 0;
  int released_c = 0;
  {
    Connection conn(db);
    auto a = AbcStream();
    a->OnDestroy([&] { ++released_a; });
    conn.RegisterStream("v", std::move(a));
    auto b = AbcStream();
    b->OnDestroy([&] { ++released_b; });
    conn.RegisterStream("V", std::move(b));  // SQL names are case-insensitive
    EXPECT_EQ(released_a, 1);
    EXPECT_EQ(released_b, 0);
    EXPECT_EQ(conn.QueryScalar("SELECT count(*) FROM v"), "10");

    auto c = AbcStream();
    c->OnDestroy([&] { ++released_c; });
    conn.RegisterStream("other", std::move(c));
    conn.UnregisterStream("other");
    EXPECT_EQ(released_c, 1);
    EXPECT_THROW(conn.QueryText("SELECT * FROM other"), DuckError);
  }
  EXPECT_EQ(released_b, 1);
}

TEST_P(RegisterStreamTest, ViewsBelongToTheirConnection) {
  auto db = OpenDb();
  Connection first(db);
  Connection second(db);
  first.RegisterStream("v", AbcStream());
  EXPECT_THROW(second.QueryText("SELECT * FROM v"), DuckError);
  try {
    second.QueryText("SELECT * FROM sqlflow_stream_scan(123456)");
    FAIL() << "expected a DuckError";
  } catch (const DuckError& e) {
    EXPECT_THAT(e.message(), HasSubstr("sqlflow_stream_scan: no stream is registered under id "
                                       "123456"));
  }
  EXPECT_EQ(first.QueryScalar("SELECT count(*) FROM v"), "10");
}

}  // namespace
}  // namespace sqlflow::duck
