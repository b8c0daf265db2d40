// The POSTGRES source against a throwaway cluster: every type with NULLs and extremes,
// projection, filters and queries pushed down, discovery, incremental reads, a connection
// killed mid-read, a wrong password and a server that is down. Backoff waits run on a
// FakeClock.
#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqlflow/common/error.h"
#include "sqlflow/common/log.h"

#include "tests/postgres/pg_test_util.h"

namespace sqlflow {
namespace {

using ::sqlflow::testing::PgSource;
using ::sqlflow::testing::PostgresServer;
using ::sqlflow::testing::Rows;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using json = nlohmann::json;

class PostgresSourceTest : public ::testing::Test {
 protected:
  void SetUp() override { db_ = server_.CreateDatabase(); }

  std::unique_ptr<SourceConnector> Source(json params = json::object()) {
    return PgSource(server_, db_, std::move(params), clock_);
  }
  void Exec(const std::string& sql) { server_.Exec(sql, db_); }
  // The rows of a read of `request` as text.
  std::vector<std::string> Read(SourceConnector& source, const ReadRequest& request = {}) {
    auto stream = source.Read(request);
    return Rows(*stream);
  }

  PostgresServer& server_ = PostgresServer::Shared();
  std::string db_;
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
};

// ---- Types ------------------------------------------------------------------------------

constexpr const char* kAllTypes = R"sql(
CREATE TYPE mood AS ENUM ('sad', 'happy');
CREATE TABLE all_types (
  id int PRIMARY KEY, i2 smallint, i4 integer, i8 bigint, n numeric(12,2),
  nbig numeric(38,6), nfree numeric, nhuge numeric(50,2), r real, d double precision,
  b boolean, t text, v varchar(10), c char(3), by bytea, dt date, tm time, ts timestamp,
  tstz timestamptz, iv interval, u uuid, j json, jb jsonb, arr int[], e mood);
INSERT INTO all_types VALUES
  (1, -32768, -2147483648, -9223372036854775808, -9999999999.99,
   -12345678901234567890123456789012.123456, 0.000001, 123456789012345678901234567890123456789012345678.90,
   -3.4e38, -1.7976931348623157e308, false, '', 'a', 'ab', '\x00ff'::bytea, '0001-01-01',
   '00:00:00', '1970-01-01 00:00:00', '1999-12-31 23:59:59.999999+00', '-1 year -2 days',
   '00000000-0000-0000-0000-000000000000', '{}', '[]', '{}', 'sad'),
  (2, 32767, 2147483647, 9223372036854775807, 9999999999.99,
   99999999999999999999999999999999.999999, -42, 0, 3.4e38, 2.2250738585072014e-308, true,
   'héllo ✓ "quoted"', 'ten chars!', 'xyz', '', '9999-12-31', '23:59:59.999999',
   '2038-01-19 03:14:07.5', '2024-06-30 12:00:00-07', '1 year 2 mons 3 days 04:05:06.5',
   'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', '{"a": [1, 2]}', '{"b": {"c": null}}',
   '{1,NULL,3}', 'happy'),
  (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
)sql";

TEST_F(PostgresSourceTest, MapsEveryTypeExactly) {
  Exec(kAllTypes);
  auto source = Source({{"table", "all_types"}});
  EXPECT_EQ(source->GetSchema("").ToString(),
            "id INTEGER, i2 SMALLINT, i4 INTEGER, i8 BIGINT, n DECIMAL(12,2), "
            "nbig DECIMAL(38,6), nfree VARCHAR, nhuge VARCHAR, r FLOAT, d DOUBLE, b BOOLEAN, "
            "t VARCHAR, v VARCHAR, c VARCHAR, by BLOB, dt DATE, tm TIME, ts TIMESTAMP, "
            "tstz TIMESTAMPTZ, iv VARCHAR, u VARCHAR, j JSON, jb JSON, "
            "arr JSON, e VARCHAR");
  std::vector<std::string> rows = Read(*source);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0],
            "1|-32768|-2147483648|-9223372036854775808|-9999999999.99|"
            "-12345678901234567890123456789012.123456|0.000001|"
            "123456789012345678901234567890123456789012345678.90|-3.4e+38|"
            "-1.7976931348623157e+308|false||a|ab |\\x00\\xFF|0001-01-01|00:00:00|"
            "1970-01-01 00:00:00|1999-12-31 23:59:59.999999+00|-1 years -2 days|"
            "00000000-0000-0000-0000-000000000000|{}|[]|[]|sad");
  EXPECT_EQ(rows[1],
            "2|32767|2147483647|9223372036854775807|9999999999.99|"
            "99999999999999999999999999999999.999999|-42|0.00|3.4e+38|"
            "2.2250738585072014e-308|true|héllo ✓ \"quoted\"|ten chars!|xyz||9999-12-31|"
            "23:59:59.999999|2038-01-19 03:14:07.5|2024-06-30 19:00:00+00|"
            "1 year 2 mons 3 days 04:05:06.5|a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11|"
            "{\"a\": [1, 2]}|{\"b\": {\"c\": null}}|[1,null,3]|happy");
  EXPECT_EQ(rows[2],
            "3|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|"
            "NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL");
}

TEST_F(PostgresSourceTest, InfiniteDatesAndTimestampsPassThrough) {
  Exec(
      "CREATE TABLE t (id int, d date, ts timestamp);"
      "INSERT INTO t VALUES (1, 'infinity', 'infinity'), (2, '-infinity', '-infinity')");
  auto source = Source({{"query", "SELECT d, ts FROM t ORDER BY id"}});
  auto stream = source->Read({});
  std::optional<DataChunk> chunk = stream->Next();
  ASSERT_TRUE(chunk.has_value());
  EXPECT_EQ(chunk->column(0).ValueAt<int32_t>(0), INT32_MAX);
  EXPECT_EQ(chunk->column(0).ValueAt<int32_t>(1), INT32_MIN);
  EXPECT_EQ(chunk->column(1).ValueAt<int64_t>(0), INT64_MAX);
  EXPECT_EQ(chunk->column(1).ValueAt<int64_t>(1), INT64_MIN);
}

// ---- Pushdown and queries ---------------------------------------------------------------

class PostgresOrdersTest : public PostgresSourceTest {
 protected:
  void SetUp() override {
    PostgresSourceTest::SetUp();
    Exec(
        "CREATE TABLE orders (id bigint PRIMARY KEY, customer text, amount numeric(10,2), "
        "created_at timestamp);"
        "INSERT INTO orders SELECT g, 'c' || (g % 3), g * 1.5, "
        "timestamp '2024-01-01' + g * interval '1 hour' FROM generate_series(1, 10) g");
  }
};

TEST_F(PostgresOrdersTest, ProjectsAndFiltersAtTheServer) {
  std::vector<std::string> statements;
  log::SetLevel(log::Level::kDebug);
  log::SetSink([&](log::Level, std::string_view message) {
    if (message.find("COPY (") != std::string_view::npos) statements.emplace_back(message);
  });
  auto source = Source({{"table", "orders"}});
  ReadRequest request;
  request.columns = {"amount", "id"};
  request.filters = ParseFilters("pg", json{{"customer", "c1"}, {"id", {{">", 1}, {"<=", 7}}}});
  std::vector<std::string> rows = Read(*source, request);
  log::ResetSink();
  log::SetLevel(log::Level::kInfo);
  EXPECT_THAT(rows, ElementsAre("6.00|4", "10.50|7"));
  // What the server ran: the columns and the WHERE, and the ctid that a restart resumes after.
  EXPECT_THAT(
      statements,
      ElementsAre("POSTGRES: COPY (SELECT \"amount\", \"id\", ctid FROM \"public\".\"orders\" "
                  "WHERE (\"customer\" = 'c1') AND (\"id\" <= '7') AND (\"id\" > '1')) "
                  "TO STDOUT (FORMAT binary)"));
}

TEST_F(PostgresOrdersTest, FilterValuesAreQuotedNotPasted) {
  auto source = Source({{"table", "orders"}});
  ReadRequest request;
  request.filters = ParseFilters("pg", json{{"customer", "c1' OR '1'='1"}});
  EXPECT_THAT(Read(*source, request), ::testing::IsEmpty());
  request.filters = ParseFilters("pg", json{{"customer", {{"in", {"c0", "x\"y"}}}}});
  request.columns = {"id"};
  EXPECT_THAT(Read(*source, request), ElementsAre("3", "6", "9"));
}

TEST_F(PostgresOrdersTest, AnUnknownColumnIsASchemaErrorWithASuggestion) {
  auto source = Source({{"table", "orders"}});
  ReadRequest request;
  request.columns = {"amout"};
  try {
    Read(*source, request);
    FAIL() << "expected a SchemaError";
  } catch (const SchemaError& e) {
    EXPECT_EQ(std::string(e.what()),
              "POSTGRES read: table public.orders has no column 'amout' (did you mean "
              "'amount'?)");
  }
}

TEST_F(PostgresOrdersTest, ReadsAQuery) {
  auto source = Source({{"query",
                         "SELECT customer, sum(amount) AS total FROM orders GROUP BY customer "
                         "ORDER BY customer"}});
  EXPECT_EQ(source->GetSchema("").ToString(), "customer VARCHAR, total VARCHAR");
  EXPECT_THAT(Read(*source), ElementsAre("c0|27.00", "c1|33.00", "c2|22.50"));
}

TEST_F(PostgresOrdersTest, ABadQueryIsAPermanentErrorFromTheServer) {
  auto source = Source({{"query", "SELEC 1"}});
  try {
    Read(*source);
    FAIL() << "expected a QueryError";
  } catch (const QueryError& e) {
    EXPECT_EQ(std::string(e.what()),
              "POSTGRES read: syntax error at or near \"SELEC\" (SQLSTATE 42601)");
    EXPECT_EQ(e.error_class(), ErrorClass::kPermanent);
  }
  EXPECT_EQ(source->resilience().retries(), 0);
}

TEST_F(PostgresOrdersTest, ChunksHoldAtMostBatchSizeRows) {
  auto source = Source({{"table", "orders"}});
  ReadRequest request;
  request.batch_size = 4;
  auto stream = source->Read(request);
  std::vector<int64_t> sizes;
  while (auto chunk = stream->Next()) sizes.push_back(chunk->num_rows());
  EXPECT_THAT(sizes, ElementsAre(4, 4, 2));
}

TEST_F(PostgresOrdersTest, TheBatchSizeParameterSizesChunksUnlessTheRequestAsks) {
  auto source = Source({{"table", "orders"}, {"batch_size", 3}});
  auto stream = source->Read({});  // The default request: the parameter decides.
  std::vector<int64_t> sizes;
  while (auto chunk = stream->Next()) sizes.push_back(chunk->num_rows());
  EXPECT_THAT(sizes, ElementsAre(3, 3, 3, 1));
  ReadRequest request;
  request.batch_size = 6;
  sizes.clear();
  stream = source->Read(request);
  while (auto chunk = stream->Next()) sizes.push_back(chunk->num_rows());
  EXPECT_THAT(sizes, ElementsAre(6, 4));
}

TEST_F(PostgresOrdersTest, DiscoversTablesAndViewsOfTheSchema) {
  Exec(
      "CREATE VIEW big_orders AS SELECT * FROM orders WHERE amount > 10;"
      "CREATE SCHEMA other; CREATE TABLE other.hidden (x int)");
  auto source = Source({{"table", "orders"}});
  EXPECT_THAT(source->Discover(), ElementsAre("big_orders", "orders"));
  EXPECT_THAT(Source({{"schema", "other"}})->Discover(), ElementsAre("hidden"));
  EXPECT_THAT(Read(*Source({{"table", "other.hidden"}})), ::testing::IsEmpty());
}

// ---- Incremental ------------------------------------------------------------------------

TEST_F(PostgresOrdersTest, IncrementalReadsPushTheCursorDownInOrder) {
  auto source =
      Source({{"table", "orders"}, {"sync_mode", "incremental"}, {"cursor_field", "created_at"}});
  IncrementalRequest request;
  request.cursor_field = "created_at";
  request.columns = {"id", "created_at"};
  auto first = source->ReadIncremental(request);
  EXPECT_EQ(Rows(*first).size(), 10u);
  request.cursor_value = Value::Timestamp(1704092400LL * 1000000);  // 2024-01-01 07:00
  auto next = source->ReadIncremental(request);
  EXPECT_THAT(Rows(*next), ElementsAre("8|2024-01-01 08:00:00", "9|2024-01-01 09:00:00",
                                       "10|2024-01-01 10:00:00"));
  request.inclusive = true;
  auto inclusive = source->ReadIncremental(request);
  EXPECT_EQ(Rows(*inclusive).front(), "7|2024-01-01 07:00:00");
}

// ---- Health and connection failures -----------------------------------------------------

TEST_F(PostgresSourceTest, HealthReportsTheServerVersionAndLatency) {
  auto source = Source();
  ConnectionTestResult result = source->TestConnection();
  EXPECT_TRUE(result.success) << result.message;
  EXPECT_THAT(result.message,
              HasSubstr("connected to sqlflow@127.0.0.1:" + std::to_string(server_.port()) + "/" +
                        db_ + " (PostgreSQL 15."));
  EXPECT_EQ(source->CheckHealth().ToJson()["status"], "healthy");
}

TEST_F(PostgresSourceTest, AWrongPasswordFailsAtOnceWithoutShowingIt) {
  auto source = Source({{"password", "not-the-password-9x"}, {"table", "t"}});
  try {
    Read(*source);
    FAIL() << "expected an AuthenticationError";
  } catch (const AuthenticationError& e) {
    EXPECT_THAT(e.what(), HasSubstr("password authentication failed for user \"sqlflow\""));
    EXPECT_THAT(e.what(), Not(HasSubstr("not-the-password-9x")));
  }
  EXPECT_EQ(source->resilience().retries(), 0);
  ConnectionTestResult health = source->TestConnection();
  EXPECT_FALSE(health.success);
  EXPECT_THAT(health.message, Not(HasSubstr("not-the-password-9x")));
}

TEST_F(PostgresSourceTest, AServerThatIsDownFailsAfterTheConfiguredRetries) {
  int port = ::sqlflow::testing::UnusedPort();
  auto source = Source({{"port", port}, {"table", "t"}});
  auto start = clock_->Now();
  try {
    Read(*source);
    FAIL() << "expected a ConnectionError";
  } catch (const ConnectionError& e) {
    EXPECT_THAT(e.what(), HasSubstr("cannot connect to sqlflow@127.0.0.1:" + std::to_string(port) +
                                    "/" + db_));
    EXPECT_THAT(e.what(), HasSubstr("Connection refused"));
  }
  EXPECT_EQ(source->resilience().retries(), 2);  // The POSTGRES profile: 3 attempts.
  EXPECT_GE(clock_->Now() - start, std::chrono::milliseconds(0));
}

TEST_F(PostgresSourceTest, AConnectionUriWorksAndItsPasswordIsNeverShown) {
  Exec("CREATE TABLE t (x int); INSERT INTO t VALUES (7)");
  auto source = MakePostgresSource(PostgresSourceSpec(), clock_);
  source->Configure({{"connection", server_.Uri(db_)}, {"table", "t"}});
  EXPECT_THAT(Read(*source), ElementsAre("7"));
  auto wrong = MakePostgresSource(PostgresSourceSpec(), clock_);
  std::string uri =
      "postgresql://sqlflow:uri-secret-55@127.0.0.1:" + std::to_string(server_.port()) + "/" + db_;
  wrong->Configure({{"connection", uri}, {"table", "t"}});
  ConnectionTestResult health = wrong->TestConnection();
  EXPECT_FALSE(health.success);
  EXPECT_THAT(health.message, Not(HasSubstr("uri-secret-55")));
  EXPECT_THAT(health.message, HasSubstr("cannot connect to sqlflow@127.0.0.1:"));
}

TEST_F(PostgresSourceTest, ADatabaseNameIsNeverReadAsConnectionSettings) {
  // libpq would expand "... host=..." in the first dbname into settings of its own.
  auto source = Source({{"database", db_ + " host=203.0.113.1"}});
  ConnectionTestResult health = source->TestConnection();
  EXPECT_FALSE(health.success);
  EXPECT_THAT(health.message,
              HasSubstr("database \"" + db_ + " host=203.0.113.1\" does not exist"));
}

TEST_F(PostgresSourceTest, TableAndQueryTogetherAreRefused) {
  auto source = MakePostgresSource(PostgresSourceSpec(), clock_);
  json params = server_.ConnectionParams(db_);
  params["table"] = "t";
  params["query"] = "SELECT 1";
  EXPECT_THROW(source->Configure(params), ParameterError);
}

// ---- Recovery ---------------------------------------------------------------------------

// Which backends a kill hits: the one running the COPY, or every one of the read.
enum class Kill { kReader, kReaderAndSnapshot };

// Read to the end, killing backends of the read after `after_chunks` chunks and then running
// `meanwhile` (concurrent changes the read must not see).
std::vector<std::string> ReadKilling(PostgresServer& server, const std::string& db,
                                     SourceConnector& source, ReadRequest request, int after_chunks,
                                     Kill kill, const std::string& meanwhile = "") {
  auto stream = source.Read(request);
  std::vector<std::string> rows;
  int chunks = 0;
  while (std::optional<DataChunk> chunk = stream->Next()) {
    for (int64_t r = 0; r < chunk->num_rows(); ++r) {
      rows.push_back(chunk->column(0).GetValue(r).ToString());
    }
    if (++chunks == after_chunks) {
      server.Exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db +
                      "' AND application_name = 'sqlflow'" +
                      (kill == Kill::kReader ? " AND query LIKE 'COPY%'" : ""),
                  db);
      if (!meanwhile.empty()) server.Exec(meanwhile, db);
    }
  }
  return rows;
}

std::vector<std::string> Numbers(int from, int to) {
  std::vector<std::string> out;
  for (int i = from; from <= to ? i <= to : i >= to; i += from <= to ? 1 : -1) {
    out.push_back(std::to_string(i));
  }
  return out;
}

// 100 MB: the server is still sending when its backend is terminated (socket buffers hold a
// few MB, and the reader decodes 32 chunks ahead), so the read really loses its connection in the
// middle.
constexpr const char* kBigTable =
    "CREATE TABLE big (id int PRIMARY KEY, pad text);"
    "INSERT INTO big SELECT g, repeat('x', 1000) FROM generate_series(100000, 1, -1) g";

TEST_F(PostgresSourceTest, AKilledTableReadResumesAfterTheLastRowInItsOwnSnapshot) {
  Exec(kBigTable);
  auto source = Source({{"table", "big"}});
  ReadRequest request;
  request.batch_size = 1000;
  request.columns = {"id", "pad"};
  // Rows deleted and added after the failure are not seen: the resumed read imports the
  // snapshot the read began in, and continues after the last ctid handed out.
  std::vector<std::string> rows =
      ReadKilling(server_, db_, *source, request, 2, Kill::kReader,
                  "DELETE FROM big WHERE id > 99000 OR id < 100; INSERT INTO big VALUES (0, '')");
  EXPECT_EQ(rows, Numbers(100000, 1));  // Every row once, in physical order.
  EXPECT_EQ(source->resilience().retries(), 1);
}

TEST_F(PostgresSourceTest, WhenTheSnapshotIsGoneTooTheReadContinuesAndSaysSo) {
  Exec(kBigTable);
  std::vector<std::string> warnings;
  log::SetSink([&](log::Level level, std::string_view message) {
    if (level == log::Level::kWarning) warnings.emplace_back(message);
  });
  auto source = Source({{"table", "big"}});
  ReadRequest request;
  request.batch_size = 1000;
  request.columns = {"id"};
  std::vector<std::string> rows =
      ReadKilling(server_, db_, *source, request, 2, Kill::kReaderAndSnapshot);
  log::ResetSink();
  EXPECT_EQ(rows, Numbers(100000, 1));  // Nothing changed, so still every row once.
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_THAT(warnings[0], HasSubstr("POSTGRES: the snapshot the read of table public.big began "
                                     "in is gone"));
  EXPECT_THAT(warnings[0], HasSubstr("rows changed since the read began may be missed or read "
                                     "twice"));
}

TEST_F(PostgresSourceTest, AKilledQueryReadResumesByItsPrimaryKey) {
  Exec(kBigTable);
  auto source = Source({{"query", "SELECT id, pad FROM big"}, {"primary_key", "id"}});
  ReadRequest request;
  request.batch_size = 1000;
  std::vector<std::string> rows = ReadKilling(server_, db_, *source, request, 2, Kill::kReader);
  EXPECT_EQ(rows, Numbers(1, 100000));  // Every row once, in key order.
  EXPECT_EQ(source->resilience().retries(), 1);
}

TEST_F(PostgresSourceTest, AnAbandonedReadCancelsItsQueryAndLeavesTheSourceUsable) {
  Exec(kBigTable);
  auto source = Source({{"table", "big"}});
  ReadRequest request;
  request.batch_size = 100;
  {
    auto stream = source->Read(request);
    ASSERT_TRUE(stream->Next().has_value());
  }  // Destroyed with most of the table unread: the reading thread is stopped.
  request.columns = {"id"};
  request.filters = ParseFilters("pg", json{{"id", {{"<=", 3}}}});
  EXPECT_THAT(Read(*source, request), ElementsAre("3", "2", "1"));
}

TEST_F(PostgresSourceTest, AKilledIncrementalQueryResumesByCursorWithTies) {
  // 50 rows per cursor value: chunks of 120 end in the middle of a tie. The 500-byte values
  // (50 MB) keep the server sending when its backend is terminated.
  Exec(
      "CREATE TABLE ev (seq text, at int);"
      "INSERT INTO ev SELECT lpad(g::text, 500, '0'), g / 50 FROM generate_series(0, 99999) g");
  auto source = Source({{"query", "SELECT seq, at FROM ev"}});
  IncrementalRequest request;
  request.cursor_field = "at";
  request.columns = {"seq"};
  request.batch_size = 120;
  auto stream = source->ReadIncremental(request);
  std::vector<std::string> rows;
  int chunks = 0;
  while (std::optional<DataChunk> chunk = stream->Next()) {
    for (int64_t r = 0; r < chunk->num_rows(); ++r) {
      rows.push_back(chunk->column(0).GetValue(r).ToString());
    }
    if (++chunks == 3) {
      server_.Exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" +
                       db_ + "' AND application_name = 'sqlflow' AND query LIKE 'COPY%'",
                   db_);
    }
  }
  for (std::string& row : rows) row = std::to_string(std::stoi(row));  // Without the padding.
  std::sort(rows.begin(), rows.end(),
            [](const std::string& a, const std::string& b) { return std::stoi(a) < std::stoi(b); });
  EXPECT_EQ(rows, Numbers(0, 99999));  // Every row exactly once.
  EXPECT_EQ(source->resilience().retries(), 1);
}

TEST_F(PostgresSourceTest, AKilledQueryWithoutAKeyRestartsAndSaysSo) {
  Exec(
      "CREATE TABLE heap (x int, pad text);"
      "INSERT INTO heap SELECT g, repeat('x', 1000) FROM generate_series(1, 100000) g");
  std::vector<std::string> warnings;
  log::SetSink([&](log::Level level, std::string_view message) {
    if (level == log::Level::kWarning) warnings.emplace_back(message);
  });
  auto source = Source({{"query", "SELECT x, pad FROM heap"}});
  ReadRequest request;
  request.batch_size = 1000;
  std::vector<std::string> rows = ReadKilling(server_, db_, *source, request, 1, Kill::kReader);
  log::ResetSink();
  EXPECT_EQ(rows, Numbers(1, 100000));
  ASSERT_EQ(warnings.size(), 1u);
  // The rows handed out before the failure was noticed: at least the first chunk.
  EXPECT_THAT(warnings[0], ::testing::ContainsRegex(
                               "^POSTGRES: the read of the query restarts from the beginning "
                               "after a failure and skips the [1-9][0-9]*000 rows already read: "
                               "it has no key to resume by \\(set primary_key\\)"));
}

}  // namespace
}  // namespace sqlflow
