#include "sqlflow/data/chunk.h"

#include <cstdlib>
#include <cstring>
#include <new>

#include <fmt/format.h>

#include "sqlflow/common/error.h"
#include "sqlflow/data/data_internal.h"

namespace sqlflow {

using data_internal::ThrowSchemaError;

namespace {

constexpr size_t kAlignment = 64;

}  // namespace

// ---- Buffer ----

Buffer::Buffer(uint8_t* data, size_t size, bool owned, std::shared_ptr<void> owner)
    : data_(data), size_(size), owned_(owned), owner_(std::move(owner)) {}

Buffer::~Buffer() {
  if (owned_) std::free(data_);
}

std::shared_ptr<Buffer> Buffer::Allocate(size_t size) {
  // Round up to whole 64-byte blocks (never 0, so data() is never null) and zero the padding
  // too, as Arrow recommends.
  size_t padded = (size + kAlignment - 1) / kAlignment * kAlignment;
  if (padded == 0) padded = kAlignment;
  void* data = std::aligned_alloc(kAlignment, padded);
  if (data == nullptr) throw std::bad_alloc();
  std::memset(data, 0, padded);
  return std::shared_ptr<Buffer>(new Buffer(static_cast<uint8_t*>(data), size, true, nullptr));
}

std::shared_ptr<Buffer> Buffer::Wrap(const void* data, size_t size, std::shared_ptr<void> owner) {
  // Buffers are immutable once shared; the const_cast only serves the common member type.
  return std::shared_ptr<Buffer>(
      new Buffer(static_cast<uint8_t*>(const_cast<void*>(data)), size, false, std::move(owner)));
}

// ---- Column ----

bool Column::IsNull(int64_t i) const {
  return validity != nullptr && !data_internal::GetBit(validity->data(), offset + i);
}

bool Column::BoolAt(int64_t i) const { return data_internal::GetBit(values->data(), offset + i); }

Int128 Column::DecimalAt(int64_t i) const {
  return data_internal::LoadInt128(values->data() + (offset + i) * 16);
}

std::string_view Column::StringAt(int64_t i) const {
  const auto* offsets = reinterpret_cast<const int32_t*>(values->data());
  int32_t begin = offsets[offset + i];
  int32_t end = offsets[offset + i + 1];
  if (end <= begin || data == nullptr) return {};
  return {reinterpret_cast<const char*>(data->data()) + begin, static_cast<size_t>(end - begin)};
}

Value Column::GetValue(int64_t i) const {
  if (IsNull(i)) return Value::Null(type);
  switch (type.id()) {
    case TypeId::kBoolean:
      return Value::Boolean(BoolAt(i));
    case TypeId::kInt8:
      return Value::Int(ValueAt<int8_t>(i), type);
    case TypeId::kInt16:
      return Value::Int(ValueAt<int16_t>(i), type);
    case TypeId::kInt32:
      return Value::Int(ValueAt<int32_t>(i), type);
    case TypeId::kInt64:
      return Value::Int(ValueAt<int64_t>(i), type);
    case TypeId::kUInt8:
      return Value::UInt(ValueAt<uint8_t>(i), type);
    case TypeId::kUInt16:
      return Value::UInt(ValueAt<uint16_t>(i), type);
    case TypeId::kUInt32:
      return Value::UInt(ValueAt<uint32_t>(i), type);
    case TypeId::kUInt64:
      return Value::UInt(ValueAt<uint64_t>(i), type);
    case TypeId::kFloat32:
      return Value::Double(ValueAt<float>(i), type);
    case TypeId::kFloat64:
      return Value::Double(ValueAt<double>(i), type);
    case TypeId::kDecimal:
      return Value::Decimal(DecimalAt(i), type);
    case TypeId::kDate:
      return Value::Date(ValueAt<int32_t>(i));
    case TypeId::kTime:
      return Value::Time(ValueAt<int64_t>(i));
    case TypeId::kTimestamp:
      return Value::Timestamp(ValueAt<int64_t>(i), type.timezone());
    case TypeId::kString:
      return Value::String(std::string(StringAt(i)));
    case TypeId::kBinary:
      return Value::Binary(std::string(StringAt(i)));
    case TypeId::kJson:
      return Value::Json(std::string(StringAt(i)));
  }
  return Value::Null(type);
}

Column Column::Slice(int64_t start, int64_t count) const {
  if (start < 0 || count < 0 || start + count > length) {
    ThrowSchemaError("slice", fmt::format("rows [{}, {}) are out of range for a column of {} rows",
                                          start, start + count, length));
  }
  Column out = *this;
  out.offset = offset + start;
  out.length = count;
  if (null_count == 0 || validity == nullptr) {
    out.null_count = 0;
  } else if (count == length) {
    out.null_count = null_count;
  } else {
    out.null_count = data_internal::CountNulls(validity->data(), out.offset, count);
  }
  return out;
}

// ---- DataChunk ----

DataChunk::DataChunk(std::shared_ptr<const Schema> schema, std::vector<Column> columns,
                     int64_t num_rows)
    : schema_(std::move(schema)), columns_(std::move(columns)), num_rows_(num_rows) {
  if (schema_ == nullptr) ThrowSchemaError("chunk", "a chunk needs a schema");
  if (columns_.size() != schema_->num_fields()) {
    ThrowSchemaError("chunk", fmt::format("the schema has {} columns but the chunk {}",
                                          schema_->num_fields(), columns_.size()));
  }
  if (num_rows_ < 0) ThrowSchemaError("chunk", "negative row count");
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i].length != num_rows_) {
      ThrowSchemaError("chunk", fmt::format("column '{}' has {} rows but the chunk {}",
                                            schema_->field(i).name, columns_[i].length, num_rows_));
    }
  }
}

int64_t DataChunk::ByteSize() const {
  int64_t total = 0;
  for (const Column& c : columns_) {
    for (const auto* b : {&c.validity, &c.values, &c.data}) {
      if (*b != nullptr) total += static_cast<int64_t>((*b)->size());
    }
  }
  return total;
}

DataChunk DataChunk::Slice(int64_t start, int64_t count) const {
  if (start < 0 || count < 0 || start + count > num_rows_) {
    ThrowSchemaError("slice", fmt::format("rows [{}, {}) are out of range for a chunk of {} rows",
                                          start, start + count, num_rows_));
  }
  if (start == 0 && count == num_rows_) return *this;
  std::vector<Column> columns;
  columns.reserve(columns_.size());
  for (const Column& c : columns_) columns.push_back(c.Slice(start, count));
  return DataChunk(schema_, std::move(columns), count);
}

DataChunk DataChunk::Project(const std::vector<std::string>& names) const {
  std::vector<Field> fields;
  std::vector<Column> columns;
  fields.reserve(names.size());
  columns.reserve(names.size());
  for (const std::string& name : names) {
    int index = schema_->FieldIndex(name);
    if (index < 0) {
      throw SchemaError("data", "project",
                        fmt::format("column '{}' not found; the chunk has: {}", name,
                                    fmt::join(schema_->names(), ", ")));
    }
    fields.push_back(schema_->field(static_cast<size_t>(index)));
    columns.push_back(columns_[static_cast<size_t>(index)]);
  }
  return DataChunk(std::make_shared<Schema>(std::move(fields)), std::move(columns), num_rows_);
}

}  // namespace sqlflow
