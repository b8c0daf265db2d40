// The POSTGRES destination against a throwaway cluster: every SQLFlow type written and read
// back, tables created from the data, replace swapped in atomically, append with the target's
// own types, upsert by composite keys, and failures that leave the table as it was.
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqlflow/common/error.h"
#include "sqlflow/data/data_test_util.h"

#include "tests/postgres/pg_test_util.h"

namespace sqlflow {
namespace {

using ::sqlflow::testing::PgDestination;
using ::sqlflow::testing::PgSource;
using ::sqlflow::testing::PostgresServer;
using ::sqlflow::testing::Rows;
using ::sqlflow::testing::ServerRows;
using ::sqlflow::testing_util::AllTypesRows;
using ::sqlflow::testing_util::AllTypesSchema;
using ::sqlflow::testing_util::BuildChunk;
using ::sqlflow::testing_util::Row;
using ::sqlflow::testing_util::ScriptedStream;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using json = nlohmann::json;

std::shared_ptr<const Schema> OrdersSchema() {
  return std::make_shared<Schema>(std::vector<Field>{{"region", DataType::String()},
                                                     {"id", DataType::Int64()},
                                                     {"amount", DataType::Decimal(12, 2)}});
}

DataChunk Orders(const std::vector<std::tuple<std::string, int64_t, int64_t>>& rows) {
  std::vector<Row> values;
  for (const auto& [region, id, cents] : rows) {
    values.push_back(
        {Value::String(region), Value::Int(id), Value::Decimal(cents, DataType::Decimal(12, 2))});
  }
  return BuildChunk(OrdersSchema(), values);
}

class PostgresDestinationTest : public ::testing::Test {
 protected:
  void SetUp() override { db_ = server_.CreateDatabase(); }

  WriteResult Write(const std::string& table, std::vector<DataChunk> chunks, WriteMode mode,
                    std::vector<std::string> keys = {}, bool fail = false) {
    auto schema = chunks.empty() ? OrdersSchema() : chunks[0].schema_ptr();
    const int fail_after = fail ? static_cast<int>(chunks.size()) : -1;
    ScriptedStream stream(*schema, std::move(chunks), fail_after);
    auto destination = PgDestination(server_, db_, json::object(), clock_);
    return destination->Write(table, stream, WriteOptions{mode, std::move(keys)});
  }
  std::vector<std::string> Table(const std::string& sql) { return ServerRows(server_, sql, db_); }
  void Exec(const std::string& sql) { server_.Exec(sql, db_); }

  PostgresServer& server_ = PostgresServer::Shared();
  std::string db_;
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
};

TEST_F(PostgresDestinationTest, WritesEveryTypeAndReadsItBack) {
  DataChunk chunk = BuildChunk(AllTypesSchema(), AllTypesRows());
  WriteResult result = Write("all_types", {chunk}, WriteMode::kReplace);
  EXPECT_EQ(result.rows_written, chunk.num_rows());
  EXPECT_THAT(Table("SELECT string_agg(format_type(atttypid, atttypmod), ', ' ORDER BY attnum) "
                    "FROM pg_attribute WHERE attrelid = 'all_types'::regclass AND attnum > 0"),
              ElementsAre("boolean, smallint, smallint, integer, bigint, smallint, integer, "
                          "bigint, numeric(20,0), real, double precision, numeric(38,10), "
                          "numeric(12,2), date, time without time zone, timestamp without time "
                          "zone, timestamp with time zone, text, bytea, jsonb"));
  auto source = PgSource(server_, db_, {{"table", "all_types"}}, clock_);
  auto stream = source->Read({});
  std::vector<DataChunk> back = DrainStream(*stream);
  ASSERT_EQ(back.size(), 1u);
  ASSERT_EQ(back[0].num_rows(), chunk.num_rows());
  for (int64_t r = 0; r < chunk.num_rows(); ++r) {
    for (size_t c = 0; c < chunk.num_columns(); ++c) {
      SCOPED_TRACE("row " + std::to_string(r) + " column " + chunk.schema().field(c).name);
      Value want = chunk.column(c).GetValue(r);
      Value got = back[0].column(c).GetValue(r);
      if (want.type().id() == TypeId::kJson && !want.is_null()) {
        EXPECT_EQ(json::parse(got.ToString()), json::parse(want.ToString()));  // jsonb's spacing
      } else {
        EXPECT_EQ(got.ToString(), want.ToString());
      }
    }
  }
}

TEST_F(PostgresDestinationTest, ReplaceSwapsTheNewRowsIn) {
  Write("orders", {Orders({{"eu", 1, 100}, {"us", 2, 200}})}, WriteMode::kReplace);
  Write("orders", {Orders({{"eu", 3, 300}})}, WriteMode::kReplace);
  EXPECT_THAT(Table("SELECT region, id, amount FROM orders"), ElementsAre("eu|3|3.00"));
}

TEST_F(PostgresDestinationTest, AFailedReplaceLeavesTheOldTable) {
  Write("orders", {Orders({{"eu", 1, 100}, {"us", 2, 200}})}, WriteMode::kReplace);
  EXPECT_THROW(Write("orders", {Orders({{"eu", 3, 300}}), Orders({{"eu", 4, 400}})},
                     WriteMode::kReplace, {}, /*fail=*/true),
               DataError);  // ScriptedStream's failure, after both chunks were sent.
  EXPECT_THAT(Table("SELECT id FROM orders ORDER BY id"), ElementsAre("1", "2"));
  EXPECT_THAT(Table("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"),
              ElementsAre("orders"));  // No half-written table left behind.
}

TEST_F(PostgresDestinationTest, AppendWritesIntoTheTargetsOwnTypes) {
  Exec(
      "CREATE TABLE orders (id int, region varchar(5), amount numeric(8,2), note text "
      "DEFAULT 'n/a')");
  Write("orders", {Orders({{"eu", 1, 100}}), Orders({{"us", 2, 250}})}, WriteMode::kAppend);
  EXPECT_THAT(Table("SELECT id, region, amount, note FROM orders ORDER BY id"),
              ElementsAre("1|eu|1.00|n/a", "2|us|2.50|n/a"));
}

TEST_F(PostgresDestinationTest, AValueThatDoesNotFitTheTargetFailsTheWholeAppend) {
  Exec("CREATE TABLE orders (id int, region text, amount numeric(12,2))");
  try {
    Write("orders", {Orders({{"eu", 1, 100}}), Orders({{"us", 3000000000LL, 100}})},
          WriteMode::kAppend);
    FAIL() << "expected a DataError";
  } catch (const DataError& e) {
    EXPECT_THAT(e.what(), HasSubstr("column 'id'"));
    EXPECT_THAT(e.what(), HasSubstr("3000000000"));
  }
  EXPECT_THAT(Table("SELECT count(*) FROM orders"), ElementsAre("0"));
}

TEST_F(PostgresDestinationTest, AppendCastsOnTheServerWhatCopyCannotEncode) {
  Exec("CREATE TABLE spans (name text, length interval)");
  auto schema = std::make_shared<Schema>(
      std::vector<Field>{{"name", DataType::String()}, {"length", DataType::String()}});
  DataChunk chunk = BuildChunk(schema, {{Value::String("a"), Value::String("1 day 02:00:00")}});
  EXPECT_EQ(Write("spans", {chunk}, WriteMode::kAppend).rows_written, 1);
  EXPECT_THAT(Table("SELECT name, length FROM spans"), ElementsAre("a|1 day 02:00:00"));
}

TEST_F(PostgresDestinationTest, AppendToAMissingTableCreatesIt) {
  Write("fresh", {Orders({{"eu", 1, 100}})}, WriteMode::kAppend);
  Write("fresh", {Orders({{"eu", 2, 100}})}, WriteMode::kAppend);
  EXPECT_THAT(Table("SELECT id FROM fresh ORDER BY id"), ElementsAre("1", "2"));
}

TEST_F(PostgresDestinationTest, AColumnTheTableLacksIsASchemaError) {
  Exec("CREATE TABLE orders (id bigint, region text)");
  try {
    Write("orders", {Orders({{"eu", 1, 100}})}, WriteMode::kAppend);
    FAIL() << "expected a SchemaError";
  } catch (const SchemaError& e) {
    EXPECT_EQ(std::string(e.what()),
              "POSTGRES write: table public.orders has no column 'amount' (its columns: id, "
              "region); add them, or write with mode replace");
  }
}

TEST_F(PostgresDestinationTest, UpsertByCompositeKeysUpdatesAndInserts) {
  Write("orders", {Orders({{"eu", 1, 100}, {"us", 1, 200}})}, WriteMode::kUpsert, {"region", "id"});
  // The first upsert created the table and a unique index on the keys.
  EXPECT_THAT(Table("SELECT indexname FROM pg_indexes WHERE tablename = 'orders'"),
              ElementsAre("orders_sqlflow_upsert_key"));
  // Updates (eu,1), inserts (eu,2); (us,2) appears twice in the data: the last one wins.
  WriteResult result = Write(
      "orders", {Orders({{"eu", 1, 150}, {"eu", 2, 300}, {"us", 2, 1}}), Orders({{"us", 2, 2}})},
      WriteMode::kUpsert, {"region", "id"});
  EXPECT_EQ(result.rows_written, 3);
  EXPECT_THAT(Table("SELECT region, id, amount FROM orders ORDER BY region, id"),
              ElementsAre("eu|1|1.50", "eu|2|3.00", "us|1|2.00", "us|2|0.02"));
}

TEST_F(PostgresDestinationTest, UpsertUsesAnExistingPrimaryKey) {
  Exec(
      "CREATE TABLE orders (region text, id bigint, amount numeric(12,2), "
      "PRIMARY KEY (id, region)); INSERT INTO orders VALUES ('eu', 1, 1)");
  Write("orders", {Orders({{"eu", 1, 500}})}, WriteMode::kUpsert, {"region", "id"});
  EXPECT_THAT(Table("SELECT indexname FROM pg_indexes WHERE tablename = 'orders'"),
              ElementsAre("orders_pkey"));
  EXPECT_THAT(Table("SELECT amount FROM orders"), ElementsAre("5.00"));
}

TEST_F(PostgresDestinationTest, AFailedUpsertChangesNothing) {
  Write("orders", {Orders({{"eu", 1, 100}})}, WriteMode::kUpsert, {"region", "id"});
  EXPECT_THROW(Write("orders", {Orders({{"eu", 1, 999}, {"eu", 5, 5}})}, WriteMode::kUpsert,
                     {"region", "id"}, /*fail=*/true),
               DataError);
  EXPECT_THAT(Table("SELECT region, id, amount FROM orders"), ElementsAre("eu|1|1.00"));
}

TEST_F(PostgresDestinationTest, AnUpsertKeyThatIsNotAColumnIsASchemaError) {
  try {
    Write("orders", {Orders({{"eu", 1, 100}})}, WriteMode::kUpsert, {"order_id"});
    FAIL() << "expected a SchemaError";
  } catch (const SchemaError& e) {
    EXPECT_EQ(std::string(e.what()),
              "POSTGRES write: upsert key 'order_id' is not a column of the data (columns: "
              "region, id, amount)");
  }
}

}  // namespace
}  // namespace sqlflow
