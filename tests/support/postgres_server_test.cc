// The throwaway PostgreSQL cluster: it starts, accepts the test role's password over TCP,
// isolates databases, stops and starts again.
#include "tests/support/postgres_server.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>

namespace sqlflow::testing {
namespace {

// Whether a TCP connection with `password` succeeds, and libpq's message when it does not.
std::string ConnectOverTcp(const PostgresServer& server, const std::string& password) {
  std::string conninfo = "host=127.0.0.1 port=" + std::to_string(server.port()) +
                         " user=sqlflow dbname=sqlflow password=" + password;
  PGconn* conn = PQconnectdb(conninfo.c_str());
  std::string message = PQstatus(conn) == CONNECTION_OK ? "ok" : PQerrorMessage(conn);
  PQfinish(conn);
  return message;
}

TEST(PostgresServerTest, RunsAClusterOfItsOwnWithPasswordAuthenticationOverTcp) {
  PostgresServer& server = PostgresServer::Shared();
  EXPECT_EQ(ConnectOverTcp(server, PostgresServer::kPassword), "ok");
  EXPECT_NE(ConnectOverTcp(server, "wrong").find("password authentication failed"),
            std::string::npos);
  EXPECT_EQ(server.QueryValue("SELECT current_setting('listen_addresses')"), "127.0.0.1");
  EXPECT_EQ(server.QueryValue("SELECT current_setting('port')"), std::to_string(server.port()));
}

TEST(PostgresServerTest, EachDatabaseIsSeparate) {
  PostgresServer& server = PostgresServer::Shared();
  std::string a = server.CreateDatabase();
  std::string b = server.CreateDatabase();
  ASSERT_NE(a, b);
  server.Exec("CREATE TABLE t (x int); INSERT INTO t VALUES (1), (NULL)", a);
  auto rows = server.Query("SELECT x FROM t ORDER BY x", a);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][0], std::optional<std::string>("1"));
  EXPECT_EQ(rows[1][0], std::nullopt);
  EXPECT_EQ(server.QueryValue("SELECT count(*) FROM pg_tables WHERE tablename = 't'", b), "0");
  EXPECT_EQ(server.QueryValue("SELECT tableowner FROM pg_tables WHERE tablename = 't'", a),
            "sqlflow");
}

TEST(PostgresServerTest, StopsAndStartsAgainOnTheSamePort) {
  PostgresServer server;  // Its own cluster: stopping the shared one would disturb others.
  server.Stop();
  EXPECT_NE(ConnectOverTcp(server, PostgresServer::kPassword).find("Connection refused"),
            std::string::npos);
  server.Start();
  EXPECT_EQ(ConnectOverTcp(server, PostgresServer::kPassword), "ok");
}

TEST(PostgresServerTest, UnusedPortRefusesConnections) {
  int port = UnusedPort();
  std::string conninfo = "host=127.0.0.1 connect_timeout=2 port=" + std::to_string(port);
  PGconn* conn = PQconnectdb(conninfo.c_str());
  EXPECT_EQ(PQstatus(conn), CONNECTION_BAD);
  PQfinish(conn);
}

}  // namespace
}  // namespace sqlflow::testing
