#include "sqlflow/connectors/csv/csv_rejects.h"

#include <fstream>
#include <map>

#include "sqlflow/common/error.h"
#include "sqlflow/connectors/csv/csv_records.h"
#include "sqlflow/connectors/file/atomic_file.h"

namespace sqlflow::csv::internal {
namespace {

constexpr const char* kRejectsSql =
    "SELECT s.file_path, e.line, e.column_idx, e.column_name, e.error_type::VARCHAR, "
    "e.error_message, e.csv_line FROM reject_errors e JOIN reject_scans s "
    "ON e.scan_id = s.scan_id AND e.file_id = s.file_id ORDER BY s.file_path, e.line, "
    "e.column_idx";

/// DuckDB's csv_line may start with the line break that ended the previous row and end with
/// the row's own.
std::string TrimBreaks(const std::string& text) {
  size_t start = text.find_first_not_of("\r\n");
  if (start == std::string::npos) return "";
  size_t end = text.find_last_not_of("\r\n");
  return text.substr(start, end + 1 - start);
}

/// Replace DuckDB's line numbers by the file's, one walk per file.
void MapLines(const CsvDialect& dialect, std::vector<Reject>* rejects) {
  std::map<std::string, std::vector<int64_t>> lines;
  for (const auto& r : *rejects) lines[r.file].push_back(r.line);
  for (auto& [file, wanted] : lines) {
    auto records = FindRecords(file, dialect, wanted);
    for (auto& r : *rejects) {
      if (r.file != file) continue;
      if (auto it = records.find(r.line); it != records.end()) r.line = it->second.physical_line;
    }
  }
}

}  // namespace

std::vector<Reject> CollectRejects(duck::Connection& conn, const CsvDialect& dialect) {
  std::vector<Reject> out;
  for (const auto& row : conn.QueryText(kRejectsSql).rows) {
    Reject r;
    r.file = row[0].value_or("");
    r.line = std::stoll(row[1].value_or("0"));
    r.column_number = std::stoll(row[2].value_or("0"));
    r.column_name = row[3].value_or("");
    r.error_type = row[4].value_or("");
    r.reason = row[5].value_or("");
    r.original_line = TrimBreaks(row[6].value_or(""));
    // Whole-row errors (column counts) name no column.
    if (r.error_type == "TOO MANY COLUMNS" || r.error_type == "MISSING COLUMNS") {
      r.column_number = 0;
      r.column_name.clear();
    }
    out.push_back(std::move(r));
  }
  MapLines(dialect, &out);
  return out;
}

std::string CsvField(const std::string& value) {
  bool quote = value.find_first_of(",\"\r\n") != std::string::npos ||
               (!value.empty() && (value.front() == ' ' || value.back() == ' '));
  if (!quote) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

void WriteQuarantine(const std::string& connector, const std::string& path,
                     const std::vector<Reject>& rejects) {
  file::AtomicFile file(connector, path);
  {
    std::ofstream out(file.temp_path(), std::ios::binary | std::ios::trunc);
    out << "file,line,column_number,column_name,error_type,reason,original_line\n";
    for (const auto& r : rejects) {
      out << CsvField(r.file) << ',' << r.line << ',' << r.column_number << ','
          << CsvField(r.column_name) << ',' << CsvField(r.error_type) << ',' << CsvField(r.reason)
          << ',' << CsvField(r.original_line) << '\n';
    }
    if (!out) {
      throw ConnectorError(connector, "read", "cannot write the quarantine file '" + path + "'");
    }
  }
  file.Commit();
}

}  // namespace sqlflow::csv::internal
