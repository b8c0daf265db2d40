// One libpq connection with SQLFlow's error classification: statements, prepared
// descriptions, and COPY in both directions. Secrets never reach a message.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sqlflow/params/parameter_validator.h"

typedef struct pg_conn PGconn;
typedef struct pg_result PGresult;
typedef struct pg_cancel PGcancel;

namespace sqlflow::pg {

/// How to reach the server, from a connector's validated parameters.
struct ConnectSettings {
  /// libpq keyword/value pairs (password included; never print them).
  std::vector<std::pair<std::string, std::string>> keywords;
  /// Strings removed from every message (the password, the whole URI and its password).
  std::vector<std::string> secrets;
  /// "user@host:port/database" for messages.
  std::string display;
  /// "host:port": the resilience policy's host (breaker and limiter per server).
  std::string endpoint;
  /// Whether the first dbname is a `connection` URI for libpq to expand (never a database name
  /// that merely contains '=').
  bool expand_uri = false;

  /// From host, port, database, username, password, ssl_mode, connect_timeout,
  /// application_name and `connection` (a postgresql:// URI whose parts the other parameters
  /// override). Without a password libpq looks in ~/.pgpass (PGPASSFILE).
  static ConnectSettings FromParams(const ParameterSet& params);
};

/// A result column: name, type OID and type modifier (-1: none).
struct ResultColumn {
  std::string name;
  uint32_t oid = 0;
  int32_t typmod = -1;
};

/// Owns a PGresult.
class Result {
 public:
  explicit Result(PGresult* result = nullptr) : result_(result) {}
  ~Result();
  Result(Result&& other) noexcept : result_(std::exchange(other.result_, nullptr)) {}
  Result& operator=(Result&& other) noexcept;

  int rows() const;
  /// The text of a value ("" for NULL).
  std::string Get(int row, int column) const;
  /// The rows an INSERT, UPDATE or COPY affected (0 for other statements).
  int64_t AffectedRows() const;
  PGresult* get() const { return result_; }

 private:
  PGresult* result_;
};

/// Throw the SQLFlow error for a PostgreSQL failure with `sqlstate` (RESILIENCE.md): class 08,
/// 57P01-57P03 and 53300 → ConnectionError (transient); 40001 and 40P01 → QueryError
/// (transient); class 28 → AuthenticationError; everything else → QueryError (permanent).
[[noreturn]] void ThrowSqlState(const std::string& connector, std::string_view operation,
                                std::string_view sqlstate, const std::string& message);

/// One connection. Not thread-safe.
class Connection {
 public:
  /// Connect. Throws AuthenticationError for a rejected password or role, ConnectionError
  /// (transient) for a refused, timed-out or overloaded server, QueryError (permanent) for a
  /// missing database; the message names `settings.display`, never the password.
  static std::unique_ptr<Connection> Open(const ConnectSettings& settings,
                                          const std::string& connector, std::string_view operation);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// Run one or more statements (no parameters); throws the classified error.
  void Exec(const std::string& sql, std::string_view operation);
  /// Run one statement with text parameters $1..$n (nullopt = NULL) and return its rows.
  Result Query(const std::string& sql, const std::vector<std::optional<std::string>>& params,
               std::string_view operation);
  /// The result columns of `sql` without running it (prepare + describe).
  std::vector<ResultColumn> Describe(const std::string& sql, std::string_view operation);

  /// Start `COPY ... TO STDOUT`; then call NextCopyData() until it returns false.
  void BeginCopyOut(const std::string& sql, std::string_view operation);
  /// The next block of COPY data (valid until the next call); false at the end of the data,
  /// after checking the COPY succeeded.
  bool NextCopyData(std::string_view* data, std::string_view operation);

  /// Start `COPY ... FROM STDIN`, send blocks with PutCopyData(), then EndCopyIn().
  void BeginCopyIn(const std::string& sql, std::string_view operation);
  void PutCopyData(std::string_view data, std::string_view operation);
  /// Finish the COPY and return the rows the server stored.
  int64_t EndCopyIn(std::string_view operation);
  /// Abandon a COPY IN (the server rolls the statement back); never throws.
  void AbortCopyIn(const std::string& reason) noexcept;

  /// Ask the server to cancel the statement running on this connection. Safe to call from
  /// another thread while this one waits for the server; the statement then fails with
  /// SQLSTATE 57014 (permanent). Never throws.
  void Cancel() const noexcept;

  /// The server's version ("15.18").
  std::string ServerVersion() const;
  /// The server process serving this connection (for pg_terminate_backend in tests).
  int BackendPid() const;
  const std::string& connector() const { return connector_; }

 private:
  Connection(PGconn* conn, std::string connector, std::vector<std::string> secrets);
  [[noreturn]] void ThrowResult(const PGresult* result, std::string_view operation) const;
  [[noreturn]] void ThrowConnectionLost(std::string_view operation) const;
  std::string Redact(std::string message) const;
  static void OnNotice(void* self, const char* message);

  PGconn* conn_;
  PGcancel* cancel_ = nullptr;
  std::string connector_;
  std::vector<std::string> secrets_;
  char* copy_buffer_ = nullptr;
};

}  // namespace sqlflow::pg
