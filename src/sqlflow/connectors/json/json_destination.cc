#include "sqlflow/common/strings.h"
#include "sqlflow/connectors/json/json_internal.h"

namespace sqlflow::json {
namespace {

/// A relation of no rows with the columns of `schema`.
std::string EmptyRelationSql(const Schema& schema) {
  std::vector<std::string> items;
  for (const auto& field : schema.fields()) {
    items.push_back("CAST(NULL AS " + field.type.ToSql() + ") AS " + QuoteIdentifier(field.name));
  }
  return "(SELECT " + Join(items, ", ") + " LIMIT 0)";
}

}  // namespace

void JsonDestination::DoConfigure(const ParameterSet& params) { ConfigureFileDestination(params); }

std::string JsonDestination::CopyOptionsSql() const {
  return layout_ == JsonLayout::kArray ? "FORMAT json, ARRAY true" : "FORMAT json";
}

std::string JsonDestination::ExistingColumnType(const std::string& column,
                                                const std::string& detected, const Schema& incoming,
                                                const std::string& path) const {
  const std::string readable = ReadableType(detected);
  int index = incoming.FieldIndex(column);
  if (index < 0) return readable;
  const DataType& want = incoming.field(static_cast<size_t>(index)).type;
  if (IsNestedType(detected)) {
    if (want.id() == TypeId::kJson) return readable;
    throw SchemaError(name(), "write",
                      "column '" + column + "' holds JSON objects or arrays in '" + path +
                          "' but is " + want.ToSql() +
                          " in the input: cast it to JSON in the query or write with mode "
                          "replace");
  }
  // JSON has no types of its own: text (a timestamp, a decimal written as a string), keys
  // without one scalar type (or only nulls) and numbers of any kind take the input's type.
  DataType have;
  if (readable == "JSON" || readable == "VARCHAR" ||
      (ParseSqlType(readable, &have) && FamilyOf(have) == FamilyOf(want))) {
    return want.ToSql();
  }
  return readable;  // a real conflict: CheckAppendCompatible names it
}

file::ExistingFile JsonDestination::ReadExisting(duck::Connection& conn, const std::string& path,
                                                 const Schema& incoming) {
  file::ExistingFile existing;
  if (HoldsNoRecords(path, layout_)) {
    existing.schema = incoming;
    existing.reader_sql = EmptyRelationSql(incoming);
    return existing;
  }
  if (layout_ == JsonLayout::kArray) CheckArrayClosed(name(), "write", path);
  std::vector<JsonColumn> columns = DetectColumns(conn, {path}, layout_);
  std::vector<Field> fields;
  for (auto& [column, type] : columns) {
    type = ExistingColumnType(column, type, incoming, path);
    DataType parsed = DataType::Json();
    ParseSqlType(type, &parsed);
    fields.push_back(Field{column, parsed});
  }
  existing.schema = Schema(std::move(fields));
  existing.reader_sql = ReadJsonSql({path}, layout_, columns);
  return existing;
}

}  // namespace sqlflow::json
