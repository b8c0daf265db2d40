// The POSTGRES connectors in real runs of the `sqlflow` binary against the throwaway cluster:
// an incremental load across runs (new rows, a row at the watermark's own timestamp, nothing
// new), `sqlflow copy` both ways, and a wrong password that fails at once without printing it.
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/files.h"
#include "tests/support/postgres_server.h"
#include "tests/support/process.h"
#include "tests/support/sqlflow_binary.h"
#include <nlohmann/json.hpp>

namespace sqlflow {
namespace {

using ::sqlflow::testing::EnvironmentWithout;
using ::sqlflow::testing::PostgresServer;
using ::sqlflow::testing::ProcessResult;
using ::sqlflow::testing::ReadFile;
using ::sqlflow::testing::WriteFile;
using ::testing::HasSubstr;

class PostgresPipelineTest : public sqlflow::testing::SqlflowBinaryTest {
 protected:
  PostgresPipelineTest() : SqlflowBinaryTest("sqlflow-pg-pipeline") {}

  void SetUp() override {
    SqlflowBinaryTest::SetUp();
    db_ = server_.CreateDatabase();
    WriteFile(dir_ / "profiles/dev.yml",
              "engines:\n  duckdb:\n    mode: persistent\n    path: target/dev.duckdb\n"
              "connections:\n  pg:\n    type: postgres\n    host: 127.0.0.1\n    port: " +
                  std::to_string(server_.port()) + "\n    database: " + db_ +
                  "\n    username: sqlflow\n    password: ${PG_PASSWORD}\n");
  }

  /// `sqlflow ARGS --project-dir DIR` with PG_PASSWORD set to `password`.
  ProcessResult InProject(std::vector<std::string> args,
                          const std::string& password = PostgresServer::kPassword) const {
    args.push_back("--project-dir");
    args.push_back(dir_.path().string());
    return InDir(args, password);
  }
  /// `sqlflow ARGS` in the project directory with PG_PASSWORD set to `password`.
  ProcessResult InDir(const std::vector<std::string>& args,
                      const std::string& password = PostgresServer::kPassword) const {
    std::vector<std::string> env = EnvironmentWithout({"PG_PASSWORD"});
    env.push_back("PG_PASSWORD=" + password);
    return Run(args, {.cwd = dir_.path(), .env = env});
  }
  void Exec(const std::string& sql) { server_.Exec(sql, db_); }

  PostgresServer& server_ = PostgresServer::Shared();
  std::string db_;
};

TEST_F(PostgresPipelineTest, IncrementalLoadsReadOnlyNewRowsAcrossRuns) {
  Exec(
      "CREATE TABLE events (id int PRIMARY KEY, kind text, happened_at timestamp);"
      "INSERT INTO events VALUES (1, 'a', '2026-01-01 10:00'), (2, 'b', '2026-01-01 11:00'),"
      "(3, 'c', '2026-01-01 12:00')");
  WriteFile(dir_ / "pipelines/events.sf",
            "SOURCE ev FROM pg OPTIONS {\"table\": \"events\", \"sync_mode\": \"incremental\", "
            "\"cursor_field\": \"happened_at\", \"primary_key\": \"id\"};\n"
            "LOAD events FROM ev MODE APPEND;\n"
            "EXPORT SELECT id, kind, happened_at FROM events ORDER BY id TO \"output/events.csv\" "
            "TYPE CSV;\n");
  ProcessResult first = InProject({"pipeline", "run", "events"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(ReadFile(dir_ / "output/events.csv"),
            "id,kind,happened_at\n1,a,2026-01-01 10:00:00\n2,b,2026-01-01 11:00:00\n"
            "3,c,2026-01-01 12:00:00\n");
  // A new row after the watermark, and one at the watermark's own timestamp.
  Exec("INSERT INTO events VALUES (4, 'd', '2026-01-01 12:00'), (5, 'e', '2026-01-02 09:00')");
  ProcessResult second = InProject({"pipeline", "run", "events", "--json"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(nlohmann::json::parse(second.out)["steps"][0]["rows"], 2);  // Only the new rows.
  EXPECT_EQ(ReadFile(dir_ / "output/events.csv"),
            "id,kind,happened_at\n1,a,2026-01-01 10:00:00\n2,b,2026-01-01 11:00:00\n"
            "3,c,2026-01-01 12:00:00\n4,d,2026-01-01 12:00:00\n5,e,2026-01-02 09:00:00\n");
  ProcessResult third = InProject({"pipeline", "run", "events", "--json"});
  ASSERT_EQ(third.exit_code, 0) << third.err;
  EXPECT_EQ(nlohmann::json::parse(third.out)["steps"][0]["rows"], 0);  // Nothing new.
  EXPECT_THAT(ReadFile(dir_ / "output/events.csv"),
              ::testing::EndsWith("\n4,d,2026-01-01 12:00:00\n5,e,2026-01-02 09:00:00\n"));
}

TEST_F(PostgresPipelineTest, CopiesBothWaysWithTheCli) {
  Exec(
      "CREATE TABLE src (id bigint PRIMARY KEY, name text, amount numeric(10,2));"
      "INSERT INTO src SELECT g, 'n' || g, g / 4.0 FROM generate_series(1, 1000) g");
  std::string params = "{\"host\": \"127.0.0.1\", \"port\": " + std::to_string(server_.port()) +
                       ", \"database\": \"" + db_ +
                       "\", \"username\": \"sqlflow\", \"password\": \"${PG_PASSWORD}\"";
  ProcessResult out =
      InDir({"copy", "--source", "POSTGRES", "--source-params", params + ", \"table\": \"src\"}",
             "--destination", "CSV", "--destination-params", "{\"path\": \"src.csv\"}"});
  ASSERT_EQ(out.exit_code, 0) << out.err;
  std::string csv = ReadFile(dir_ / "src.csv");
  EXPECT_THAT(csv, ::testing::StartsWith("id,name,amount\n1,n1,0.25\n2,n2,0.50\n"));
  ProcessResult in = InDir({"copy", "--source", "CSV", "--source-params", "{\"path\": \"src.csv\"}",
                            "--destination", "POSTGRES", "--destination-params",
                            params + ", \"table\": \"back\"}"});
  ASSERT_EQ(in.exit_code, 0) << in.err;
  EXPECT_EQ(server_.QueryValue("SELECT count(*) FROM back b JOIN src s USING (id) "
                               "WHERE b.name = s.name AND b.amount = s.amount",
                               db_),
            "1000");
}

TEST_F(PostgresPipelineTest, AWrongPasswordFailsAtOnceAndIsNeverPrinted) {
  const std::string wrong = "Wr0ng-Passw0rd-77";
  WriteFile(dir_ / "pipelines/events.sf",
            "SOURCE ev FROM pg OPTIONS {\"table\": \"events\"};\nLOAD events FROM ev;\n");
  std::vector<ProcessResult> runs;
  runs.push_back(InProject(
      {"pipeline", "run", "events", "--verbose", "--metrics-file", "metrics.prom"}, wrong));
  EXPECT_NE(runs.back().exit_code, 0);
  EXPECT_THAT(runs.back().err, HasSubstr("password authentication failed for user \"sqlflow\""));
  EXPECT_THAT(ReadFile(dir_ / "metrics.prom"),
              ::testing::Not(HasSubstr("connector_retries_total{connector_type=\"postgres\"")));
  runs.push_back(InProject({"connect", "test", "pg"}, wrong));
  EXPECT_EQ(runs.back().exit_code, 1);
  runs.push_back(InProject({"pipeline", "compile", "events"}, wrong));
  runs.push_back(InProject({"connect", "list"}, wrong));
  for (const ProcessResult& r : runs) {
    EXPECT_EQ((r.out + r.err).find(wrong), std::string::npos) << r.out << r.err;
  }
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_ / "target")) {
    if (!entry.is_regular_file()) continue;
    EXPECT_EQ(ReadFile(entry.path()).find(wrong), std::string::npos) << entry.path();
  }
}

}  // namespace
}  // namespace sqlflow
