#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqlflow/connectors/connector.h"

namespace sqlflow {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;

// The values of column `name` as Value::ToString() ("NULL" for nulls).
std::vector<std::string> Col(const DataChunk& chunk, const std::string& name) {
  const int index = chunk.schema().FieldIndex(name);
  EXPECT_GE(index, 0) << name;
  std::vector<std::string> out;
  const Column& column = chunk.column(static_cast<size_t>(index));
  for (int64_t i = 0; i < chunk.num_rows(); ++i) out.push_back(column.GetValue(i).ToString());
  return out;
}

Schema OrdersSchema() {
  return Schema({{"id", DataType::Int64()},
                 {"status", DataType::String()},
                 {"day", DataType::Date()},
                 {"amount", DataType::Decimal(12, 2)},
                 {"paid", DataType::Boolean()},
                 {"score", DataType::Float64()},
                 {"qty", DataType::Int32()},
                 {"ts", DataType::Timestamp("UTC")}});
}

int32_t Day(const char* text) {
  int32_t days = 0;
  EXPECT_TRUE(ParseDate(text, &days)) << text;
  return days;
}

// id  status   day         amount  paid   score qty  ts
// 1   paid     2024-01-01  10.00   true   1.5   1    2024-01-01 00:00
// 2   NULL     2024-01-02  20.50   false  NULL  2    NULL
// 3   open     NULL        NULL    NULL   3.5   NULL 2024-01-03 00:00
// NULL paid    2024-01-04  5.25    true   -1    4    2024-01-04 00:00
// 5   shipped  2024-01-05  20.50   false  2.5   5    2024-01-05 00:00
DataChunk Orders() {
  const Schema schema = OrdersSchema();
  ChunkBuilder b(schema);
  auto null = [&](const char* name) {
    return Value::Null(schema.field(static_cast<size_t>(schema.FieldIndex(name))).type);
  };
  auto dec = [](Int128 cents) { return Value::Decimal(cents, DataType::Decimal(12, 2)); };
  auto ts = [](const char* day) {
    int32_t d = Day(day);
    return Value::Timestamp(int64_t{d} * 86'400'000'000, "UTC");
  };
  b.AppendRow({Value::Int(1), Value::String("paid"), Value::Date(Day("2024-01-01")), dec(1000),
               Value::Boolean(true), Value::Double(1.5), Value::Int(1, DataType::Int32()),
               ts("2024-01-01")});
  b.AppendRow({Value::Int(2), null("status"), Value::Date(Day("2024-01-02")), dec(2050),
               Value::Boolean(false), null("score"), Value::Int(2, DataType::Int32()), null("ts")});
  b.AppendRow({Value::Int(3), Value::String("open"), null("day"), null("amount"), null("paid"),
               Value::Double(3.5), null("qty"), ts("2024-01-03")});
  b.AppendRow({null("id"), Value::String("paid"), Value::Date(Day("2024-01-04")), dec(525),
               Value::Boolean(true), Value::Double(-1), Value::Int(4, DataType::Int32()),
               ts("2024-01-04")});
  b.AppendRow({Value::Int(5), Value::String("shipped"), Value::Date(Day("2024-01-05")), dec(2050),
               Value::Boolean(false), Value::Double(2.5), Value::Int(5, DataType::Int32()),
               ts("2024-01-05")});
  return b.Finish();
}

std::vector<std::string> Ids(const std::vector<Filter>& filters) {
  return Col(ApplyFilters(Orders(), filters), "id");
}

Filter F(std::string column, FilterOp op, std::vector<Value> values) {
  return Filter{std::move(column), op, std::move(values)};
}

std::vector<ParameterProblem> Problems(const json& filters, const Schema* schema) {
  try {
    ParseFilters("CSV", filters, schema);
  } catch (const ParameterError& e) {
    EXPECT_EQ(e.connector(), "CSV");
    return e.problems();
  }
  ADD_FAILURE() << "expected ParameterError for " << filters.dump();
  return {};
}

// ---- names -------------------------------------------------------------------------------

TEST(FilterOpTest, SqlSpelling) {
  EXPECT_STREQ(FilterOpSql(FilterOp::kEq), "=");
  EXPECT_STREQ(FilterOpSql(FilterOp::kNe), "<>");
  EXPECT_STREQ(FilterOpSql(FilterOp::kLt), "<");
  EXPECT_STREQ(FilterOpSql(FilterOp::kLe), "<=");
  EXPECT_STREQ(FilterOpSql(FilterOp::kGt), ">");
  EXPECT_STREQ(FilterOpSql(FilterOp::kGe), ">=");
  EXPECT_STREQ(FilterOpSql(FilterOp::kIn), "IN");
}

TEST(WriteModeTest, ParseAndName) {
  WriteMode mode = WriteMode::kReplace;
  EXPECT_TRUE(ParseWriteMode("UPSERT", &mode));
  EXPECT_EQ(mode, WriteMode::kUpsert);
  EXPECT_TRUE(ParseWriteMode("append", &mode));
  EXPECT_EQ(mode, WriteMode::kAppend);
  EXPECT_TRUE(ParseWriteMode("Replace", &mode));
  EXPECT_EQ(mode, WriteMode::kReplace);
  EXPECT_FALSE(ParseWriteMode("merge", &mode));
  EXPECT_FALSE(ParseWriteMode("", &mode));
  EXPECT_EQ(mode, WriteMode::kReplace);
  EXPECT_STREQ(WriteModeName(WriteMode::kReplace), "replace");
  EXPECT_STREQ(WriteModeName(WriteMode::kAppend), "append");
  EXPECT_STREQ(WriteModeName(WriteMode::kUpsert), "upsert");
}

// ---- ParseFilters ------------------------------------------------------------------------

TEST(ParseFiltersTest, EveryFormWithoutASchema) {
  const std::vector<Filter> filters =
      ParseFilters("CSV", json::parse(R"({"status": "paid", "amount": {">=": 10, "<": 20.5},
                             "id": {"IN": [1, 2]}, "flag": true, "x": {"==": 1, "<>": 2}})"));
  ASSERT_EQ(filters.size(), 7u);
  // nlohmann::json keeps keys sorted, so filters come in column, then operator, order.
  EXPECT_EQ(filters[0].column, "amount");
  EXPECT_EQ(filters[0].op, FilterOp::kLt);
  EXPECT_THAT(filters[0].values, ElementsAre(Value::Double(20.5)));
  EXPECT_EQ(filters[1].op, FilterOp::kGe);
  EXPECT_THAT(filters[1].values, ElementsAre(Value::Int(10)));
  EXPECT_EQ(filters[2].column, "flag");
  EXPECT_THAT(filters[2].values, ElementsAre(Value::Boolean(true)));
  EXPECT_EQ(filters[3].column, "id");
  EXPECT_EQ(filters[3].op, FilterOp::kIn);
  EXPECT_THAT(filters[3].values, ElementsAre(Value::Int(1), Value::Int(2)));
  EXPECT_EQ(filters[4].column, "status");
  EXPECT_EQ(filters[4].op, FilterOp::kEq);
  EXPECT_THAT(filters[4].values, ElementsAre(Value::String("paid")));
  EXPECT_EQ(filters[5].op, FilterOp::kNe);
  EXPECT_EQ(filters[6].op, FilterOp::kEq);
}

TEST(ParseFiltersTest, NullOrEmptyMeansNoFilter) {
  EXPECT_TRUE(ParseFilters("CSV", json()).empty());
  EXPECT_TRUE(ParseFilters("CSV", json::object()).empty());
}

TEST(ParseFiltersTest, ValuesAreTypedByTheSchema) {
  const Schema schema = OrdersSchema();
  const std::vector<Filter> filters = ParseFilters(
      "CSV", json::parse(R"({"DAY": {">=": "2024-01-02"}, "amount": {"in": [12.5, "7", 3, null]},
                      "qty": "42", "paid": "true", "ts": {"<": "2024-01-04 12:00:00"},
                      "score": 2})"),
      &schema);
  ASSERT_EQ(filters.size(), 6u);
  // Keys come sorted, upper case first: DAY, amount, paid, qty, score, ts.
  const DataType dec = DataType::Decimal(12, 2);
  EXPECT_EQ(filters[0].column, "day");  // the schema's spelling
  EXPECT_THAT(filters[0].values, ElementsAre(Value::Date(Day("2024-01-02"))));
  EXPECT_EQ(filters[0].values[0].type(), DataType::Date());
  EXPECT_EQ(filters[1].column, "amount");
  ASSERT_EQ(filters[1].values.size(), 4u);
  EXPECT_EQ(filters[1].values[0], Value::Decimal(1250, dec));
  EXPECT_EQ(filters[1].values[0].type(), dec);
  EXPECT_EQ(filters[1].values[1], Value::Decimal(700, dec));
  EXPECT_EQ(filters[1].values[2], Value::Decimal(300, dec));
  EXPECT_TRUE(filters[1].values[3].is_null());
  EXPECT_THAT(filters[2].values, ElementsAre(Value::Boolean(true)));
  EXPECT_EQ(filters[3].values[0].type(), DataType::Int32());
  EXPECT_EQ(filters[3].values[0].int_value(), 42);
  EXPECT_EQ(filters[4].values[0].type(), DataType::Float64());
  EXPECT_EQ(filters[4].values[0].double_value(), 2.0);
  EXPECT_EQ(
      filters[5].values[0],
      Value::Timestamp(int64_t{Day("2024-01-04")} * 86'400'000'000 + 12 * 3'600'000'000LL, "UTC"));
}

TEST(ParseFiltersTest, DecimalsFinerThanTheColumnKeepTheirDigits) {
  const Schema schema = OrdersSchema();
  const std::vector<Filter> filters =
      ParseFilters("CSV", json::parse(R"({"amount": {">": "12.345"}})"), &schema);
  ASSERT_EQ(filters.size(), 1u);
  EXPECT_EQ(filters[0].values[0].decimal_value(), 12345);
  EXPECT_EQ(filters[0].values[0].type().scale(), 3);
  // 12.345 is not rounded to 12.35: 12.35 > 12.345 holds and 12.34 > 12.345 does not.
  ChunkBuilder b(Schema({{"amount", DataType::Decimal(12, 2)}}));
  b.AppendRow({Value::Decimal(1235, DataType::Decimal(12, 2))});
  b.AppendRow({Value::Decimal(1234, DataType::Decimal(12, 2))});
  EXPECT_THAT(Col(ApplyFilters(b.Finish(), filters), "amount"), ElementsAre("12.35"));
}

TEST(ParseFiltersTest, UnknownOperatorAndColumnAreAllReported) {
  const Schema schema = OrdersSchema();
  const std::vector<ParameterProblem> problems =
      Problems(json::parse(R"({"amout": 1, "id": {"=>": 3, "gte": 4, "like": "x"}})"), &schema);
  ASSERT_EQ(problems.size(), 4u);
  EXPECT_EQ(problems[0].parameter, "filters");
  EXPECT_EQ(problems[0].message, "unknown column 'amout'");
  EXPECT_EQ(problems[0].suggestion, "did you mean 'amount'?");
  EXPECT_EQ(problems[1].message, "column 'id': unknown operator '=>'");
  EXPECT_EQ(problems[1].suggestion, "did you mean '>='?");
  EXPECT_EQ(problems[2].message, "column 'id': unknown operator 'gte'");
  EXPECT_EQ(problems[2].suggestion, "did you mean '>='?");
  EXPECT_EQ(problems[3].message, "column 'id': unknown operator 'like'");
  EXPECT_EQ(problems[3].suggestion, "operators: =, ==, !=, <>, <, <=, >, >=, in");
}

TEST(ParseFiltersTest, UnknownColumnListsTheColumnsWhenNothingIsClose) {
  const Schema schema({{"id", DataType::Int64()}, {"name", DataType::String()}});
  const std::vector<ParameterProblem> problems = Problems(json{{"zzzzzz", 1}}, &schema);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].suggestion, "columns: id, name");
}

TEST(ParseFiltersTest, MalformedConditions) {
  const Schema schema = OrdersSchema();
  const std::vector<ParameterProblem> problems =
      Problems(json::parse(R"({"id": [1, 2], "qty": {"in": 3}, "score": {"in": []},
                               "status": null, "paid": {}, "day": "yesterday",
                               "amount": {">": {"a": 1}}})"),
               &schema);
  std::vector<std::string> messages;
  for (const ParameterProblem& p : problems) messages.push_back(p.message);
  EXPECT_THAT(
      messages,
      ElementsAre("column 'amount': operator '>' needs a single value, got object",
                  "column 'day': 'yesterday' is not a valid date",
                  "column 'id': a list of values needs the 'in' operator",
                  "column 'paid': no operator given", "column 'qty': 'in' needs a list of values",
                  "column 'score': 'in' needs at least one value",
                  "column 'status': null never matches '=' (a comparison with NULL is "
                  "never true)"));
  EXPECT_EQ(problems[2].suggestion, R"(write {"id": {"in": [...]}})");
}

TEST(ParseFiltersTest, WrongTypesNameTheColumnType) {
  const Schema schema = OrdersSchema();
  const std::vector<ParameterProblem> problems = Problems(
      json::parse(
          R"({"amount": "ten", "id": "x1", "paid": 3, "ts": "noon", "qty": {"in": [1, "b"]}})"),
      &schema);
  std::vector<std::string> messages;
  for (const ParameterProblem& p : problems) messages.push_back(p.message);
  EXPECT_THAT(messages, ElementsAre("column 'amount': 'ten' is not a valid decimal(12,2)",
                                    "column 'id': 'x1' is not a valid bigint",
                                    "column 'paid': 3 is not a valid boolean",
                                    "column 'qty': 'b' is not a valid integer",
                                    "column 'ts': 'noon' is not a valid timestamptz"));
}

TEST(ParseFiltersTest, TopLevelMustBeAnObject) {
  const std::vector<ParameterProblem> problems = Problems(json::array({1}), nullptr);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].message, "must be a JSON object of column conditions, got array");
  try {
    ParseFilters("CSV", json("id = 1"));
  } catch (const ParameterError& e) {
    EXPECT_EQ(std::string(e.what()),
              "CSV configure: invalid parameter: 'filters': must be a JSON object of column "
              "conditions, got string (e.g. {\"status\": \"paid\", \"amount\": {\">=\": 10}})");
  }
}

// ---- ApplyFilters ------------------------------------------------------------------------

TEST(ApplyFiltersTest, EveryComparisonOnIntegers) {
  const Value three = Value::Int(3);
  EXPECT_THAT(Ids({F("id", FilterOp::kEq, {three})}), ElementsAre("3"));
  EXPECT_THAT(Ids({F("id", FilterOp::kNe, {three})}), ElementsAre("1", "2", "5"));
  EXPECT_THAT(Ids({F("id", FilterOp::kLt, {three})}), ElementsAre("1", "2"));
  EXPECT_THAT(Ids({F("id", FilterOp::kLe, {three})}), ElementsAre("1", "2", "3"));
  EXPECT_THAT(Ids({F("id", FilterOp::kGt, {three})}), ElementsAre("5"));
  EXPECT_THAT(Ids({F("id", FilterOp::kGe, {three})}), ElementsAre("3", "5"));
  EXPECT_THAT(Ids({F("qty", FilterOp::kGe, {Value::Int(2)})}), ElementsAre("2", "NULL", "5"));
}

TEST(ApplyFiltersTest, NullsNeverMatch) {
  // Row 3 has no day, row 2 no status: neither = nor <> selects them.
  EXPECT_THAT(Ids({F("status", FilterOp::kNe, {Value::String("paid")})}), ElementsAre("3", "5"));
  EXPECT_THAT(Ids({F("day", FilterOp::kNe, {Value::Date(Day("2024-01-01"))})}),
              ElementsAre("2", "NULL", "5"));
  EXPECT_THAT(Ids({F("id", FilterOp::kEq, {Value::Null(DataType::Int64())})}), ElementsAre());
  EXPECT_THAT(Ids({F("id", FilterOp::kNe, {Value::Null(DataType::Int64())})}), ElementsAre());
}

TEST(ApplyFiltersTest, InOnEveryKindOfColumnWithNulls) {
  const DataType dec = DataType::Decimal(12, 2);
  EXPECT_THAT(
      Ids({F("id", FilterOp::kIn, {Value::Int(5), Value::Null(DataType::Int64()), Value::Int(1)})}),
      ElementsAre("1", "5"));
  EXPECT_THAT(
      Ids({F("status", FilterOp::kIn,
             {Value::String("paid"), Value::String("open"), Value::Null(DataType::String())})}),
      ElementsAre("1", "3", "NULL"));
  EXPECT_THAT(Ids({F("day", FilterOp::kIn,
                     {Value::Date(Day("2024-01-02")), Value::Date(Day("2024-01-05"))})}),
              ElementsAre("2", "5"));
  EXPECT_THAT(Ids({F("amount", FilterOp::kIn,
                     {Value::Decimal(205, DataType::Decimal(5, 1)), Value::Null(dec)})}),
              ElementsAre("2", "5"));
  EXPECT_THAT(Ids({F("paid", FilterOp::kIn, {Value::Boolean(true)})}), ElementsAre("1", "NULL"));
  EXPECT_THAT(Ids({F("score", FilterOp::kIn, {Value::Double(3.5), Value::Double(-1)})}),
              ElementsAre("3", "NULL"));
  EXPECT_THAT(Ids({F("ts", FilterOp::kIn, {Value::String("2024-01-03")})}), ElementsAre("3"));
  EXPECT_THAT(Ids({F("id", FilterOp::kIn, {Value::Null(DataType::Int64())})}), ElementsAre());
  EXPECT_THAT(Ids({F("id", FilterOp::kIn, {})}), ElementsAre());
}

TEST(ApplyFiltersTest, LongInListsMatchLikeShortOnes) {
  std::vector<Value> values;
  for (int i = 100; i > 4; --i) values.push_back(Value::Int(i));
  values.push_back(Value::Int(1));
  EXPECT_THAT(Ids({F("id", FilterOp::kIn, values)}), ElementsAre("1", "5"));
  std::vector<Value> names;
  for (int i = 0; i < 20; ++i) names.push_back(Value::String("s" + std::to_string(i)));
  names.push_back(Value::String("open"));
  EXPECT_THAT(Ids({F("status", FilterOp::kIn, names)}), ElementsAre("3"));
}

TEST(ApplyFiltersTest, FiltersAreAnded) {
  EXPECT_THAT(Ids({F("status", FilterOp::kEq, {Value::String("paid")}),
                   F("amount", FilterOp::kGt, {Value::String("6")})}),
              ElementsAre("1"));
}

TEST(ApplyFiltersTest, OperandsAreConvertedToTheColumnType) {
  // A string for a date, an integer for a decimal, a fraction for an integer column, an
  // integer for a double, a number for a string column.
  EXPECT_THAT(Ids({F("day", FilterOp::kGe, {Value::String("2024-01-04")})}),
              ElementsAre("NULL", "5"));
  EXPECT_THAT(Ids({F("amount", FilterOp::kLt, {Value::Int(20)})}), ElementsAre("1", "NULL"));
  EXPECT_THAT(Ids({F("id", FilterOp::kGt, {Value::Double(2.5)})}), ElementsAre("3", "5"));
  EXPECT_THAT(Ids({F("id", FilterOp::kLe, {Value::Decimal(25, DataType::Decimal(3, 1))})}),
              ElementsAre("1", "2"));
  EXPECT_THAT(Ids({F("score", FilterOp::kGt, {Value::Int(2)})}), ElementsAre("3", "5"));
  EXPECT_THAT(Ids({F("amount", FilterOp::kGt, {Value::Double(20.49)})}), ElementsAre("2", "5"));
  EXPECT_THAT(Ids({F("ts", FilterOp::kGe, {Value::Date(Day("2024-01-04"))})}),
              ElementsAre("NULL", "5"));
  EXPECT_THAT(Ids({F("id", FilterOp::kLt, {Value::UInt(2)})}), ElementsAre("1"));
}

TEST(ApplyFiltersTest, UnsignedColumnsAgainstNegativeValues) {
  ChunkBuilder b(Schema({{"n", DataType::UInt16()}}));
  b.AppendRow({Value::UInt(0, DataType::UInt16())});
  b.AppendRow({Value::UInt(65535, DataType::UInt16())});
  const DataChunk chunk = b.Finish();
  EXPECT_THAT(Col(ApplyFilters(chunk, {F("n", FilterOp::kGt, {Value::Int(-1)})}), "n"),
              ElementsAre("0", "65535"));
  EXPECT_THAT(Col(ApplyFilters(chunk, {F("n", FilterOp::kGe, {Value::Int(65535)})}), "n"),
              ElementsAre("65535"));
}

TEST(ApplyFiltersTest, KeepsEveryColumnAndTypeOfTheSelectedRows) {
  const DataChunk out =
      ApplyFilters(Orders(), {F("qty", FilterOp::kIn, {Value::Int(4), Value::Int(2)})});
  EXPECT_EQ(out.schema(), OrdersSchema());
  ASSERT_EQ(out.num_rows(), 2);
  EXPECT_NO_THROW(out.Validate());
  EXPECT_THAT(Col(out, "id"), ElementsAre("2", "NULL"));
  EXPECT_THAT(Col(out, "status"), ElementsAre("NULL", "paid"));
  EXPECT_THAT(Col(out, "day"), ElementsAre("2024-01-02", "2024-01-04"));
  EXPECT_THAT(Col(out, "amount"), ElementsAre("20.50", "5.25"));
  EXPECT_EQ(out.column(4).GetValue(0), Value::Boolean(false));
  EXPECT_EQ(out.column(4).GetValue(1), Value::Boolean(true));
  EXPECT_TRUE(out.column(5).IsNull(0));
  EXPECT_EQ(out.column(5).GetValue(1), Value::Double(-1));
  EXPECT_TRUE(out.column(7).IsNull(0));
  EXPECT_EQ(out.column(7).GetValue(1),
            Value::Timestamp(int64_t{Day("2024-01-04")} * 86'400'000'000, "UTC"));
}

TEST(ApplyFiltersTest, OtherTypesSurviveTheGather) {
  const Schema schema({{"i8", DataType::Int8()},
                       {"u64", DataType::UInt64()},
                       {"f32", DataType::Float32()},
                       {"t", DataType::Time()},
                       {"bin", DataType::Binary()},
                       {"doc", DataType::Json()}});
  ChunkBuilder b(schema);
  b.AppendRow({Value::Int(-5, DataType::Int8()), Value::UInt(18'000'000'000'000'000'000u),
               Value::Double(0.25, DataType::Float32()), Value::Time(3'600'000'000),
               Value::Binary(std::string("\0\1", 2)), Value::Json(R"({"a":1})")});
  b.AppendRow({Value::Int(7, DataType::Int8()), Value::UInt(1),
               Value::Double(1, DataType::Float32()), Value::Time(0), Value::Binary("x"),
               Value::Json("[]")});
  const DataChunk out = ApplyFilters(b.Finish(), {F("t", FilterOp::kGe, {Value::String("01:00")}),
                                                  F("bin", FilterOp::kNe, {Value::String("x")})});
  ASSERT_EQ(out.num_rows(), 1);
  EXPECT_EQ(out.column(0).GetValue(0), Value::Int(-5, DataType::Int8()));
  EXPECT_EQ(out.column(1).GetValue(0), Value::UInt(18'000'000'000'000'000'000u));
  EXPECT_EQ(out.column(2).GetValue(0), Value::Double(0.25, DataType::Float32()));
  EXPECT_EQ(out.column(3).GetValue(0), Value::Time(3'600'000'000));
  EXPECT_EQ(out.column(4).StringAt(0), std::string("\0\1", 2));
  EXPECT_EQ(out.column(5).StringAt(0), R"({"a":1})");
}

TEST(ApplyFiltersTest, NoFilterOrAllRowsReturnTheSameBuffers) {
  const DataChunk chunk = Orders().Slice(0, 2);  // ids 1 and 2
  EXPECT_EQ(ApplyFilters(chunk, {}).column(0).values, chunk.column(0).values);
  const DataChunk all = ApplyFilters(chunk, {F("day", FilterOp::kGe, {Value::String("2000-01-01")}),
                                             F("id", FilterOp::kGe, {Value::Int(0)})});
  EXPECT_EQ(all.num_rows(), 2);
  EXPECT_EQ(all.column(0).values, chunk.column(0).values);
  const DataChunk none = ApplyFilters(Orders(), {F("id", FilterOp::kGt, {Value::Int(100)})});
  EXPECT_EQ(none.num_rows(), 0);
  EXPECT_EQ(none.schema(), OrdersSchema());
}

TEST(ApplyFiltersTest, SlicedChunksFilterByLogicalRow) {
  const DataChunk slice = Orders().Slice(2, 3);  // ids 3, NULL, 5
  EXPECT_THAT(Col(ApplyFilters(slice, {F("qty", FilterOp::kGt, {Value::Int(3)})}), "id"),
              ElementsAre("NULL", "5"));
}

TEST(ApplyFiltersTest, MissingColumnOrImpossibleValueIsASchemaError) {
  try {
    ApplyFilters(Orders(), {F("region", FilterOp::kEq, {Value::String("eu")})});
    FAIL() << "expected SchemaError";
  } catch (const SchemaError& e) {
    EXPECT_EQ(std::string(e.what()),
              "sqlflow filter: filter column 'region' is not in the data (columns: id, status, "
              "day, amount, paid, score, qty, ts)");
  }
  try {
    ApplyFilters(Orders(), {F("day", FilterOp::kEq, {Value::String("soon")})});
    FAIL() << "expected SchemaError";
  } catch (const SchemaError& e) {
    EXPECT_EQ(std::string(e.what()), "sqlflow filter: column 'day': 'soon' is not a valid date");
  }
  EXPECT_THROW(ApplyFilters(Orders(), {F("id", FilterOp::kEq, {Value::Int(1), Value::Int(2)})}),
               ParameterError);
}

}  // namespace
}  // namespace sqlflow
