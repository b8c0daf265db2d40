#include <cstring>
#include <limits>

#include <fmt/format.h>

#include "sqlflow/common/error.h"
#include "sqlflow/data/chunk.h"
#include "sqlflow/data/data_internal.h"

namespace sqlflow {

namespace {

using data_internal::BitmapBytes;

std::shared_ptr<Buffer> CopyToBuffer(const std::vector<uint8_t>& bytes) {
  auto buffer = Buffer::Allocate(bytes.size());
  if (!bytes.empty()) std::memcpy(buffer->mutable_data(), bytes.data(), bytes.size());
  return buffer;
}

/// Append one bit at position `index` of a bit vector that holds exactly `index` bits.
void PushBit(std::vector<uint8_t>* bits, int64_t index, bool v) {
  if (static_cast<int64_t>(bits->size()) * 8 <= index) bits->push_back(0);
  if (v) data_internal::SetBit(bits->data(), index);
}

/// Shrink a bit vector to `length` bits, clearing the bits past the end.
void TruncateBits(std::vector<uint8_t>* bits, int64_t length) {
  bits->resize(static_cast<size_t>(BitmapBytes(length)));
  if (length % 8 != 0) bits->back() &= static_cast<uint8_t>((1u << (length % 8)) - 1);
}

/// v * 10^scale, wrapping instead of overflowing (the typed appends do no range checks;
/// Validate() reports a value that does not fit).
Int128 ScaleUp(Int128 v, int scale) {
  Int128 out;
  __builtin_mul_overflow(v, data_internal::Pow10(scale), &out);
  return out;
}

}  // namespace

ColumnBuilder::ColumnBuilder(DataType type) : type_(std::move(type)) {
  if (type_.is_variable_width()) PushZeros(sizeof(int32_t));
}

template <typename T>
void ColumnBuilder::PushFixed(T v) {
  size_t pos = values_.size();
  values_.resize(pos + sizeof(T));
  std::memcpy(values_.data() + pos, &v, sizeof(T));
}

void ColumnBuilder::PushZeros(size_t bytes) { values_.resize(values_.size() + bytes); }

void ColumnBuilder::AppendValidity(bool valid) {
  // The bitmap exists only from the first null on; rows before it were all valid.
  if (!valid && validity_.empty()) {
    validity_.assign(static_cast<size_t>(BitmapBytes(length_ + 1)), 0);
    std::memset(validity_.data(), 0xFF, static_cast<size_t>(length_ / 8));
    validity_[static_cast<size_t>(length_ / 8)] = static_cast<uint8_t>((1u << (length_ % 8)) - 1);
  } else if (!validity_.empty()) {
    PushBit(&validity_, length_, valid);
  }
  if (!valid) ++null_count_;
  ++length_;
}

void ColumnBuilder::ThrowMismatch(const std::string& what) const {
  throw SchemaError("data", "append",
                    fmt::format("cannot store {} in a column of type {}", what, type_.ToSql()));
}

void ColumnBuilder::AppendNull() {
  if (type_.id() == TypeId::kBoolean) {
    PushBit(&values_, length_, false);
  } else if (type_.is_variable_width()) {
    int32_t last;
    std::memcpy(&last, values_.data() + values_.size() - sizeof(int32_t), sizeof(last));
    PushFixed(last);
  } else {
    PushZeros(static_cast<size_t>(type_.byte_width()));
  }
  AppendValidity(false);
}

void ColumnBuilder::AppendBool(bool v) {
  if (type_.id() != TypeId::kBoolean) ThrowMismatch("a boolean");
  PushBit(&values_, length_, v);
  AppendValidity(true);
}

template <typename T>
void ColumnBuilder::AppendInteger(T v) {
  // Integer targets keep the low bits (the same for signed and unsigned sources); float and
  // decimal targets convert from T itself, so a uint64 above INT64_MAX stays positive.
  switch (type_.id()) {
    case TypeId::kInt8:
    case TypeId::kUInt8:
      PushFixed(static_cast<int8_t>(v));
      break;
    case TypeId::kInt16:
    case TypeId::kUInt16:
      PushFixed(static_cast<int16_t>(v));
      break;
    case TypeId::kInt32:
    case TypeId::kUInt32:
    case TypeId::kDate:
      PushFixed(static_cast<int32_t>(v));
      break;
    case TypeId::kInt64:
    case TypeId::kUInt64:
    case TypeId::kTime:
    case TypeId::kTimestamp:
      PushFixed(static_cast<int64_t>(v));
      break;
    case TypeId::kFloat32:
      PushFixed(static_cast<float>(v));
      break;
    case TypeId::kFloat64:
      PushFixed(static_cast<double>(v));
      break;
    case TypeId::kDecimal:
      AppendDecimal(ScaleUp(v, type_.scale()));
      return;
    default:
      ThrowMismatch("an integer");
  }
  AppendValidity(true);
}

void ColumnBuilder::AppendInt(int64_t v) { AppendInteger(v); }

void ColumnBuilder::AppendUInt(uint64_t v) {
  // Dates, times and timestamps take signed units only.
  if (!type_.is_integer() && !type_.is_floating() && type_.id() != TypeId::kDecimal) {
    ThrowMismatch("an unsigned integer");
  }
  AppendInteger(v);
}

void ColumnBuilder::AppendDouble(double v) {
  if (type_.id() == TypeId::kFloat32) {
    PushFixed(static_cast<float>(v));
  } else if (type_.id() == TypeId::kFloat64) {
    PushFixed(v);
  } else {
    ThrowMismatch("a floating-point number");
  }
  AppendValidity(true);
}

void ColumnBuilder::AppendDecimal(Int128 unscaled) {
  if (type_.id() != TypeId::kDecimal) ThrowMismatch("a decimal");
  PushFixed(unscaled);
  AppendValidity(true);
}

void ColumnBuilder::AppendString(std::string_view v) {
  if (!type_.is_variable_width()) ThrowMismatch("a string");
  if (data_.size() + v.size() > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
    throw SchemaError("data", "append",
                      "a chunk's string column cannot hold more than 2 GB; use smaller chunks");
  }
  data_.insert(data_.end(), v.begin(), v.end());
  PushFixed(static_cast<int32_t>(data_.size()));
  AppendValidity(true);
}

void ColumnBuilder::AppendFrom(const Column& column, int64_t row) {
  if (!(column.type.id() == type_.id() && column.type.scale() == type_.scale())) {
    AppendValue(column.GetValue(row));
    return;
  }
  if (column.IsNull(row)) {
    AppendNull();
  } else if (type_.id() == TypeId::kBoolean) {
    AppendBool(column.BoolAt(row));
  } else if (type_.is_variable_width()) {
    AppendString(column.StringAt(row));
  } else {
    auto width = static_cast<size_t>(type_.byte_width());
    size_t pos = values_.size();
    values_.resize(pos + width);
    std::memcpy(values_.data() + pos, column.values->data() + (column.offset + row) * width, width);
    AppendValidity(true);
  }
}

void ColumnBuilder::Reserve(int64_t rows, int64_t data_bytes) {
  if (type_.id() == TypeId::kBoolean) {
    values_.reserve(static_cast<size_t>(BitmapBytes(length_ + rows)));
  } else if (type_.is_variable_width()) {
    values_.reserve(values_.size() + static_cast<size_t>(rows) * sizeof(int32_t));
    data_.reserve(data_.size() + static_cast<size_t>(data_bytes));
  } else {
    values_.reserve(values_.size() + static_cast<size_t>(rows * type_.byte_width()));
  }
}

void ColumnBuilder::Truncate(int64_t length) {
  if (length < 0 || length >= length_) return;
  if (!validity_.empty()) {
    int64_t dropped = length_ - length;
    null_count_ -= dropped - data_internal::CountSetBits(validity_.data(), length, dropped);
    TruncateBits(&validity_, length);
  }
  if (type_.id() == TypeId::kBoolean) {
    TruncateBits(&values_, length);
  } else if (type_.is_variable_width()) {
    int32_t end;
    std::memcpy(&end, values_.data() + length * sizeof(int32_t), sizeof(end));
    data_.resize(static_cast<size_t>(end));
    values_.resize(static_cast<size_t>(length + 1) * sizeof(int32_t));
  } else {
    values_.resize(static_cast<size_t>(length * type_.byte_width()));
  }
  length_ = length;
}

void ColumnBuilder::AppendValue(const Value& v) {
  if (v.is_null()) {
    AppendNull();
    return;
  }
  const TypeId from = v.type().id();
  const TypeId to = type_.id();
  auto mismatch = [&] {
    ThrowMismatch(fmt::format("{} value {}", v.type().ToSql(), TruncateForMessage(v.ToString())));
  };
  switch (from) {
    case TypeId::kBoolean:
      if (to != TypeId::kBoolean) mismatch();
      AppendBool(v.bool_value());
      return;
    case TypeId::kFloat32:
    case TypeId::kFloat64:
      if (!type_.is_floating()) mismatch();
      AppendDouble(v.double_value());
      return;
    case TypeId::kDecimal:
      AppendDecimalValue(v);
      return;
    case TypeId::kDate:
      if (to == TypeId::kDate) {
        AppendInt(v.int_value());
      } else if (to == TypeId::kTimestamp) {
        AppendInt(v.int_value() * data_internal::kMicrosPerDay);
      } else {
        mismatch();
      }
      return;
    case TypeId::kTime:
    case TypeId::kTimestamp:
      if (to != from) mismatch();
      AppendInt(v.int_value());
      return;
    case TypeId::kString:
    case TypeId::kJson:
      if (!type_.is_variable_width()) mismatch();
      AppendString(v.string_value());
      return;
    case TypeId::kBinary:
      if (to != TypeId::kBinary) mismatch();
      AppendString(v.string_value());
      return;
    default:
      AppendIntegerValue(v);
      return;
  }
}

void ColumnBuilder::AppendIntegerValue(const Value& v) {
  bool is_signed = v.type().is_signed_integer();
  // Every integer as an exact 128-bit number, so one range check serves all targets.
  Int128 x = is_signed ? Int128{v.int_value()} : Int128{v.uint_value()};
  auto out_of_range = [&] {
    ThrowMismatch(fmt::format("{} value {} (out of range)", v.type().ToSql(), v.ToString()));
  };
  if (type_.is_integer()) {
    int bits = type_.byte_width() * 8;
    Int128 min = type_.is_signed_integer() ? -(Int128{1} << (bits - 1)) : 0;
    Int128 max =
        type_.is_signed_integer() ? (Int128{1} << (bits - 1)) - 1 : (Int128{1} << bits) - 1;
    if (x < min || x > max) out_of_range();
    AppendInt(static_cast<int64_t>(static_cast<uint64_t>(x)));
  } else if (type_.is_floating()) {
    AppendDouble(is_signed ? static_cast<double>(v.int_value())
                           : static_cast<double>(v.uint_value()));
  } else if (type_.id() == TypeId::kDecimal) {
    Int128 scaled = 0;
    if (__builtin_mul_overflow(x, data_internal::Pow10(type_.scale()), &scaled) ||
        !data_internal::FitsPrecision(scaled, type_.precision())) {
      out_of_range();
    }
    AppendDecimal(scaled);
  } else {
    ThrowMismatch(fmt::format("{} value {}", v.type().ToSql(), v.ToString()));
  }
}

void ColumnBuilder::AppendDecimalValue(const Value& v) {
  const int from_scale = v.type().scale();
  if (type_.is_floating()) {
    AppendDouble(static_cast<double>(static_cast<long double>(v.decimal_value()) /
                                     static_cast<long double>(data_internal::Pow10(from_scale))));
    return;
  }
  if (type_.id() != TypeId::kDecimal) {
    ThrowMismatch(fmt::format("{} value {}", v.type().ToSql(), v.ToString()));
  }
  Int128 x = v.decimal_value();
  bool ok = true;
  if (type_.scale() >= from_scale) {
    ok = !__builtin_mul_overflow(x, data_internal::Pow10(type_.scale() - from_scale), &x);
  } else {
    Int128 divisor = data_internal::Pow10(from_scale - type_.scale());
    ok = x % divisor == 0;  // Only exact rescaling: a cursor must never lose digits.
    x /= divisor;
  }
  if (!ok || !data_internal::FitsPrecision(x, type_.precision())) {
    ThrowMismatch(
        fmt::format("{} value {} (does not fit exactly)", v.type().ToSql(), v.ToString()));
  }
  AppendDecimal(x);
}

Column ColumnBuilder::Finish() {
  Column column;
  column.type = type_;
  column.length = length_;
  column.null_count = null_count_;
  if (null_count_ > 0) column.validity = CopyToBuffer(validity_);
  column.values = CopyToBuffer(values_);
  if (type_.is_variable_width()) column.data = CopyToBuffer(data_);
  length_ = 0;
  null_count_ = 0;
  validity_.clear();
  values_.clear();
  data_.clear();
  if (type_.is_variable_width()) PushZeros(sizeof(int32_t));
  return column;
}

ChunkBuilder::ChunkBuilder(std::shared_ptr<const Schema> schema) : schema_(std::move(schema)) {
  if (schema_ == nullptr)
    data_internal::ThrowSchemaError("build", "a chunk builder needs a schema");
  builders_.reserve(schema_->num_fields());
  for (const Field& f : schema_->fields()) builders_.emplace_back(f.type);
}

void ChunkBuilder::AppendRow(const std::vector<Value>& row) {
  if (row.size() != builders_.size()) {
    data_internal::ThrowSchemaError(
        "append", fmt::format("a row of {} values for {} columns", row.size(), builders_.size()));
  }
  const int64_t length = num_rows();
  size_t i = 0;
  try {
    for (; i < row.size(); ++i) {
      if (row[i].is_null() && !schema_->field(i).nullable) {
        data_internal::ThrowSchemaError("append", "NULL in a NOT NULL column");
      }
      builders_[i].AppendValue(row[i]);
    }
  } catch (const SchemaError& e) {
    for (size_t j = 0; j < i; ++j) builders_[j].Truncate(length);
    throw SchemaError("data", "append",
                      fmt::format("column '{}': {}", schema_->field(i).name, e.message()));
  }
}

void ChunkBuilder::Reserve(int64_t rows) {
  for (ColumnBuilder& b : builders_) b.Reserve(rows);
}

int64_t ChunkBuilder::num_rows() const { return builders_.empty() ? 0 : builders_[0].length(); }

DataChunk ChunkBuilder::Finish() {
  const int64_t rows = num_rows();
  std::vector<Column> columns;
  columns.reserve(builders_.size());
  for (size_t i = 0; i < builders_.size(); ++i) {
    if (builders_[i].length() != rows) {
      data_internal::ThrowSchemaError(
          "build",
          fmt::format("column '{}' has {} rows but column '{}' has {}", schema_->field(i).name,
                      builders_[i].length(), schema_->field(0).name, rows));
    }
  }
  for (ColumnBuilder& b : builders_) columns.push_back(b.Finish());
  return DataChunk(schema_, std::move(columns), rows);
}

}  // namespace sqlflow
