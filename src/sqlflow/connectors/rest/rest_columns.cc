// Column inference and row shaping of the REST records collector.

#include <fmt/format.h>

#include "sqlflow/common/error.h"
#include "sqlflow/common/strings.h"
#include "sqlflow/connectors/rest/rest_columns_internal.h"
#include "sqlflow/connectors/rest/rest_json_internal.h"
#include "sqlflow/data/value.h"

namespace sqlflow::rest::internal {

using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

DataType TypeOfKinds(uint32_t kinds) {
  if ((kinds & (kKindJson | kKindFlat)) != 0) return DataType::Json();
  switch (kinds) {
    case 0:
      return DataType::String();  // Only nulls or absent.
    case kKindBool:
      return DataType::Boolean();
    case kKindInt:
      return DataType::Int64();
    case kKindDouble:
    case kKindInt | kKindDouble:
      return DataType::Float64();
    case kKindDate:
      return DataType::Date();
    case kKindTsTz:
      return DataType::Timestamp("UTC");
    case kKindTs:
      return DataType::Timestamp();
    default:
      return DataType::String();  // Mixed kinds, big numbers, other text.
  }
}

RecordShaper::RecordShaper(std::string connector, bool flatten)
    : connector_(std::move(connector)), flatten_(flatten), nodes_(1) {}

int32_t RecordShaper::Child(int32_t node, std::string_view key) {
  auto& children = nodes_[static_cast<size_t>(node)].children;
  auto it = children.find(key);
  if (it != children.end()) return it->second;
  auto index = static_cast<int32_t>(nodes_.size());
  // Insert before growing nodes_: the reference into the map would dangle afterwards.
  children.emplace(std::string(key), index);
  nodes_.emplace_back();
  return index;
}

std::string RecordShaper::NewColumnName() {
  std::string base = Join(std::vector<std::string>(path_.begin(), path_.end()), "__");
  if (base.empty()) base = "_";
  // DuckDB compares column names ignoring case, so "ID" and "id" collide too.
  std::string name = base;
  for (int n = 2; names_lower_.contains(ToLower(name)); ++n) name = fmt::format("{}_{}", base, n);
  names_lower_.insert(ToLower(name));
  return name;
}

int32_t RecordShaper::ColumnOf(int32_t node) {
  Node& n = nodes_[static_cast<size_t>(node)];
  if (n.column >= 0) return n.column;
  n.column = static_cast<int32_t>(columns_.size());
  columns_.push_back({NewColumnName(), n.flattened ? uint32_t{kKindFlat} : 0u});
  return n.column;
}

void RecordShaper::Fold(object record) { FoldObject(0, record); }

void RecordShaper::FoldObject(int32_t node, object object) {
  for (auto field : object) {
    path_.push_back(field.key);
    FoldValue(Child(node, field.key), field.value);
    path_.pop_back();
  }
}

void RecordShaper::FoldValue(int32_t node, element value) {
  if (flatten_ && value.is_object()) {
    object child = value.get_object().value_unsafe();
    if (child.size() == 0) return;  // An empty object contributes nothing.
    Node& n = nodes_[static_cast<size_t>(node)];
    n.flattened = true;
    if (n.column >= 0) columns_[static_cast<size_t>(n.column)].kinds |= kKindFlat;
    FoldObject(node, child);
    return;
  }
  int32_t column = ColumnOf(node);
  if (!value.is_null()) columns_[static_cast<size_t>(column)].kinds |= ClassifyScalar(value);
}

Schema RecordShaper::MakeSchema() const {
  std::vector<Field> fields;
  fields.reserve(columns_.size());
  for (const ColumnInfo& c : columns_) fields.push_back({c.name, TypeOfKinds(c.kinds), true});
  return Schema(std::move(fields));
}

void RecordShaper::PlaceObject(int32_t node, object object) {
  for (auto field : object) {
    auto& children = nodes_[static_cast<size_t>(node)].children;
    auto it = children.find(field.key);
    if (it == children.end()) continue;  // Not folded: cannot happen after Fold.
    const Node& child = nodes_[static_cast<size_t>(it->second)];
    if (flatten_ && field.value.is_object()) {
      PlaceObject(it->second, field.value.get_object().value_unsafe());
    } else if (child.column >= 0) {
      row_[static_cast<size_t>(child.column)] = field.value;
    }
  }
}

void RecordShaper::AppendRecord(object record, ChunkBuilder* builder) {
  row_.assign(columns_.size(), std::nullopt);
  PlaceObject(0, record);
  for (size_t i = 0; i < columns_.size(); ++i) {
    ColumnBuilder& column = builder->column(i);
    if (!row_[i] || row_[i]->is_null()) {
      column.AppendNull();
    } else {
      AppendValue(i, *row_[i], &column);
    }
  }
}

void RecordShaper::AppendValue(size_t i, element value, ColumnBuilder* builder) {
  bool ok = true;
  switch (builder->type().id()) {
    case TypeId::kJson:
      builder->AppendString(JsonText(value));
      break;
    case TypeId::kString:
      builder->AppendString(ScalarText(value));
      break;
    case TypeId::kBoolean:
      builder->AppendBool(value.get_bool().value_unsafe());
      break;
    case TypeId::kInt64:
      builder->AppendInt(value.get_int64().value_unsafe());
      break;
    case TypeId::kFloat64: {
      double d = 0;
      ok = value.get_double().get(d) == simdjson::SUCCESS;
      if (ok) builder->AppendDouble(d);
      break;
    }
    case TypeId::kDate: {
      int32_t days = 0;
      ok = ParseDate(value.get_string().value_unsafe(), &days);
      if (ok) builder->AppendInt(days);
      break;
    }
    default: {  // Timestamps, with or without zone.
      int64_t micros = 0;
      ok = ParseTimestamp(value.get_string().value_unsafe(), &micros);
      if (ok) builder->AppendInt(micros);
      break;
    }
  }
  if (!ok) {
    DataLocation location;
    location.column = columns_[i].name;
    location.value = TruncateForMessage(ScalarText(value));
    throw DataError(connector_, "read", std::move(location),
                    fmt::format("cannot convert the value to {}", builder->type().ToSql()));
  }
}

}  // namespace sqlflow::rest::internal
