// What the COPY binary decoder and encoder share: big-endian loads and stores, powers of ten,
// the numeric format's constants and PostgreSQL's names of the types, for messages.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "sqlflow/data/types.h"

namespace sqlflow::pg::internal {

/// An unsigned 128-bit integer: the magnitude of a DECIMAL.
__extension__ typedef unsigned __int128 UInt128;

/// The 11-byte signature that starts every COPY binary stream.
inline constexpr std::string_view kCopySignature{"PGCOPY\n\377\r\n\0", 11};
/// Signature, flags and header-extension length.
inline constexpr size_t kCopyHeaderSize = 19;

/// Sign words of the numeric binary format (numeric.c).
inline constexpr uint16_t kNumericPos = 0x0000;
inline constexpr uint16_t kNumericNeg = 0x4000;
inline constexpr uint16_t kNumericNaN = 0xC000;
inline constexpr uint16_t kNumericPInf = 0xD000;
inline constexpr uint16_t kNumericNInf = 0xF000;
/// One base-10000 digit of a numeric.
inline constexpr int kNumericBase = 10000;

inline uint16_t Load16(const uint8_t* p) {
  uint16_t v;
  std::memcpy(&v, p, sizeof(v));
  return __builtin_bswap16(v);
}
inline uint32_t Load32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof(v));
  return __builtin_bswap32(v);
}
inline uint64_t Load64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof(v));
  return __builtin_bswap64(v);
}

/// Store big-endian at `p`; return the byte after.
inline uint8_t* Store16(uint8_t* p, uint16_t v) {
  v = __builtin_bswap16(v);
  std::memcpy(p, &v, sizeof(v));
  return p + sizeof(v);
}
inline uint8_t* Store32(uint8_t* p, uint32_t v) {
  v = __builtin_bswap32(v);
  std::memcpy(p, &v, sizeof(v));
  return p + sizeof(v);
}
inline uint8_t* Store64(uint8_t* p, uint64_t v) {
  v = __builtin_bswap64(v);
  std::memcpy(p, &v, sizeof(v));
  return p + sizeof(v);
}

/// PostgreSQL's name of a built-in type ("integer", "timestamp with time zone"), or "oid N".
std::string OidName(uint32_t oid);

}  // namespace sqlflow::pg::internal
