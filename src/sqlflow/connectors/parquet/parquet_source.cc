#include "sqlflow/common/strings.h"
#include "sqlflow/connectors/parquet/parquet_internal.h"

namespace sqlflow::parquet {
namespace {

bool IsNested(const std::string& type) {
  return EndsWith(type, "]") || StartsWith(type, "STRUCT(") || StartsWith(type, "MAP(") ||
         StartsWith(type, "UNION(");
}

/// Types DuckDB reads from Parquet that SQLFlow has no logical type for: read as text.
bool IsTextOnly(const std::string& type) {
  return type == "INTERVAL" || type == "BIT" || type == "TIME WITH TIME ZONE" ||
         type == "UHUGEINT" || type == "VARINT" || type == "BIGNUM";
}

/// The first line of a DuckDB message, without its "Invalid Input Error: " style prefix.
std::string FirstLine(const std::string& message) {
  std::string line = message.substr(0, message.find('\n'));
  size_t colon = line.find("Error: ");
  return colon == std::string::npos ? line : line.substr(colon + 7);
}

}  // namespace

std::string ConvertedColumnSql(const std::string& name, const std::string& duck_type) {
  const std::string quoted = QuoteIdentifier(name);
  if (IsNested(duck_type)) return "to_json(" + quoted + ") AS " + quoted;
  if (IsTextOnly(duck_type)) return "CAST(" + quoted + " AS VARCHAR) AS " + quoted;
  return "";
}

void ParquetSource::DoConfigure(const ParameterSet& params) {
  columns_ = params.Has("columns") ? params.GetStringList("columns") : std::vector<std::string>{};
  ConfigureFileSource(params);
}

std::string ParquetSource::ReaderSql(duck::Connection& conn,
                                     const std::vector<std::string>& files) {
  const std::string reader = "read_parquet(" + file::FileListSql(files) + ")";
  std::vector<std::string> replaced;
  for (const auto& row : conn.QueryText("DESCRIBE SELECT * FROM " + reader).rows) {
    std::string item = ConvertedColumnSql(row[0].value_or(""), row[1].value_or(""));
    if (!item.empty()) replaced.push_back(std::move(item));
  }
  if (replaced.empty()) return reader;
  return "(SELECT * REPLACE (" + Join(replaced, ", ") + ") FROM " + reader + ")";
}

void ParquetSource::TranslateError(const duck::DuckError& error, const file::ScanContext& context) {
  const std::string& message = error.message();
  for (const auto& f : context.files) {
    if (message.find("'" + f + "'") == std::string::npos &&
        message.find("\"" + f + "\"") == std::string::npos) {
      continue;
    }
    DataLocation loc;
    loc.object = f;
    throw DataError(name(), "read", std::move(loc),
                    "not a valid Parquet file (" + FirstLine(message) + ")");
  }
}

}  // namespace sqlflow::parquet
