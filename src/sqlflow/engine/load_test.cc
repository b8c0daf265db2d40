// Session::Load: chunks into tables through the appender, every mode, and rollback.

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sqlflow/common/error.h"
#include "sqlflow/engine/engine.h"
#include "sqlflow/engine/engine_test_util.h"

namespace sqlflow::engine {
namespace {

using testing::Chunk;
using testing::Dump;
using testing::ErrorOf;
using testing::MakeSchema;
using testing::Row;
using testing::ScriptedStream;
using testing::SourceFailure;
using testing::Stream;

class LoadTest : public testing::SessionTest {
 protected:
  LoadResult LoadRows(const std::string& table, const std::vector<Row>& rows,
                      LoadOptions options = {}) {
    auto input = Stream(schema_, {Chunk(schema_, rows)});
    return session_->Load(table, *input, options);
  }

  std::shared_ptr<const Schema> schema_ =
      MakeSchema({{"id", DataType::Int64()}, {"name", DataType::String()}});
};

Row R(int64_t id, const std::string& name) { return {Value::Int(id), Value::String(name)}; }

TEST_F(LoadTest, ReplaceKeepsEveryTypeAndValueExactly) {
  auto schema = testing_util::AllTypesSchema();
  std::vector<Row> rows = testing_util::AllTypesRows();
  auto input = Stream(schema, {Chunk(schema, rows)});
  EXPECT_EQ(session_->Load("all_types", *input, {}).rows, static_cast<int64_t>(rows.size()));
  EXPECT_EQ(*session_->TableSchema("all_types"), *schema);
  std::unique_ptr<ChunkStream> back = session_->Query("SELECT * FROM all_types", 100);
  std::optional<DataChunk> chunk = back->Next();
  ASSERT_TRUE(chunk.has_value());
  testing_util::ExpectRows(rows, *chunk);
}

TEST_F(LoadTest, ReplaceSwapsTheTableForTheNewRowsAndColumns) {
  session_->Execute("CREATE TABLE t AS SELECT 'old' AS other");
  EXPECT_EQ(LoadRows("t", {R(1, "a"), R(2, "b")}).rows, 2);
  EXPECT_EQ(session_->TableSchema("t")->ToString(), "id BIGINT, name VARCHAR");
  EXPECT_EQ(Rows("t"), "1|a\n2|b\n");
}

TEST_F(LoadTest, LoadsChunksLargerThanAVectorAndSlices) {
  auto schema = MakeSchema({{"n", DataType::Int32()}});
  std::vector<Row> rows;
  for (int i = 0; i < 5000; ++i) rows.push_back({Value::Int(i, DataType::Int32())});
  DataChunk big = Chunk(schema, rows);
  auto input = Stream(schema, {big, big.Slice(4990, 10)});
  EXPECT_EQ(session_->Load("big", *input, {}).rows, 5010);
  EXPECT_EQ(Dump(*session_, "SELECT count(*), sum(n), min(n), max(n) FROM big"),
            "5010|12547445|0|4999\n");
}

TEST_F(LoadTest, ReportsProgressAfterEveryChunk) {
  std::vector<int64_t> seen;
  LoadOptions options;
  options.progress = [&](int64_t rows) { seen.push_back(rows); };
  auto input = Stream(schema_, {Chunk(schema_, {R(1, "a"), R(2, "b")}), Chunk(schema_, {}),
                                Chunk(schema_, {R(3, "c")})});
  session_->Load("t", *input, options);
  EXPECT_EQ(seen, (std::vector<int64_t>{2, 3}));
}

TEST_F(LoadTest, AppendCreatesThenAddsMatchingColumnsByName) {
  LoadOptions append;
  append.mode = TableMode::kAppend;
  EXPECT_EQ(LoadRows("t", {R(1, "a")}, append).rows, 1);
  session_->Execute("ALTER TABLE t ADD COLUMN note VARCHAR");
  // Other order, other case, a narrower integer type; "note" is absent from the input.
  auto swapped = MakeSchema({{"NAME", DataType::String()}, {"Id", DataType::Int32()}});
  auto input =
      Stream(swapped, {Chunk(swapped, {{Value::String("b"), Value::Int(2, DataType::Int32())}})});
  EXPECT_EQ(session_->Load("t", *input, append).rows, 1);
  EXPECT_EQ(Rows("t"), "1|a|NULL\n2|b|NULL\n");
  EXPECT_EQ(session_->TableSchema("t")->ToString(), "id BIGINT, name VARCHAR, note VARCHAR");
}

TEST_F(LoadTest, AppendRejectsAMissingColumnOrAnotherTypeFamily) {
  session_->Execute("CREATE TABLE t (id BIGINT)");
  LoadOptions append;
  append.mode = TableMode::kAppend;
  EXPECT_EQ(ErrorOf<SchemaError>([&] { LoadRows("t", {R(1, "a")}, append); }),
            "DuckDB load: column 'name' of the input is not in table 't' (its columns: id); "
            "allow schema evolution to add it, or load with mode replace");
  session_->Execute("CREATE OR REPLACE TABLE t (id VARCHAR, name VARCHAR)");
  EXPECT_EQ(ErrorOf<SchemaError>([&] { LoadRows("t", {R(1, "a")}, append); }),
            "DuckDB load: column 'id' is BIGINT (numeric) in the input but VARCHAR (text) in "
            "table 't'; cast it in the query, or load with mode replace");
  EXPECT_EQ(session_->CountRows("t"), 0);
}

TEST_F(LoadTest, SchemaEvolutionAddsMissingColumns) {
  session_->Execute("CREATE TABLE t (id BIGINT); INSERT INTO t VALUES (1)");
  LoadOptions append;
  append.mode = TableMode::kAppend;
  append.allow_schema_evolution = true;
  LoadRows("t", {R(2, "b")}, append);
  EXPECT_EQ(session_->TableSchema("t")->ToString(), "id BIGINT, name VARCHAR");
  EXPECT_EQ(Rows("t"), "1|NULL\n2|b\n");
}

TEST_F(LoadTest, UpsertReplacesMatchingKeysAndKeepsTheLastDuplicate) {
  LoadOptions upsert;
  upsert.mode = TableMode::kUpsert;
  upsert.keys = {"id"};
  // Created when missing; of the duplicates of id 1 the last wins.
  EXPECT_EQ(LoadRows("t", {R(1, "first"), R(2, "b"), R(1, "last")}, upsert).rows, 2);
  EXPECT_EQ(Rows("t"), "1|last\n2|b\n");
  EXPECT_EQ(LoadRows("t", {R(2, "B"), R(3, "c")}, upsert).rows, 2);
  EXPECT_EQ(Rows("t"), "1|last\n2|B\n3|c\n");
  // No staging table is left behind.
  EXPECT_EQ(Dump(*session_, "SELECT count(*) FROM duckdb_tables() WHERE temporary"), "0\n");
}

TEST_F(LoadTest, UpsertMatchesCompositeAndNullKeys) {
  session_->Execute(
      "CREATE TABLE t (region VARCHAR, id BIGINT, v VARCHAR);"
      "INSERT INTO t VALUES ('eu', 1, 'old'), ('us', 1, 'keep'), (NULL, 2, 'old null')");
  auto schema = MakeSchema(
      {{"Region", DataType::String()}, {"id", DataType::Int64()}, {"v", DataType::String()}});
  auto input =
      Stream(schema, {Chunk(schema, {{Value::String("eu"), Value::Int(1), Value::String("new")},
                                     {Value::Null(DataType::String()), Value::Int(2),
                                      Value::String("new null")}})});
  LoadOptions upsert;
  upsert.mode = TableMode::kUpsert;
  upsert.keys = {"region", "ID"};
  EXPECT_EQ(session_->Load("t", *input, upsert).rows, 2);
  EXPECT_EQ(Dump(*session_, "SELECT * FROM t ORDER BY id, region NULLS LAST"),
            "eu|1|new\nus|1|keep\nNULL|2|new null\n");
}

TEST_F(LoadTest, UpsertIntoAnExistingTableKeepsTheLastOfDuplicateKeys) {
  session_->Execute("CREATE TABLE t (id BIGINT, name VARCHAR); INSERT INTO t VALUES (1, 'a')");
  LoadOptions upsert;
  upsert.mode = TableMode::kUpsert;
  upsert.keys = {"id"};
  auto input = Stream(
      schema_,
      {Chunk(schema_, {R(1, "x"), {Value::Null(DataType::Int64()), Value::String("null 1")}}),
       Chunk(schema_, {R(1, "y"), {Value::Null(DataType::Int64()), Value::String("null 2")}})});
  EXPECT_EQ(session_->Load("t", *input, upsert).rows, 2);
  EXPECT_EQ(Rows("t"), "1|y\nNULL|null 2\n");
}

TEST_F(LoadTest, UpsertWorksWithAPrimaryKeyOnTheTarget) {
  session_->Execute(
      "CREATE TABLE t (id BIGINT PRIMARY KEY, name VARCHAR); INSERT INTO t VALUES (1, 'a')");
  LoadOptions upsert;
  upsert.mode = TableMode::kUpsert;
  upsert.keys = {"id"};
  EXPECT_EQ(LoadRows("t", {R(1, "b"), R(2, "c")}, upsert).rows, 2);
  EXPECT_EQ(Rows("t"), "1|b\n2|c\n");
}

TEST_F(LoadTest, UpsertNamesAMissingKey) {
  LoadOptions upsert;
  upsert.mode = TableMode::kUpsert;
  upsert.keys = {"order_id"};
  EXPECT_EQ(ErrorOf<SchemaError>([&] { LoadRows("t", {R(1, "a")}, upsert); }),
            "DuckDB upsert: key column 'order_id' is not a column of the input (its columns: id, "
            "name)");
  upsert.keys = {};
  EXPECT_EQ(ErrorOf<QueryError>([&] { LoadRows("t", {R(1, "a")}, upsert); }),
            "DuckDB upsert: mode upsert needs at least one key column");
  EXPECT_EQ(session_->TableSchema("t"), std::nullopt);
}

// A stream that fails after its first chunk must leave the table exactly as it was.
class RollbackTest : public LoadTest, public ::testing::WithParamInterface<TableMode> {};

TEST_P(RollbackTest, AFailingStreamLeavesTheTableAsItWas) {
  session_->Execute("CREATE TABLE t (id BIGINT, name VARCHAR); INSERT INTO t VALUES (1, 'a')");
  LoadOptions options;
  options.mode = GetParam();
  options.keys = {"id"};
  ScriptedStream input(schema_,
                       {Chunk(schema_, {R(1, "changed"), R(2, "b")}), Chunk(schema_, {R(3, "c")})},
                       [](size_t i) {
                         if (i == 1) throw SourceFailure("source broke");
                       });
  EXPECT_EQ(ErrorOf<SourceFailure>([&] { session_->Load("t", input, options); }), "source broke");
  EXPECT_EQ(session_->TableSchema("t")->ToString(), "id BIGINT, name VARCHAR");
  EXPECT_EQ(Rows("t"), "1|a\n");
  EXPECT_EQ(Dump(*session_, "SELECT count(*) FROM duckdb_tables() WHERE temporary"), "0\n");
  // The session is usable afterwards (no transaction left open).
  EXPECT_EQ(LoadRows("t", {R(2, "b")}, options).rows, 1);
}

INSTANTIATE_TEST_SUITE_P(EveryMode, RollbackTest,
                         ::testing::Values(TableMode::kReplace, TableMode::kAppend,
                                           TableMode::kUpsert),
                         [](const auto& mode) { return std::string(TableModeName(mode.param)); });

TEST_F(LoadTest, BeforeCommitRunsInsideTheTransaction) {
  session_->Execute("CREATE TABLE watermarks (source VARCHAR, rows BIGINT)");
  LoadOptions options;
  options.before_commit = [](Session& s) {
    s.Execute("INSERT INTO watermarks SELECT 'src', count(*) FROM t");
  };
  LoadRows("t", {R(1, "a"), R(2, "b")}, options);
  EXPECT_EQ(Rows("watermarks"), "src|2\n");

  options.before_commit = [](Session& s) {
    s.Execute("INSERT INTO watermarks VALUES ('lost', 0)");
    throw SourceFailure("hook failed");
  };
  EXPECT_EQ(ErrorOf<SourceFailure>([&] { LoadRows("t", {R(9, "z")}, options); }), "hook failed");
  EXPECT_EQ(Rows("watermarks"), "src|2\n");
  EXPECT_EQ(Rows("t"), "1|a\n2|b\n");
}

TEST_F(LoadTest, InterruptStopsTheLoadAndRollsBack) {
  LoadRows("t", {R(1, "a")});
  Session* s = session_.get();
  ScriptedStream input(schema_, {Chunk(schema_, {R(5, "x")}), Chunk(schema_, {R(6, "y")})},
                       [s](size_t i) {
                         if (i == 1) s->Interrupt();
                       });
  EXPECT_EQ(ErrorOf<InterruptedError>([&] { session_->Load("t", input, {}); }), "interrupted");
  EXPECT_EQ(Rows("t"), "1|a\n");
  // The next load is not interrupted.
  EXPECT_EQ(LoadRows("t", {R(2, "b")}).rows, 1);
}

TEST_F(LoadTest, SchemaQualifiedNamesAreQuotedPartByPart) {
  EXPECT_EQ(LoadRows("raw.orders", {R(1, "a")}).rows, 1);
  EXPECT_EQ(Rows("raw.orders"), "1|a\n");
  LoadOptions upsert;
  upsert.mode = TableMode::kUpsert;
  upsert.keys = {"id"};
  LoadRows("raw.orders", {R(1, "b")}, upsert);
  EXPECT_EQ(Rows("raw.orders"), "1|b\n");
  EXPECT_EQ(session_->Tables(), std::vector<std::string>{});
  // A quoted part keeps its dot and case.
  LoadRows("\"my.table\"", {R(2, "c")});
  EXPECT_EQ(Rows("\"my.table\""), "2|c\n");
  EXPECT_EQ(ErrorOf<QueryError>([&] { LoadRows("raw..x", {}); }),
            "DuckDB resolve table: invalid table name 'raw..x'");
}

}  // namespace
}  // namespace sqlflow::engine
