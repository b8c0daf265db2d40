#include <cstdint>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "sqlflow/common/error.h"
#include "sqlflow/engine/engine.h"

namespace sqlflow::engine {
namespace {

std::string ConfigErrorOf(const std::string& text) {
  try {
    NormalizeMemoryLimit(text);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(NormalizeMemoryLimit, KeepsWholeSizesWithTheirUnit) {
  EXPECT_EQ(NormalizeMemoryLimit("2GB"), "2GB");
  EXPECT_EQ(NormalizeMemoryLimit("2 gb"), "2GB");
  EXPECT_EQ(NormalizeMemoryLimit("  512MB "), "512MB");
  EXPECT_EQ(NormalizeMemoryLimit("2GiB"), "2GiB");
  EXPECT_EQ(NormalizeMemoryLimit("64 kib"), "64KiB");
  EXPECT_EQ(NormalizeMemoryLimit("1TB"), "1TB");
  EXPECT_EQ(NormalizeMemoryLimit("100b"), "100B");
}

TEST(NormalizeMemoryLimit, ReadsABareNumberAsBytes) {
  EXPECT_EQ(NormalizeMemoryLimit("1073741824"), "1073741824B");
  EXPECT_EQ(NormalizeMemoryLimit("1073741824 bytes"), "1073741824B");
}

TEST(NormalizeMemoryLimit, TurnsFractionsIntoBytes) {
  EXPECT_EQ(NormalizeMemoryLimit("1.5GB"), "1500000000B");
  EXPECT_EQ(NormalizeMemoryLimit("0.5 GiB"), "536870912B");
}

TEST(NormalizeMemoryLimit, TakesAPercentageOfPhysicalMemory) {
  int64_t total = static_cast<int64_t>(sysconf(_SC_PHYS_PAGES)) * sysconf(_SC_PAGE_SIZE);
  EXPECT_EQ(NormalizeMemoryLimit("100%"), fmt::format("{}B", total));
  EXPECT_EQ(NormalizeMemoryLimit("50 %"), fmt::format("{}B", total / 2));
  std::string quarter = NormalizeMemoryLimit("25%");
  EXPECT_EQ(quarter, fmt::format("{}B", total / 4));
}

TEST(NormalizeMemoryLimit, RejectsBadValuesNamingTheAcceptedForms) {
  const std::string forms =
      "(use bytes (1073741824), a size with a unit (512MB, 2GB, 1.5GB, 2GiB; units B, KB, MB, "
      "GB, TB, KiB, MiB, GiB, TiB) or a percentage of physical memory (75%))";
  EXPECT_EQ(ConfigErrorOf("lots"),
            "invalid memory_limit 'lots': it does not start with a number " + forms);
  EXPECT_EQ(ConfigErrorOf("0"), "invalid memory_limit '0': it must be more than 0 " + forms);
  EXPECT_EQ(ConfigErrorOf("0GB"), "invalid memory_limit '0GB': it must be more than 0 " + forms);
  EXPECT_EQ(
      ConfigErrorOf("150%"),
      "invalid memory_limit '150%': a percentage must be more than 0 and at most 100 " + forms);
  EXPECT_EQ(ConfigErrorOf("-1GB"), "invalid memory_limit '-1GB': it must be more than 0 " + forms);
  EXPECT_EQ(ConfigErrorOf("2 parsecs"),
            "invalid memory_limit '2 parsecs': unknown unit 'parsecs' " + forms);
  EXPECT_EQ(ConfigErrorOf(""), "invalid memory_limit '': it is empty " + forms);
}

TEST(NormalizeMemoryLimit, ErrorKeepsTheSuggestionApart) {
  try {
    NormalizeMemoryLimit("lots");
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.message(), "invalid memory_limit 'lots': it does not start with a number");
    EXPECT_EQ(e.suggestion().rfind("use bytes (1073741824)", 0), 0u);
    EXPECT_FALSE(e.retryable());
  }
}

}  // namespace
}  // namespace sqlflow::engine
