#include "sqlflow/connectors/csv/csv_destination.h"

#include "sqlflow/common/strings.h"
#include "sqlflow/connectors/csv/csv_connector.h"
#include "sqlflow/connectors/csv/csv_reader.h"
#include "sqlflow/connectors/csv/csv_source.h"

namespace sqlflow::csv {

void CsvDestination::DoConfigure(const ParameterSet& params) {
  options_ = ParseDestinationOptions(name(), params);
  ConfigureFileDestination(params);
}

std::string CsvDestination::CopyOptionsSql() const {
  const CsvDestinationOptions& o = options_;
  return "FORMAT csv, DELIMITER " + QuoteLiteral(std::string(1, o.delimiter)) + ", HEADER " +
         (o.has_header ? "true" : "false") + ", QUOTE " + QuoteLiteral(o.quote) + ", ESCAPE " +
         QuoteLiteral(o.quote) + ", NULLSTR " + QuoteLiteral(o.null_value) + ", COMPRESSION " +
         QuoteLiteral(o.compression);
}

file::ExistingFile CsvDestination::ReadExisting(duck::Connection& conn, const std::string& path,
                                                const Schema& incoming) {
  CsvDialect dialect;
  dialect.delimiter = options_.delimiter;
  dialect.quote = options_.quote;
  dialect.escape = options_.quote;
  dialect.has_header = options_.has_header;
  dialect.null_values = {options_.null_value};
  dialect.compression = options_.compression;
  internal::CsvLayout layout = internal::DetectLayout(conn, path, dialect);
  if (!options_.has_header) {
    if (layout.columns.size() != incoming.num_fields()) {
      throw SchemaError(name(), "write",
                        "'" + path + "' has no header and " +
                            std::to_string(layout.columns.size()) + " columns, the input has " +
                            std::to_string(incoming.num_fields()) +
                            ": a file without a header is appended to by position");
    }
    for (size_t i = 0; i < layout.columns.size(); ++i) {
      layout.columns[i].first = incoming.field(i).name;
    }
  }
  file::ExistingFile existing;
  existing.text = true;
  std::vector<Field> fields;
  for (auto& [column, type] : layout.columns) {
    DataType parsed;
    if (!ParseSqlType(type, &parsed)) parsed = DataType::String();
    fields.push_back(Field{column, parsed});
    type = "VARCHAR";
  }
  existing.schema = Schema(std::move(fields));
  existing.reader_sql = internal::ReadCsvSql({path}, dialect, layout, false);
  return existing;
}

}  // namespace sqlflow::csv
