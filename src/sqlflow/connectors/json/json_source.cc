#include "sqlflow/common/strings.h"
#include "sqlflow/connectors/json/json_internal.h"

namespace sqlflow::json {
namespace {

/// Whether `error` is DuckDB's "json_read expected records, but got non-record JSON".
bool IsNotRecordsError(const duck::DuckError& error) {
  return error.type() == DUCKDB_ERROR_BINDER &&
         error.message().find("expected records") != std::string::npos;
}

/// Parse the `column_types` object: column → SQL type SQLFlow can represent.
std::map<std::string, std::string> ParseColumnTypes(const std::string& connector,
                                                    const nlohmann::json& object) {
  std::map<std::string, std::string> out;
  std::vector<ParameterProblem> problems;
  for (const auto& [column, type] : object.items()) {
    DataType parsed;
    if (!type.is_string() || !ParseSqlType(type.get<std::string>(), &parsed)) {
      problems.push_back({"column_types",
                          "type of '" + column + "' must be a SQL type such as BIGINT, " +
                              "DECIMAL(12,2), TIMESTAMPTZ, VARCHAR or JSON, got " + type.dump(),
                          ""});
      continue;
    }
    out[column] = parsed.ToSql();
  }
  if (!problems.empty()) throw ParameterError(connector, std::move(problems));
  return out;
}

}  // namespace

void JsonSource::DoConfigure(const ParameterSet& params) {
  column_types_ = params.Has("column_types") ? ParseColumnTypes(name(), params.Get("column_types"))
                                             : std::map<std::string, std::string>{};
  ConfigureFileSource(params);
}

std::vector<JsonColumn> JsonSource::Detect(duck::Connection& conn,
                                           const std::vector<std::string>& files) {
  if (layout_ == JsonLayout::kArray) {
    for (const auto& f : files) CheckArrayClosed(name(), "read", f);
  }
  try {
    return DetectColumns(conn, files, layout_);
  } catch (const duck::DuckError& error) {
    if (!IsNotRecordsError(error)) throw;
  }
  // DuckDB does not say which file holds no objects: the first one it fails on alone.
  for (const auto& f : files) {
    try {
      DetectColumns(conn, {f}, layout_);
    } catch (const duck::DuckError& one) {
      if (IsNotRecordsError(one)) ThrowNotObjects(name(), "read", f, layout_);
      throw;
    }
  }
  ThrowNotObjects(name(), "read", files.front(), layout_);
}

void JsonSource::ApplyColumnTypes(const std::string& file, std::vector<JsonColumn>* columns) const {
  std::vector<Field> fields;
  std::vector<std::string> names;
  for (const auto& [column, type] : *columns) {
    fields.push_back(Field{column, DataType::String()});
    names.push_back(column);
  }
  const Schema keys(std::move(fields));
  std::vector<ParameterProblem> problems;
  for (const auto& [column, type] : column_types_) {
    int index = keys.FieldIndex(column);
    if (index >= 0) {
      (*columns)[static_cast<size_t>(index)].second = type;
      continue;
    }
    std::string near = ClosestMatch(column, names);
    problems.push_back({"column_types",
                        "'" + column + "' is not a key of the records of '" + file +
                            "' (keys: " + Join(names, ", ") + ")",
                        near.empty() ? "" : "did you mean '" + near + "'?"});
  }
  if (!problems.empty()) throw ParameterError(name(), std::move(problems));
}

std::string JsonSource::ReaderSql(duck::Connection& conn, const std::vector<std::string>& files) {
  std::vector<JsonColumn> columns = Detect(conn, files);
  for (auto& column : columns) column.second = ReadableType(column.second);
  ApplyColumnTypes(files.front(), &columns);
  return ReadJsonSql(files, layout_, columns);
}

void JsonSource::TranslateError(const duck::DuckError& error, const file::ScanContext& context) {
  ThrowReadError(name(), "read", error, context.files, layout_);
}

}  // namespace sqlflow::json
