#include "sqlflow/cli/init_template.h"

#include <map>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqlflow/common/strings.h"

namespace sqlflow::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

std::vector<std::vector<std::string>> Rows(const std::string& csv) {
  std::vector<std::vector<std::string>> rows;
  for (const std::string& line : Split(csv, '\n')) {
    if (!line.empty()) rows.push_back(Split(line, ','));
  }
  return rows;
}

TEST(InitTemplateTest, SampleRandomIsSplitMix64) {
  // Reference values of SplitMix64 seeded with 0 (from the published C implementation).
  SampleRandom random(0);
  EXPECT_EQ(random.Next(), 0xE220A8397B1DCDAFULL);
  EXPECT_EQ(random.Next(), 0x6E789E6AA1B965F4ULL);
  EXPECT_EQ(random.Next(), 0x06C45D188009454FULL);
}

TEST(InitTemplateTest, UniformAndWeightedStayInRange) {
  SampleRandom random(42);
  std::set<int64_t> seen;
  for (int i = 0; i < 1000; ++i) {
    int64_t v = random.Uniform(3, 7);
    ASSERT_GE(v, 3);
    ASSERT_LE(v, 7);
    seen.insert(v);
    ASSERT_LT(random.Weighted({1, 0, 5}), 3u);
    ASSERT_NE(random.Weighted({1, 0, 5}), 1u);  // A zero weight is never drawn.
  }
  EXPECT_EQ(seen.size(), 5u);
  EXPECT_EQ(random.Uniform(9, 9), 9);
}

TEST(InitTemplateTest, DateFromDays) {
  EXPECT_EQ(DateFromDays(0), "1970-01-01");
  EXPECT_EQ(DateFromDays(19723), "2024-01-01");
  EXPECT_EQ(DateFromDays(19723 + 59), "2024-02-29");
  EXPECT_EQ(DateFromDays(19723 + 365), "2024-12-31");
  EXPECT_EQ(DateFromDays(-1), "1969-12-31");
}

TEST(InitTemplateTest, DataIsDeterministicAndSized) {
  SampleDataOptions options;
  EXPECT_EQ(CustomersCsv(options), CustomersCsv(options));
  EXPECT_EQ(OrdersCsv(options), OrdersCsv(options));
  auto customers = Rows(CustomersCsv(options));
  auto products = Rows(ProductsCsv(options));
  auto orders = Rows(OrdersCsv(options));
  ASSERT_EQ(customers.size(), 1001u);
  ASSERT_EQ(products.size(), 201u);
  ASSERT_EQ(orders.size(), 5001u);
  EXPECT_EQ(Join(customers[0], ","),
            "customer_id,first_name,last_name,email,country,city,segment,signup_date");
  EXPECT_EQ(Join(products[0], ","), "product_id,sku,name,category,unit_price");
  EXPECT_EQ(Join(orders[0], ","), "order_id,customer_id,product_id,order_date,quantity,status");
  // No field needs CSV quoting: every row has the header's column count.
  for (const auto& row : customers) ASSERT_EQ(row.size(), 8u) << Join(row, ",");
  for (const auto& row : products) ASSERT_EQ(row.size(), 5u) << Join(row, ",");
  for (const auto& row : orders) ASSERT_EQ(row.size(), 6u) << Join(row, ",");

  SampleDataOptions other;
  other.seed = 7;
  EXPECT_NE(CustomersCsv(options), CustomersCsv(other));
}

TEST(InitTemplateTest, OrdersReferenceExistingRowsInDateOrder) {
  SampleDataOptions options;
  auto orders = Rows(OrdersCsv(options));
  std::map<std::string, int> statuses;
  std::string previous = "2024-01-01";
  for (size_t i = 1; i < orders.size(); ++i) {
    const auto& o = orders[i];
    EXPECT_EQ(o[0], std::to_string(i));
    int customer = std::stoi(o[1]);
    int product = std::stoi(o[2]);
    ASSERT_TRUE(customer >= 1 && customer <= options.customers) << o[1];
    ASSERT_TRUE(product >= 1 && product <= options.products) << o[2];
    ASSERT_GE(o[3], previous);
    previous = o[3];
    int quantity = std::stoi(o[4]);
    ASSERT_TRUE(quantity >= 1 && quantity <= 5);
    ++statuses[o[5]];
  }
  EXPECT_EQ(orders[1][3], "2024-01-01");
  EXPECT_EQ(previous, "2024-12-31");
  EXPECT_EQ(statuses.size(), 4u);
  EXPECT_GT(statuses["completed"], 3500);
}

TEST(InitTemplateTest, PricesHaveTwoDecimals) {
  auto products = Rows(ProductsCsv(SampleDataOptions{}));
  for (size_t i = 1; i < products.size(); ++i) {
    EXPECT_TRUE(EndsWith(products[i][4], ".99")) << products[i][4];
    EXPECT_EQ(products[i][1].size(), 7u) << products[i][1];  // "EL-0001"
  }
}

TEST(InitTemplateTest, ProjectFiles) {
  std::vector<TemplateFile> files = ProjectTemplate("shop");
  std::map<std::string, std::string> by_path;
  for (const TemplateFile& f : files) by_path[f.path] = f.content;
  ASSERT_EQ(by_path.count("pipelines/customer_analytics.sf"), 1u);
  ASSERT_EQ(by_path.count("profiles/dev.yml"), 1u);
  ASSERT_EQ(by_path.count("profiles/prod.yml"), 1u);
  ASSERT_EQ(by_path.count("data/orders.csv"), 1u);
  EXPECT_THAT(by_path["README.md"], StartsWith("# shop\n"));
  EXPECT_THAT(by_path["README.md"], HasSubstr("| `data/orders.csv` | 5000 orders"));
  EXPECT_THAT(by_path["profiles/dev.yml"], HasSubstr("mode: memory"));
  EXPECT_THAT(by_path["profiles/prod.yml"], HasSubstr("path: target/prod.duckdb"));
  const std::string& sf = by_path["pipelines/customer_analytics.sf"];
  EXPECT_THAT(sf, HasSubstr("${output_dir|output}/top_customers.csv"));
  EXPECT_THAT(sf, HasSubstr("TYPE PARQUET"));
  EXPECT_THAT(sf, HasSubstr("OVER (PARTITION BY"));
}

}  // namespace
}  // namespace sqlflow::cli
