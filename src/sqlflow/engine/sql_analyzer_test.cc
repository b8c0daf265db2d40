#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "sqlflow/common/error.h"
#include "sqlflow/engine/engine.h"

namespace sqlflow::engine {
namespace {

using Tables = std::vector<std::string>;

class SqlAnalyzerTest : public ::testing::Test {
 protected:
  Tables Refs(const std::string& query) { return analyzer_.ReferencedTables(query); }
  SqlAnalyzer analyzer_;
};

TEST_F(SqlAnalyzerTest, FindsTablesOfJoinsInOrderWithoutDuplicates) {
  EXPECT_EQ(Refs("SELECT * FROM orders o JOIN customers c ON o.cid = c.id "
                 "LEFT JOIN orders o2 ON o2.id = o.id"),
            (Tables{"orders", "customers"}));
  EXPECT_EQ(Refs("SELECT 1"), Tables{});
}

TEST(SqlAnalyzerOnEngineTest, ParsesOnTheEnginesOwnDatabase) {
  std::unique_ptr<Engine> engine = OpenDuckDbEngine({});
  SqlAnalyzer analyzer(*engine);
  EXPECT_EQ(
      analyzer.ReferencedTables("WITH c AS (SELECT * FROM a) SELECT * FROM c JOIN b USING (k)"),
      (Tables{"a", "b"}));
  EXPECT_THROW(analyzer.ReferencedTables("SELEC 1"), QueryError);
  // The engine stays usable: the analyzer holds one session of it.
  engine->Connect()->Execute("CREATE TABLE t AS SELECT 1 AS x");
  EXPECT_EQ(engine->Connect()->CountRows("t"), 1);
}

TEST_F(SqlAnalyzerTest, FindsTablesInSubqueriesAndSetOperations) {
  EXPECT_EQ(Refs("SELECT (SELECT max(x) FROM a) FROM b WHERE id IN (SELECT id FROM c) "
                 "AND EXISTS (SELECT 1 FROM d WHERE d.id = b.id)"),
            (Tables{"a", "b", "c", "d"}));
  EXPECT_EQ(Refs("SELECT * FROM (SELECT * FROM inner_t) AS s UNION ALL SELECT * FROM u "
                 "EXCEPT SELECT * FROM v"),
            (Tables{"inner_t", "u", "v"}));
}

TEST_F(SqlAnalyzerTest, LeavesOutCteNamesAtEveryLevel) {
  EXPECT_EQ(Refs("WITH recent AS (SELECT * FROM orders WHERE day > 1), "
                 "totals AS (SELECT sum(x) FROM recent) "
                 "SELECT * FROM totals, (WITH inner_cte AS (SELECT * FROM items) "
                 "SELECT * FROM inner_cte) AS i"),
            (Tables{"orders", "items"}));
  EXPECT_EQ(Refs("WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 3) "
                 "SELECT * FROM t JOIN seeds USING (n)"),
            Tables{"seeds"});
}

TEST_F(SqlAnalyzerTest, ACteNamedLikeATableReadsTheTableInsideItsOwnDefinition) {
  // DuckDB resolves "orders" inside the (non-recursive) CTE "orders" to the table.
  EXPECT_EQ(Refs("WITH orders AS (SELECT * FROM orders WHERE ok) SELECT * FROM orders"),
            Tables{"orders"});
  // Outside the WITH, the name is the table again.
  EXPECT_EQ(Refs("SELECT * FROM (WITH x AS (SELECT 1) SELECT * FROM x) JOIN x USING (id)"),
            Tables{"x"});
}

TEST_F(SqlAnalyzerTest, KeepsSchemaQualifiedNames) {
  EXPECT_EQ(Refs("SELECT * FROM raw.orders JOIN main.customers USING (id) JOIN cat.s.t USING (id)"),
            (Tables{"raw.orders", "main.customers", "cat.s.t"}));
  // A qualified name is never a CTE.
  EXPECT_EQ(Refs("WITH orders AS (SELECT 1) SELECT * FROM raw.orders, orders"),
            Tables{"raw.orders"});
}

TEST_F(SqlAnalyzerTest, TableFunctionsAreNotTables) {
  EXPECT_EQ(Refs("SELECT * FROM read_csv(['data/a.csv']) JOIN dims USING (id)"), Tables{"dims"});
  EXPECT_EQ(Refs("SELECT * FROM range(10)"), Tables{});
}

TEST_F(SqlAnalyzerTest, ThrowsDuckDbsMessageForAQueryThatDoesNotParse) {
  try {
    Refs("SELEC * FROM t");
    FAIL() << "no error";
  } catch (const QueryError& e) {
    EXPECT_EQ(std::string(e.what()), "DuckDB parse: syntax error at or near \"SELEC\"");
  }
  try {
    Refs("CREATE TABLE t AS SELECT 1");
    FAIL() << "no error";
  } catch (const QueryError& e) {
    EXPECT_EQ(std::string(e.what()),
              "DuckDB parse: Only SELECT statements can be serialized to json!");
  }
}

TEST_F(SqlAnalyzerTest, IsSafeToShareBetweenThreads) {
  std::vector<Tables> results(4);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&, i] {
      for (int k = 0; k < 20; ++k) {
        results[i] = analyzer_.ReferencedTables("SELECT * FROM t" + std::to_string(i));
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (size_t i = 0; i < results.size(); ++i) {
    EXPECT_EQ(results[i], Tables{"t" + std::to_string(i)});
  }
}

}  // namespace
}  // namespace sqlflow::engine
