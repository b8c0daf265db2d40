#include "sqlflow/connectors/csv/csv_options.h"

#include "sqlflow/common/log.h"
#include "sqlflow/common/strings.h"
#include "sqlflow/connectors/file/file_spec.h"

namespace sqlflow::csv {
namespace {

ParamSpec DelimiterParam() {
  return MakeParam("delimiter", ParamType::kString, ",", "Field separator: one character, or \\t");
}

ParamSpec MaxLineSizeParam() {
  // DuckDB's own default (2 MiB, CsvDialect). Limits above 4 MiB mean larger read buffers
  // (csv_reader.h, BufferSize), and DuckDB keeps one per out-of-order batch while preserving
  // row order: with a 16 MiB limit, peak memory of a CSV → Parquet copy was measured growing
  // with the file (578 → 793 MiB from 5M to 10M rows); with 2 MiB it stays near 185 MiB for
  // both (docs/BENCHMARKS.md). A longer line is a DataError that says to raise it.
  ParamSpec p = MakeParam("max_line_size", ParamType::kInteger, CsvDialect{}.max_line_size,
                          "Longest line (record) in bytes");
  p.minimum = 1024;
  p.maximum = static_cast<double>(int64_t{1} << 30);
  return p;
}

/// has_header, also accepted as `header` (the Python SQLFlow's and DuckDB's spelling).
ParamSpec HeaderParam(std::string description) {
  ParamSpec spec = StandardParam("has_header", std::move(description));
  spec.aliases.push_back("header");
  return spec;
}

ConnectorSpec MakeSourceSpec() {
  return file::MakeFileSourceSpec(
      "CSV", "Read CSV/TSV files (a file or a glob) with DuckDB's CSV reader.",
      "CSV file or glob of files with the same columns ('data/*.csv')",
      {
          DelimiterParam(),
          HeaderParam("The first line holds the column names"),
          MakeParam("encoding", ParamType::kString, "utf-8", "Character encoding of the file",
                    {"utf-8", "latin-1"}),
          MakeParam("quote", ParamType::kString, "\"", "Quote character; \"\" disables quoting"),
          MakeParam("escape", ParamType::kString, std::nullopt,
                    "Escape character inside quotes (default: the quote character)"),
          MakeParam("null_values", ParamType::kStringList, nlohmann::json::array({""}),
                    "Unquoted values read as NULL"),
          MakeParam("column_types", ParamType::kObject, std::nullopt,
                    "Column name to SQL type ({\"zip\": \"VARCHAR\"}), overriding type detection"),
          MakeParam("on_error", ParamType::kString, "fail",
                    "Bad rows: fail, skip (with a warning) or quarantine (to a side file)",
                    {"fail", "skip", "quarantine"}),
          MakeParam("quarantine_path", ParamType::kString, std::nullopt,
                    "Side file for on_error: quarantine (default: <first file>.rejected.csv)"),
          MaxLineSizeParam(),
      });
}

ConnectorSpec MakeDestinationSpec() {
  return file::MakeFileDestinationSpec(
      "CSV", "Write a CSV/TSV file with DuckDB's CSV writer, atomically.",
      "CSV file to write (its directory must exist)",
      {
          DelimiterParam(),
          HeaderParam("Write a header line with the column names"),
          MakeParam("quote", ParamType::kString, "\"", "Quote character for values that need it"),
          MakeParam("null_value", ParamType::kString, "", "Text written for NULL"),
          MakeParam("compression", ParamType::kString, "none", "Compression of the written file",
                    {"none", "gzip", "zstd"}),
      });
}

/// Parse a delimiter: one character or the two characters "\t".
bool ParseDelimiter(const std::string& text, char* out) {
  if (text == "\\t") {
    *out = '\t';
    return true;
  }
  if (text.size() != 1 || text[0] == '\n' || text[0] == '\r') return false;
  *out = text[0];
  return true;
}

void CheckDelimiterAndQuote(const std::string& delimiter, const std::string& quote, char* out,
                            std::vector<ParameterProblem>* problems) {
  if (!ParseDelimiter(delimiter, out)) {
    problems->push_back(
        {"delimiter", "must be one character (or \\t for tab), got '" + delimiter + "'", ""});
  }
  if (quote.size() > 1) {
    problems->push_back({"quote", "must be one character or \"\", got '" + quote + "'", ""});
  } else if (quote.size() == 1 && quote[0] == *out) {
    problems->push_back({"quote", "must differ from the delimiter", ""});
  }
}

std::map<std::string, std::string> ParseColumnTypes(const nlohmann::json& object,
                                                    std::vector<ParameterProblem>* problems) {
  std::map<std::string, std::string> out;
  for (const auto& [column, type] : object.items()) {
    DataType parsed;
    if (!type.is_string() || !ParseSqlType(type.get<std::string>(), &parsed)) {
      problems->push_back({"column_types",
                           "type of '" + column + "' must be a SQL type such as BIGINT, " +
                               "DOUBLE, DECIMAL(12,2), DATE, TIMESTAMP or VARCHAR, got " +
                               type.dump(),
                           ""});
      continue;
    }
    out[column] = type.get<std::string>();
  }
  return out;
}

}  // namespace

const ConnectorSpec& CsvSourceSpec() {
  static const ConnectorSpec spec = MakeSourceSpec();
  return spec;
}

const ConnectorSpec& CsvDestinationSpec() {
  static const ConnectorSpec spec = MakeDestinationSpec();
  return spec;
}

CsvSourceOptions ParseSourceOptions(const std::string& connector, const ParameterSet& params) {
  std::vector<ParameterProblem> problems;
  CsvSourceOptions o;
  CsvDialect& d = o.dialect;
  d.quote = params.GetString("quote");
  CheckDelimiterAndQuote(params.GetString("delimiter"), d.quote, &d.delimiter, &problems);
  d.escape = params.GetOptionalString("escape").value_or(d.quote);
  if (d.escape.size() > 1) {
    problems.push_back({"escape", "must be one character or \"\", got '" + d.escape + "'", ""});
  }
  d.has_header = params.GetBool("has_header");
  d.encoding = params.GetString("encoding");
  d.null_values = params.GetStringList("null_values");
  d.max_line_size = params.GetInt("max_line_size");
  if (params.Has("column_types"))
    o.column_types = ParseColumnTypes(params.Get("column_types"), &problems);
  std::string on_error = params.GetString("on_error");
  o.on_error = on_error == "skip"         ? OnError::kSkip
               : on_error == "quarantine" ? OnError::kQuarantine
                                          : OnError::kFail;
  o.quarantine_path = params.GetOptionalString("quarantine_path").value_or("");
  if (!o.quarantine_path.empty() && o.on_error != OnError::kQuarantine) {
    log::Warning("{}: quarantine_path is ignored unless on_error is 'quarantine'", connector);
  }
  if (!problems.empty()) throw ParameterError(connector, std::move(problems));
  return o;
}

CsvDestinationOptions ParseDestinationOptions(const std::string& connector,
                                              const ParameterSet& params) {
  std::vector<ParameterProblem> problems;
  CsvDestinationOptions o;
  o.quote = params.GetString("quote");
  CheckDelimiterAndQuote(params.GetString("delimiter"), o.quote, &o.delimiter, &problems);
  if (o.quote.empty()) {
    problems.push_back({"quote",
                        "must be one character: values holding the delimiter or a "
                        "line break need quotes",
                        ""});
  }
  o.has_header = params.GetBool("has_header");
  o.null_value = params.GetString("null_value");
  o.compression = params.GetString("compression");
  if (!problems.empty()) throw ParameterError(connector, std::move(problems));
  return o;
}

}  // namespace sqlflow::csv
