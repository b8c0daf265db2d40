// bench_gen_orders: write a deterministic orders CSV for the benchmarks.
//
//   bench_gen_orders ROWS OUT.csv [SEED]
//
// Columns: order_id BIGINT (1..ROWS), customer_id INT, amount DECIMAL(12,2), status TEXT (six
// values), created_at TIMESTAMP (second precision, non-decreasing with order_id), token
// (32 characters of [0-9a-z]). About 85 bytes a row: 5,000,000 rows make ~430 MB. The rows
// depend only on SEED and their index, so the first N rows of a bigger file equal a file of
// N rows (the doubling check compares like with like).
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

/// splitmix64: tiny, fast and good enough to make varied benchmark data.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, n) (the modulo bias is irrelevant here).
  uint64_t Below(uint64_t n) { return Next() % n; }

 private:
  uint64_t state_;
};

/// Days since 1970-01-01 → civil date (Howard Hinnant's algorithm).
void CivilFromDays(int64_t z, int* year, unsigned* month, unsigned* day) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *day = doy - (153 * mp + 2) / 5 + 1;
  *month = mp < 10 ? mp + 3 : mp - 9;
  *year = static_cast<int>(yoe + era * 400) + (*month <= 2 ? 1 : 0);
}

char* Put2(char* p, unsigned v) {
  p[0] = static_cast<char>('0' + v / 10);
  p[1] = static_cast<char>('0' + v % 10);
  return p + 2;
}

/// Write "YYYY-MM-DD HH:MM:SS".
char* PutTimestamp(char* p, int64_t epoch_seconds) {
  const int64_t days = epoch_seconds / 86400;
  const auto secs = static_cast<unsigned>(epoch_seconds % 86400);
  int year = 0;
  unsigned month = 0;
  unsigned day = 0;
  CivilFromDays(days, &year, &month, &day);
  p = std::to_chars(p, p + 4, year).ptr;
  *p++ = '-';
  p = Put2(p, month);
  *p++ = '-';
  p = Put2(p, day);
  *p++ = ' ';
  p = Put2(p, secs / 3600);
  *p++ = ':';
  p = Put2(p, secs / 60 % 60);
  *p++ = ':';
  return Put2(p, secs % 60);
}

/// Write cents as "123.45".
char* PutAmount(char* p, uint64_t cents) {
  p = std::to_chars(p, p + 20, cents / 100).ptr;
  *p++ = '.';
  return Put2(p, static_cast<unsigned>(cents % 100));
}

constexpr const char* kStatuses[] = {"pending",   "paid",      "shipped",
                                     "delivered", "cancelled", "refunded"};
// Weights out of 100, in kStatuses order: most orders are delivered.
constexpr unsigned kStatusWeights[] = {8, 12, 15, 55, 6, 4};
constexpr char kTokenAlphabet[] = "0123456789abcdefghijklmnopqrstuvwxyz";
constexpr int64_t kStartEpoch = 1672531200;  // 2023-01-01 00:00:00 UTC
constexpr size_t kBufferSize = 4 << 20;
constexpr size_t kMaxRowBytes = 160;

const char* PickStatus(uint64_t r) {
  unsigned x = static_cast<unsigned>(r % 100);
  for (size_t i = 0; i < std::size(kStatuses); ++i) {
    if (x < kStatusWeights[i]) return kStatuses[i];
    x -= kStatusWeights[i];
  }
  return kStatuses[0];
}

/// Append row `i` (1-based order id) to `p`.
char* PutRow(char* p, int64_t order_id, uint64_t seed, int64_t* clock) {
  // One generator per row, seeded by the row: rows do not depend on ROWS.
  Rng rng(seed ^ (static_cast<uint64_t>(order_id) * 0xD1B54A32D192ED03ULL));
  p = std::to_chars(p, p + 20, order_id).ptr;
  *p++ = ',';
  p = std::to_chars(p, p + 20, 1 + rng.Below(2'000'000)).ptr;
  *p++ = ',';
  // Mostly small baskets, a long tail up to 99,999.99.
  const uint64_t cents = rng.Below(8) == 0 ? 100 + rng.Below(9'999'900) : 100 + rng.Below(300'000);
  p = PutAmount(p, cents);
  *p++ = ',';
  const char* status = PickStatus(rng.Next());
  const size_t status_len = std::strlen(status);
  std::memcpy(p, status, status_len);
  p += status_len;
  *p++ = ',';
  *clock += static_cast<int64_t>(rng.Below(7));  // ~3 s between orders on average
  p = PutTimestamp(p, kStartEpoch + *clock);
  *p++ = ',';
  for (int k = 0; k < 32; k += 8) {
    uint64_t r = rng.Next();
    for (int j = 0; j < 8; ++j) {
      *p++ = kTokenAlphabet[r % 36];
      r /= 36;
    }
  }
  *p++ = '\n';
  return p;
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "bench_gen_orders: %s\n", message.c_str());
  return 1;
}

bool ParseU64(const char* text, uint64_t* out) {
  const char* end = text + std::strlen(text);
  auto [ptr, ec] = std::from_chars(text, end, *out);
  return ec == std::errc() && ptr == end;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3 || argc > 4) {
    std::fprintf(stderr, "usage: bench_gen_orders ROWS OUT.csv [SEED]\n");
    return 2;
  }
  uint64_t rows = 0;
  uint64_t seed = 20240611;
  if (!ParseU64(argv[1], &rows)) return Fail(std::string("bad ROWS '") + argv[1] + "'");
  if (argc == 4 && !ParseU64(argv[3], &seed)) {
    return Fail(std::string("bad SEED '") + argv[3] + "'");
  }
  std::FILE* out = std::fopen(argv[2], "wb");
  if (out == nullptr) return Fail(std::string(argv[2]) + ": " + std::strerror(errno));

  std::vector<char> buffer(kBufferSize);
  char* p = buffer.data();
  const char* flush_at = buffer.data() + buffer.size() - kMaxRowBytes;
  const char kHeader[] = "order_id,customer_id,amount,status,created_at,token\n";
  std::memcpy(p, kHeader, sizeof(kHeader) - 1);
  p += sizeof(kHeader) - 1;
  uint64_t bytes = 0;
  int64_t clock = 0;
  for (uint64_t i = 1; i <= rows; ++i) {
    p = PutRow(p, static_cast<int64_t>(i), seed, &clock);
    if (p >= flush_at || i == rows) {
      const size_t n = static_cast<size_t>(p - buffer.data());
      if (std::fwrite(buffer.data(), 1, n, out) != n) {
        return Fail(std::string(argv[2]) + ": write failed: " + std::strerror(errno));
      }
      bytes += n;
      p = buffer.data();
    }
  }
  if (rows == 0)
    bytes += std::fwrite(buffer.data(), 1, static_cast<size_t>(p - buffer.data()), out);
  if (std::fclose(out) != 0) {
    return Fail(std::string(argv[2]) + ": close failed: " + std::strerror(errno));
  }
  std::printf("rows=%llu bytes=%llu\n", static_cast<unsigned long long>(rows),
              static_cast<unsigned long long>(bytes));
  return 0;
}
