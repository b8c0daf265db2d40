// CopyBinaryEncoder: DataChunks written as COPY binary rows. One encode function per column is
// chosen in the constructor; Encode() sizes the output once and writes through a pointer.
// A value that does not fit its target makes the function return nullptr, and Encode() throws
// a DataError for it, leaving the output as it was.
#include <cstdlib>
#include <limits>
#include <utility>

#include <fmt/format.h>

#include "sqlflow/common/error.h"
#include "sqlflow/connectors/postgres/pg_copy.h"
#include "sqlflow/connectors/postgres/pg_copy_internal.h"
#include "sqlflow/connectors/postgres/pg_types.h"

namespace sqlflow::pg {

namespace {

using internal::Store16;
using internal::Store32;
using internal::Store64;

/// The buffers of one column of the chunk being encoded.
struct ColumnView {
  const uint8_t* values = nullptr;
  const uint8_t* data = nullptr;
  int64_t offset = 0;
  int scale = 0;

  template <typename T>
  T Get(int64_t row) const {
    T v;
    std::memcpy(&v, values + (offset + row) * static_cast<int64_t>(sizeof(T)), sizeof(T));
    return v;
  }
  std::string_view Bytes(int64_t row) const {
    auto begin = Get<int32_t>(row);
    auto end = Get<int32_t>(row + 1);
    if (end <= begin) return {};
    return {reinterpret_cast<const char*>(data) + begin, static_cast<size_t>(end - begin)};
  }
};

/// Write field `row` (length word and bytes) at `p`; return the byte after, or nullptr when
/// the value does not fit the target.
using EncodeFn = uint8_t* (*)(const ColumnView& v, int64_t row, uint8_t* p);

/// Bytes of the longest numeric EncodeNumeric writes: 8 header bytes and at most 11 digits
/// (38 decimal digits plus up to 3 of padding to the base-10000 groups).
constexpr size_t kMaxNumericBytes = 8 + 2 * 12;

template <typename U>
int NumericGroups(U abs, int scale, uint16_t* groups) {
  static constexpr uint32_t kPow10[] = {1, 10, 100, 1000, 10000};
  int nfrac = (scale + 3) / 4;
  int pad = nfrac * 4 - scale;
  int n = 0;
  if (nfrac > 0) {
    uint32_t low_div = kPow10[4 - pad];  // The last group holds only 4 - pad real digits.
    groups[n++] = static_cast<uint16_t>(static_cast<uint32_t>(abs % low_div) * kPow10[pad]);
    abs /= low_div;
    for (int i = 1; i < nfrac; ++i) {
      groups[n++] = static_cast<uint16_t>(abs % 10000);
      abs /= 10000;
    }
  }
  while (abs != 0) {
    groups[n++] = static_cast<uint16_t>(abs % 10000);
    abs /= 10000;
  }
  return n;
}

/// Write unscaled / 10^scale as a numeric field in canonical form: no leading or trailing zero
/// digits, dscale = scale.
uint8_t* EncodeNumeric(uint8_t* p, Int128 unscaled, int scale) {
  bool negative = unscaled < 0;
  internal::UInt128 abs = negative ? -static_cast<internal::UInt128>(unscaled)
                                   : static_cast<internal::UInt128>(unscaled);
  uint16_t groups[24];  // Least significant first; group k has weight k - nfrac.
  int n = abs <= std::numeric_limits<uint64_t>::max()
              ? NumericGroups(static_cast<uint64_t>(abs), scale, groups)
              : NumericGroups(abs, scale, groups);
  int nfrac = (scale + 3) / 4;
  int hi = n - 1;
  while (hi >= 0 && groups[hi] == 0) --hi;
  int lo = 0;
  while (lo <= hi && groups[lo] == 0) ++lo;
  int ndigits = hi >= lo ? hi - lo + 1 : 0;
  int weight = ndigits > 0 ? hi - nfrac : 0;
  p = Store32(p, static_cast<uint32_t>(8 + 2 * ndigits));
  p = Store16(p, static_cast<uint16_t>(ndigits));
  p = Store16(p, static_cast<uint16_t>(weight));
  p = Store16(p, ndigits > 0 && negative ? internal::kNumericNeg : internal::kNumericPos);
  p = Store16(p, static_cast<uint16_t>(scale));
  for (int k = hi; k >= lo; --k) p = Store16(p, groups[k]);
  return p;
}

template <typename Dst>
uint8_t* StoreInt(uint8_t* p, Dst x) {
  p = Store32(p, sizeof(Dst));
  if constexpr (sizeof(Dst) == 2) return Store16(p, static_cast<uint16_t>(x));
  if constexpr (sizeof(Dst) == 4) return Store32(p, static_cast<uint32_t>(x));
  return Store64(p, static_cast<uint64_t>(x));
}

template <typename Src, typename Dst>
uint8_t* EncodeInteger(const ColumnView& v, int64_t row, uint8_t* p) {
  Src x = v.Get<Src>(row);
  if (!std::in_range<Dst>(x)) return nullptr;
  return StoreInt<Dst>(p, static_cast<Dst>(x));
}

template <typename Src>
uint8_t* EncodeIntegerNumeric(const ColumnView& v, int64_t row, uint8_t* p) {
  return EncodeNumeric(p, static_cast<Int128>(v.Get<Src>(row)), 0);
}

template <typename Src>
EncodeFn IntegerEncoder(uint32_t oid) {
  switch (oid) {
    case kInt2Oid:
      return EncodeInteger<Src, int16_t>;
    case kInt4Oid:
      return EncodeInteger<Src, int32_t>;
    case kInt8Oid:
      return EncodeInteger<Src, int64_t>;
    case kNumericOid:
      return EncodeIntegerNumeric<Src>;
    default:
      return nullptr;
  }
}

template <typename Dst>
uint8_t* EncodeDecimalInteger(const ColumnView& v, int64_t row, uint8_t* p) {
  Int128 x = v.Get<Int128>(row);
  if (x < std::numeric_limits<Dst>::min() || x > std::numeric_limits<Dst>::max()) return nullptr;
  return StoreInt<Dst>(p, static_cast<Dst>(x));
}

uint8_t* EncodeDecimal(const ColumnView& v, int64_t row, uint8_t* p) {
  return EncodeNumeric(p, v.Get<Int128>(row), v.scale);
}

/// The double nearest to unscaled / 10^scale: one correctly rounded division when both are
/// exact doubles, else strtod of the text.
double DecimalToDouble(Int128 unscaled, int scale) {
  static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                      1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  constexpr Int128 kExact = Int128{1} << 53;
  if (scale == 0) return static_cast<double>(unscaled);
  if (unscaled > -kExact && unscaled < kExact && scale <= 22) {
    return static_cast<double>(static_cast<int64_t>(unscaled)) / kPow10[scale];
  }
  return std::strtod(FormatDecimal(unscaled, scale).c_str(), nullptr);
}

uint8_t* EncodeDecimalFloat8(const ColumnView& v, int64_t row, uint8_t* p) {
  double d = DecimalToDouble(v.Get<Int128>(row), v.scale);
  uint64_t bits;
  std::memcpy(&bits, &d, sizeof(bits));
  return Store64(Store32(p, 8), bits);
}

template <typename Src, typename Dst>
uint8_t* EncodeFloat(const ColumnView& v, int64_t row, uint8_t* p) {
  auto d = static_cast<Dst>(v.Get<Src>(row));
  if constexpr (sizeof(Dst) == 4) {
    uint32_t bits;
    std::memcpy(&bits, &d, sizeof(bits));
    return Store32(Store32(p, 4), bits);
  } else {
    uint64_t bits;
    std::memcpy(&bits, &d, sizeof(bits));
    return Store64(Store32(p, 8), bits);
  }
}

uint8_t* EncodeBool(const ColumnView& v, int64_t row, uint8_t* p) {
  int64_t i = v.offset + row;
  p = Store32(p, 1);
  *p = (v.values[i >> 3] >> (i & 7)) & 1;
  return p + 1;
}

uint8_t* EncodeBytes(const ColumnView& v, int64_t row, uint8_t* p) {
  std::string_view s = v.Bytes(row);
  p = Store32(p, static_cast<uint32_t>(s.size()));
  if (!s.empty()) std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

uint8_t* EncodeJsonb(const ColumnView& v, int64_t row, uint8_t* p) {
  std::string_view s = v.Bytes(row);
  p = Store32(p, static_cast<uint32_t>(s.size() + 1));
  *p++ = 1;  // jsonb's binary format version.
  if (!s.empty()) std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

uint8_t* EncodeUuid(const ColumnView& v, int64_t row, uint8_t* p) {
  std::string_view s = v.Bytes(row);
  if (s.size() != 36) return nullptr;
  uint8_t bytes[16];
  size_t pos = 0;
  for (int i = 0; i < 16; ++i) {
    if (pos == 8 || pos == 13 || pos == 18 || pos == 23) {
      if (s[pos++] != '-') return nullptr;
    }
    int hi = HexValue(s[pos]);
    int lo = HexValue(s[pos + 1]);
    if (hi < 0 || lo < 0) return nullptr;
    bytes[i] = static_cast<uint8_t>(hi << 4 | lo);
    pos += 2;
  }
  p = Store32(p, 16);
  std::memcpy(p, bytes, 16);
  return p + 16;
}

uint8_t* EncodeDate(const ColumnView& v, int64_t row, uint8_t* p) {
  auto days = v.Get<int32_t>(row);
  if (days == std::numeric_limits<int32_t>::max() || days == std::numeric_limits<int32_t>::min()) {
    return StoreInt<int32_t>(p, days);  // ±infinity.
  }
  int64_t pg = int64_t{days} - kPgEpochDays;
  if (pg <= std::numeric_limits<int32_t>::min()) return nullptr;
  return StoreInt<int32_t>(p, static_cast<int32_t>(pg));
}

uint8_t* EncodeDateTimestamp(const ColumnView& v, int64_t row, uint8_t* p) {
  constexpr int64_t kMicrosPerDay = 86400LL * 1000000;
  auto days = v.Get<int32_t>(row);
  if (days == std::numeric_limits<int32_t>::max()) {
    return StoreInt<int64_t>(p, std::numeric_limits<int64_t>::max());
  }
  if (days == std::numeric_limits<int32_t>::min()) {
    return StoreInt<int64_t>(p, std::numeric_limits<int64_t>::min());
  }
  int64_t micros = 0;
  if (__builtin_mul_overflow(int64_t{days} - kPgEpochDays, kMicrosPerDay, &micros) ||
      micros == std::numeric_limits<int64_t>::min() ||
      micros == std::numeric_limits<int64_t>::max()) {
    return nullptr;
  }
  return StoreInt<int64_t>(p, micros);
}

uint8_t* EncodeTime(const ColumnView& v, int64_t row, uint8_t* p) {
  return StoreInt<int64_t>(p, v.Get<int64_t>(row));
}

uint8_t* EncodeTimestamp(const ColumnView& v, int64_t row, uint8_t* p) {
  auto micros = v.Get<int64_t>(row);
  if (micros == std::numeric_limits<int64_t>::max() ||
      micros == std::numeric_limits<int64_t>::min()) {
    return StoreInt<int64_t>(p, micros);
  }
  int64_t pg = 0;
  if (__builtin_sub_overflow(micros, kPgEpochMicros, &pg) ||
      pg == std::numeric_limits<int64_t>::min()) {
    return nullptr;
  }
  return StoreInt<int64_t>(p, pg);
}

EncodeFn TextEncoder(uint32_t oid) {
  return oid == kJsonbOid ? EncodeJsonb : oid == kUuidOid ? EncodeUuid : EncodeBytes;
}

EncodeFn FloatEncoder(TypeId id, uint32_t oid) {
  bool to4 = oid == kFloat4Oid;
  if (id == TypeId::kFloat32) return to4 ? EncodeFloat<float, float> : EncodeFloat<float, double>;
  return to4 ? EncodeFloat<double, float> : EncodeFloat<double, double>;
}

EncodeFn DecimalEncoder(uint32_t oid) {
  switch (oid) {
    case kNumericOid:
      return EncodeDecimal;
    case kFloat8Oid:
      return EncodeDecimalFloat8;
    case kInt2Oid:
      return EncodeDecimalInteger<int16_t>;
    case kInt4Oid:
      return EncodeDecimalInteger<int32_t>;
    default:
      return EncodeDecimalInteger<int64_t>;
  }
}

/// The encoder of `type` into `oid`; CannotEncode(type, oid) must be "".
EncodeFn ChooseEncoder(const DataType& type, uint32_t oid) {
  switch (type.id()) {
    case TypeId::kInt8:
      return IntegerEncoder<int8_t>(oid);
    case TypeId::kInt16:
      return IntegerEncoder<int16_t>(oid);
    case TypeId::kInt32:
      return IntegerEncoder<int32_t>(oid);
    case TypeId::kInt64:
      return IntegerEncoder<int64_t>(oid);
    case TypeId::kUInt8:
      return IntegerEncoder<uint8_t>(oid);
    case TypeId::kUInt16:
      return IntegerEncoder<uint16_t>(oid);
    case TypeId::kUInt32:
      return IntegerEncoder<uint32_t>(oid);
    case TypeId::kUInt64:
      return IntegerEncoder<uint64_t>(oid);
    case TypeId::kFloat32:
    case TypeId::kFloat64:
      return FloatEncoder(type.id(), oid);
    case TypeId::kDecimal:
      return DecimalEncoder(oid);
    case TypeId::kBoolean:
      return EncodeBool;
    case TypeId::kString:
    case TypeId::kJson:
    case TypeId::kBinary:
      return TextEncoder(oid);
    case TypeId::kDate:
      return oid == kDateOid ? EncodeDate : EncodeDateTimestamp;
    case TypeId::kTime:
      return EncodeTime;
    case TypeId::kTimestamp:
      return EncodeTimestamp;
  }
  return nullptr;
}

/// The most bytes (length word included) one non-null value of a fixed-size target takes.
size_t MaxFieldBytes(uint32_t oid) {
  switch (oid) {
    case kBoolOid:
      return 4 + 1;
    case kInt2Oid:
      return 4 + 2;
    case kInt4Oid:
    case kFloat4Oid:
    case kDateOid:
      return 4 + 4;
    case kNumericOid:
      return 4 + kMaxNumericBytes;
    case kUuidOid:
      return 4 + 16;
    case kJsonbOid:
      return 4 + 1;  // Plus the text.
    default:
      return 4 + 8;  // int8, float8, time, timestamps; text types: plus the text.
  }
}

}  // namespace

struct CopyBinaryEncoder::Impl {
  struct ColumnEncoder {
    EncodeFn fn = nullptr;
    uint32_t oid = 0;
    size_t max_bytes = 0;  ///< Per value, length word included (plus the text when variable).
    bool variable = false;
  };

  std::shared_ptr<const Schema> schema;
  std::vector<ColumnEncoder> encoders;
  CopyContext context;
  int64_t rows = 0;

  size_t MaxBytes(const DataChunk& chunk) const;
  [[noreturn]] void ThrowValue(const DataChunk& chunk, size_t column, int64_t row) const;
};

size_t CopyBinaryEncoder::Impl::MaxBytes(const DataChunk& chunk) const {
  auto n = static_cast<size_t>(chunk.num_rows());
  size_t total = 2 * n;
  for (size_t c = 0; c < encoders.size(); ++c) {
    const ColumnEncoder& e = encoders[c];
    total += e.max_bytes * n;
    const Column& col = chunk.column(c);
    if (e.variable && n > 0) {
      const auto* offsets = reinterpret_cast<const int32_t*>(col.values->data()) + col.offset;
      total += static_cast<size_t>(offsets[n] - offsets[0]);
    }
  }
  return total;
}

void CopyBinaryEncoder::Impl::ThrowValue(const DataChunk& chunk, size_t column, int64_t row) const {
  const Field& field = schema->field(column);
  const uint32_t oid = encoders[column].oid;
  const Column& col = chunk.column(column);
  // Dates and timestamps out of PostgreSQL's range are far out of the calendar too: shown
  // as numbers, which formatting them as dates could not do.
  std::string value =
      field.type.id() == TypeId::kDate
          ? fmt::format("{} days since 1970-01-01", col.ValueAt<int32_t>(row))
      : field.type.id() == TypeId::kTimestamp
          ? fmt::format("{} microseconds since 1970-01-01", col.ValueAt<int64_t>(row))
          : TruncateForMessage(col.GetValue(row).ToString());
  DataLocation loc{context.object, rows + row + 1, field.name, static_cast<int64_t>(column) + 1,
                   std::move(value)};
  std::string message = oid == kUuidOid ? "invalid UUID (expected 8-4-4-4-12 hexadecimal digits)"
                                        : "value out of range for type " + internal::OidName(oid);
  throw DataError(context.connector, "write", std::move(loc), message);
}

CopyBinaryEncoder::CopyBinaryEncoder(std::shared_ptr<const Schema> schema,
                                     std::vector<uint32_t> target_oids, CopyContext context)
    : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  if (schema->num_fields() != target_oids.size()) {
    throw SchemaError(context.connector, "write",
                      fmt::format("{} target column types for {} columns", target_oids.size(),
                                  schema->num_fields()));
  }
  for (size_t i = 0; i < target_oids.size(); ++i) {
    const Field& field = schema->field(i);
    std::string why = CannotEncode(field.type, target_oids[i]);
    if (!why.empty()) {
      throw SchemaError(context.connector, "write",
                        fmt::format("column '{}': {}", field.name, why));
    }
    Impl::ColumnEncoder e;
    e.fn = ChooseEncoder(field.type, target_oids[i]);
    e.oid = target_oids[i];
    e.variable = field.type.is_variable_width();
    e.max_bytes = e.variable && e.oid != kJsonbOid ? 4 : MaxFieldBytes(e.oid);
    m.encoders.push_back(e);
  }
  m.schema = std::move(schema);
  m.context = std::move(context);
}

CopyBinaryEncoder::~CopyBinaryEncoder() = default;

std::string_view CopyBinaryEncoder::Header() {
  static constexpr char kHeader[] = "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0";
  return {kHeader, internal::kCopyHeaderSize};
}

std::string_view CopyBinaryEncoder::Trailer() { return {"\xFF\xFF", 2}; }

void CopyBinaryEncoder::Encode(const DataChunk& chunk, std::string* out) {
  Impl& m = *impl_;
  if (chunk.num_columns() != m.encoders.size()) {
    throw SchemaError(m.context.connector, "write",
                      fmt::format("a chunk of {} columns for {} target columns",
                                  chunk.num_columns(), m.encoders.size()));
  }
  const size_t ncols = m.encoders.size();
  std::vector<ColumnView> views(ncols);
  std::vector<const uint8_t*> validity(ncols);
  std::vector<int64_t> offsets(ncols);
  for (size_t c = 0; c < ncols; ++c) {
    const Column& col = chunk.column(c);
    views[c] = {col.values ? col.values->data() : nullptr, col.data ? col.data->data() : nullptr,
                col.offset, col.type.scale()};
    validity[c] = col.null_count > 0 && col.validity ? col.validity->data() : nullptr;
    offsets[c] = col.offset;
  }
  const size_t start = out->size();
  out->resize(start + m.MaxBytes(chunk));
  auto* base = reinterpret_cast<uint8_t*>(out->data());
  uint8_t* p = base + start;
  for (int64_t r = 0; r < chunk.num_rows(); ++r) {
    p = Store16(p, static_cast<uint16_t>(ncols));
    for (size_t c = 0; c < ncols; ++c) {
      int64_t i = offsets[c] + r;
      if (validity[c] != nullptr && ((validity[c][i >> 3] >> (i & 7)) & 1) == 0) {
        p = Store32(p, 0xFFFFFFFF);
        continue;
      }
      uint8_t* next = m.encoders[c].fn(views[c], r, p);
      if (next == nullptr) {
        out->resize(start);
        m.ThrowValue(chunk, c, r);
      }
      p = next;
    }
  }
  out->resize(static_cast<size_t>(p - base));
  m.rows += chunk.num_rows();
}

int64_t CopyBinaryEncoder::rows() const { return impl_->rows; }

}  // namespace sqlflow::pg
