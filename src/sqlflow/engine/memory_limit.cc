// NormalizeMemoryLimit: the profile's memory_limit in the forms users write, as DuckDB's setting.

#include <cctype>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <unistd.h>

#include "sqlflow/common/error.h"
#include "sqlflow/common/strings.h"
#include "sqlflow/engine/engine.h"

namespace sqlflow::engine {

namespace {

constexpr const char* kAcceptedForms =
    "use bytes (1073741824), a size with a unit (512MB, 2GB, 1.5GB, 2GiB; units B, KB, MB, GB, "
    "TB, KiB, MiB, GiB, TiB) or a percentage of physical memory (75%)";

struct Unit {
  const char* name;  // lower case, as matched
  const char* canonical;
  double bytes;
};

// DuckDB's own units: KB/MB/GB/TB are powers of 1000, KiB/MiB/GiB/TiB powers of 1024.
constexpr Unit kUnits[] = {
    {"b", "B", 1.0},
    {"bytes", "B", 1.0},
    {"kb", "KB", 1e3},
    {"mb", "MB", 1e6},
    {"gb", "GB", 1e9},
    {"tb", "TB", 1e12},
    {"kib", "KiB", 1024.0},
    {"mib", "MiB", 1024.0 * 1024},
    {"gib", "GiB", 1024.0 * 1024 * 1024},
    {"tib", "TiB", 1024.0 * 1024 * 1024 * 1024},
};

[[noreturn]] void Reject(std::string_view text, std::string_view why) {
  throw ConfigError(fmt::format("invalid memory_limit '{}': {}", text, why), kAcceptedForms);
}

// Split "1.5 GB" into its number ("1.5") and unit ("gb", lower case); false when the number
// is not plain digits with at most one decimal point.
bool SplitAmount(std::string_view text, std::string* number, std::string* unit) {
  size_t i = 0;
  bool digits = false;
  bool point = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits = true;
    } else if (c == '.' && !point) {
      point = true;
    } else {
      break;
    }
  }
  if (!digits) return false;
  *number = std::string(text.substr(0, i));
  *unit = ToLower(Trim(text.substr(i)));
  return true;
}

int64_t PhysicalMemoryBytes() {
  long pages = sysconf(_SC_PHYS_PAGES);
  long page_size = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page_size <= 0) return -1;
  return static_cast<int64_t>(pages) * page_size;
}

std::string PercentOfMemory(std::string_view text, double percent) {
  if (percent <= 0 || percent > 100)
    Reject(text, "a percentage must be more than 0 and at most 100");
  int64_t total = PhysicalMemoryBytes();
  if (total <= 0) Reject(text, "the physical memory size is unknown; give a size instead");
  auto bytes = static_cast<int64_t>(std::floor(static_cast<double>(total) * percent / 100.0));
  return fmt::format("{}B", bytes);
}

}  // namespace

std::string NormalizeMemoryLimit(std::string_view text) {
  std::string_view trimmed = Trim(text);
  if (trimmed.empty()) Reject(text, "it is empty");
  if (trimmed.front() == '-') Reject(text, "it must be more than 0");
  std::string number;
  std::string unit;
  if (!SplitAmount(trimmed, &number, &unit)) Reject(text, "it does not start with a number");
  const double amount = std::stod(number);
  const bool whole = number.find('.') == std::string::npos;
  if (unit == "%") return PercentOfMemory(text, amount);
  if (amount <= 0) Reject(text, "it must be more than 0");
  if (unit.empty()) unit = "b";
  for (const Unit& u : kUnits) {
    if (unit != u.name) continue;
    const double bytes = amount * u.bytes;
    if (bytes > 9.0e18) Reject(text, "it is too large");
    if (bytes < 1) Reject(text, "it is less than one byte");
    // A whole number keeps its unit ("2GB"); a fraction becomes bytes ("1.5GB" → 1500000000B).
    if (whole) return number.erase(0, number.find_first_not_of('0')) + u.canonical;
    return fmt::format("{}B", static_cast<int64_t>(std::floor(bytes)));
  }
  Reject(text, fmt::format("unknown unit '{}'", std::string(Trim(trimmed.substr(number.size())))));
}

}  // namespace sqlflow::engine
