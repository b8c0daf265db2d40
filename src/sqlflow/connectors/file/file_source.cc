#include "sqlflow/connectors/file/file_source.h"

#include <chrono>

#include "sqlflow/common/strings.h"
#include "sqlflow/connectors/file/scan_stream.h"

namespace sqlflow::file {
namespace {

/// The canonical name of `name` in `schema`, or "" with a suggestion in `*suggestion`.
std::string FindColumn(const Schema& schema, const std::string& name, std::string* suggestion) {
  int index = schema.FieldIndex(name);
  if (index >= 0) return schema.field(static_cast<size_t>(index)).name;
  std::string near = ClosestMatch(name, schema.names());
  *suggestion = near.empty() ? "" : "; did you mean '" + near + "'?";
  return "";
}

[[noreturn]] void ThrowMissingColumn(const std::string& connector, const std::string& what,
                                     const std::string& name, const std::string& suggestion,
                                     const Schema& schema, const std::string& object) {
  throw SchemaError(connector, "read",
                    what + " '" + name + "' is not a column of '" + object +
                        "' (columns: " + Join(schema.names(), ", ") + ")" + suggestion);
}

}  // namespace

std::string FileListSql(const std::vector<std::string>& files) {
  std::vector<std::string> quoted;
  quoted.reserve(files.size());
  for (const auto& f : files) quoted.push_back(QuoteLiteral(f));
  return "[" + Join(quoted, ", ") + "]";
}

std::vector<std::string> ResolveColumns(const std::string& connector,
                                        const std::vector<std::string>& columns,
                                        const Schema& schema, const std::string& object) {
  std::vector<std::string> out;
  out.reserve(columns.size());
  for (const auto& name : columns) {
    std::string suggestion;
    std::string canonical = FindColumn(schema, name, &suggestion);
    if (canonical.empty()) {
      ThrowMissingColumn(connector, "column", name, suggestion, schema, object);
    }
    out.push_back(std::move(canonical));
  }
  return out;
}

std::string RenderFilters(const std::string& connector, const std::vector<Filter>& filters,
                          const Schema& schema, const std::string& object) {
  std::vector<std::string> terms;
  for (const auto& filter : filters) {
    std::string suggestion;
    std::string column = FindColumn(schema, filter.column, &suggestion);
    if (column.empty()) {
      ThrowMissingColumn(connector, "filter column", filter.column, suggestion, schema, object);
    }
    std::string lhs = QuoteIdentifier(column);
    if (filter.op == FilterOp::kIn) {
      if (filter.values.empty()) {
        terms.push_back("FALSE");  // IN () matches nothing
        continue;
      }
      std::vector<std::string> literals;
      for (const auto& v : filter.values) literals.push_back(v.ToSqlLiteral());
      terms.push_back(lhs + " IN (" + Join(literals, ", ") + ")");
      continue;
    }
    if (filter.values.size() != 1) {
      throw ParameterError(connector, "filters",
                           "filter on '" + filter.column + "' with " + FilterOpSql(filter.op) +
                               " needs exactly one value");
    }
    terms.push_back(lhs + " " + FilterOpSql(filter.op) + " " + filter.values[0].ToSqlLiteral());
  }
  return Join(terms, " AND ");
}

void FileSource::ConfigureFileSource(const ParameterSet& params) {
  path_ = params.GetString("path");
  batch_size_ = params.Has("batch_size") ? params.GetInt("batch_size") : 10000;
}

ResolvedFiles FileSource::Resolve(const std::string& object, const std::string& operation) const {
  return ResolveFiles(name(), operation, object.empty() ? path_ : object, FileExtension(),
                      GlobSkipSuffixes());
}

void FileSource::ThrowIfTransientIo(const duck::DuckError& error,
                                    const std::string& operation) const {
  if (error.type() != DUCKDB_ERROR_IO) return;
  // DuckDB reports the OS error as strerror() text; these may go away on a second try.
  static constexpr const char* kTransient[] = {
      "Input/output error",      "Stale file handle",       "Resource temporarily unavailable",
      "Interrupted system call", "Device or resource busy", "Connection timed out",
      "Too many open files"};
  for (const char* text : kTransient) {
    if (error.message().find(text) != std::string::npos) {
      throw ConnectorError(name(), operation, error.message(), ErrorClass::kTransient);
    }
  }
}

void FileSource::RethrowTranslated(const std::exception_ptr& error, const ScanContext& context) {
  try {
    std::rethrow_exception(error);
  } catch (const duck::DuckError& duck_error) {
    TranslateError(duck_error, context);
    throw;
  }
}

void FileSource::RethrowScanError(const std::exception_ptr& error) {
  RethrowTranslated(error, last_relation_);
}

ScanContext FileSource::Bind(duck::Connection& conn, const std::string& object,
                             const std::string& operation) {
  // The file profile (resilience::DefaultProfile): a short retry of transient I/O errors
  // before any row is read. A missing file is permanent and fails at once
  // (file_source_test FileProfile...).
  return Resilient(operation, "", [&] { return BindOnce(conn, object, operation); });
}

ScanContext FileSource::BindOnce(duck::Connection& conn, const std::string& object,
                                 const std::string& operation) {
  ScanContext context;
  ResolvedFiles resolved = Resolve(object, operation);
  context.files = resolved.paths();
  context.total_bytes = resolved.total_bytes;
  try {
    context.reader_sql = ReaderSql(conn, context.files);
    context.schema = conn.DescribeQuery("SELECT * FROM " + context.reader_sql);
  } catch (const duck::DuckError& error) {
    ThrowIfTransientIo(error, operation);
    RethrowTranslated(std::current_exception(), context);
  }
  return context;
}

std::string FileSource::BuildSelect(const ScanContext& context, const ReadRequest& request) const {
  const std::string object = request.object.empty() ? path_ : request.object;
  std::vector<std::string> wanted = request.columns.empty() ? DefaultColumns() : request.columns;
  std::string select = "*";
  if (!wanted.empty()) {
    std::vector<std::string> quoted;
    for (const auto& c : ResolveColumns(name(), wanted, context.schema, object)) {
      quoted.push_back(QuoteIdentifier(c));
    }
    select = Join(quoted, ", ");
  }
  std::string sql = "SELECT " + select + " FROM " + context.reader_sql;
  std::string where = RenderFilters(name(), request.filters, context.schema, object);
  if (!where.empty()) sql += " WHERE " + where;
  return sql;
}

int64_t FileSource::EffectiveBatchSize(const ReadRequest& request) const {
  return sqlflow::EffectiveBatchSize(request.batch_size, batch_size_);
}

std::vector<std::string> FileSource::Discover() { return Resolve("", "discover").paths(); }

Schema FileSource::GetSchema(const std::string& object) {
  auto db = duck::Database::Open();
  duck::Connection conn(db);
  ScanContext context = Bind(conn, object, "get_schema");
  std::vector<std::string> defaults = DefaultColumns();
  if (defaults.empty()) return context.schema;
  std::vector<Field> fields;
  for (const auto& c : ResolveColumns(name(), defaults, context.schema, object)) {
    fields.push_back(context.schema.field(static_cast<size_t>(context.schema.FieldIndex(c))));
  }
  return Schema(std::move(fields));
}

std::unique_ptr<ChunkStream> FileSource::Read(const ReadRequest& request) {
  const Clock::TimePoint start = clock().Now();
  auto db = duck::Database::Open();
  auto conn = std::make_unique<duck::Connection>(db);
  ScanContext context = Bind(*conn, request.object, "read");
  std::unique_ptr<ChunkStream> inner;
  try {
    std::string sql = BuildSelect(context, request);
    inner = conn->Stream(sql, EffectiveBatchSize(request));  // chunks of exactly batch_size
  } catch (const duck::DuckError&) {
    RethrowTranslated(std::current_exception(), context);
  }
  RecordQueryTime(MillisBetween(start, clock().Now()));
  MarkReady();
  auto on_error = [this, context](const std::exception_ptr& e) {
    RecordFailure();
    RethrowTranslated(e, context);
  };
  auto on_end = [this, context](duck::Connection& c, int64_t rows, int64_t bytes) {
    RecordTransfer(rows, bytes);
    OnScanEnd(c, context);
  };
  return std::make_unique<internal::ScanStream>(std::move(db), std::move(conn), std::move(inner),
                                                context.total_bytes, std::move(on_error),
                                                std::move(on_end));
}

std::optional<std::string> FileSource::DuckDbRelation(const ReadRequest& request) {
  if (!CanPushDown()) return std::nullopt;
  auto db = duck::Database::Open();
  duck::Connection conn(db);
  last_relation_ = Bind(conn, request.object, "read");
  return "(" + BuildSelect(last_relation_, request) + ")";
}

ConnectionTestResult FileSource::TestConnection() {
  const Clock::TimePoint start = clock().Now();
  ConnectionTestResult result;
  try {
    ResolvedFiles files = Resolve("", "test_connection");
    result.success = true;
    result.message = std::to_string(files.files.size()) +
                     (files.files.size() == 1 ? " file" : " files") + " (" +
                     FormatBytes(static_cast<double>(files.total_bytes)) +
                     (files.files.size() == 1 ? ") matches '" : ") match '") + path_ + "'";
    if (!files.skipped_empty.empty()) {
      result.message += "; " + std::to_string(files.skipped_empty.size()) + " empty skipped";
    }
    MarkReady();
  } catch (const std::exception& e) {
    result.success = false;
    result.message = e.what();
  }
  result.response_time_ms = MillisBetween(start, clock().Now());
  RecordConnectionTime(result.response_time_ms);
  return result;
}

}  // namespace sqlflow::file
