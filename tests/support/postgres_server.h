// A throwaway PostgreSQL cluster for the integration tests: initdb in a temporary directory,
// run as an unprivileged user on a free port of 127.0.0.1, removed afterwards. No test relies
// on a system cluster.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/files.h"
#include "tests/support/ports.h"
#include <nlohmann/json.hpp>

namespace sqlflow::testing {

/// One PostgreSQL server of its own (`initdb` + `pg_ctl`, fsync off). When the tests run as
/// root, the server runs as the `postgres` system user (PostgreSQL refuses root).
///
/// Two roles: the superuser `postgres` and `sqlflow`, which owns the database `sqlflow` and
/// those of CreateDatabase(). Over the unix socket in the cluster directory both log in by
/// trust (what Exec() and Query() use); over TCP on 127.0.0.1 they need their password (what
/// the connectors under test use).
class PostgresServer {
 public:
  /// Create and start a cluster. Throws std::runtime_error with the server log when it cannot.
  PostgresServer();
  /// Stop the server at once (`pg_ctl -m immediate`) and remove its directory.
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  /// The server of this test process, started on first use and stopped at exit.
  static PostgresServer& Shared();

  int port() const { return port_; }
  static constexpr const char* kHost = "127.0.0.1";
  static constexpr const char* kUser = "sqlflow";
  static constexpr const char* kPassword = "pg-test-secret-7f3a";
  static constexpr const char* kDatabase = "sqlflow";

  /// {"host", "port", "database", "username", "password"} for `database` (default: sqlflow).
  nlohmann::json ConnectionParams(const std::string& database = kDatabase) const;
  /// postgresql://sqlflow:PASSWORD@127.0.0.1:PORT/DATABASE
  std::string Uri(const std::string& database = kDatabase) const;

  /// Create a new empty database owned by `sqlflow` and return its name ("t1", "t2", ...), so
  /// tests sharing the server do not see each other's tables.
  std::string CreateDatabase();

  /// Run `sql` (one or more statements) in `database`, as `sqlflow` (as the superuser in the
  /// database `postgres`). Throws
  /// std::runtime_error with the server's message when it fails.
  void Exec(const std::string& sql, const std::string& database = kDatabase) const;
  /// Run one query as Exec() does and return its rows as text (nullopt for NULL).
  std::vector<std::vector<std::optional<std::string>>> Query(
      const std::string& sql, const std::string& database = kDatabase) const;
  /// The first column of the first row of Query() ("" when there is no row or it is NULL).
  std::string QueryValue(const std::string& sql, const std::string& database = kDatabase) const;

  /// Stop the server (immediate); connections fail until Start().
  void Stop();
  /// Start it again on the same port and directory.
  void Start();

 private:
  std::string AdminConninfo(const std::string& database) const;
  std::vector<std::string> AsServerUser(std::vector<std::string> argv) const;

  TempDir dir_;
  std::string bin_dir_;
  int port_ = 0;
  bool running_ = false;
  int databases_ = 0;
};

}  // namespace sqlflow::testing
