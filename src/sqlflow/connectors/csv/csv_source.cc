#include "sqlflow/connectors/csv/csv_source.h"

#include "sqlflow/common/log.h"
#include "sqlflow/connectors/csv/csv_connector.h"
#include "sqlflow/connectors/csv/csv_errors.h"
#include "sqlflow/connectors/csv/csv_reader.h"
#include "sqlflow/connectors/csv/csv_rejects.h"

namespace sqlflow::csv {

void CsvSource::DoConfigure(const ParameterSet& params) {
  options_ = ParseSourceOptions(name(), params);
  ConfigureFileSource(params);
}

std::string CsvSource::ReaderSql(duck::Connection& conn, const std::vector<std::string>& files) {
  const CsvDialect& dialect = options_.dialect;
  internal::CsvLayout layout = internal::DetectLayout(conn, files.front(), dialect);
  internal::ApplyColumnTypes(name(), options_.column_types, files.front(), &layout);
  internal::CheckSameHeaders(name(), files, dialect);
  return internal::ReadCsvSql(files, dialect, layout, options_.on_error != OnError::kFail);
}

void CsvSource::TranslateError(const duck::DuckError& error, const file::ScanContext& context) {
  auto parsed = internal::ParseDuckCsvError(error.message());
  if (!parsed) return;
  throw internal::MakeCsvDataError(name(), "read", *parsed, context.files, context.schema,
                                   options_.dialect);
}

std::string CsvSource::QuarantinePath(const file::ScanContext& context) const {
  if (!options_.quarantine_path.empty()) return options_.quarantine_path;
  return context.files.front() + ".rejected.csv";
}

void CsvSource::OnScanEnd(duck::Connection& conn, const file::ScanContext& context) {
  if (options_.on_error == OnError::kFail) return;
  std::vector<internal::Reject> rejects = internal::CollectRejects(conn, options_.dialect);
  if (options_.on_error == OnError::kQuarantine) {
    const std::string path = QuarantinePath(context);
    internal::WriteQuarantine(name(), path, rejects);
    if (!rejects.empty()) {
      log::Warning("{} read: quarantined {} rejected rows to '{}'", name(), rejects.size(), path);
    }
    return;
  }
  if (rejects.empty()) return;
  const internal::Reject& first = rejects.front();
  log::Warning(
      "{} read: skipped {} rejected rows (see {}:{}: {}; set on_error: quarantine to "
      "keep them)",
      name(), rejects.size(), first.file, first.line, first.reason);
}

}  // namespace sqlflow::csv
