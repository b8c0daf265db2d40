// Import of Arrow arrays: zero-copy for the layouts SQLFlow stores natively, a conversion (one
// copy) for the others. Every check happens once per column, never per value.

#include <cstring>
#include <limits>

#include <fmt/format.h>

#include "sqlflow/common/error.h"
#include "sqlflow/data/arrow_internal.h"
#include "sqlflow/data/data_internal.h"

namespace sqlflow {

namespace {

using data_internal::BitmapBytes;

/// The imported struct array, released exactly once: when the last Buffer wrapping its memory
/// (and the import itself) let go of this holder.
struct ImportedArray {
  ArrowArray array{};
  ImportedArray() = default;
  ImportedArray(const ImportedArray&) = delete;
  ImportedArray& operator=(const ImportedArray&) = delete;
  ~ImportedArray() {
    if (array.release != nullptr) array.release(&array);
  }
};

template <typename T>
T Load(const void* base, int64_t index) {
  T v;
  std::memcpy(&v, static_cast<const uint8_t*>(base) + index * static_cast<int64_t>(sizeof(T)),
              sizeof(T));
  return v;
}

constexpr int64_t kMaxBytes = std::numeric_limits<int32_t>::max();

/// Turns one child array into a Column following its plan.
class ColumnImporter {
 public:
  ColumnImporter(const ArrowColumnPlan& plan, const Field& field, const ArrowArray& child,
                 int64_t parent_offset, int64_t length, const std::shared_ptr<void>& holder)
      : plan_(plan), field_(field), child_(child), length_(length), holder_(holder) {
    offset_ = child.offset + parent_offset;
    CheckShape(parent_offset);
    out_.type = field.type;
    out_.length = length;
    validity_ = plan.layout == ArrowLayout::kNull || child.n_buffers == 0
                    ? nullptr
                    : static_cast<const uint8_t*>(child.buffers[0]);
    out_.null_count = CountNulls(parent_offset);
  }

  Column Run() {
    switch (plan_.layout) {
      case ArrowLayout::kFixed:
      case ArrowLayout::kBoolean:
        ImportFixed();
        break;
      case ArrowLayout::kVariable:
        ImportVariable();
        break;
      case ArrowLayout::kLargeVariable:
        ImportLargeVariable();
        break;
      case ArrowLayout::kView:
        ImportView();
        break;
      case ArrowLayout::kRescale:
        ImportRescaled();
        break;
      case ArrowLayout::kFixedBinary:
        ImportFixedBinary();
        break;
      case ArrowLayout::kUuid:
        ImportUuid();
        break;
      case ArrowLayout::kNull:
        ImportNull();
        break;
    }
    return std::move(out_);
  }

 private:
  [[noreturn]] void Fail(const std::string& message) const {
    throw SchemaError(
        "data", "import",
        fmt::format("column '{}' (Arrow format '{}'): {}", field_.name, plan_.format, message));
  }

  int64_t ExpectedBuffers() const {
    switch (plan_.layout) {
      case ArrowLayout::kVariable:
      case ArrowLayout::kLargeVariable:
        return 3;
      case ArrowLayout::kView:
        return -3;  // At least 3: validity, views, variadic data buffers..., their sizes.
      case ArrowLayout::kNull:
        return 0;
      default:
        return 2;
    }
  }

  void CheckShape(int64_t parent_offset) const {
    int64_t expected = ExpectedBuffers();
    if (expected >= 0 ? child_.n_buffers != expected && plan_.layout != ArrowLayout::kNull
                      : child_.n_buffers < -expected) {
      Fail(fmt::format("{} buffers, expected {}", child_.n_buffers, expected));
    }
    if (child_.n_children != 0) Fail("unexpected child arrays");
    if (child_.offset < 0 || child_.length < 0) Fail("negative offset or length");
    if (child_.length < parent_offset + length_) {
      Fail(fmt::format("{} rows, but the struct needs {}", child_.length, parent_offset + length_));
    }
    // The values (or offsets, or views) buffer is required once there are rows; a data buffer
    // may be null when every string is empty.
    if (length_ > 0 && child_.n_buffers >= 2 && child_.buffers[1] == nullptr) {
      Fail("the values buffer is null");
    }
  }

  int64_t CountNulls(int64_t parent_offset) const {
    if (plan_.layout == ArrowLayout::kNull) return length_;
    if (child_.null_count == 0) return 0;
    if (validity_ == nullptr) {
      if (child_.null_count > 0) {
        Fail(fmt::format("null_count is {} but there is no validity bitmap", child_.null_count));
      }
      return 0;
    }
    if (child_.null_count > 0 && parent_offset == 0 && length_ == child_.length) {
      return child_.null_count;
    }
    return data_internal::CountNulls(validity_, offset_, length_);  // null_count -1: unknown.
  }

  std::shared_ptr<Buffer> Wrap(const void* data, int64_t size) const {
    return Buffer::Wrap(data, static_cast<size_t>(size), holder_);
  }
  bool IsValid(int64_t i) const {
    return validity_ == nullptr || data_internal::GetBit(validity_, offset_ + i);
  }
  /// Converted columns start at offset 0, so their bitmap is copied to start there too.
  void CopyValidity() {
    if (out_.null_count > 0) out_.validity = data_internal::CopyBitmap(validity_, offset_, length_);
  }

  void ImportFixed() {
    if (length_ == 0) {
      out_.values = Buffer::Allocate(0);
      return;
    }
    int64_t width = field_.type.byte_width();
    int64_t end = offset_ + length_;
    out_.offset = offset_;
    if (out_.null_count > 0) out_.validity = Wrap(validity_, BitmapBytes(end));
    out_.values = Wrap(child_.buffers[1], width == 0 ? BitmapBytes(end) : end * width);
  }

  void ImportVariable() {
    if (length_ == 0) {
      out_.values = Buffer::Allocate(sizeof(int32_t));
      out_.data = Buffer::Allocate(0);
      return;
    }
    int64_t end = offset_ + length_;
    int32_t data_size = Load<int32_t>(child_.buffers[1], end);
    if (data_size < 0) Fail(fmt::format("negative offset {}", data_size));
    if (data_size > 0 && child_.buffers[2] == nullptr) Fail("the data buffer is null");
    out_.offset = offset_;
    if (out_.null_count > 0) out_.validity = Wrap(validity_, BitmapBytes(end));
    out_.values = Wrap(child_.buffers[1], (end + 1) * 4);
    out_.data =
        child_.buffers[2] == nullptr ? Buffer::Allocate(0) : Wrap(child_.buffers[2], data_size);
  }

  /// Build offsets + bytes from `get(i)` (the bytes of valid row i); NULL rows are empty.
  template <typename Get>
  void BuildVariable(Get get) {
    CopyValidity();
    int64_t total = 0;
    for (int64_t i = 0; i < length_; ++i) {
      if (IsValid(i)) total += static_cast<int64_t>(get(i).size());
    }
    if (total > kMaxBytes) {
      Fail(
          fmt::format("{} bytes of values exceed the 2 GB a chunk column can hold; read "
                      "smaller batches",
                      total));
    }
    out_.values = Buffer::Allocate(static_cast<size_t>(length_ + 1) * sizeof(int32_t));
    out_.data = Buffer::Allocate(static_cast<size_t>(total));
    auto* offsets = reinterpret_cast<int32_t*>(out_.values->mutable_data());
    uint8_t* data = out_.data->mutable_data();
    int32_t pos = 0;
    for (int64_t i = 0; i < length_; ++i) {
      offsets[i] = pos;
      if (!IsValid(i)) continue;
      std::string_view bytes = get(i);
      if (!bytes.empty()) std::memcpy(data + pos, bytes.data(), bytes.size());
      pos += static_cast<int32_t>(bytes.size());
    }
    offsets[length_] = pos;
  }

  void ImportLargeVariable() {
    const void* offsets = child_.buffers[1];
    const auto* data = static_cast<const char*>(child_.buffers[2]);
    bool bad = false;
    BuildVariable([&](int64_t i) {
      int64_t begin = Load<int64_t>(offsets, offset_ + i);
      int64_t stop = Load<int64_t>(offsets, offset_ + i + 1);
      if (begin < 0 || stop < begin || (stop > begin && data == nullptr)) {
        bad = true;
        return std::string_view();
      }
      if (stop == begin) return std::string_view();
      return std::string_view(data + begin, static_cast<size_t>(stop - begin));
    });
    if (bad) Fail("offsets are negative or decrease");
  }

  void ImportView() {
    int64_t n_data = child_.n_buffers - 3;
    const auto* views = static_cast<const uint8_t*>(child_.buffers[1]);
    bool bad = false;
    BuildVariable([&](int64_t i) {
      const uint8_t* view = views + (offset_ + i) * 16;
      int32_t size = Load<int32_t>(view, 0);
      if (size <= 12) {
        return std::string_view(reinterpret_cast<const char*>(view + 4),
                                static_cast<size_t>(std::max(size, 0)));
      }
      int32_t index = Load<int32_t>(view + 8, 0);
      int32_t start = Load<int32_t>(view + 12, 0);
      if (index < 0 || index >= n_data || start < 0) {
        bad = true;
        return std::string_view();
      }
      const auto* buffer = static_cast<const char*>(child_.buffers[2 + index]);
      return std::string_view(buffer + start, static_cast<size_t>(size));
    });
    if (bad) Fail("a string view points to a data buffer that does not exist");
  }

  void ImportFixedBinary() {
    const auto* data = static_cast<const char*>(child_.buffers[1]);
    auto width = static_cast<size_t>(plan_.source_width);
    BuildVariable([&](int64_t i) {
      return std::string_view(data + static_cast<size_t>(offset_ + i) * width, width);
    });
  }

  void ImportUuid() {
    const auto* data = static_cast<const uint8_t*>(child_.buffers[1]);
    char text[36];
    BuildVariable([&](int64_t i) {
      FormatUuid(data + (offset_ + i) * 16, text);
      return std::string_view(text, sizeof(text));
    });
  }

  void ImportRescaled() {
    CopyValidity();
    const int out_width = field_.type.byte_width();
    out_.values = Buffer::Allocate(static_cast<size_t>(length_ * out_width));
    uint8_t* dst = out_.values->mutable_data();
    int64_t first_bad = -1;
    for (int64_t i = 0; i < length_; ++i) {
      int64_t v = plan_.source_width == 4 ? Load<int32_t>(child_.buffers[1], offset_ + i)
                                          : Load<int64_t>(child_.buffers[1], offset_ + i);
      int64_t r = 0;
      bool overflow = __builtin_mul_overflow(v, plan_.multiply, &r);
      r = data_internal::FloorDiv(r, plan_.divide);
      if (out_width == 4) {
        overflow |=
            r < std::numeric_limits<int32_t>::min() || r > std::numeric_limits<int32_t>::max();
        auto narrow = static_cast<int32_t>(r);
        std::memcpy(dst + i * 4, &narrow, 4);
      } else {
        std::memcpy(dst + i * 8, &r, 8);
      }
      if (overflow && first_bad < 0 && IsValid(i)) first_bad = i;
    }
    if (first_bad >= 0) {
      Fail(fmt::format("row {}: value out of range for {}", first_bad, field_.type.ToSql()));
    }
  }

  void ImportNull() {
    out_.validity = Buffer::Allocate(static_cast<size_t>(BitmapBytes(length_)));
    out_.values = Buffer::Allocate(static_cast<size_t>(length_ + 1) * sizeof(int32_t));
    out_.data = Buffer::Allocate(0);
    if (length_ == 0) out_.validity = nullptr;
  }

  const ArrowColumnPlan& plan_;
  const Field& field_;
  const ArrowArray& child_;
  int64_t length_;
  const std::shared_ptr<void>& holder_;
  int64_t offset_ = 0;
  const uint8_t* validity_ = nullptr;
  Column out_;
};

}  // namespace

Column ImportArrowColumn(const ArrowColumnPlan& plan, const Field& field, const ArrowArray& child,
                         int64_t parent_offset, int64_t length,
                         const std::shared_ptr<void>& holder) {
  return ColumnImporter(plan, field, child, parent_offset, length, holder).Run();
}

DataChunk ArrowImporter::Import(ArrowArray* array) const {
  if (array == nullptr || array->release == nullptr) {
    data_internal::ThrowSchemaError("import", "the Arrow array is null or already released");
  }
  auto holder = std::make_shared<ImportedArray>();
  holder->array = *array;
  array->release = nullptr;  // Moved: the holder releases it.
  const ArrowArray& a = holder->array;
  if (a.n_children != static_cast<int64_t>(schema_->num_fields())) {
    data_internal::ThrowSchemaError(
        "import", fmt::format("the Arrow array has {} columns but its schema {}", a.n_children,
                              schema_->num_fields()));
  }
  if (a.length < 0 || a.offset < 0) {
    data_internal::ThrowSchemaError("import", "negative Arrow array length or offset");
  }
  if (a.n_buffers > 0 && a.buffers != nullptr && a.buffers[0] != nullptr && a.null_count != 0 &&
      data_internal::CountNulls(static_cast<const uint8_t*>(a.buffers[0]), a.offset, a.length) >
          0) {
    data_internal::ThrowSchemaError(
        "import", "the Arrow struct array has NULL rows; only its columns may hold NULLs");
  }
  std::vector<Column> columns;
  columns.reserve(schema_->num_fields());
  std::shared_ptr<void> owner = holder;
  for (size_t i = 0; i < schema_->num_fields(); ++i) {
    columns.push_back(ImportArrowColumn(plan_->columns[i], schema_->field(i), *a.children[i],
                                        a.offset, a.length, owner));
  }
  return DataChunk(schema_, std::move(columns), a.length);
}

}  // namespace sqlflow
