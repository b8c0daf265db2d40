// The Arrow C Data Interface (https://arrow.apache.org/docs/format/CDataInterface.html):
// zero-copy export of chunks and schemas, and parsing of imported schemas.

#include <cstring>

#include <fmt/format.h>

#include "sqlflow/common/error.h"
#include "sqlflow/common/strings.h"
#include "sqlflow/data/arrow_internal.h"
#include "sqlflow/data/data_internal.h"

namespace sqlflow {

namespace {

constexpr const char* kExtensionName = "ARROW:extension:name";

// ---- Export ----

/// Backing store of one exported ArrowArray. Each array (root and every child) owns its own,
/// so a consumer may move a child out and release it independently of the root.
struct ExportedArray {
  std::shared_ptr<Buffer> keep[3];
  const void* buffers[3] = {nullptr, nullptr, nullptr};
  std::vector<ArrowArray> children;
  std::vector<ArrowArray*> child_pointers;
};

/// Stands in for a values or offsets buffer we do not hold (only possible for zero rows).
alignas(64) const uint8_t kZeros[64] = {};

void ReleaseExportedArray(ArrowArray* array) {
  if (array == nullptr || array->release == nullptr) return;
  for (int64_t i = 0; i < array->n_children; ++i) {
    ArrowArray* child = array->children[i];
    if (child->release != nullptr) child->release(child);  // Unless moved out.
  }
  delete static_cast<ExportedArray*>(array->private_data);
  array->private_data = nullptr;
  array->release = nullptr;
}

void ExportColumn(const Column& column, ArrowArray* out) {
  auto* priv = new ExportedArray();
  priv->keep[0] = column.validity;
  priv->keep[1] = column.values;
  priv->keep[2] = column.data;
  for (int i = 0; i < 3; ++i) {
    if (priv->keep[i] != nullptr) priv->buffers[i] = priv->keep[i]->data();
  }
  if (priv->buffers[1] == nullptr) priv->buffers[1] = kZeros;
  if (priv->buffers[2] == nullptr) priv->buffers[2] = kZeros;
  if (column.null_count == 0) priv->buffers[0] = nullptr;  // Allowed, and saves a scan.
  out->length = column.length;
  out->null_count = column.null_count;
  out->offset = column.offset;
  out->n_buffers = column.type.is_variable_width() ? 3 : 2;
  out->n_children = 0;
  out->buffers = priv->buffers;
  out->children = nullptr;
  out->dictionary = nullptr;
  out->release = ReleaseExportedArray;
  out->private_data = priv;
}

/// Backing store of one exported ArrowSchema (root or child), like ExportedArray.
struct ExportedSchema {
  std::string format;
  std::string name;
  std::string metadata;
  std::vector<ArrowSchema> children;
  std::vector<ArrowSchema*> child_pointers;
};

void ReleaseExportedSchema(ArrowSchema* schema) {
  if (schema == nullptr || schema->release == nullptr) return;
  for (int64_t i = 0; i < schema->n_children; ++i) {
    ArrowSchema* child = schema->children[i];
    if (child->release != nullptr) child->release(child);
  }
  delete static_cast<ExportedSchema*>(schema->private_data);
  schema->private_data = nullptr;
  schema->release = nullptr;
}

void FillSchema(ExportedSchema* priv, int64_t flags, ArrowSchema* out) {
  out->format = priv->format.c_str();
  out->name = priv->name.c_str();
  out->metadata = priv->metadata.empty() ? nullptr : priv->metadata.data();
  out->flags = flags;
  out->n_children = static_cast<int64_t>(priv->children.size());
  out->children = priv->children.empty() ? nullptr : priv->child_pointers.data();
  out->dictionary = nullptr;
  out->release = ReleaseExportedSchema;
  out->private_data = priv;
}

// ---- Import ----

int32_t ReadInt32(const char*& p) {
  int32_t v;
  std::memcpy(&v, p, sizeof(v));
  p += sizeof(v);
  return v;
}

[[noreturn]] void ThrowUnsupported(const std::string& column, std::string_view format,
                                   const std::string& why) {
  throw SchemaError("data", "import",
                    fmt::format("column '{}': unsupported Arrow format '{}' ({}); cast it to a "
                                "supported type (e.g. VARCHAR or JSON) before reading",
                                column, format, why));
}

bool ParseDecimalFormat(std::string_view spec, int* precision, int* scale) {
  // "p,s" or "p,s,bitwidth"; only 128-bit decimals are stored.
  using data_internal::ParseInt;
  std::vector<std::string> parts = Split(spec, ',');
  if (parts.size() < 2 || parts.size() > 3) return false;
  int bits = 128;
  if (!ParseInt(parts[0], precision) || !ParseInt(parts[1], scale)) return false;
  if (parts.size() == 3 && (!ParseInt(parts[2], &bits) || bits != 128)) return false;
  return *precision >= 1 && *precision <= 38 && *scale >= 0 && *scale <= *precision;
}

/// The plan for an Arrow time unit: 's', 'm', 'u' or 'n' into microseconds.
ArrowColumnPlan TimeUnitPlan(char unit, int source_width) {
  ArrowColumnPlan plan;
  plan.source_width = source_width;
  switch (unit) {
    case 's':
      plan.multiply = 1000000;
      break;
    case 'm':
      plan.multiply = 1000;
      break;
    case 'n':
      plan.divide = 1000;
      break;
    default:
      break;
  }
  plan.layout = unit == 'u' && source_width == 8 ? ArrowLayout::kFixed : ArrowLayout::kRescale;
  return plan;
}

/// Map one Arrow child schema to a field and its import plan.
ArrowColumnPlan ParseArrowField(const ArrowSchema& child, Field* field) {
  field->name = child.name == nullptr ? "" : child.name;
  field->nullable = (child.flags & ARROW_FLAG_NULLABLE) != 0;
  std::string_view f = child.format == nullptr ? "" : child.format;
  if (child.dictionary != nullptr) ThrowUnsupported(field->name, f, "dictionary-encoded");
  std::string extension = ArrowMetadataValue(child.metadata, kExtensionName);
  ArrowColumnPlan plan;
  static constexpr struct {
    const char* format;
    TypeId id;
  } kFixed[] = {{"c", TypeId::kInt8},    {"s", TypeId::kInt16},  {"i", TypeId::kInt32},
                {"l", TypeId::kInt64},   {"C", TypeId::kUInt8},  {"S", TypeId::kUInt16},
                {"I", TypeId::kUInt32},  {"L", TypeId::kUInt64}, {"f", TypeId::kFloat32},
                {"g", TypeId::kFloat64}, {"tdD", TypeId::kDate}, {"ttu", TypeId::kTime}};
  for (const auto& entry : kFixed) {
    if (f == entry.format) {
      field->type = DataType(entry.id);
      plan.layout = ArrowLayout::kFixed;
      plan.format = f;
      return plan;
    }
  }
  bool json = extension == "arrow.json";
  if (f == "b") {
    field->type = DataType::Boolean();
    plan.layout = ArrowLayout::kBoolean;
  } else if (f == "u" || f == "U" || f == "vu" || f == "z" || f == "Z" || f == "vz") {
    bool binary = f.back() == 'z' || f.back() == 'Z';
    field->type = binary ? DataType::Binary() : json ? DataType::Json() : DataType::String();
    plan.layout = f.size() == 2            ? ArrowLayout::kView
                  : (f == "U" || f == "Z") ? ArrowLayout::kLargeVariable
                                           : ArrowLayout::kVariable;
  } else if (StartsWith(f, "d:")) {
    int precision = 0;
    int scale = 0;
    if (!ParseDecimalFormat(f.substr(2), &precision, &scale)) {
      ThrowUnsupported(field->name, f, "only 128-bit decimals of precision 1..38");
    }
    field->type = DataType::Decimal(precision, scale);
    plan.layout = ArrowLayout::kFixed;
  } else if (f == "tdm") {
    field->type = DataType::Date();
    plan = {ArrowLayout::kRescale, "", 8, 1, data_internal::kMicrosPerDay / 1000};
  } else if (f.size() == 3 && StartsWith(f, "tt") &&
             std::string_view("smun").find(f[2]) != std::string_view::npos) {
    field->type = DataType::Time();
    plan = TimeUnitPlan(f[2], f[2] == 's' || f[2] == 'm' ? 4 : 8);
  } else if (f.size() >= 4 && StartsWith(f, "ts") && f[3] == ':' &&
             std::string_view("smun").find(f[2]) != std::string_view::npos) {
    field->type = DataType::Timestamp(std::string(f.substr(4)));
    plan = TimeUnitPlan(f[2], 8);
  } else if (StartsWith(f, "w:")) {
    int width = 0;
    if (!data_internal::ParseInt(f.substr(2), &width) || width < 0) {
      ThrowUnsupported(field->name, f, "malformed fixed-size binary");
    }
    bool uuid = width == 16 && extension == "arrow.uuid";
    field->type = uuid ? DataType::String() : DataType::Binary();
    plan.layout = uuid ? ArrowLayout::kUuid : ArrowLayout::kFixedBinary;
    plan.source_width = width;
  } else if (f == "n") {
    field->type = DataType::String();
    field->nullable = true;
    plan.layout = ArrowLayout::kNull;
  } else {
    ThrowUnsupported(field->name, f, StartsWith(f, "+") ? "nested type" : "unknown type");
  }
  plan.format = f;
  return plan;
}

}  // namespace

std::string ArrowMetadataValue(const char* metadata, std::string_view key) {
  if (metadata == nullptr) return "";
  const char* p = metadata;
  int32_t count = ReadInt32(p);
  for (int32_t i = 0; i < count; ++i) {
    int32_t key_size = ReadInt32(p);
    std::string_view k(p, static_cast<size_t>(key_size));
    p += key_size;
    int32_t value_size = ReadInt32(p);
    std::string_view v(p, static_cast<size_t>(value_size));
    p += value_size;
    if (k == key) return std::string(v);
  }
  return "";
}

std::string EncodeArrowMetadata(const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::string out;
  auto put_int32 = [&out](size_t v) {
    auto n = static_cast<int32_t>(v);
    out.append(reinterpret_cast<const char*>(&n), sizeof(n));
  };
  put_int32(pairs.size());
  for (const auto& [key, value] : pairs) {
    put_int32(key.size());
    out += key;
    put_int32(value.size());
    out += value;
  }
  return out;
}

void ExportSchemaToArrow(const Schema& schema, ArrowSchema* out) {
  auto* root = new ExportedSchema();
  root->format = "+s";
  root->children.resize(schema.num_fields());
  for (size_t i = 0; i < schema.num_fields(); ++i) {
    const Field& field = schema.field(i);
    auto* priv = new ExportedSchema();
    priv->format = field.type.ArrowFormat();
    priv->name = field.name;
    if (field.type.id() == TypeId::kJson) {
      priv->metadata = EncodeArrowMetadata({{kExtensionName, "arrow.json"}});
    }
    FillSchema(priv, field.nullable ? ARROW_FLAG_NULLABLE : 0, &root->children[i]);
    root->child_pointers.push_back(&root->children[i]);
  }
  FillSchema(root, 0, out);
}

void DataChunk::ExportToArrow(ArrowArray* out_array, ArrowSchema* out_schema) const {
  if (out_schema != nullptr) ExportSchemaToArrow(*schema_, out_schema);
  if (out_array == nullptr) return;
  auto* root = new ExportedArray();
  root->children.resize(columns_.size());
  for (size_t i = 0; i < columns_.size(); ++i) {
    ExportColumn(columns_[i], &root->children[i]);
    root->child_pointers.push_back(&root->children[i]);
  }
  out_array->length = num_rows_;
  out_array->null_count = 0;
  out_array->offset = 0;
  out_array->n_buffers = 1;  // A struct has only a validity bitmap, here absent.
  out_array->n_children = static_cast<int64_t>(columns_.size());
  out_array->buffers = root->buffers;
  out_array->children = root->child_pointers.empty() ? nullptr : root->child_pointers.data();
  out_array->dictionary = nullptr;
  out_array->release = ReleaseExportedArray;
  out_array->private_data = root;
}

ArrowImporter::ArrowImporter(const ArrowSchema* schema) {
  if (schema == nullptr || schema->release == nullptr) {
    data_internal::ThrowSchemaError("import", "the Arrow schema is null or released");
  }
  if (schema->format == nullptr || std::string_view(schema->format) != "+s") {
    data_internal::ThrowSchemaError("import",
                                    fmt::format("expected a struct schema (format '+s'), got '{}'",
                                                schema->format == nullptr ? "" : schema->format));
  }
  auto plan = std::make_shared<Plan>();
  std::vector<Field> fields(static_cast<size_t>(schema->n_children));
  for (size_t i = 0; i < fields.size(); ++i) {
    plan->columns.push_back(ParseArrowField(*schema->children[i], &fields[i]));
  }
  schema_ = std::make_shared<Schema>(std::move(fields));
  plan_ = std::move(plan);
}

ArrowImporter::ArrowImporter(std::shared_ptr<const Schema> schema) : schema_(std::move(schema)) {
  if (schema_ == nullptr) data_internal::ThrowSchemaError("import", "the schema is null");
  auto plan = std::make_shared<Plan>();
  for (const Field& field : schema_->fields()) {
    ArrowColumnPlan column;
    column.format = field.type.ArrowFormat();
    column.layout = field.type.id() == TypeId::kBoolean ? ArrowLayout::kBoolean
                    : field.type.is_variable_width()    ? ArrowLayout::kVariable
                                                        : ArrowLayout::kFixed;
    plan->columns.push_back(std::move(column));
  }
  plan_ = std::move(plan);
}

Schema ImportSchemaFromArrow(const ArrowSchema* schema) { return *ArrowImporter(schema).schema(); }

namespace {

/// Take ownership of `array` first, so it is released even when `schema` is rejected.
template <typename SchemaArg>
DataChunk ImportOwned(ArrowArray* array, SchemaArg&& schema) {
  if (array == nullptr) data_internal::ThrowSchemaError("import", "the Arrow array is null");
  ArrowArray owned = *array;
  array->release = nullptr;
  std::optional<ArrowImporter> importer;
  try {
    importer.emplace(std::forward<SchemaArg>(schema));
  } catch (...) {
    if (owned.release != nullptr) owned.release(&owned);
    throw;
  }
  return importer->Import(&owned);
}

}  // namespace

DataChunk DataChunk::ImportFromArrow(ArrowArray* array, const ArrowSchema* schema) {
  return ImportOwned(array, schema);
}

DataChunk DataChunk::ImportFromArrow(ArrowArray* array, std::shared_ptr<const Schema> schema) {
  return ImportOwned(array, std::move(schema));
}

}  // namespace sqlflow
