#include "sqlflow/connectors/file/write_plan.h"

#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sqlflow/common/error.h"
#include "sqlflow/duck/duck.h"

namespace sqlflow::file {
namespace {

Schema MakeSchema(std::vector<Field> fields) { return Schema(std::move(fields)); }

std::string SchemaErrorOf(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const SchemaError& e) {
    return e.what();
  }
  return "";
}

TEST(TypeFamily, GroupsTypes) {
  EXPECT_EQ(FamilyOf(DataType::Int8()), TypeFamily::kNumeric);
  EXPECT_EQ(FamilyOf(DataType::UInt64()), TypeFamily::kNumeric);
  EXPECT_EQ(FamilyOf(DataType::Float64()), TypeFamily::kNumeric);
  EXPECT_EQ(FamilyOf(DataType::Decimal(12, 2)), TypeFamily::kNumeric);
  EXPECT_EQ(FamilyOf(DataType::String()), TypeFamily::kText);
  EXPECT_EQ(FamilyOf(DataType::Json()), TypeFamily::kText);
  EXPECT_EQ(FamilyOf(DataType::Date()), TypeFamily::kDateTime);
  EXPECT_EQ(FamilyOf(DataType::Timestamp("UTC")), TypeFamily::kDateTime);
  EXPECT_EQ(FamilyOf(DataType::Time()), TypeFamily::kTime);
  EXPECT_EQ(FamilyOf(DataType::Boolean()), TypeFamily::kBoolean);
  EXPECT_EQ(FamilyOf(DataType::Binary()), TypeFamily::kBinary);
}

TEST(CheckAppendCompatible, AcceptsSameFamilyAndFewerColumns) {
  Schema target = MakeSchema({{"id", DataType::Int64()},
                              {"amount", DataType::Decimal(12, 2)},
                              {"note", DataType::String()}});
  Schema input = MakeSchema({{"AMOUNT", DataType::Float64()}, {"id", DataType::Int32()}});
  EXPECT_NO_THROW(CheckAppendCompatible("CSV", input, target, "out.csv", false));
}

TEST(CheckAppendCompatible, NamesAColumnMissingFromTheTarget) {
  Schema target = MakeSchema({{"id", DataType::Int64()}, {"name", DataType::String()}});
  Schema input = MakeSchema({{"id", DataType::Int64()}, {"email", DataType::String()}});
  EXPECT_EQ(SchemaErrorOf([&] { CheckAppendCompatible("CSV", input, target, "out.csv", false); }),
            "CSV write: column 'email' of the input is not in the target file 'out.csv' (its "
            "columns: id, name); write with mode replace to change the file's columns");
}

TEST(CheckAppendCompatible, NamesAColumnOfAnotherFamily) {
  Schema target = MakeSchema({{"id", DataType::Int64()}, {"day", DataType::Date()}});
  Schema input = MakeSchema({{"id", DataType::Int64()}, {"day", DataType::Boolean()}});
  EXPECT_EQ(
      SchemaErrorOf([&] { CheckAppendCompatible("PARQUET", input, target, "o.parquet", false); }),
      "PARQUET write: column 'day' is BOOLEAN in the input but DATE in 'o.parquet' (boolean vs "
      "date/timestamp): cast it in the query or write with mode replace");
}

TEST(CheckAppendCompatible, UntypedStorageLetsTextAcceptAnything) {
  Schema target = MakeSchema({{"v", DataType::String()}});
  Schema input = MakeSchema({{"v", DataType::Int64()}});
  EXPECT_NO_THROW(CheckAppendCompatible("CSV", input, target, "out.csv", true));
  EXPECT_THROW(CheckAppendCompatible("CSV", input, target, "out.csv", false), SchemaError);
}

TEST(ResolveKeys, ReturnsCanonicalNamesAndSuggests) {
  Schema s = MakeSchema({{"Order_ID", DataType::Int64()}, {"region", DataType::String()}});
  EXPECT_EQ(ResolveKeys("CSV", {"order_id", "REGION"}, s, "the input"),
            (std::vector<std::string>{"Order_ID", "region"}));
  EXPECT_EQ(SchemaErrorOf([&] { ResolveKeys("CSV", {"regoin"}, s, "the input"); }),
            "CSV write: upsert key 'regoin' is not a column of the input (columns: Order_ID, "
            "region); did you mean 'region'?");
}

/// Rows of a query as "a|b|c" strings (NULL as "NULL").
std::vector<std::string> Rows(duck::Connection& conn, const std::string& sql) {
  std::vector<std::string> out;
  for (const auto& row : conn.QueryText(sql).rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      if (i) line += "|";
      line += row[i].value_or("NULL");
    }
    out.push_back(line);
  }
  return out;
}

class WritePlanSql : public ::testing::Test {
 protected:
  void SetUp() override {
    conn_.Execute(
        "CREATE TABLE old AS SELECT * FROM (VALUES (1, 'a', 10), (2, 'b', 20), (3, 'c', 30), "
        "(NULL, 'n', 40)) t(id, k, v);"
        "CREATE TABLE new AS SELECT * FROM (VALUES (2, 'b', 200), (4, 'd', 400), (2, 'b', 201), "
        "(NULL, 'n', 41), (3, 'x', 31)) t(id, k, v);"
        "CREATE TABLE partial AS SELECT * FROM (VALUES (9, 'z')) t(k, id);");
  }
  duck::Connection conn_{duck::Database::Open()};
};

TEST_F(WritePlanSql, AppendKeepsBothOrdersAndMatchesByName) {
  EXPECT_EQ(Rows(conn_, AppendSql("old", "partial")),
            (std::vector<std::string>{"1|a|10", "2|b|20", "3|c|30", "NULL|n|40", "z|9|NULL"}));
}

TEST_F(WritePlanSql, UpsertReplacesByOneKeyLastWins) {
  EXPECT_EQ(Rows(conn_, UpsertSql("old", {"n.id IS NOT DISTINCT FROM o.id"}, "new", {"id"})),
            (std::vector<std::string>{"1|a|10", "4|d|400", "2|b|201", "NULL|n|41", "3|x|31"}));
}

TEST_F(WritePlanSql, UpsertByCompositeKey) {
  EXPECT_EQ(
      Rows(conn_, UpsertSql("old",
                            {KeyMatchSql("id", DataType::Int32(), "id", false),
                             KeyMatchSql("k", DataType::String(), "k", false)},
                            "new", {"id", "k"})),
      (std::vector<std::string>{"1|a|10", "3|c|30", "4|d|400", "2|b|201", "NULL|n|41", "3|x|31"}));
}

TEST(KeyMatchSql, CastsTextStorageToTheInputType) {
  EXPECT_EQ(KeyMatchSql("id", DataType::Int64(), "ID", false),
            "n.\"id\" IS NOT DISTINCT FROM o.\"ID\"");
  EXPECT_EQ(KeyMatchSql("id", DataType::String(), "id", true),
            "n.\"id\" IS NOT DISTINCT FROM o.\"id\"");
  EXPECT_EQ(KeyMatchSql("id", DataType::Int64(), "id", true),
            "(n.\"id\" IS NOT DISTINCT FROM TRY_CAST(o.\"id\" AS BIGINT) AND (n.\"id\" IS NULL) = "
            "(o.\"id\" IS NULL))");
}

TEST_F(WritePlanSql, UpsertAgainstTextStorage) {
  conn_.Execute(
      "CREATE TABLE old_text AS SELECT * FROM (VALUES ('001', 'a'), ('2', 'b'), ('x', 'c')) "
      "t(id, k)");
  // '001' is key 1 (not in the input): kept; '2' is replaced; 'x' is no number and matches
  // nothing, not even the input's NULL key.
  EXPECT_EQ(Rows(conn_, UpsertSql("old_text", {KeyMatchSql("id", DataType::Int32(), "id", true)},
                                  "new", {"id"})),
            (std::vector<std::string>{"001|a|NULL", "x|c|NULL", "4|d|400", "2|b|201", "NULL|n|41",
                                      "3|x|31"}));
}

TEST_F(WritePlanSql, UpsertWithoutExistingRowsDeduplicates) {
  EXPECT_EQ(Rows(conn_, UpsertSql("", {}, "new", {"id"})),
            (std::vector<std::string>{"4|d|400", "2|b|201", "NULL|n|41", "3|x|31"}));
}

}  // namespace
}  // namespace sqlflow::file
