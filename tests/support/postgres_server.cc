#include "tests/support/postgres_server.h"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include <libpq-fe.h>
#include <pwd.h>
#include <unistd.h>

#include "tests/support/ports.h"
#include "tests/support/process.h"

namespace sqlflow::testing {

namespace fs = std::filesystem;

namespace {

// The directory of initdb and pg_ctl: $SQLFLOW_PG_BINDIR, else the newest
// /usr/lib/postgresql/<version>/bin.
std::string FindBinDir() {
  std::string forced = EnvOr("SQLFLOW_PG_BINDIR", "");
  if (!forced.empty()) return forced;
  std::string best;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    fs::path bin = entry.path() / "bin";
    if (fs::exists(bin / "initdb") && bin.string() > best) best = bin.string();
  }
  if (best.empty()) {
    throw std::runtime_error(
        "no PostgreSQL server found under /usr/lib/postgresql (run scripts/setup-deps.sh "
        "--test, or set SQLFLOW_PG_BINDIR)");
  }
  return best;
}

// Run a server program; throws with its output when it fails.
void MustRun(const std::vector<std::string>& argv, const std::string& what,
             const fs::path& log = {}) {
  ProcessResult result = RunProcess(argv);
  if (result.exit_code != 0) {
    std::string message = what + " failed (exit " + std::to_string(result.exit_code) +
                          "): " + result.out + result.err;
    if (!log.empty()) message += "\nserver log:\n" + ReadFile(log);
    throw std::runtime_error(message);
  }
}

struct PgConn {
  PGconn* conn;
  ~PgConn() { PQfinish(conn); }
};

}  // namespace

PostgresServer::PostgresServer() : dir_("sqlflow-pg"), bin_dir_(FindBinDir()) {
  if (geteuid() == 0) {
    passwd* pw = getpwnam("postgres");
    if (pw == nullptr) throw std::runtime_error("running as root but there is no user 'postgres'");
    if (chown(dir_.path().c_str(), pw->pw_uid, pw->pw_gid) != 0) {
      throw std::runtime_error("cannot hand " + dir_.path().string() + " to user postgres");
    }
  }
  fs::path data = dir_ / "data";
  MustRun(AsServerUser({bin_dir_ + "/initdb", "-D", data.string(), "-U", "postgres", "--auth=trust",
                        "-E", "UTF8", "--locale=C", "--no-sync"}),
          "initdb");
  // Trust for the superuser on the socket; passwords (SCRAM) for everyone over TCP.
  WriteFile(data / "pg_hba.conf", "local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n");
  for (int attempt = 0;; ++attempt) {
    port_ = UnusedPort();
    try {
      Start();
      break;
    } catch (const std::runtime_error&) {
      if (attempt == 2) throw;  // Someone took the port between the probe and the start.
    }
  }
  Exec(std::string("CREATE ROLE ") + kUser + " LOGIN CREATEDB PASSWORD '" + kPassword + "'",
       "postgres");
  Exec(std::string("CREATE DATABASE ") + kDatabase + " OWNER " + kUser, "postgres");
}

PostgresServer::~PostgresServer() {
  if (running_) {
    RunProcess(AsServerUser(
        {bin_dir_ + "/pg_ctl", "-D", (dir_ / "data").string(), "-m", "immediate", "-w", "stop"}));
  }
}

PostgresServer& PostgresServer::Shared() {
  static auto* server = new PostgresServer();
  static struct Stopper {
    ~Stopper() { delete server; }
  } stopper;
  return *server;
}

std::vector<std::string> PostgresServer::AsServerUser(std::vector<std::string> argv) const {
  if (geteuid() != 0) return argv;
  std::vector<std::string> wrapped = {
      fs::exists("/usr/sbin/runuser") ? "/usr/sbin/runuser" : "/sbin/runuser", "-u", "postgres",
      "--"};
  wrapped.insert(wrapped.end(), argv.begin(), argv.end());
  return wrapped;
}

void PostgresServer::Start() {
  fs::path log = dir_ / "server.log";
  std::string options = "-p " + std::to_string(port_) + " -k " + dir_.path().string() +
                        " -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
                        " -c synchronous_commit=off -c max_connections=50";
  MustRun(AsServerUser({bin_dir_ + "/pg_ctl", "-D", (dir_ / "data").string(), "-l", log.string(),
                        "-w", "-t", "60", "-o", options, "start"}),
          "pg_ctl start", log);
  running_ = true;
}

void PostgresServer::Stop() {
  MustRun(AsServerUser({bin_dir_ + "/pg_ctl", "-D", (dir_ / "data").string(), "-m", "immediate",
                        "-w", "stop"}),
          "pg_ctl stop");
  running_ = false;
}

nlohmann::json PostgresServer::ConnectionParams(const std::string& database) const {
  return {{"host", kHost},
          {"port", port_},
          {"database", database},
          {"username", kUser},
          {"password", kPassword}};
}

std::string PostgresServer::Uri(const std::string& database) const {
  return std::string("postgresql://") + kUser + ":" + kPassword + "@" + kHost + ":" +
         std::to_string(port_) + "/" + database;
}

std::string PostgresServer::CreateDatabase() {
  std::string name = "t" + std::to_string(++databases_);
  Exec("CREATE DATABASE " + name + " OWNER " + kUser, "postgres");
  return name;
}

std::string PostgresServer::AdminConninfo(const std::string& database) const {
  // The superuser for the cluster's own database; the owner of the test databases for them,
  // so what tests create belongs to the role the connectors log in as.
  return "host=" + dir_.path().string() + " port=" + std::to_string(port_) +
         " user=" + (database == "postgres" ? "postgres" : kUser) + " dbname=" + database;
}

void PostgresServer::Exec(const std::string& sql, const std::string& database) const {
  Query(sql, database);
}

std::vector<std::vector<std::optional<std::string>>> PostgresServer::Query(
    const std::string& sql, const std::string& database) const {
  PgConn c{PQconnectdb(AdminConninfo(database).c_str())};
  if (PQstatus(c.conn) != CONNECTION_OK) {
    throw std::runtime_error("cannot connect to the test server: " +
                             std::string(PQerrorMessage(c.conn)));
  }
  PGresult* res = PQexec(c.conn, sql.c_str());
  ExecStatusType status = PQresultStatus(res);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    std::string message = PQresultErrorMessage(res);
    PQclear(res);
    throw std::runtime_error("test server query failed: " + message + "query: " + sql);
  }
  std::vector<std::vector<std::optional<std::string>>> rows;
  for (int r = 0; r < PQntuples(res); ++r) {
    std::vector<std::optional<std::string>> row;
    for (int f = 0; f < PQnfields(res); ++f) {
      if (PQgetisnull(res, r, f)) {
        row.emplace_back(std::nullopt);
      } else {
        row.emplace_back(std::string(PQgetvalue(res, r, f), PQgetlength(res, r, f)));
      }
    }
    rows.push_back(std::move(row));
  }
  PQclear(res);
  return rows;
}

std::string PostgresServer::QueryValue(const std::string& sql, const std::string& database) const {
  auto rows = Query(sql, database);
  if (rows.empty() || rows[0].empty() || !rows[0][0].has_value()) return "";
  return *rows[0][0];
}

}  // namespace sqlflow::testing
