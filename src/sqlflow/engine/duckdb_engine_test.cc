#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <duckdb.h>

#include "sqlflow/common/error.h"
#include "sqlflow/engine/engine.h"
#include "sqlflow/engine/engine_test_util.h"

#include "tests/support/locked_duckdb_file.h"

namespace sqlflow::engine {
namespace {

using testing::Chunk;
using testing::Dump;
using testing::ErrorOf;
using testing::MakeSchema;
using testing::ScriptedStream;
using testing::TempDir;

std::string Setting(Session& session, const std::string& name) {
  return session.QueryScalar("SELECT current_setting('" + name + "')").value_or("NULL");
}

TEST(OpenDuckDbEngine, OpensInMemoryByDefault) {
  std::unique_ptr<Engine> engine = OpenDuckDbEngine({});
  EXPECT_EQ(engine->name(), "duckdb");
  std::unique_ptr<Session> session = engine->Connect();
  EXPECT_EQ(session->QueryScalar("SELECT 40 + 2"), "42");
  EXPECT_EQ(session->QueryScalar("SELECT current_database()"), "memory");
  EXPECT_NE(session->duck_connection(), nullptr);
}

TEST(OpenDuckDbEngine, AppliesMemoryLimitThreadsAndTempDirectory) {
  TempDir dir;
  EngineOptions options;
  options.memory_limit = "512MB";
  options.threads = 2;
  options.temp_directory = dir.File("spill");
  std::unique_ptr<Session> session = OpenDuckDbEngine(options)->Connect();
  EXPECT_EQ(Setting(*session, "memory_limit"), "488.2 MiB");
  EXPECT_EQ(Setting(*session, "threads"), "2");
  EXPECT_EQ(Setting(*session, "temp_directory"), dir.File("spill"));
}

TEST(OpenDuckDbEngine, NormalizesTheMemoryLimit) {
  EngineOptions options;
  options.memory_limit = "1 gib";
  std::unique_ptr<Session> session = OpenDuckDbEngine(options)->Connect();
  EXPECT_EQ(Setting(*session, "memory_limit"), "1.0 GiB");
}

TEST(OpenDuckDbEngine, RejectsBadOptionsWithConfigError) {
  EngineOptions options;
  options.memory_limit = "lots";
  EXPECT_EQ(ErrorOf<ConfigError>([&] {
              OpenDuckDbEngine(options);
            }).rfind("invalid memory_limit 'lots': it does not start with a number (use bytes", 0),
            0u);
  options = {};
  options.threads = -1;
  EXPECT_EQ(ErrorOf<ConfigError>([&] { OpenDuckDbEngine(options); }),
            "invalid threads -1: it must be 0 (all cores) or more");
}

TEST(OpenDuckDbEngine, PersistsToAFileInANewDirectory) {
  TempDir dir;
  EngineOptions options;
  options.path = dir.File("target/nested/sqlflow.duckdb");
  {
    std::unique_ptr<Session> session = OpenDuckDbEngine(options)->Connect();
    session->Execute("CREATE TABLE kept AS SELECT 7 AS x");
  }
  ASSERT_TRUE(std::filesystem::exists(options.path));
  std::unique_ptr<Session> session = OpenDuckDbEngine(options)->Connect();
  EXPECT_EQ(session->QueryScalar("SELECT x FROM kept"), "7");
  EXPECT_EQ(session->Tables(), std::vector<std::string>{"kept"});
}

TEST(OpenDuckDbEngine, SaysWhenAnotherProcessHoldsTheFile) {
  TempDir dir;
  const std::string path = dir.File("locked.duckdb");
  // No DuckDB is open in this process here, so the child of fork() starts single-threaded.
  sqlflow::testing::LockedDuckDbFile lock(path);
  ASSERT_TRUE(lock.locked());
  EngineOptions options;
  options.path = path;
  std::string error = ErrorOf<QueryError>([&] { OpenDuckDbEngine(options); });
  EXPECT_EQ(error.rfind("DuckDB open: the database file '" + path +
                            "' is locked by another process (another sqlflow run or DuckDB "
                            "client has it open); stop that process or use another path. DuckDB "
                            "said: cannot open database '" +
                            path + "': IO Error: Could not set lock on file",
                        0),
            0u)
      << error;
}

TEST(DuckSession, SessionsSeeEachOthersCommittedTables) {
  std::unique_ptr<Engine> engine = OpenDuckDbEngine({});
  std::unique_ptr<Session> a = engine->Connect();
  std::unique_ptr<Session> b = engine->Connect();
  a->Execute("CREATE TABLE shared AS SELECT 1 AS x UNION ALL SELECT 2");
  EXPECT_EQ(b->CountRows("shared"), 2);
}

TEST(DuckSession, QueriesStreamDescribeAndCount) {
  std::unique_ptr<Session> session = OpenDuckDbEngine({})->Connect();
  session->Execute("CREATE TABLE t AS SELECT range AS id, 'v' || range AS name FROM range(5)");
  std::unique_ptr<ChunkStream> rows = session->Query("SELECT * FROM t ORDER BY id", 2);
  std::vector<int64_t> sizes;
  while (std::optional<DataChunk> chunk = rows->Next()) sizes.push_back(chunk->num_rows());
  EXPECT_EQ(sizes, (std::vector<int64_t>{2, 2, 1}));
  EXPECT_EQ(session->QueryScalar("SELECT name FROM t WHERE id = 3"), "v3");
  EXPECT_EQ(session->QueryScalar("SELECT NULL"), std::nullopt);
  EXPECT_EQ(session->QueryScalar("SELECT 1 WHERE false"), std::nullopt);
  EXPECT_EQ(session->DescribeQuery("SELECT id, name FROM t").ToString(), "id BIGINT, name VARCHAR");
  EXPECT_EQ(session->CountRows("t"), 5);
  EXPECT_EQ(ErrorOf<QueryError>([&] {
              session->Execute("SELEC 1");
            }).rfind("DuckDB execute: Parser Error: syntax error at or near \"SELEC\"", 0),
            0u);
}

TEST(DuckSession, TableSchemaOfTablesViewsAndMissingNames) {
  std::unique_ptr<Session> session = OpenDuckDbEngine({})->Connect();
  session->Execute(
      "CREATE TABLE t (id BIGINT, amount DECIMAL(12,2), ts TIMESTAMPTZ, doc JSON, tags "
      "INTEGER[]);"
      "CREATE SCHEMA raw; CREATE TABLE raw.\"Orders\" (n INTEGER);"
      "CREATE VIEW v AS SELECT id FROM t");
  EXPECT_EQ(session->TableSchema("t")->ToString(),
            "id BIGINT, amount DECIMAL(12,2), ts TIMESTAMPTZ, doc JSON, tags VARCHAR");
  EXPECT_EQ(session->TableSchema("raw.orders")->ToString(), "n INTEGER");
  EXPECT_EQ(session->TableSchema("\"raw\".\"Orders\"")->ToString(), "n INTEGER");
  EXPECT_EQ(session->TableSchema("v")->ToString(), "id BIGINT");
  EXPECT_EQ(session->TableSchema("missing"), std::nullopt);
  EXPECT_EQ(session->TableSchema("nowhere.t"), std::nullopt);
  EXPECT_EQ(session->CountRows("raw.Orders"), 0);
}

TEST(DuckSession, TablesListsTheMainSchemaOnly) {
  std::unique_ptr<Session> session = OpenDuckDbEngine({})->Connect();
  session->Execute(
      "CREATE TABLE b (x INTEGER); CREATE TABLE a (x INTEGER); CREATE VIEW c AS SELECT 1;"
      "CREATE SCHEMA raw; CREATE TABLE raw.hidden (x INTEGER); CREATE TEMP TABLE tmp (x INT)");
  EXPECT_EQ(session->Tables(), (std::vector<std::string>{"a", "b", "c"}));
}

TEST(DuckSession, InterruptStopsARunningStatement) {
  std::unique_ptr<Session> session = OpenDuckDbEngine({})->Connect();
  auto schema = MakeSchema({{"x", DataType::Int64()}});
  std::vector<DataChunk> chunks;
  for (int i = 0; i < 50; ++i) chunks.push_back(Chunk(schema, {{Value::Int(i)}}));
  // The stream is read by DuckDB's worker while the statement runs: interrupt from there.
  Session* s = session.get();
  session->duck_connection()->RegisterStream(
      "source", std::make_unique<ScriptedStream>(schema, chunks, [s](size_t i) {
        if (i == 3) s->Interrupt();
      }));
  EXPECT_EQ(ErrorOf<InterruptedError>(
                [&] { session->Execute("CREATE TABLE copy AS SELECT * FROM source"); }),
            "interrupted");
  EXPECT_EQ(session->TableSchema("copy"), std::nullopt);
  // The session stays usable.
  EXPECT_EQ(session->QueryScalar("SELECT 1"), "1");
}

TEST(DuckSession, ProgressIsUnknownWhenIdle) {
  std::unique_ptr<Session> session = OpenDuckDbEngine({})->Connect();
  EXPECT_EQ(session->Progress(), -1);
  // Callable from another thread.
  double progress = 0;
  std::thread([&] { progress = session->Progress(); }).join();
  EXPECT_EQ(progress, -1);
}

TEST(TableModeName, NamesEveryMode) {
  EXPECT_STREQ(TableModeName(TableMode::kReplace), "replace");
  EXPECT_STREQ(TableModeName(TableMode::kAppend), "append");
  EXPECT_STREQ(TableModeName(TableMode::kUpsert), "upsert");
}

}  // namespace
}  // namespace sqlflow::engine
