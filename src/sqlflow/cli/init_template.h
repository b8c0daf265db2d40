#pragma once

#include <cstdint>
#include <string>
#include <vector>

/// The content of a project made by `sqlflow init`: sample data, a pipeline, profiles and a
/// README. Everything is a pure function of the options, so a project is the same on every
/// machine (the tests check exact aggregates of its output).
namespace sqlflow::cli {

/// SplitMix64 (Steele, Lea and Flood): a tiny generator whose output is fixed by the seed on
/// every platform. std::uniform_int_distribution is not used: libstdc++ and libc++ may map the
/// same engine output to different values.
class SampleRandom {
 public:
  explicit SampleRandom(uint64_t seed) : state_(seed) {}

  /// The next 64 random bits.
  uint64_t Next();
  /// A value in [low, high] (both inclusive; low <= high).
  int64_t Uniform(int64_t low, int64_t high);
  /// True with probability percent / 100.
  bool Chance(int percent) { return Uniform(1, 100) <= percent; }
  /// An index in [0, weights.size()) drawn with the given (positive) weights.
  size_t Weighted(const std::vector<int>& weights);

 private:
  uint64_t state_;
};

/// How much sample data to generate.
struct SampleDataOptions {
  int customers = 1000;      ///< Rows of data/customers.csv.
  int products = 200;        ///< Rows of data/products.csv.
  int orders = 5000;         ///< Rows of data/orders.csv.
  uint64_t seed = 20240101;  ///< Same seed, same bytes.
};

/// customer_id,first_name,last_name,email,country,city,segment,signup_date
std::string CustomersCsv(const SampleDataOptions& options);
/// product_id,sku,name,category,unit_price (prices with two decimals)
std::string ProductsCsv(const SampleDataOptions& options);
/// order_id,customer_id,product_id,order_date,quantity,status (dates through 2024, in order)
std::string OrdersCsv(const SampleDataOptions& options);

/// "2024-03-05" for a count of days since 1970-01-01.
std::string DateFromDays(int64_t days);

/// One file of a new project.
struct TemplateFile {
  std::string path;  ///< Relative to the project directory ("data/orders.csv").
  std::string content;
  std::string description;  ///< What it is, for the listing `init` prints.
};

/// The name of the sample pipeline ("customer_analytics").
extern const char* const kSamplePipeline;

/// Every file of a new project called `name` (used in the README).
std::vector<TemplateFile> ProjectTemplate(const std::string& name,
                                          const SampleDataOptions& options = {});

}  // namespace sqlflow::cli
