// CopyBinaryDecoder: COPY binary rows read straight into ColumnBuilders. One decode function
// per column is chosen in the constructor; the row loop reads big-endian lengths and calls it.
// Value functions report problems through a Status and the loop throws (DataError) once.
#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include "sqlflow/common/error.h"
#include "sqlflow/connectors/postgres/pg_copy.h"
#include "sqlflow/connectors/postgres/pg_copy_internal.h"
#include "sqlflow/connectors/postgres/pg_types.h"
#include "sqlflow/data/value.h"

namespace sqlflow::pg {

namespace {

using internal::Load16;
using internal::Load32;
using internal::Load64;

enum class Status : uint8_t {
  kOk,
  kNaN,
  kPosInf,
  kNegInf,
  kTooManyDigits,  ///< More digits than the DECIMAL holds (either side of the point).
  kBadNumeric,
  kBadJsonb,
  kDateRange,
  kTimestampRange,
};

struct ColumnDecoder;
using DecodeFn = Status (*)(const uint8_t* p, int32_t len, ColumnBuilder& b,
                            const ColumnDecoder& c);

/// How one column is decoded, chosen once from its OID and type.
struct ColumnDecoder {
  DecodeFn fn = nullptr;
  uint32_t oid = 0;
  int32_t fixed_len = 0;  ///< The exact field length of a fixed-width type; 0 for others.
  int scale = 0;          ///< DECIMAL only.
  Int128 limit = 0;       ///< DECIMAL only: 10^precision.
};

Status DecodeBool(const uint8_t* p, int32_t, ColumnBuilder& b, const ColumnDecoder&) {
  b.AppendBool(p[0] != 0);
  return Status::kOk;
}
Status DecodeInt2(const uint8_t* p, int32_t, ColumnBuilder& b, const ColumnDecoder&) {
  b.AppendInt(static_cast<int16_t>(Load16(p)));
  return Status::kOk;
}
Status DecodeInt4(const uint8_t* p, int32_t, ColumnBuilder& b, const ColumnDecoder&) {
  b.AppendInt(static_cast<int32_t>(Load32(p)));
  return Status::kOk;
}
Status DecodeInt8(const uint8_t* p, int32_t, ColumnBuilder& b, const ColumnDecoder&) {
  b.AppendInt(static_cast<int64_t>(Load64(p)));
  return Status::kOk;
}
Status DecodeOid(const uint8_t* p, int32_t, ColumnBuilder& b, const ColumnDecoder&) {
  b.AppendInt(Load32(p));
  return Status::kOk;
}
// tid: uint32 block, uint16 offset → TidValue.
Status DecodeTid(const uint8_t* p, int32_t, ColumnBuilder& b, const ColumnDecoder&) {
  b.AppendInt(TidValue(Load32(p), static_cast<uint16_t>(Load16(p + 4))));
  return Status::kOk;
}
Status DecodeFloat4(const uint8_t* p, int32_t, ColumnBuilder& b, const ColumnDecoder&) {
  uint32_t bits = Load32(p);
  float v;
  std::memcpy(&v, &bits, sizeof(v));
  b.AppendDouble(v);
  return Status::kOk;
}
Status DecodeFloat8(const uint8_t* p, int32_t, ColumnBuilder& b, const ColumnDecoder&) {
  uint64_t bits = Load64(p);
  double v;
  std::memcpy(&v, &bits, sizeof(v));
  b.AppendDouble(v);
  return Status::kOk;
}
Status DecodeText(const uint8_t* p, int32_t len, ColumnBuilder& b, const ColumnDecoder&) {
  b.AppendString({reinterpret_cast<const char*>(p), static_cast<size_t>(len)});
  return Status::kOk;
}

/// "char": one byte, shown as PostgreSQL's charout shows it ('\0' is empty, bytes past ASCII
/// as \ooo octal).
Status DecodeChar(const uint8_t* p, int32_t, ColumnBuilder& b, const ColumnDecoder&) {
  unsigned char c = p[0];
  char text[4];
  size_t n = 0;
  if (c >= 0x80) {
    text[0] = '\\';
    text[1] = static_cast<char>('0' + (c >> 6));
    text[2] = static_cast<char>('0' + ((c >> 3) & 7));
    text[3] = static_cast<char>('0' + (c & 7));
    n = 4;
  } else if (c != 0) {
    text[0] = static_cast<char>(c);
    n = 1;
  }
  b.AppendString({text, n});
  return Status::kOk;
}

Status DecodeJsonb(const uint8_t* p, int32_t len, ColumnBuilder& b, const ColumnDecoder&) {
  if (len < 1 || p[0] != 1) return Status::kBadJsonb;
  b.AppendString({reinterpret_cast<const char*>(p) + 1, static_cast<size_t>(len - 1)});
  return Status::kOk;
}

Status DecodeUuid(const uint8_t* p, int32_t, ColumnBuilder& b, const ColumnDecoder&) {
  char text[36];
  FormatUuid(p, text);
  b.AppendString({text, sizeof(text)});
  return Status::kOk;
}

Status DecodeDate(const uint8_t* p, int32_t, ColumnBuilder& b, const ColumnDecoder&) {
  auto v = static_cast<int32_t>(Load32(p));
  if (v == std::numeric_limits<int32_t>::max() || v == std::numeric_limits<int32_t>::min()) {
    b.AppendInt(v);  // ±infinity: the same sentinels in DuckDB.
    return Status::kOk;
  }
  int64_t days = int64_t{v} + kPgEpochDays;
  if (days >= std::numeric_limits<int32_t>::max()) return Status::kDateRange;
  b.AppendInt(days);
  return Status::kOk;
}

Status DecodeTime(const uint8_t* p, int32_t, ColumnBuilder& b, const ColumnDecoder&) {
  b.AppendInt(static_cast<int64_t>(Load64(p)));
  return Status::kOk;
}

Status DecodeTimestamp(const uint8_t* p, int32_t, ColumnBuilder& b, const ColumnDecoder&) {
  auto v = static_cast<int64_t>(Load64(p));
  if (v == std::numeric_limits<int64_t>::max() || v == std::numeric_limits<int64_t>::min()) {
    b.AppendInt(v);
    return Status::kOk;
  }
  int64_t micros = 0;
  if (__builtin_add_overflow(v, kPgEpochMicros, &micros) ||
      micros == std::numeric_limits<int64_t>::max()) {
    return Status::kTimestampRange;
  }
  b.AppendInt(micros);
  return Status::kOk;
}

/// numeric → DECIMAL(p,s): digit i is worth 10^e in units of the unscaled value, with
/// e = 4 * (weight - i) + s. Horner's rule over the digits; a digit straddling the point keeps
/// only its leading decimal digits, which must leave an exact value.
Status DecodeNumeric(const uint8_t* p, int32_t len, ColumnBuilder& b, const ColumnDecoder& c) {
  static constexpr int kPow10[] = {1, 10, 100, 1000, 10000};
  if (len < 8) return Status::kBadNumeric;
  int ndigits = static_cast<int16_t>(Load16(p));
  int weight = static_cast<int16_t>(Load16(p + 2));
  uint16_t sign = Load16(p + 4);
  if (ndigits < 0 || len != 8 + 2 * ndigits) return Status::kBadNumeric;
  if (sign == internal::kNumericNaN) return Status::kNaN;
  if (sign == internal::kNumericPInf) return Status::kPosInf;
  if (sign == internal::kNumericNInf) return Status::kNegInf;
  if (sign != internal::kNumericPos && sign != internal::kNumericNeg) return Status::kBadNumeric;
  Int128 acc = 0;
  int unit = 0;  // acc counts units of 10^unit.
  for (int i = 0; i < ndigits; ++i) {
    int d = Load16(p + 8 + 2 * i);
    if (d >= internal::kNumericBase) return Status::kBadNumeric;
    int e = 4 * (weight - i) + c.scale;
    if (e >= 0) {
      if (__builtin_mul_overflow(acc, internal::kNumericBase, &acc)) return Status::kTooManyDigits;
      acc += d;
      unit = e;
    } else if (e > -4) {
      int drop = -e;
      if (d % kPow10[drop] != 0) return Status::kTooManyDigits;
      if (__builtin_mul_overflow(acc, kPow10[4 - drop], &acc)) return Status::kTooManyDigits;
      acc += d / kPow10[drop];
      unit = 0;
    } else if (d != 0) {
      return Status::kTooManyDigits;
    }
    if (acc >= c.limit) return Status::kTooManyDigits;
  }
  if (unit > 0 && acc != 0) {
    if (unit > 38 || __builtin_mul_overflow(acc, Pow10(unit), &acc) || acc >= c.limit) {
      return Status::kTooManyDigits;
    }
  }
  b.AppendDecimal(sign == internal::kNumericNeg ? -acc : acc);
  return Status::kOk;
}

/// A numeric field as text, for messages ("-12.50", "NaN"); "" when malformed.
std::string NumericText(const uint8_t* p, int32_t len) {
  if (len < 8) return "";
  int ndigits = static_cast<int16_t>(Load16(p));
  int weight = static_cast<int16_t>(Load16(p + 2));
  uint16_t sign = Load16(p + 4);
  int dscale = Load16(p + 6) & 0x3FFF;
  if (sign == internal::kNumericNaN) return "NaN";
  if (sign == internal::kNumericPInf) return "Infinity";
  if (sign == internal::kNumericNInf) return "-Infinity";
  if (ndigits < 0 || len != 8 + 2 * ndigits) return "";
  auto group = [&](int w) {
    int i = weight - w;
    return fmt::format("{:04d}", i >= 0 && i < ndigits ? Load16(p + 8 + 2 * i) : 0);
  };
  std::string whole;
  for (int w = std::max(weight, 0); w >= 0; --w) whole += group(w);
  size_t first = whole.find_first_not_of('0');
  whole = first == std::string::npos ? "0" : whole.substr(first);
  std::string fraction;
  for (int w = -1; static_cast<int>(fraction.size()) < dscale; --w) fraction += group(w);
  fraction.resize(static_cast<size_t>(dscale));
  std::string text = sign == internal::kNumericNeg ? "-" + whole : whole;
  return dscale > 0 ? text + "." + fraction : text;
}

/// The decoder for `oid` into `type`, or fn == nullptr when there is none.
ColumnDecoder ChooseDecoder(uint32_t oid, const DataType& type) {
  ColumnDecoder c;
  c.oid = oid;
  const TypeId id = type.id();
  auto is = [&](bool ok, DecodeFn fn, int32_t fixed_len) {
    if (ok) {
      c.fn = fn;
      c.fixed_len = fixed_len;
    }
  };
  switch (oid) {
    case kBoolOid:
      is(id == TypeId::kBoolean, DecodeBool, 1);
      break;
    case kInt2Oid:
      is(type.is_integer(), DecodeInt2, 2);
      break;
    case kInt4Oid:
      is(type.is_integer(), DecodeInt4, 4);
      break;
    case kInt8Oid:
      is(type.is_integer(), DecodeInt8, 8);
      break;
    case kOidOid:
      is(type.is_integer(), DecodeOid, 4);
      break;
    case kTidOid:
      is(id == TypeId::kInt64, DecodeTid, 6);
      break;
    case kFloat4Oid:
      is(type.is_floating(), DecodeFloat4, 4);
      break;
    case kFloat8Oid:
      is(type.is_floating(), DecodeFloat8, 8);
      break;
    case kNumericOid:
      is(id == TypeId::kDecimal, DecodeNumeric, 0);
      c.scale = type.scale();
      c.limit = Pow10(std::clamp(type.precision(), 1, 38));
      break;
    case kTextOid:
    case kVarcharOid:
    case kBpcharOid:
    case kNameOid:
    case kJsonOid:
    case kByteaOid:
      is(type.is_variable_width(), DecodeText, 0);
      break;
    case kCharOid:
      is(type.is_variable_width(), DecodeChar, 1);
      break;
    case kJsonbOid:
      is(type.is_variable_width(), DecodeJsonb, 0);
      break;
    case kUuidOid:
      is(type.is_variable_width(), DecodeUuid, 16);
      break;
    case kDateOid:
      is(id == TypeId::kDate, DecodeDate, 4);
      break;
    case kTimeOid:
      is(id == TypeId::kTime, DecodeTime, 8);
      break;
    case kTimestampOid:
    case kTimestamptzOid:
      is(id == TypeId::kTimestamp, DecodeTimestamp, 8);
      break;
    default:
      break;
  }
  return c;
}

}  // namespace

struct CopyBinaryDecoder::Impl {
  enum class State { kHeader, kRows, kDone };

  std::shared_ptr<const Schema> schema;
  std::vector<ColumnDecoder> decoders;
  std::vector<ColumnBuilder> builders;
  int64_t batch_size = 0;
  CopyContext context;
  State state = State::kHeader;
  int64_t rows = 0;
  int64_t pending = 0;
  std::string partial;  ///< The start of a unit (header or row) not complete yet.
  size_t need = 0;      ///< Bytes `partial` must reach before the unit can be decoded further.

  size_t Step(const uint8_t* p, size_t n);
  size_t StepHeader(const uint8_t* p, size_t n);
  size_t StepRow(const uint8_t* p, size_t n);
  size_t Incomplete(size_t columns_done, size_t needed);

  [[noreturn]] void ThrowStream(int64_t line, const std::string& message) const;
  [[noreturn]] void ThrowValue(size_t column, Status status, const uint8_t* p, int32_t len) const;
  [[noreturn]] void ThrowLength(size_t column, int32_t len) const;
};

/// Decode one unit (the header, a row or the trailer) at the start of [p, p + n): return the
/// bytes it took, or 0 when it is not all there (then `need` is how many bytes it takes).
size_t CopyBinaryDecoder::Impl::Step(const uint8_t* p, size_t n) {
  switch (state) {
    case State::kHeader:
      return StepHeader(p, n);
    case State::kRows:
      return StepRow(p, n);
    case State::kDone:
      break;
  }
  ThrowStream(0, "unexpected data after the end-of-data marker");
}

size_t CopyBinaryDecoder::Impl::StepHeader(const uint8_t* p, size_t n) {
  const size_t sig = internal::kCopySignature.size();
  if (std::string_view(reinterpret_cast<const char*>(p), std::min(n, sig)) !=
      internal::kCopySignature.substr(0, std::min(n, sig))) {
    ThrowStream(0, "not a COPY binary stream (bad signature)");
  }
  if (n < internal::kCopyHeaderSize) return Incomplete(0, internal::kCopyHeaderSize);
  uint32_t flags = Load32(p + sig);
  // Bits 0-15 are critical by definition; bit 16 (OIDs included) changes every row.
  if ((flags & 0x1FFFF) != 0) {
    ThrowStream(0, fmt::format("unsupported COPY binary header flags 0x{:08X}", flags));
  }
  auto extension = static_cast<int32_t>(Load32(p + sig + 4));
  if (extension < 0) {
    ThrowStream(0, fmt::format("invalid COPY binary header extension length {}", extension));
  }
  size_t size = internal::kCopyHeaderSize + static_cast<size_t>(extension);
  if (n < size) return Incomplete(0, size);
  state = State::kRows;
  return size;
}

size_t CopyBinaryDecoder::Impl::StepRow(const uint8_t* p, size_t n) {
  if (n < 2) return Incomplete(0, 2);
  auto count = static_cast<int16_t>(Load16(p));
  if (count == -1) {
    state = State::kDone;
    return 2;
  }
  if (count != static_cast<int64_t>(decoders.size())) {
    ThrowStream(rows + 1, fmt::format("row has {} fields, expected {}", count, decoders.size()));
  }
  size_t pos = 2;
  for (size_t i = 0; i < decoders.size(); ++i) {
    if (n - pos < 4) return Incomplete(i, pos + 4);
    auto len = static_cast<int32_t>(Load32(p + pos));
    pos += 4;
    if (len < 0) {
      if (len != -1) ThrowLength(i, len);
      builders[i].AppendNull();
      continue;
    }
    if (n - pos < static_cast<size_t>(len)) return Incomplete(i, pos + static_cast<size_t>(len));
    const ColumnDecoder& c = decoders[i];
    if (c.fixed_len != 0 && len != c.fixed_len) ThrowLength(i, len);
    Status status = c.fn(p + pos, len, builders[i], c);
    if (status != Status::kOk) ThrowValue(i, status, p + pos, len);
    pos += static_cast<size_t>(len);
  }
  ++rows;
  ++pending;
  return pos;
}

/// Undo the columns of a row decoded so far and note how many bytes the row needs.
size_t CopyBinaryDecoder::Impl::Incomplete(size_t columns_done, size_t needed) {
  for (size_t i = 0; i < columns_done; ++i) builders[i].Truncate(pending);
  need = needed;
  return 0;
}

void CopyBinaryDecoder::Impl::ThrowStream(int64_t line, const std::string& message) const {
  DataLocation loc;
  loc.object = context.object;
  loc.line = line;
  throw DataError(context.connector, "read", std::move(loc), message);
}

void CopyBinaryDecoder::Impl::ThrowLength(size_t column, int32_t len) const {
  DataLocation loc{context.object, rows + 1, schema->field(column).name,
                   static_cast<int64_t>(column) + 1, ""};
  const ColumnDecoder& c = decoders[column];
  std::string message = len < 0 ? fmt::format("invalid field length {}", len)
                                : fmt::format("a {} field must have {} bytes, got {}",
                                              internal::OidName(c.oid), c.fixed_len, len);
  throw DataError(context.connector, "read", std::move(loc), message);
}

void CopyBinaryDecoder::Impl::ThrowValue(size_t column, Status status, const uint8_t* p,
                                         int32_t len) const {
  const Field& field = schema->field(column);
  DataLocation loc{context.object, rows + 1, field.name, static_cast<int64_t>(column) + 1, ""};
  std::string type = field.type.ToSql();
  std::string message;
  switch (status) {
    case Status::kNaN:
    case Status::kPosInf:
    case Status::kNegInf:
      loc.value = NumericText(p, len);
      message = fmt::format("cannot store numeric {} in {}", loc.value, type);
      break;
    case Status::kTooManyDigits:
      loc.value = TruncateForMessage(NumericText(p, len));
      message = fmt::format("numeric value does not fit {}", type);
      break;
    case Status::kBadNumeric:
      message = "malformed numeric value";
      break;
    case Status::kBadJsonb:
      message = "unsupported jsonb format (expected version 1)";
      break;
    case Status::kDateRange:
      message = "date out of range";
      break;
    case Status::kTimestampRange:
      message = "timestamp out of range";
      break;
    case Status::kOk:
      break;
  }
  throw DataError(context.connector, "read", std::move(loc), message);
}

CopyBinaryDecoder::CopyBinaryDecoder(std::shared_ptr<const Schema> schema,
                                     std::vector<uint32_t> oids, int64_t batch_size,
                                     CopyContext context)
    : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  if (schema->num_fields() != oids.size()) {
    throw SchemaError(
        context.connector, "read",
        fmt::format("{} column types for {} columns", oids.size(), schema->num_fields()));
  }
  m.batch_size = std::max<int64_t>(batch_size, 1);
  for (size_t i = 0; i < oids.size(); ++i) {
    const Field& field = schema->field(i);
    ColumnDecoder c = ChooseDecoder(oids[i], field.type);
    if (c.fn == nullptr) {
      throw SchemaError(context.connector, "read",
                        fmt::format("column '{}' of type {} cannot be decoded as {}", field.name,
                                    internal::OidName(oids[i]), field.type.ToSql()));
    }
    m.decoders.push_back(c);
    m.builders.emplace_back(field.type);
    m.builders.back().Reserve(std::min<int64_t>(m.batch_size, int64_t{1} << 16));
  }
  m.schema = std::move(schema);
  m.context = std::move(context);
}

CopyBinaryDecoder::~CopyBinaryDecoder() = default;

bool CopyBinaryDecoder::Feed(std::string_view bytes) {
  Impl& m = *impl_;
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  size_t n = bytes.size();
  // Complete the unit left over from before, taking only the bytes it needs, so that the
  // rest is decoded in place.
  while (!m.partial.empty() && n > 0) {
    size_t take = std::min(m.need - m.partial.size(), n);
    m.partial.append(reinterpret_cast<const char*>(p), take);
    p += take;
    n -= take;
    if (m.partial.size() < m.need) break;
    if (m.Step(reinterpret_cast<const uint8_t*>(m.partial.data()), m.partial.size()) > 0) {
      m.partial.clear();  // A unit ends exactly where its last need did.
    }
  }
  while (n > 0) {
    size_t used = m.Step(p, n);
    if (used == 0) {
      m.partial.assign(reinterpret_cast<const char*>(p), n);
      break;
    }
    p += used;
    n -= used;
  }
  return m.pending >= m.batch_size;
}

bool CopyBinaryDecoder::done() const { return impl_->state == Impl::State::kDone; }

int64_t CopyBinaryDecoder::rows() const { return impl_->rows; }

int64_t CopyBinaryDecoder::pending_rows() const { return impl_->pending; }

DataChunk CopyBinaryDecoder::TakeChunk(bool at_end) {
  Impl& m = *impl_;
  if (at_end && m.state != Impl::State::kDone) {
    if (m.state == Impl::State::kRows && !m.partial.empty()) {
      m.ThrowStream(m.rows + 1, "COPY data ended in the middle of a row");
    }
    m.ThrowStream(0, "COPY data ended before the end-of-data marker");
  }
  std::vector<Column> columns;
  columns.reserve(m.builders.size());
  for (ColumnBuilder& b : m.builders) columns.push_back(b.Finish());
  int64_t num_rows = m.pending;
  m.pending = 0;
  return DataChunk(m.schema, std::move(columns), num_rows);
}

}  // namespace sqlflow::pg
