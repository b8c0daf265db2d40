#include "sqlflow/data/data_internal.h"

#include <array>

#include "sqlflow/common/error.h"

namespace sqlflow::data_internal {

int64_t CountSetBits(const uint8_t* bits, int64_t offset, int64_t length) {
  int64_t count = 0;
  int64_t i = offset;
  int64_t end = offset + length;
  while (i < end && (i & 63) != 0) count += GetBit(bits, i++);
  for (; i + 64 <= end; i += 64) {
    uint64_t word;
    std::memcpy(&word, bits + (i >> 3), sizeof(word));
    count += std::popcount(word);
  }
  while (i < end) count += GetBit(bits, i++);
  return count;
}

void CopyBits(const uint8_t* src, int64_t src_offset, int64_t length, uint8_t* dst,
              int64_t dst_offset) {
  if (length <= 0) return;
  if ((src_offset & 7) == 0 && (dst_offset & 7) == 0) {
    int64_t whole = length >> 3;
    std::memcpy(dst + (dst_offset >> 3), src + (src_offset >> 3), static_cast<size_t>(whole));
    for (int64_t i = whole * 8; i < length; ++i) {
      SetBitTo(dst, dst_offset + i, GetBit(src, src_offset + i));
    }
    return;
  }
  for (int64_t i = 0; i < length; ++i) {
    SetBitTo(dst, dst_offset + i, GetBit(src, src_offset + i));
  }
}

std::shared_ptr<Buffer> CopyBitmap(const uint8_t* bits, int64_t offset, int64_t length) {
  if (bits == nullptr) return nullptr;
  auto out = Buffer::Allocate(static_cast<size_t>(BitmapBytes(length)));
  CopyBits(bits, offset, length, out->mutable_data(), 0);
  return out;
}

std::string Int128ToString(Int128 v) {
  // Work on the magnitude as unsigned so the most negative value does not overflow.
  __extension__ typedef unsigned __int128 UInt128;
  bool negative = v < 0;
  UInt128 magnitude = negative ? UInt128(0) - static_cast<UInt128>(v) : static_cast<UInt128>(v);
  char digits[48];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + static_cast<int>(magnitude % 10));
    magnitude /= 10;
  } while (magnitude != 0);
  std::string out;
  out.reserve(static_cast<size_t>(n) + 1);
  if (negative) out += '-';
  while (n > 0) out += digits[--n];
  return out;
}

void ThrowSchemaError(const char* operation, std::string message) {
  throw SchemaError("data", operation, std::move(message));
}

}  // namespace sqlflow::data_internal
