#include "sqlflow/state/state_store.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "sqlflow/common/clock.h"
#include "sqlflow/common/error.h"
#include "sqlflow/common/strings.h"
#include "sqlflow/engine/engine.h"

#include "tests/support/files.h"

namespace sqlflow::state {
namespace {

Watermark MakeWatermark(const std::string& pipeline, const std::string& source,
                        const std::string& value, std::vector<std::string> boundary = {}) {
  Watermark watermark;
  watermark.key = WatermarkKey{pipeline, source, "orders.csv", "updated_at"};
  watermark.value = value;
  watermark.type = "BIGINT";
  watermark.boundary = std::move(boundary);
  watermark.updated_at = "2026-01-02T03:04:05.678Z";
  watermark.run_id = "run-1";
  return watermark;
}

class StateStoreTest : public ::testing::Test {
 protected:
  StateStoreTest()
      : engine_(engine::OpenDuckDbEngine({})), session_(engine_->Connect()), store_(*session_) {
    store_.EnsureSchema();
  }

  std::string Scalar(const std::string& sql) { return session_->QueryScalar(sql).value_or("NULL"); }
  std::string StoredValue(const WatermarkKey& key) {
    std::optional<Watermark> found = store_.GetWatermark(key);
    return found ? found->value : "(none)";
  }

  std::unique_ptr<engine::Engine> engine_;
  std::unique_ptr<engine::Session> session_;
  StateStore store_;
};

TEST_F(StateStoreTest, EnsureSchemaCreatesTheTablesAndIsIdempotent) {
  store_.EnsureSchema();
  store_.PutWatermark(MakeWatermark("p", "s", "7"));
  store_.EnsureSchema();
  EXPECT_EQ(session_->Tables(),
            (std::vector<std::string>{"sqlflow_run_steps", "sqlflow_runs", "sqlflow_watermarks"}));
  EXPECT_EQ(session_->CountRows("sqlflow_watermarks"), 1);
  EXPECT_EQ(Scalar("SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM "
                   "information_schema.columns WHERE table_name = 'sqlflow_watermarks'"),
            "pipeline,source,object,cursor_field,value,type,boundary,updated_at,run_id");
  EXPECT_EQ(Scalar("SELECT data_type FROM information_schema.columns WHERE table_name = "
                   "'sqlflow_watermarks' AND column_name = 'boundary'"),
            "VARCHAR[]");
}

TEST_F(StateStoreTest, GetWatermarkReturnsNulloptWhenNoneIsStored) {
  EXPECT_EQ(store_.GetWatermark(WatermarkKey{"p", "s", "", "id"}), std::nullopt);
}

TEST_F(StateStoreTest, PutThenGetReturnsEveryFieldWithTheBoundarySortedAndUnique) {
  store_.PutWatermark(MakeWatermark("p", "s", "42", {"k9", "k1", "k9", "a, b]", "k1"}));
  std::optional<Watermark> got = store_.GetWatermark({"p", "s", "orders.csv", "updated_at"});
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->key, (WatermarkKey{"p", "s", "orders.csv", "updated_at"}));
  EXPECT_EQ(got->value, "42");
  EXPECT_EQ(got->type, "BIGINT");
  EXPECT_EQ(got->boundary, (std::vector<std::string>{"a, b]", "k1", "k9"}));
  EXPECT_EQ(got->updated_at, "2026-01-02T03:04:05.678Z");
  EXPECT_EQ(got->run_id, "run-1");
  EXPECT_EQ(Scalar("SELECT len(boundary) FROM sqlflow_watermarks"), "3");
}

TEST_F(StateStoreTest, PutWatermarkReplacesTheWatermarkOfItsKey) {
  store_.PutWatermark(MakeWatermark("p", "s", "1", {"a"}));
  store_.PutWatermark(MakeWatermark("p", "s", "2", {}));
  std::optional<Watermark> got = store_.GetWatermark({"p", "s", "orders.csv", "updated_at"});
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->value, "2");
  EXPECT_EQ(got->boundary, std::vector<std::string>{});
  EXPECT_EQ(session_->CountRows("sqlflow_watermarks"), 1);
}

TEST_F(StateStoreTest, EveryPartOfTheKeyTellsWatermarksApart) {
  Watermark base = MakeWatermark("p", "s", "1");
  std::vector<Watermark> variants(5, base);
  variants[1].key.pipeline = "p2";
  variants[2].key.source = "s2";
  variants[3].key.object = "";
  variants[4].key.cursor_field = "id";
  for (size_t i = 0; i < variants.size(); ++i) {
    variants[i].value = std::to_string(i + 10);
    store_.PutWatermark(variants[i]);
  }
  EXPECT_EQ(session_->CountRows("sqlflow_watermarks"), 5);
  for (size_t i = 0; i < variants.size(); ++i) {
    EXPECT_EQ(StoredValue(variants[i].key), std::to_string(i + 10)) << i;
  }
}

TEST_F(StateStoreTest, ARollbackOfTheCallersTransactionKeepsThePreviousWatermark) {
  WatermarkKey key{"p", "s", "orders.csv", "updated_at"};
  store_.PutWatermark(MakeWatermark("p", "s", "100", {"old"}));
  session_->Execute("CREATE TABLE orders (id BIGINT)");
  session_->Execute("BEGIN TRANSACTION");
  session_->Execute("INSERT INTO orders VALUES (101), (102)");
  store_.PutWatermark(MakeWatermark("p", "s", "102", {"new"}));
  EXPECT_EQ(StoredValue(key), "102");  // Visible inside the transaction.
  session_->Execute("ROLLBACK");
  std::optional<Watermark> got = store_.GetWatermark(key);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->value, "100");
  EXPECT_EQ(got->boundary, std::vector<std::string>{"old"});
  EXPECT_EQ(session_->CountRows("orders"), 0);
}

TEST_F(StateStoreTest, ACommitOfTheCallersTransactionStoresTheWatermarkWithTheRows) {
  WatermarkKey key{"p", "s", "orders.csv", "updated_at"};
  store_.PutWatermark(MakeWatermark("p", "s", "100"));
  session_->Execute("CREATE TABLE orders (id BIGINT)");
  session_->Execute("BEGIN TRANSACTION");
  session_->Execute("INSERT INTO orders VALUES (101), (102)");
  store_.PutWatermark(MakeWatermark("p", "s", "101"));
  store_.PutWatermark(MakeWatermark("p", "s", "102"));  // Twice in one transaction.
  // Another session does not see it before the commit.
  std::unique_ptr<engine::Session> other = engine_->Connect();
  EXPECT_EQ(StateStore(*other).GetWatermark(key)->value, "100");
  session_->Execute("COMMIT");
  EXPECT_EQ(StateStore(*other).GetWatermark(key)->value, "102");
  EXPECT_EQ(session_->CountRows("orders"), 2);
}

TEST_F(StateStoreTest, AWatermarkStoredByALoadsBeforeCommitHookCommitsWithTheLoad) {
  WatermarkKey key{"p", "s", "orders.csv", "updated_at"};
  store_.PutWatermark(MakeWatermark("p", "s", "0"));
  engine::LoadOptions options;
  options.before_commit = [](engine::Session& session) {
    StateStore(session).PutWatermark(MakeWatermark("p", "s", "3"));
  };
  session_->LoadRelation("orders", "(SELECT * FROM range(1, 4) t(id))", options);
  EXPECT_EQ(StoredValue(key), "3");

  options.before_commit = [](engine::Session& session) {
    StateStore(session).PutWatermark(MakeWatermark("p", "s", "9"));
    throw Error("the run failed after the watermark", ErrorClass::kPermanent);
  };
  EXPECT_THROW(session_->LoadRelation("orders", "(SELECT * FROM range(4, 10) t(id))", options),
               Error);
  EXPECT_EQ(StoredValue(key), "3");
  EXPECT_EQ(session_->CountRows("orders"), 3);
}

struct RoundTripCase {
  std::string expression;  // A DuckDB expression of the cursor's type.
  std::string value;       // CAST(expression AS VARCHAR), exactly.
  std::string type;        // typeof(expression).
};

TEST_F(StateStoreTest, ValuesRoundTripThroughSqlLiteralWithFullPrecision) {
  std::vector<RoundTripCase> cases = {
      {"TIMESTAMP '2024-02-29 23:59:59.999999'", "2024-02-29 23:59:59.999999", "TIMESTAMP"},
      {"TIMESTAMPTZ '2024-03-10 12:00:00.000001+05:30'", "2024-03-10 06:30:00.000001+00",
       "TIMESTAMP WITH TIME ZONE"},
      {"DATE '2024-01-31'", "2024-01-31", "DATE"},
      {"CAST(9223372036854775807 AS BIGINT)", "9223372036854775807", "BIGINT"},
      {"CAST(-9223372036854775808 AS BIGINT)", "-9223372036854775808", "BIGINT"},
      {"CAST('170141183460469231731687303715884105727' AS HUGEINT)",
       "170141183460469231731687303715884105727", "HUGEINT"},
      {"CAST('1234567890123456789012345678.0123456789' AS DECIMAL(38,10))",
       "1234567890123456789012345678.0123456789", "DECIMAL(38,10)"},
      {"'it''s \"quoted\" \\ ; -- é ✓ 🚀'", "it's \"quoted\" \\ ; -- é ✓ 🚀", "VARCHAR"},
  };
  for (const RoundTripCase& c : cases) {
    SCOPED_TRACE(c.expression);
    Watermark watermark =
        MakeWatermark("p", "s", Scalar("SELECT CAST(" + c.expression + " AS VARCHAR)"));
    watermark.type = Scalar("SELECT typeof(" + c.expression + ")");
    ASSERT_EQ(watermark.value, c.value);
    ASSERT_EQ(watermark.type, c.type);
    store_.PutWatermark(watermark);
    std::optional<Watermark> got = store_.GetWatermark(watermark.key);
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->value, c.value);
    EXPECT_EQ(got->type, c.type);
    std::string literal = got->SqlLiteral();
    EXPECT_EQ(Scalar("SELECT CAST(" + literal + " AS VARCHAR) = " + QuoteLiteral(c.value)), "true");
    EXPECT_EQ(Scalar("SELECT typeof(" + literal + ")"), c.type);
    EXPECT_EQ(Scalar("SELECT " + literal + " = " + c.expression), "true");
  }
}

TEST_F(StateStoreTest, SqlLiteralQuotesTheValueAndNamesTheType) {
  Watermark watermark = MakeWatermark("p", "s", "it's");
  watermark.type = "VARCHAR";
  EXPECT_EQ(watermark.SqlLiteral(), "CAST('it''s' AS VARCHAR)");
  watermark.value = "2024-01-02 03:04:05.000001+00";
  watermark.type = "TIMESTAMP WITH TIME ZONE";
  EXPECT_EQ(watermark.SqlLiteral(),
            "CAST('2024-01-02 03:04:05.000001+00' AS TIMESTAMP WITH TIME ZONE)");
  watermark.value = "1.5000000000";
  watermark.type = "DECIMAL(38,10)";
  EXPECT_EQ(watermark.SqlLiteral(), "CAST('1.5000000000' AS DECIMAL(38,10))");
}

TEST_F(StateStoreTest, SqlLiteralRejectsATypeThatIsNotATypeName) {
  Watermark watermark = MakeWatermark("p", "s", "1");
  watermark.type = "BIGINT); DROP TABLE sqlflow_runs; --";
  try {
    watermark.SqlLiteral();
    FAIL() << "no error";
  } catch (const IncrementalError& e) {
    EXPECT_EQ(e.message(),
              "the watermark of pipeline 'p' source 's' object 'orders.csv' cursor_field "
              "'updated_at' has type 'BIGINT); DROP TABLE sqlflow_runs; --', which is not a "
              "DuckDB type name; reset it with `sqlflow state reset`");
  }
  watermark.type = "";
  EXPECT_THROW(watermark.SqlLiteral(), IncrementalError);
  EXPECT_THROW(store_.PutWatermark(watermark), IncrementalError);
  EXPECT_EQ(session_->CountRows("sqlflow_watermarks"), 0);
}

TEST_F(StateStoreTest, PutWatermarkRefusesAValueThatWouldNotComeBackExactly) {
  Watermark watermark = MakeWatermark("p", "s", "2024-01-02 03:04:05.1234567");
  watermark.type = "TIMESTAMP";
  try {
    store_.PutWatermark(watermark);
    FAIL() << "no error";
  } catch (const IncrementalError& e) {
    EXPECT_EQ(e.message(),
              "the value '2024-01-02 03:04:05.1234567' of the watermark of pipeline 'p' source "
              "'s' object 'orders.csv' cursor_field 'updated_at' reads back as "
              "'2024-01-02 03:04:05.123456' through TIMESTAMP; store the cursor as "
              "CAST(cursor AS VARCHAR) with its own type");
  }
  watermark.value = "yesterday-ish";
  try {
    store_.PutWatermark(watermark);
    FAIL() << "no error";
  } catch (const IncrementalError& e) {
    EXPECT_TRUE(StartsWith(e.message(),
                           "the value 'yesterday-ish' of the watermark of pipeline 'p' source "
                           "'s' object 'orders.csv' cursor_field 'updated_at' is not a "
                           "TIMESTAMP: "))
        << e.message();
  }
  EXPECT_EQ(session_->CountRows("sqlflow_watermarks"), 0);
}

TEST_F(StateStoreTest, PutWatermarkRequiresPipelineSourceAndCursorField) {
  Watermark watermark = MakeWatermark("p", "", "1");
  try {
    store_.PutWatermark(watermark);
    FAIL() << "no error";
  } catch (const IncrementalError& e) {
    EXPECT_EQ(std::string(e.what()),
              "state put watermark: a watermark key needs a pipeline, a source and a "
              "cursor_field; got pipeline 'p' source '' object 'orders.csv' cursor_field "
              "'updated_at'");
  }
  watermark = MakeWatermark("", "s", "1");
  EXPECT_THROW(store_.PutWatermark(watermark), IncrementalError);
  watermark = MakeWatermark("p", "s", "1");
  watermark.key.cursor_field = "";
  EXPECT_THROW(store_.PutWatermark(watermark), IncrementalError);
  EXPECT_EQ(session_->CountRows("sqlflow_watermarks"), 0);
}

TEST_F(StateStoreTest, TheBoundaryHoldsFiveThousandIdentities) {
  std::vector<std::string> identities;
  std::vector<std::string> expected;
  expected.reserve(5000);
  for (int i = 4999; i >= 0; --i) {
    identities.push_back(fmt::format("order-{:05}|'{}'", i, i % 7));
    if (i % 10 == 0) identities.push_back(identities.back());  // Duplicates dropped.
  }
  for (int i = 0; i < 5000; ++i) expected.push_back(fmt::format("order-{:05}|'{}'", i, i % 7));
  store_.PutWatermark(MakeWatermark("p", "s", "5", identities));
  std::optional<Watermark> got = store_.GetWatermark({"p", "s", "orders.csv", "updated_at"});
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->boundary, expected);
  EXPECT_EQ(Scalar("SELECT len(boundary) FROM sqlflow_watermarks"), "5000");
  EXPECT_EQ(Scalar("SELECT boundary[5000] FROM sqlflow_watermarks"), "order-04999|'1'");
  EXPECT_EQ(got->ToJson()["boundary_rows"], 5000);
}

TEST_F(StateStoreTest, ListWatermarksOrdersByPipelineAndSourceAndFiltersByPipeline) {
  store_.PutWatermark(MakeWatermark("sales", "orders", "3"));
  store_.PutWatermark(MakeWatermark("billing", "invoices", "1"));
  store_.PutWatermark(MakeWatermark("sales", "customers", "2"));
  std::vector<std::string> listed;
  for (const Watermark& w : store_.ListWatermarks()) {
    listed.push_back(w.key.pipeline + "/" + w.key.source + "=" + w.value);
  }
  EXPECT_EQ(listed, (std::vector<std::string>{"billing/invoices=1", "sales/customers=2",
                                              "sales/orders=3"}));
  std::vector<Watermark> sales = store_.ListWatermarks("sales");
  ASSERT_EQ(sales.size(), 2u);
  EXPECT_EQ(sales[0].key.source, "customers");
  EXPECT_EQ(sales[1].key.source, "orders");
  EXPECT_TRUE(store_.ListWatermarks("nobody").empty());
}

TEST_F(StateStoreTest, ResetWatermarksDeletesByPipelineOrSourceAndCounts) {
  store_.PutWatermark(MakeWatermark("sales", "orders", "1"));
  Watermark second_object = MakeWatermark("sales", "orders", "2");
  second_object.key.object = "orders_2024.csv";
  store_.PutWatermark(second_object);
  store_.PutWatermark(MakeWatermark("sales", "customers", "3"));
  store_.PutWatermark(MakeWatermark("sales'; --", "orders", "4"));
  store_.PutWatermark(MakeWatermark("billing", "orders", "5"));

  EXPECT_EQ(store_.ResetWatermarks("sales", "orders"), 2);
  EXPECT_EQ(store_.ResetWatermarks("sales", "orders"), 0);
  EXPECT_EQ(store_.ListWatermarks("sales").size(), 1u);
  EXPECT_EQ(store_.ResetWatermarks("sales"), 1);
  EXPECT_EQ(store_.ResetWatermarks("nobody"), 0);
  std::vector<std::string> left;
  for (const Watermark& w : store_.ListWatermarks()) left.push_back(w.key.pipeline);
  EXPECT_EQ(left, (std::vector<std::string>{"billing", "sales'; --"}));
}

TEST_F(StateStoreTest, AResetRolledBackByTheCallerKeepsTheWatermarks) {
  store_.PutWatermark(MakeWatermark("sales", "orders", "1"));
  session_->Execute("BEGIN TRANSACTION");
  EXPECT_EQ(store_.ResetWatermarks("sales"), 1);
  session_->Execute("ROLLBACK");
  EXPECT_EQ(store_.ListWatermarks().size(), 1u);
}

TEST_F(StateStoreTest, UpdatedAtLeftEmptyIsStampedByTheClock) {
  auto clock = std::make_shared<FakeClock>();  // 1,700,000,000 s after the epoch.
  clock->Advance(std::chrono::milliseconds(250));
  StateStore store(*session_, clock);
  Watermark watermark = MakeWatermark("p", "s", "1");
  watermark.updated_at = "";
  store.PutWatermark(watermark);
  EXPECT_EQ(store.GetWatermark(watermark.key)->updated_at, "2023-11-14T22:13:20.250Z");
}

TEST_F(StateStoreTest, WatermarkToJsonHasTheDocumentedShape) {
  Watermark watermark =
      MakeWatermark("sales", "orders", "2024-01-02 03:04:05.123456+00", {"id=1", "id=2"});
  watermark.type = "TIMESTAMP WITH TIME ZONE";
  EXPECT_EQ(watermark.ToJson(), nlohmann::json::parse(R"({
    "pipeline": "sales", "source": "orders", "object": "orders.csv",
    "cursor_field": "updated_at", "value": "2024-01-02 03:04:05.123456+00",
    "type": "TIMESTAMP WITH TIME ZONE", "boundary_rows": 2,
    "updated_at": "2026-01-02T03:04:05.678Z", "run_id": "run-1"})"));
}

TEST(StateStorePersistence, StateSurvivesReopeningTheEngine) {
  testing::TempDir dir("sqlflow-state");
  engine::EngineOptions options;
  options.path = (dir / "target" / "state.duckdb").string();
  Watermark watermark =
      MakeWatermark("sales", "orders", "2024-02-29 23:59:59.999999+00", {"id=7", "id=3"});
  watermark.type = "TIMESTAMP WITH TIME ZONE";
  RunRecord run{
      "run-1", "sales", "dev", "success", "2026-01-02T03:04:05.000Z", "2026-01-02T03:04:06.500Z",
      "",      {}};
  run.steps.push_back(StepRecord{"", "load_orders", "success", 12, 3400, "2026-01-02T03:04:05.100Z",
                                 "2026-01-02T03:04:06.400Z", ""});
  {
    std::unique_ptr<engine::Engine> engine = engine::OpenDuckDbEngine(options);
    std::unique_ptr<engine::Session> session = engine->Connect();
    StateStore store(*session);
    store.EnsureSchema();
    store.PutWatermark(watermark);
    store.RecordRunEnd(run);
  }
  std::unique_ptr<engine::Engine> engine = engine::OpenDuckDbEngine(options);
  std::unique_ptr<engine::Session> session = engine->Connect();
  StateStore store(*session);
  store.EnsureSchema();
  std::optional<Watermark> got = store.GetWatermark(watermark.key);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->value, "2024-02-29 23:59:59.999999+00");
  EXPECT_EQ(got->type, "TIMESTAMP WITH TIME ZONE");
  EXPECT_EQ(got->boundary, (std::vector<std::string>{"id=3", "id=7"}));
  EXPECT_EQ(got->updated_at, "2026-01-02T03:04:05.678Z");
  EXPECT_EQ(got->run_id, "run-1");
  std::vector<RunRecord> history = store.History();
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].ToJson(), run.ToJson());
  EXPECT_EQ(history[0].steps[0].run_id, "run-1");
}

TEST(StateStoreCatalog, TheTablesCanLiveInAnAttachedDatabase) {
  testing::TempDir dir("sqlflow-state");
  std::filesystem::path file = dir / "state.duckdb";
  Watermark watermark = MakeWatermark("sales", "orders", "7");
  RunRecord run{"run-1", "sales", "dev", "success", "2026-01-02T03:04:05.000Z", "", "", {}};
  {
    std::unique_ptr<engine::Engine> engine = engine::OpenDuckDbEngine({});
    std::unique_ptr<engine::Session> session = engine->Connect();
    session->Execute("ATTACH " + QuoteLiteral(file.string()) + " AS sqlflow_state");
    StateStore store(*session, SystemClock::Instance(), "sqlflow_state");
    store.EnsureSchema();
    store.PutWatermark(watermark);
    store.RecordRunEnd(run);
    EXPECT_EQ(store.GetWatermark(watermark.key)->value, "7");
    EXPECT_EQ(store.ListWatermarks("sales").size(), 1u);
    EXPECT_EQ(store.History().size(), 1u);
    EXPECT_EQ(store.ResetWatermarks("nobody"), 0);
    EXPECT_EQ(session->Tables(), std::vector<std::string>{});  // Nothing in the engine's own.
    EXPECT_EQ(session->QueryScalar("SELECT count(*) FROM sqlflow_state.main.sqlflow_runs"), "1");
    session->Execute("DETACH sqlflow_state");
  }
  std::unique_ptr<engine::Engine> engine = engine::OpenDuckDbEngine({.path = file.string()});
  std::unique_ptr<engine::Session> session = engine->Connect();
  StateStore store(*session);
  EXPECT_EQ(store.GetWatermark(watermark.key)->value, "7");
  ASSERT_EQ(store.History().size(), 1u);
  EXPECT_EQ(store.History()[0].run_id, "run-1");
}

}  // namespace
}  // namespace sqlflow::state

namespace sqlflow::state {
namespace {

TEST(StateStorePersistence, TheStateFileDoesNotGrowWithEveryRun) {
  // Each iteration is what a run does to its state file: open, write, close (checkpoint).
  // With a PRIMARY KEY on the tables, DuckDB 1.4.4 grew the file by ~0.3 MB per run.
  testing::TempDir dir("sqlflow-state");
  engine::EngineOptions options;
  options.path = (dir / "state.duckdb").string();
  auto one_run = [&](int i) {
    std::unique_ptr<engine::Engine> engine = engine::OpenDuckDbEngine(options);
    std::unique_ptr<engine::Session> session = engine->Connect();
    StateStore store(*session);
    store.EnsureSchema();
    store.PutWatermark(MakeWatermark("p", "s", std::to_string(i), {"id=1"}));
    std::string id = "run-" + std::to_string(i);
    store.RecordRunEnd(RunRecord{id,
                                 "p",
                                 "dev",
                                 "success",
                                 "2026-01-01T00:00:00.000Z",
                                 "2026-01-01T00:00:01.000Z",
                                 "",
                                 {StepRecord{id, "load", "success", 1, 1, "", "", ""}}});
  };
  // It settles at ~1.8 MB within 30 runs, then stays (with an index it kept growing).
  for (int i = 0; i < 30; ++i) one_run(i);
  const auto settled = std::filesystem::file_size(options.path);
  for (int i = 30; i < 80; ++i) one_run(i);
  EXPECT_LE(std::filesystem::file_size(options.path), settled + 256 * 1024);
}

}  // namespace
}  // namespace sqlflow::state
