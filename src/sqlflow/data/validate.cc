// DataChunk::Validate: every structural invariant of the Arrow layout, checked once per chunk
// (not in the hot paths that build or read chunks).

#include <fmt/format.h>

#include "sqlflow/common/error.h"
#include "sqlflow/common/strings.h"
#include "sqlflow/data/chunk.h"
#include "sqlflow/data/data_internal.h"

namespace sqlflow {

namespace {

using data_internal::BitmapBytes;

/// Checks one column; Fail() throws naming the column (and the row when there is one).
class ColumnValidator {
 public:
  ColumnValidator(const Field& field, const Column& column, int64_t num_rows)
      : field_(field), column_(column), num_rows_(num_rows) {}

  void Run() {
    CheckShape();
    CheckValidity();
    if (column_.type.is_variable_width()) {
      CheckOffsets();
      if (column_.type.id() != TypeId::kBinary) CheckUtf8();
    } else {
      CheckFixedWidth();
      if (column_.type.id() == TypeId::kDecimal) CheckDecimals();
    }
  }

 private:
  [[noreturn]] void Fail(const std::string& message) const {
    throw SchemaError("data", "validate", fmt::format("column '{}': {}", field_.name, message));
  }
  [[noreturn]] void FailRow(int64_t row, const std::string& message) const {
    throw SchemaError("data", "validate",
                      fmt::format("column '{}' row {}: {}", field_.name, row, message));
  }
  int64_t end() const { return column_.offset + column_.length; }

  void CheckShape() const {
    if (!(column_.type == field_.type)) {
      Fail(fmt::format("type {} does not match the schema's {}", column_.type.ToSql(),
                       field_.type.ToSql()));
    }
    if (column_.length != num_rows_) {
      Fail(fmt::format("{} rows, but the chunk has {}", column_.length, num_rows_));
    }
    if (column_.offset < 0) Fail(fmt::format("negative offset {}", column_.offset));
  }

  void CheckValidity() const {
    if (column_.validity == nullptr) {
      if (column_.null_count != 0) {
        Fail(fmt::format("null_count is {} but there is no validity bitmap", column_.null_count));
      }
      return;
    }
    int64_t needed = BitmapBytes(end());
    if (static_cast<int64_t>(column_.validity->size()) < needed) {
      Fail(
          fmt::format("validity bitmap has {} bytes, {} needed", column_.validity->size(), needed));
    }
    int64_t nulls =
        data_internal::CountNulls(column_.validity->data(), column_.offset, column_.length);
    if (nulls != column_.null_count) {
      Fail(fmt::format("null_count is {} but the bitmap has {} nulls", column_.null_count, nulls));
    }
    if (nulls > 0 && !field_.nullable) {
      for (int64_t i = 0; i < column_.length; ++i) {
        if (column_.IsNull(i)) FailRow(i, "NULL in a NOT NULL column");
      }
    }
  }

  void CheckFixedWidth() const {
    int64_t width = column_.type.byte_width();
    int64_t needed = width == 0 ? BitmapBytes(end()) : end() * width;
    int64_t have = column_.values == nullptr ? 0 : static_cast<int64_t>(column_.values->size());
    if (have < needed) Fail(fmt::format("values buffer has {} bytes, {} needed", have, needed));
  }

  void CheckOffsets() const {
    int64_t needed = (end() + 1) * 4;
    int64_t have = column_.values == nullptr ? 0 : static_cast<int64_t>(column_.values->size());
    if (have < needed) Fail(fmt::format("offsets buffer has {} bytes, {} needed", have, needed));
    const auto* offsets = reinterpret_cast<const int32_t*>(column_.values->data());
    int64_t data_size = column_.data == nullptr ? 0 : static_cast<int64_t>(column_.data->size());
    if (offsets[column_.offset] < 0) {
      FailRow(0, fmt::format("negative offset {}", offsets[column_.offset]));
    }
    for (int64_t i = 0; i < column_.length; ++i) {
      int32_t begin = offsets[column_.offset + i];
      int32_t stop = offsets[column_.offset + i + 1];
      if (stop < begin) FailRow(i, fmt::format("offsets decrease ({} after {})", stop, begin));
      if (stop > data_size) {
        FailRow(i, fmt::format("offset {} is past the {} bytes of data", stop, data_size));
      }
    }
  }

  void CheckUtf8() const {
    if (column_.length == 0) return;
    // Fast path: the whole byte range at once. Only when it fails (or a value starts inside a
    // character) look value by value to name the row.
    const auto* offsets = reinterpret_cast<const int32_t*>(column_.values->data());
    int32_t first = offsets[column_.offset];
    int32_t last = offsets[end()];
    std::string_view all;
    if (last > first) {
      all = {reinterpret_cast<const char*>(column_.data->data()) + first,
             static_cast<size_t>(last - first)};
    }
    if (IsValidUtf8(all) && !AnyOffsetInsideCharacter(first, last)) return;
    for (int64_t i = 0; i < column_.length; ++i) {
      if (column_.IsNull(i)) continue;
      size_t bad = 0;
      std::string_view value = column_.StringAt(i);
      if (!IsValidUtf8(value, &bad)) {
        FailRow(i, fmt::format("invalid UTF-8 at byte {}; value: '{}'", bad,
                               TruncateForMessage(value.substr(0, bad))));
      }
    }
  }

  /// Whether a value boundary splits a multi-byte character (a continuation byte 10xxxxxx).
  bool AnyOffsetInsideCharacter(int32_t first, int32_t last) const {
    const auto* offsets = reinterpret_cast<const int32_t*>(column_.values->data());
    const uint8_t* bytes = column_.data == nullptr ? nullptr : column_.data->data();
    for (int64_t i = column_.offset + 1; i < end(); ++i) {
      int32_t o = offsets[i];
      if (o > first && o < last && (bytes[o] & 0xC0) == 0x80) return true;
    }
    return false;
  }

  void CheckDecimals() const {
    for (int64_t i = 0; i < column_.length; ++i) {
      if (column_.IsNull(i)) continue;
      Int128 v = column_.DecimalAt(i);
      if (!data_internal::FitsPrecision(v, column_.type.precision())) {
        FailRow(
            i, fmt::format("value {} does not fit DECIMAL({},{})", data_internal::Int128ToString(v),
                           column_.type.precision(), column_.type.scale()));
      }
    }
  }

  const Field& field_;
  const Column& column_;
  int64_t num_rows_;
};

}  // namespace

void DataChunk::Validate() const {
  if (columns_.size() != schema_->num_fields()) {
    throw SchemaError("data", "validate",
                      fmt::format("the schema has {} columns but the chunk {}",
                                  schema_->num_fields(), columns_.size()));
  }
  for (size_t i = 0; i < columns_.size(); ++i) {
    ColumnValidator(schema_->field(i), columns_[i], num_rows_).Run();
  }
}

}  // namespace sqlflow
