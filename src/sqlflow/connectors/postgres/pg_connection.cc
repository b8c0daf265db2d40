#include "sqlflow/connectors/postgres/pg_connection.h"

#include <libpq-fe.h>

#include "sqlflow/common/error.h"
#include "sqlflow/common/log.h"
#include "sqlflow/common/strings.h"
#include "sqlflow/resilience/classification.h"

namespace sqlflow::pg {

namespace {

// libpq's multi-line messages on one line: "a\n\tb\n" → "a; b".
std::string OneLine(std::string_view message) {
  std::string out;
  while (!message.empty()) {
    size_t end = message.find('\n');
    std::string_view line = Trim(message.substr(0, end));
    message = end == std::string_view::npos ? std::string_view() : message.substr(end + 1);
    if (line.empty()) continue;
    if (!out.empty()) out += "; ";
    out += line;
  }
  return out;
}

bool Contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// The parts of a postgresql:// URI (or key=value string) that name the endpoint, and its
// password.
void DescribeUri(const std::string& uri, std::string* user, std::string* host, std::string* port,
                 std::string* database, std::string* password) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(uri.c_str(), &error);
  if (options == nullptr) {
    PQfreemem(error);
    return;
  }
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val == nullptr) continue;
    std::string_view key = o->keyword;
    if (key == "user") *user = o->val;
    if (key == "host" || (key == "hostaddr" && host->empty())) *host = o->val;
    if (key == "port") *port = o->val;
    if (key == "dbname") *database = o->val;
    if (key == "password") *password = o->val;
  }
  PQconninfoFree(options);
}

}  // namespace

ConnectSettings ConnectSettings::FromParams(const ParameterSet& params) {
  ConnectSettings s;
  std::string user, host, port, database;
  if (params.Has("connection")) {
    std::string uri = params.GetString("connection");
    s.keywords.emplace_back("dbname", uri);  // Expanded by libpq; later keywords win.
    s.expand_uri = true;
    s.secrets.push_back(uri);
    std::string password;
    DescribeUri(uri, &user, &host, &port, &database, &password);
    if (!password.empty()) s.secrets.push_back(password);
  }
  auto set = [&](const char* param, const char* keyword, std::string* shown) {
    if (!params.Has(param)) return;
    std::string value = params.GetString(param);
    s.keywords.emplace_back(keyword, value);
    if (shown != nullptr) *shown = value;
  };
  set("host", "host", &host);
  if (params.Has("port")) {
    port = std::to_string(params.GetInt("port"));
    s.keywords.emplace_back("port", port);
  } else if (!params.Has("connection")) {
    port = "5432";
    s.keywords.emplace_back("port", port);
  }
  set("database", "dbname", &database);
  set("username", "user", &user);
  if (params.Has("password")) {
    std::string password = params.GetString("password");
    s.keywords.emplace_back("password", password);
    if (!password.empty()) s.secrets.push_back(password);
  }
  set("ssl_mode", "sslmode", nullptr);
  if (params.Has("connect_timeout")) {
    s.keywords.emplace_back("connect_timeout", std::to_string(params.GetInt("connect_timeout")));
  }
  set("application_name", "application_name", nullptr);
  s.endpoint = (host.empty() ? "localhost" : host) + (port.empty() ? "" : ":" + port);
  s.display = (user.empty() ? "" : user + "@") + s.endpoint + "/" + database;
  return s;
}

Result::~Result() { PQclear(result_); }

Result& Result::operator=(Result&& other) noexcept {
  if (this != &other) {
    PQclear(result_);
    result_ = std::exchange(other.result_, nullptr);
  }
  return *this;
}

int Result::rows() const { return result_ == nullptr ? 0 : PQntuples(result_); }
std::string Result::Get(int row, int column) const {
  return std::string(PQgetvalue(result_, row, column), PQgetlength(result_, row, column));
}

int64_t Result::AffectedRows() const {
  const char* rows = result_ == nullptr ? nullptr : PQcmdTuples(result_);
  return rows == nullptr || *rows == '\0' ? 0 : std::stoll(rows);
}

void ThrowSqlState(const std::string& connector, std::string_view operation,
                   std::string_view sqlstate, const std::string& message) {
  std::string text = message + " (SQLSTATE " + std::string(sqlstate) + ")";
  switch (resilience::ClassifySqlState(sqlstate)) {
    case ErrorClass::kAuth:
      throw AuthenticationError(connector, std::string(operation), text);
    case ErrorClass::kTransient:
    case ErrorClass::kThrottled:
      if (sqlstate.substr(0, 2) == "40") {
        throw QueryError(connector, std::string(operation), text, ErrorClass::kTransient);
      }
      throw ConnectionError(connector, std::string(operation), text);
    case ErrorClass::kPermanent:
      break;
  }
  throw QueryError(connector, std::string(operation), text);
}

std::unique_ptr<Connection> Connection::Open(const ConnectSettings& settings,
                                             const std::string& connector,
                                             std::string_view operation) {
  std::vector<const char*> keys, values;
  for (const auto& [key, value] : settings.keywords) {
    keys.push_back(key.c_str());
    values.push_back(value.c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  PGconn* conn = PQconnectdbParams(keys.data(), values.data(), settings.expand_uri ? 1 : 0);
  std::unique_ptr<Connection> c(new Connection(conn, connector, settings.secrets));
  if (conn == nullptr)
    throw ConnectionError(connector, std::string(operation), "libpq is out of memory");
  // Server notices ("table ... does not exist, skipping") go to the debug log, not stderr.
  PQsetNoticeProcessor(conn, &Connection::OnNotice, c.get());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string why = c->Redact(OneLine(PQerrorMessage(conn)));
    std::string message = "cannot connect to " + settings.display + ": " + why;
    if (Contains(why, "authentication failed") || Contains(why, "no password supplied") ||
        Contains(why, "pg_hba.conf") ||
        (Contains(why, "role \"") && Contains(why, "does not exist"))) {
      throw AuthenticationError(connector, std::string(operation), message);
    }
    if (Contains(why, "database \"") && Contains(why, "does not exist")) {
      throw ConnectionError(connector, std::string(operation), message, ErrorClass::kPermanent);
    }
    if (Contains(why, "timeout expired"))
      throw TimeoutError(connector, std::string(operation), message);
    throw ConnectionError(connector, std::string(operation), message);
  }
  c->cancel_ = PQgetCancel(conn);
  // Text arrives as UTF-8; literals are quoted for standard_conforming_strings; timestamps
  // leave as UTC; a plain scan reads in physical order from the first block, so a restarted
  // read meets the rows in the same order.
  c->Exec(
      "SET client_encoding = 'UTF8'; SET standard_conforming_strings = on; SET TimeZone = 'UTC'; "
      "SET IntervalStyle = 'postgres'; SET synchronize_seqscans = off",
      operation);
  return c;
}

Connection::Connection(PGconn* conn, std::string connector, std::vector<std::string> secrets)
    : conn_(conn), connector_(std::move(connector)), secrets_(std::move(secrets)) {}

Connection::~Connection() {
  if (copy_buffer_ != nullptr) PQfreemem(copy_buffer_);
  if (cancel_ != nullptr) PQfreeCancel(cancel_);
  PQfinish(conn_);
}

std::string Connection::Redact(std::string message) const {
  for (const std::string& secret : secrets_) {
    for (size_t at = message.find(secret); at != std::string::npos; at = message.find(secret, at)) {
      message.replace(at, secret.size(), "***");
    }
  }
  return message;
}

void Connection::OnNotice(void* self, const char* message) {
  const auto* c = static_cast<const Connection*>(self);
  log::Debug("{}: server notice: {}", c->connector_, c->Redact(OneLine(message)));
}

void Connection::ThrowConnectionLost(std::string_view operation) const {
  throw ConnectionError(
      connector_, std::string(operation),
      "lost the connection to the server: " + Redact(OneLine(PQerrorMessage(conn_))));
}

void Connection::ThrowResult(const PGresult* result, std::string_view operation) const {
  const char* state = result == nullptr ? nullptr : PQresultErrorField(result, PG_DIAG_SQLSTATE);
  if (state == nullptr) {
    if (PQstatus(conn_) == CONNECTION_BAD) ThrowConnectionLost(operation);
    throw QueryError(
        connector_, std::string(operation),
        Redact(OneLine(result == nullptr ? PQerrorMessage(conn_) : PQresultErrorMessage(result))));
  }
  std::string message = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
  if (const char* detail = PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL)) {
    message += std::string(" (") + detail + ")";
  }
  if (const char* hint = PQresultErrorField(result, PG_DIAG_MESSAGE_HINT)) {
    message += std::string("; hint: ") + hint;
  }
  ThrowSqlState(connector_, operation, state, Redact(OneLine(message)));
}

void Connection::Exec(const std::string& sql, std::string_view operation) {
  Result result(PQexec(conn_, sql.c_str()));
  ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    ThrowResult(result.get(), operation);
  }
}

Result Connection::Query(const std::string& sql,
                         const std::vector<std::optional<std::string>>& params,
                         std::string_view operation) {
  std::vector<const char*> values;
  for (const auto& p : params) values.push_back(p.has_value() ? p->c_str() : nullptr);
  Result result(PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                             values.data(), nullptr, nullptr, 0));
  ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    ThrowResult(result.get(), operation);
  }
  return result;
}

std::vector<ResultColumn> Connection::Describe(const std::string& sql, std::string_view operation) {
  Result prepared(PQprepare(conn_, "", sql.c_str(), 0, nullptr));
  if (PQresultStatus(prepared.get()) != PGRES_COMMAND_OK) ThrowResult(prepared.get(), operation);
  Result described(PQdescribePrepared(conn_, ""));
  if (PQresultStatus(described.get()) != PGRES_COMMAND_OK) {
    ThrowResult(described.get(), operation);
  }
  std::vector<ResultColumn> columns;
  for (int i = 0; i < PQnfields(described.get()); ++i) {
    columns.push_back(
        {PQfname(described.get(), i), PQftype(described.get(), i), PQfmod(described.get(), i)});
  }
  return columns;
}

void Connection::BeginCopyOut(const std::string& sql, std::string_view operation) {
  Result result(PQexec(conn_, sql.c_str()));
  if (PQresultStatus(result.get()) != PGRES_COPY_OUT) ThrowResult(result.get(), operation);
}

bool Connection::NextCopyData(std::string_view* data, std::string_view operation) {
  if (copy_buffer_ != nullptr) {
    PQfreemem(copy_buffer_);
    copy_buffer_ = nullptr;
  }
  int n = PQgetCopyData(conn_, &copy_buffer_, 0);
  if (n > 0) {
    *data = std::string_view(copy_buffer_, static_cast<size_t>(n));
    return true;
  }
  // -1: the COPY ended (its result tells whether it succeeded); -2: an error.
  Result result(PQgetResult(conn_));
  if (n == -1 && PQresultStatus(result.get()) == PGRES_COMMAND_OK) {
    while (PGresult* rest = PQgetResult(conn_)) PQclear(rest);
    return false;
  }
  ThrowResult(result.get(), operation);
}

void Connection::BeginCopyIn(const std::string& sql, std::string_view operation) {
  Result result(PQexec(conn_, sql.c_str()));
  if (PQresultStatus(result.get()) != PGRES_COPY_IN) ThrowResult(result.get(), operation);
}

void Connection::PutCopyData(std::string_view data, std::string_view operation) {
  if (PQputCopyData(conn_, data.data(), static_cast<int>(data.size())) != 1) {
    Result result(PQgetResult(conn_));
    ThrowResult(result.get(), operation);
  }
}

int64_t Connection::EndCopyIn(std::string_view operation) {
  if (PQputCopyEnd(conn_, nullptr) != 1) ThrowConnectionLost(operation);
  Result result(PQgetResult(conn_));
  while (PGresult* rest = PQgetResult(conn_)) PQclear(rest);
  if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) ThrowResult(result.get(), operation);
  return result.AffectedRows();
}

void Connection::AbortCopyIn(const std::string& reason) noexcept {
  if (PQputCopyEnd(conn_, reason.c_str()) == 1) {
    while (PGresult* rest = PQgetResult(conn_)) PQclear(rest);
  }
}

std::string Connection::ServerVersion() const {
  const char* v = PQparameterStatus(conn_, "server_version");
  return v == nullptr ? "" : v;
}

void Connection::Cancel() const noexcept {
  char error[256];
  if (cancel_ != nullptr) PQcancel(cancel_, error, sizeof error);
}

int Connection::BackendPid() const { return PQbackendPID(conn_); }

}  // namespace sqlflow::pg
