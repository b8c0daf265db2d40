// The SQL of a read and the resume rule, without a server: quoting, filters, the COPY
// statement, and where a read restarts after the rows it handed out.
#include "sqlflow/connectors/postgres/pg_read_plan.h"

#include <gtest/gtest.h>

#include "sqlflow/common/strings.h"
#include "sqlflow/connectors/postgres/pg_connection.h"
#include "sqlflow/connectors/postgres/pg_internal.h"
#include "sqlflow/connectors/postgres/pg_types.h"
#include "sqlflow/data/data_test_util.h"

namespace sqlflow::pg {
namespace {

using ::sqlflow::testing_util::BuildChunk;

PlannedColumn Col(const std::string& name, DataType type = DataType::Int64()) {
  return {name, QuoteIdentifier(name), kInt8Oid, type};
}

TEST(PgReadPlanTest, IdentifiersAndLiteralsAreQuotedWhateverTheyHold) {
  EXPECT_EQ(QuoteIdentifier("we\"ird name"), "\"we\"\"ird name\"");
  EXPECT_EQ(QuoteLiteral("it's"), "'it''s'");
  EXPECT_EQ(Literal(Value::String("x'); DROP TABLE t; --")), "'x''); DROP TABLE t; --'");
  EXPECT_EQ(Literal(Value::Binary(std::string("\0\xff", 2))), "'\\x00ff'");
  EXPECT_EQ(Literal(Value::Timestamp(0, "UTC")), "'1970-01-01 00:00:00+00'");
  EXPECT_EQ(Literal(Value::Null(DataType::Int64())), "NULL");
}

TEST(PgReadPlanTest, FiltersBecomeConditionsOnTheSelectedExpression) {
  PlannedColumn interval{"span", "\"span\"::text", kTextOid, DataType::String()};
  EXPECT_EQ(FilterCondition(interval, {"span", FilterOp::kEq, {Value::String("1 day")}}),
            "\"span\"::text = '1 day'");
  EXPECT_EQ(FilterCondition(Col("id"), {"id", FilterOp::kIn, {Value::Int(1), Value::Int(2)}}),
            "\"id\" IN ('1', '2')");
  EXPECT_EQ(FilterCondition(Col("id"), {"id", FilterOp::kIn, {}}), "false");
}

TEST(PgReadPlanTest, TheCopyStatementSelectsFiltersAndOrders) {
  ReadPlan plan;
  plan.from = "\"public\".\"t\"";
  plan.columns = {Col("a"), Col("k")};
  plan.output_columns = 1;
  plan.conditions = {"\"a\" > '1'"};
  plan.order = {1};
  EXPECT_EQ(plan.CopySql(""),
            "COPY (SELECT \"a\", \"k\" FROM \"public\".\"t\" WHERE (\"a\" > '1') ORDER BY "
            "\"k\") TO STDOUT (FORMAT binary)");
  EXPECT_EQ(plan.CopySql("\"k\" > '5'"),
            "COPY (SELECT \"a\", \"k\" FROM \"public\".\"t\" WHERE (\"a\" > '1') AND (\"k\" > "
            "'5') ORDER BY \"k\") TO STDOUT (FORMAT binary)");
  EXPECT_EQ(plan.OutputNames(), std::vector<std::string>{"a"});
}

DataChunk Keys(const std::vector<std::pair<int64_t, int64_t>>& rows) {
  auto schema = std::make_shared<Schema>(
      std::vector<Field>{{"a", DataType::Int64()}, {"b", DataType::Int64()}});
  std::vector<testing_util::Row> values;
  for (auto [a, b] : rows) values.push_back({Value::Int(a), Value::Int(b)});
  return BuildChunk(schema, values);
}

TEST(PgReadPlanTest, AUniqueKeyResumesAfterTheLastRowHandedOut) {
  ReadPlan plan;
  plan.columns = {Col("a"), Col("b")};
  plan.order = {0, 1};
  plan.order_is_unique = true;
  ResumeState state(&plan);
  EXPECT_EQ(state.Condition(), "");
  state.Delivered(Keys({{1, 1}, {1, 2}, {2, 1}}));
  EXPECT_EQ(state.Condition(), "ROW(\"a\", \"b\") > ROW('2', '1')");
  EXPECT_EQ(state.RowsToSkip(), 0);
}

TEST(PgReadPlanTest, ACursorWithTiesResumesAtItsLastValueAndSkipsTheTiesHandedOut) {
  ReadPlan plan;
  plan.columns = {Col("a"), Col("b")};
  plan.order = {0};
  ResumeState state(&plan);
  state.Delivered(Keys({{1, 0}, {2, 0}, {2, 0}}));
  EXPECT_EQ(state.Condition(), "\"a\" >= '2'");
  EXPECT_EQ(state.RowsToSkip(), 2);
  state.Delivered(Keys({{2, 0}, {2, 0}}));  // The tie goes on across chunks.
  EXPECT_EQ(state.RowsToSkip(), 4);
  state.Delivered(Keys({{3, 0}}));
  EXPECT_EQ(state.Condition(), "\"a\" >= '3'");
  EXPECT_EQ(state.RowsToSkip(), 1);
}

TEST(PgReadPlanTest, WithoutAKeyOrWithANullKeyAReadRestartsFromTheStart) {
  ReadPlan plan;
  plan.columns = {Col("a"), Col("b")};
  ResumeState unordered(&plan);
  unordered.Delivered(Keys({{1, 0}, {2, 0}}));
  EXPECT_TRUE(unordered.RestartsFromTheStart());
  EXPECT_EQ(unordered.Condition(), "");
  EXPECT_EQ(unordered.RowsToSkip(), 2);

  plan.order = {0};
  ResumeState null_cursor(&plan);
  auto schema = std::make_shared<Schema>(
      std::vector<Field>{{"a", DataType::Int64()}, {"b", DataType::Int64()}});
  null_cursor.Delivered(BuildChunk(
      schema, {{Value::Int(1), Value::Int(0)}, {Value::Null(DataType::Int64()), Value::Int(0)}}));
  EXPECT_TRUE(null_cursor.RestartsFromTheStart());
  EXPECT_EQ(null_cursor.RowsToSkip(), 2);
}

TEST(PgReadPlanTest, APlainTableResumesAfterTheLastCtidHandedOut) {
  ReadPlan plan;
  plan.columns = {Col("a"), CtidColumn()};
  plan.resume_by_ctid = true;
  EXPECT_EQ(plan.CopySql(""), "COPY (SELECT \"a\", ctid FROM ) TO STDOUT (FORMAT binary)");
  ResumeState state(&plan);
  state.Delivered(Keys({{7, TidValue(0, 1)}, {8, TidValue(41, 65535)}}));
  EXPECT_FALSE(state.RestartsFromTheStart());
  EXPECT_EQ(state.Condition(), "ctid > '(41,65535)'::tid");
  EXPECT_EQ(state.RowsToSkip(), 0);
  EXPECT_EQ(TidLiteral(TidValue(4294967295u, 7)), "'(4294967295,7)'");
}

TEST(PgReadPlanTest, TableNamesMayCarryTheirSchema) {
  EXPECT_EQ(ParseTableName("orders", "public").Sql(), "\"public\".\"orders\"");
  EXPECT_EQ(ParseTableName("sales.orders", "public").Sql(), "\"sales\".\"orders\"");
  EXPECT_EQ(ParseTableName("sales.orders", "public").Display(), "sales.orders");
  EXPECT_EQ(ParseTableName("odd\"name.x", "s").Sql(), "\"s\".\"odd\"\"name.x\"");
}

}  // namespace
}  // namespace sqlflow::pg
