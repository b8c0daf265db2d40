// Session::LoadRelation, CreateTableAs and ReplaceWindow: loads the engine runs as SQL.

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sqlflow/common/error.h"
#include "sqlflow/engine/engine.h"
#include "sqlflow/engine/engine_test_util.h"

namespace sqlflow::engine {
namespace {

using testing::Dump;
using testing::ErrorOf;
using testing::TempDir;

class RelationTest : public testing::SessionTest {
 protected:
  static LoadOptions Mode(TableMode mode, std::vector<std::string> keys = {}) {
    LoadOptions options;
    options.mode = mode;
    options.keys = std::move(keys);
    return options;
  }

  TempDir dir_;
};

TEST_F(RelationTest, LoadsACsvInEveryMode) {
  std::string first = dir_.Write("a.csv", "id,amount\n1,1.50\n2,2.25\n");
  std::string second = dir_.Write("b.csv", "id,amount\n2,9.00\n3,3.00\n2,8.00\n");
  std::string relation = "read_csv(['" + first + "'])";
  std::vector<int64_t> progress;
  LoadOptions replace;
  replace.progress = [&](int64_t rows) { progress.push_back(rows); };
  EXPECT_EQ(session_->LoadRelation("orders", relation, replace).rows, 2);
  EXPECT_EQ(progress, std::vector<int64_t>{2});
  EXPECT_EQ(session_->TableSchema("orders")->ToString(), "id BIGINT, amount DOUBLE");

  EXPECT_EQ(session_->LoadRelation("orders", relation, Mode(TableMode::kAppend)).rows, 2);
  EXPECT_EQ(Rows("orders"), "1|1.5\n1|1.5\n2|2.25\n2|2.25\n");

  session_->LoadRelation("orders", relation, {});
  std::string upsert_from = "read_csv(['" + second + "'])";
  EXPECT_EQ(session_->LoadRelation("orders", upsert_from, Mode(TableMode::kUpsert, {"id"})).rows,
            2);
  EXPECT_EQ(Rows("orders"), "1|1.5\n2|8.0\n3|3.0\n");
}

TEST_F(RelationTest, AppendChecksTheRelationsColumns) {
  session_->Execute("CREATE TABLE t (id BIGINT, note VARCHAR)");
  EXPECT_EQ(session_->LoadRelation("t", "(SELECT 1 AS ID)", Mode(TableMode::kAppend)).rows, 1);
  EXPECT_EQ(Rows("t"), "1|NULL\n");
  EXPECT_EQ(ErrorOf<SchemaError>([&] {
              session_->LoadRelation("t", "(SELECT DATE '2024-01-01' AS id)",
                                     Mode(TableMode::kAppend));
            }),
            "DuckDB load: column 'id' is DATE (date/timestamp) in the input but BIGINT (numeric) "
            "in table 't'; cast it in the query, or load with mode replace");
  LoadOptions evolve = Mode(TableMode::kAppend);
  evolve.allow_schema_evolution = true;
  session_->LoadRelation("t", "(SELECT 2 AS id, [1, 2] AS tags)", evolve);
  EXPECT_EQ(Dump(*session_, "SELECT id, tags FROM t ORDER BY id"), "1|NULL\n2|[1, 2]\n");
}

TEST_F(RelationTest, CreateTableAsRunsTheQueryAsWritten) {
  const std::string query =
      "WITH base AS (SELECT range AS n FROM range(4))\n"
      "SELECT n, n::VARCHAR || '<>' AS label FROM base WHERE n <> 2 -- trailing comment";
  EXPECT_EQ(session_->CreateTableAs("t", query, {}).rows, 3);
  EXPECT_EQ(Rows("t"), "0|0<>\n1|1<>\n3|3<>\n");
  EXPECT_EQ(
      session_->CreateTableAs("t", "SELECT 7 AS n, 'x' AS label;", Mode(TableMode::kAppend)).rows,
      1);
  EXPECT_EQ(session_->CountRows("t"), 4);
  EXPECT_EQ(
      session_->CreateTableAs("t", "SELECT 1 AS n, 'one' AS label", Mode(TableMode::kUpsert, {"n"}))
          .rows,
      1);
  EXPECT_EQ(Rows("t"), "0|0<>\n1|one\n3|3<>\n7|x\n");
  EXPECT_EQ(session_->CreateTableAs("s.t2", "SELECT 1 AS x", {}).rows, 1);
  EXPECT_EQ(Rows("s.t2"), "1\n");
}

TEST_F(RelationTest, AFailingQueryLeavesTheTableAsItWas) {
  session_->Execute("CREATE TABLE t AS SELECT 1 AS n");
  const std::string failing = "SELECT CAST(v AS INTEGER) AS n FROM (VALUES ('2'), ('x')) AS r(v)";
  for (TableMode mode : {TableMode::kReplace, TableMode::kAppend, TableMode::kUpsert}) {
    SCOPED_TRACE(TableModeName(mode));
    EXPECT_NE(ErrorOf<QueryError>([&] {
                session_->CreateTableAs("t", failing, Mode(mode, {"n"}));
              }).find("Could not convert string 'x' to INT32"),
              std::string::npos);
    EXPECT_EQ(Rows("t"), "1\n");
  }
}

TEST_F(RelationTest, ReplaceWindowCreatesThenReplacesTheWindowOnly) {
  const std::string day1 = "SELECT DATE '2024-01-01' AS day, 10 AS amount";
  EXPECT_EQ(
      session_->ReplaceWindow("daily", day1, "day", "DATE '2023-12-31'", "DATE '2024-01-01'", {})
          .rows,
      1);
  const std::string days12 =
      "SELECT * FROM (VALUES (DATE '2024-01-01', 11), (DATE '2024-01-02', 20)) AS v(day, amount)";
  std::vector<std::string> hooked;
  LoadOptions options;
  options.before_commit = [&](Session& s) {
    hooked.push_back(*s.QueryScalar("SELECT count(*) FROM daily"));
  };
  EXPECT_EQ(
      session_
          ->ReplaceWindow("daily", days12, "day", "DATE '2023-12-31'", "DATE '2024-01-02'", options)
          .rows,
      2);
  EXPECT_EQ(hooked, std::vector<std::string>{"2"});
  EXPECT_EQ(Rows("daily"), "2024-01-01|11\n2024-01-02|20\n");
  // Rows outside (start, end] stay.
  session_->ReplaceWindow("daily", "SELECT DATE '2024-01-02' AS day, 21 AS amount", "day",
                          "DATE '2024-01-01'", "DATE '2024-01-02'", {});
  EXPECT_EQ(Rows("daily"), "2024-01-01|11\n2024-01-02|21\n");
}

}  // namespace
}  // namespace sqlflow::engine
