#pragma once

// Helpers shared by the .cc files of data/; never included from another component.

#include <bit>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "sqlflow/data/chunk.h"
#include "sqlflow/data/types.h"
#include "sqlflow/data/value.h"

namespace sqlflow::data_internal {

// ---- Bitmaps (Arrow: least significant bit first) ----

inline bool GetBit(const uint8_t* bits, int64_t i) { return (bits[i >> 3] >> (i & 7)) & 1; }
inline void SetBit(uint8_t* bits, int64_t i) {
  bits[i >> 3] |= static_cast<uint8_t>(1u << (i & 7));
}
inline void ClearBit(uint8_t* bits, int64_t i) {
  bits[i >> 3] &= static_cast<uint8_t>(~(1u << (i & 7)));
}
inline void SetBitTo(uint8_t* bits, int64_t i, bool v) {
  if (v) {
    SetBit(bits, i);
  } else {
    ClearBit(bits, i);
  }
}
/// Bytes needed for `bits` bits.
inline int64_t BitmapBytes(int64_t bits) { return (bits + 7) / 8; }

/// Count the set bits of bits[offset, offset + length).
int64_t CountSetBits(const uint8_t* bits, int64_t offset, int64_t length);
/// Copy `length` bits from src[src_offset...] to dst[dst_offset...].
void CopyBits(const uint8_t* src, int64_t src_offset, int64_t length, uint8_t* dst,
              int64_t dst_offset);
/// Return a new bitmap holding bits[offset, offset + length) at bit 0; null when `bits` is null.
std::shared_ptr<Buffer> CopyBitmap(const uint8_t* bits, int64_t offset, int64_t length);

/// The number of null rows of a column's range as its validity bitmap says (0 without one).
inline int64_t CountNulls(const uint8_t* validity, int64_t offset, int64_t length) {
  return validity == nullptr ? 0 : length - CountSetBits(validity, offset, length);
}

// ---- 128-bit integers ----

using ::sqlflow::Pow10;  // data/value.h
/// Decimal digits of `v` with a leading '-' when negative.
std::string Int128ToString(Int128 v);
/// Whether |v| < 10^precision.
inline bool FitsPrecision(Int128 v, int precision) {
  Int128 limit = Pow10(precision);
  return v < limit && v > -limit;
}
inline Int128 LoadInt128(const uint8_t* p) {
  Int128 v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}

// ---- Dates and times ----

constexpr int64_t kMicrosPerSecond = 1000000;
constexpr int64_t kMicrosPerDay = 86400 * kMicrosPerSecond;

/// Floor division (rounds toward negative infinity).
inline int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

// ---- Parsing ----

/// Parse the whole of `text` as a decimal int; false when empty, malformed or out of range.
inline bool ParseInt(std::string_view text, int* out) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

// ---- Errors ----

/// Throw SchemaError("data", operation, message).
[[noreturn]] void ThrowSchemaError(const char* operation, std::string message);

}  // namespace sqlflow::data_internal
