#include "sqlflow/connectors/csv/csv_reader.h"

#include <algorithm>

#include "sqlflow/common/strings.h"
#include "sqlflow/connectors/csv/csv_records.h"
#include "sqlflow/connectors/file/file_source.h"

#include <nlohmann/json.hpp>

namespace sqlflow::csv::internal {
namespace {

/// The layout from the header read by our own walker, all columns VARCHAR.
CsvLayout HeaderLayout(const std::vector<std::string>& header, bool has_header) {
  CsvLayout layout;
  for (size_t i = 0; i < header.size(); ++i) {
    std::string name = has_header ? header[i] : "column" + std::to_string(i);
    layout.columns.emplace_back(std::move(name), "VARCHAR");
  }
  return layout;
}

}  // namespace

int64_t BufferSize(int64_t max_line_size) {
  return std::max<int64_t>(int64_t{8} << 20, 2 * max_line_size);
}

std::string DialectSql(const CsvDialect& d) {
  std::vector<std::string> nulls;
  for (const auto& n : d.null_values) nulls.push_back(QuoteLiteral(n));
  std::string sql = "delim=" + QuoteLiteral(std::string(1, d.delimiter)) +
                    ", quote=" + QuoteLiteral(d.quote) + ", escape=" + QuoteLiteral(d.escape) +
                    ", header=" + (d.has_header ? "true" : "false") +
                    ", encoding=" + QuoteLiteral(d.encoding) + ", nullstr=[" + Join(nulls, ", ") +
                    "], allow_quoted_nulls=false, comment='', skip=0, strict_mode=true" +
                    ", null_padding=false, max_line_size=" + std::to_string(d.max_line_size) +
                    ", buffer_size=" + std::to_string(BufferSize(d.max_line_size));
  if (d.compression != "auto") sql += ", compression=" + QuoteLiteral(d.compression);
  return sql;
}

CsvLayout DetectLayout(duck::Connection& conn, const std::string& file, const CsvDialect& d) {
  std::string sql =
      "SELECT to_json(Columns)::VARCHAR, DateFormat, TimestampFormat FROM sniff_csv(" +
      QuoteLiteral(file) + ", " + DialectSql(d) + ", ignore_errors=true)";
  try {
    auto result = conn.QueryText(sql);
    CsvLayout layout;
    if (result.rows.empty() || !result.rows[0][0]) return layout;
    for (const auto& column : nlohmann::json::parse(*result.rows[0][0])) {
      layout.columns.emplace_back(column.at("name").get<std::string>(),
                                  column.at("type").get<std::string>());
    }
    layout.date_format = result.rows[0][1].value_or("");
    layout.timestamp_format = result.rows[0][2].value_or("");
    return layout;
  } catch (const duck::DuckError&) {
    auto header = ReadFirstRecord(file, d);
    if (!header || header->empty()) throw;
    return HeaderLayout(*header, d.has_header);
  }
}

void ApplyColumnTypes(const std::string& connector, const std::map<std::string, std::string>& types,
                      const std::string& file, CsvLayout* layout) {
  std::vector<std::string> names;
  for (const auto& [name, type] : layout->columns) names.push_back(name);
  Schema schema([&] {
    std::vector<Field> fields;
    for (const auto& n : names) fields.push_back(Field{n, DataType::String()});
    return fields;
  }());
  std::vector<ParameterProblem> problems;
  for (const auto& [column, type] : types) {
    int index = schema.FieldIndex(column);
    if (index < 0) {
      std::string near = ClosestMatch(column, names);
      problems.push_back({"column_types",
                          "'" + column + "' is not a column of '" + file +
                              "' (columns: " + Join(names, ", ") + ")",
                          near.empty() ? "" : "did you mean '" + near + "'?"});
      continue;
    }
    layout->columns[static_cast<size_t>(index)].second = type;
  }
  if (!problems.empty()) throw ParameterError(connector, std::move(problems));
}

void CheckSameHeaders(const std::string& connector, const std::vector<std::string>& files,
                      const CsvDialect& dialect) {
  if (files.size() < 2 || !dialect.has_header) return;
  auto first = ReadFirstRecord(files[0], dialect);
  if (!first) return;
  for (size_t i = 1; i < files.size(); ++i) {
    auto header = ReadFirstRecord(files[i], dialect);
    if (!header || *header == *first) continue;
    throw SchemaError(connector, "read",
                      "'" + files[i] + "' has the columns (" + Join(*header, ", ") + ") but '" +
                          files[0] + "' has (" + Join(*first, ", ") +
                          "): the files of one path must have the same columns");
  }
}

std::string ReadCsvSql(const std::vector<std::string>& files, const CsvDialect& dialect,
                       const CsvLayout& layout, bool store_rejects) {
  std::vector<std::string> columns;
  for (const auto& [name, type] : layout.columns) {
    columns.push_back(QuoteLiteral(name) + ": " + QuoteLiteral(type));
  }
  std::string sql = "read_csv(" + file::FileListSql(files) + ", auto_detect=false, columns={" +
                    Join(columns, ", ") + "}, " + DialectSql(dialect);
  if (!layout.date_format.empty()) sql += ", dateformat=" + QuoteLiteral(layout.date_format);
  if (!layout.timestamp_format.empty()) {
    sql += ", timestampformat=" + QuoteLiteral(layout.timestamp_format);
  }
  if (store_rejects) sql += ", store_rejects=true";
  return sql + ")";
}

}  // namespace sqlflow::csv::internal
