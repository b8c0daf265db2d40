// Integration tests of the project commands on the real `sqlflow` binary: `init` makes the
// sample project, `pipeline run` runs it, and the files it writes are compared with results
// computed here, independently, from the generated CSV files.
#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/sqlflow_binary.h"
#include <nlohmann/json.hpp>

namespace {

namespace fs = std::filesystem;
using ::sqlflow::testing::ProcessResult;
using ::sqlflow::testing::ReadFile;
using ::sqlflow::testing::WriteFile;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::StartsWith;

std::vector<std::string> SplitText(const std::string& text, char sep) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, sep)) parts.push_back(part);
  return parts;
}

// Rows of a CSV file without quoted fields (the generated data needs none), header dropped.
std::vector<std::vector<std::string>> CsvRows(const fs::path& path) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> lines = SplitText(ReadFile(path), '\n');
  for (size_t i = 1; i < lines.size(); ++i) {
    if (!lines[i].empty()) rows.push_back(SplitText(lines[i], ','));
  }
  return rows;
}

// "123.99" → 12399.
int64_t Cents(const std::string& price) {
  size_t dot = price.find('.');
  return std::stoll(price.substr(0, dot)) * 100 + std::stoll(price.substr(dot + 1));
}

std::string Money(int64_t cents) { return fmt::format("{}.{:02}", cents / 100, cents % 100); }

// What the sample pipeline computes, computed again from the generated CSV files.
struct Expected {
  std::string top_customers;       // output/top_customers.csv
  std::string revenue_by_country;  // output/revenue_by_country.csv
  std::string monthly_sales;       // output/monthly_sales.parquet, as CSV
  int64_t revenue_orders = 0;
};

struct CustomerTotals {
  std::string name, country, segment, first, last;
  int64_t orders = 0, items = 0, cents = 0;
};

std::string TopCustomersCsv(const std::map<int64_t, CustomerTotals>& totals, int min_orders) {
  std::vector<std::pair<int64_t, const CustomerTotals*>> rows;
  for (const auto& [id, t] : totals) rows.push_back({id, &t});
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return a.second->cents != b.second->cents ? a.second->cents > b.second->cents
                                              : a.first < b.first;
  });
  std::string csv =
      "customer_id,name,country,segment,orders,items,revenue,first_order,last_order,"
      "country_rank\n";
  for (const auto& [id, t] : rows) {
    int64_t rank = 1;  // rank(): 1 + customers of the country with more revenue.
    for (const auto& [other_id, o] : totals)
      rank += (o.country == t->country && o.cents > t->cents);
    if (t->orders < min_orders) continue;
    csv += fmt::format("{},{},{},{},{},{},{},{},{},{}\n", id, t->name, t->country, t->segment,
                       t->orders, t->items, Money(t->cents), t->first, t->last, rank);
  }
  return csv;
}

std::string RevenueByCountryCsv(const std::map<int64_t, CustomerTotals>& totals) {
  std::map<std::string, std::pair<int64_t, int64_t>> countries;  // customers, cents
  for (const auto& [id, t] : totals) {
    ++countries[t.country].first;
    countries[t.country].second += t.cents;
  }
  std::vector<std::pair<std::string, std::pair<int64_t, int64_t>>> by_revenue(countries.begin(),
                                                                              countries.end());
  std::sort(by_revenue.begin(), by_revenue.end(), [](const auto& a, const auto& b) {
    return a.second.second != b.second.second ? a.second.second > b.second.second
                                              : a.first < b.first;
  });
  std::string csv = "country,customers,revenue\n";
  for (const auto& [country, v] : by_revenue) {
    csv += fmt::format("{},{},{}\n", country, v.first, Money(v.second));
  }
  return csv;
}

Expected Compute(const fs::path& project, int min_orders) {
  std::map<int64_t, std::vector<std::string>> customers;
  for (auto& row : CsvRows(project / "data/customers.csv")) customers[std::stoll(row[0])] = row;
  std::map<int64_t, std::pair<std::string, int64_t>> products;  // category, cents
  for (auto& row : CsvRows(project / "data/products.csv")) {
    products[std::stoll(row[0])] = {row[3], Cents(row[4])};
  }
  Expected expected;
  std::map<int64_t, CustomerTotals> totals;
  std::map<std::pair<std::string, std::string>, std::pair<int64_t, int64_t>> monthly;
  for (auto& o : CsvRows(project / "data/orders.csv")) {
    if (o[5] != "completed" && o[5] != "shipped") continue;
    ++expected.revenue_orders;
    int64_t customer = std::stoll(o[1]);
    int64_t quantity = std::stoll(o[4]);
    const auto& [category, price] = products.at(std::stoll(o[2]));
    const std::vector<std::string>& c = customers.at(customer);
    CustomerTotals& t = totals[customer];
    t.name = c[1] + " " + c[2];
    t.country = c[4];
    t.segment = c[6];
    t.first = t.orders == 0 ? o[3] : std::min(t.first, o[3]);
    t.last = std::max(t.last, o[3]);
    ++t.orders;
    t.items += quantity;
    t.cents += quantity * price;
    auto& m = monthly[{category, o[3].substr(0, 7)}];
    ++m.first;
    m.second += quantity * price;
  }
  expected.top_customers = TopCustomersCsv(totals, min_orders);

  expected.revenue_by_country = RevenueByCountryCsv(totals);
  expected.monthly_sales = "month,category,orders,revenue,revenue_to_date\n";
  std::map<std::string, int64_t> to_date;
  for (const auto& [key, v] : monthly) {  // Sorted by category, then month.
    to_date[key.first] += v.second;
    expected.monthly_sales += fmt::format("{},{},{},{},{}\n", key.second, key.first, v.first,
                                          Money(v.second), Money(to_date[key.first]));
  }
  return expected;
}

class PipelineCliTest : public ::sqlflow::testing::SqlflowBinaryTest {
 protected:
  PipelineCliTest() : SqlflowBinaryTest("sqlflow-pipeline-cli") {}

  // Run sqlflow with `args` in directory `cwd` (default: the temporary directory); stdout and
  // stderr are files (not a terminal).
  ProcessResult Run(const std::vector<std::string>& args, const fs::path& cwd = {}) const {
    return SqlflowBinaryTest::Run(args, {.cwd = cwd.empty() ? dir_.path() : cwd});
  }

  // `sqlflow init shop` in the temporary directory.
  void Init() {
    ProcessResult init = Run({"init", "shop"});
    ASSERT_EQ(init.exit_code, 0) << init.err;
  }

  // Run `sqlflow pipeline validate NAME` on a pipeline file holding `text`.
  ProcessResult ValidateText(const std::string& name, const std::string& text) {
    WriteFile(project_ / "pipelines" / (name + ".sf"), text);
    return Run({"pipeline", "validate", name, "--project-dir", project_.string()});
  }

  const fs::path project_ = dir_ / "shop";
};

TEST_F(PipelineCliTest, InitThenRunProducesExactResults) {
  ProcessResult init = Run({"init", "shop"});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  EXPECT_THAT(init.err, IsEmpty());
  EXPECT_THAT(init.out, StartsWith("Created project shop in "));
  EXPECT_THAT(init.out, HasSubstr("\n  cd shop && sqlflow pipeline run customer_analytics\n"));

  ProcessResult run = Run({"pipeline", "run", "customer_analytics"}, project_);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.err, MatchesRegex("\\[1/[0-9]+\\] LOAD [a-z]+ FROM [a-z_]+(.|\n)*"));
  EXPECT_THAT(run.err, HasSubstr(" ... 5,000 rows in "));
  EXPECT_THAT(run.err, HasSubstr(" ... 1,000 rows in "));
  EXPECT_THAT(run.out, StartsWith("  STEP "));
  EXPECT_THAT(run.out, HasSubstr("\nPipeline customer_analytics succeeded in "));
  EXPECT_THAT(run.out, MatchesRegex("(.|\n)*\nRun report: target/runs/[^/]+\\.json\n"));
  ASSERT_TRUE(fs::exists(project_ / "target" / "runs"));
  EXPECT_FALSE(fs::is_empty(project_ / "target" / "runs"));

  Expected expected = Compute(project_, 3);
  EXPECT_GT(expected.revenue_orders, 4000);
  EXPECT_EQ(ReadFile(project_ / "output/top_customers.csv"), expected.top_customers);
  EXPECT_EQ(ReadFile(project_ / "output/revenue_by_country.csv"), expected.revenue_by_country);
  ASSERT_TRUE(fs::exists(project_ / "output/monthly_sales.parquet"));
  EXPECT_FALSE(fs::exists(project_ / "output/customer_summary.parquet"));  // The ELSE branch.

  // Parquet back to CSV with the binary itself, to compare the values.
  fs::path back = dir_ / "monthly.csv";
  ProcessResult copy =
      Run({"copy", "--source", "PARQUET", "--source-params",
           nlohmann::json{{"path", (project_ / "output/monthly_sales.parquet").string()}}.dump(),
           "--destination", "CSV", "--destination-params",
           nlohmann::json{{"path", back.string()}}.dump()});
  ASSERT_EQ(copy.exit_code, 0) << copy.err;
  EXPECT_EQ(ReadFile(back), expected.monthly_sales);
}

TEST_F(PipelineCliTest, RunDoesNotDependOnTheCurrentDirectory) {
  Init();
  fs::create_directories(dir_ / "results");
  ProcessResult run =
      Run({"pipeline", "run", "customer_analytics", "--project-dir", "shop", "--vars",
           nlohmann::json{{"output_dir", (dir_ / "results").string()}, {"min_orders", 8}}.dump(),
           "--quiet"},
          dir_.path());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, IsEmpty());
  EXPECT_THAT(run.err, IsEmpty());
  EXPECT_EQ(ReadFile(dir_ / "results/top_customers.csv"), Compute(project_, 8).top_customers);
  EXPECT_FALSE(fs::exists(project_ / "output/top_customers.csv"));
}

TEST_F(PipelineCliTest, RunJson) {
  Init();
  ProcessResult run = Run({"pipeline", "run", "customer_analytics", "--json", "-p", "prod",
                           "--project-dir", project_.string()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  nlohmann::json report = nlohmann::json::parse(run.out);
  EXPECT_EQ(report["status"], "success");
  EXPECT_EQ(report["pipeline"], "customer_analytics");
  EXPECT_EQ(report["profile"], "prod");
  std::map<std::string, int64_t> rows;
  for (const auto& step : report["steps"]) {
    EXPECT_EQ(step["status"], "success") << step.dump();
    rows[step["id"]] = step["rows"];
  }
  EXPECT_EQ(rows["load_orders"], 5000);
  EXPECT_EQ(rows["load_customers"], 1000);
  EXPECT_EQ(rows["load_products"], 200);
  EXPECT_TRUE(fs::exists(project_ / "target" / "prod.duckdb"));
  EXPECT_TRUE(fs::exists(project_ / "output/customer_summary.parquet"));  // env is prod.
}

TEST_F(PipelineCliTest, ListValidateCompile) {
  Init();
  ProcessResult list = Run({"pipeline", "list"}, project_);
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(list.out,
            "  NAME                PATH\n"
            "  customer_analytics  pipelines/customer_analytics.sf\n");

  ProcessResult validate = Run({"pipeline", "validate"}, project_);
  ASSERT_EQ(validate.exit_code, 0) << validate.err;
  EXPECT_THAT(validate.out, MatchesRegex("\u2713 customer_analytics: [0-9]+ steps\n"));
  EXPECT_FALSE(fs::exists(project_ / "output/top_customers.csv"));

  ProcessResult compile = Run({"pipeline", "compile", "customer_analytics"}, project_);
  ASSERT_EQ(compile.exit_code, 0) << compile.err;
  for (const char* ext : {".json", ".mmd", ".dot"}) {
    EXPECT_TRUE(
        fs::exists(project_ / "target/compiled" / (std::string("customer_analytics") + ext)))
        << ext;
  }
  nlohmann::json plan = nlohmann::json::parse(ReadFile(project_ / "target/compiled/"
                                                                  "customer_analytics.json"));
  EXPECT_EQ(plan["pipeline"], "customer_analytics");
  EXPECT_THAT(compile.out, HasSubstr("\nBranches:\n  pipelines/customer_analytics.sf:"));
  EXPECT_THAT(compile.out, HasSubstr("ELSE \u2192 taken"));
  EXPECT_FALSE(fs::exists(project_ / "output/top_customers.csv"));
}

TEST_F(PipelineCliTest, InvalidPipelinesExitTwoWithPositionAndCaret) {
  Init();
  const std::string source = "SOURCE src TYPE CSV PARAMS {\"path\": \"data/orders.csv\"};\n";
  struct Case {
    const char* name;
    std::string text;
    const char* position;
    const char* message;
  } cases[] = {
      {"syntax", "LOAD orders FORM src;\n", "pipelines/syntax.sf:1:13", "FROM"},
      {"unknown_source", source + "LOAD orders FROM scr;\n", "pipelines/unknown_source.sf:2:18",
       "'src'"},
      {"bad_param",
       "SOURCE src TYPE CSV PARAMS {\"path\": \"data/orders.csv\", \"delimeter\": "
       "\";\"};\nLOAD orders FROM src;\n",
       "pipelines/bad_param.sf:1:", "delimiter"},
      {"missing_var",
       source + "LOAD orders FROM src;\nEXPORT orders TO \"out/${region}.csv\" TYPE CSV;\n",
       "pipelines/missing_var.sf:3:", "region"},
  };
  for (const Case& c : cases) {
    ProcessResult r = ValidateText(c.name, c.text);
    EXPECT_EQ(r.exit_code, 2) << c.name << "\n" << r.err;
    EXPECT_THAT(r.err, HasSubstr(c.position)) << c.name;
    EXPECT_THAT(r.err, HasSubstr(c.message)) << c.name;
    EXPECT_THAT(r.err, MatchesRegex("(.|\n)*\n *[0-9]+ \\| [^\n]+\n +\\| +\\^+(.|\n)*")) << c.name;
    EXPECT_THAT(r.out, MatchesRegex(fmt::format("\u2717 {}: [0-9]+ errors?\n", c.name))) << c.name;

    ProcessResult run = Run({"pipeline", "run", c.name, "--project-dir", project_.string()});
    EXPECT_EQ(run.exit_code, 2) << c.name;
    EXPECT_THAT(run.err, HasSubstr(c.position)) << c.name;
  }
}

TEST_F(PipelineCliTest, UnknownProfileAndPipeline) {
  Init();
  ProcessResult profile = Run({"pipeline", "run", "customer_analytics", "-p", "staging"}, project_);
  EXPECT_EQ(profile.exit_code, 2);
  EXPECT_THAT(profile.err, HasSubstr("profile 'staging' not found"));
  EXPECT_THAT(profile.err, HasSubstr("dev, prod"));

  ProcessResult pipeline = Run({"pipeline", "run", "customer_analytic"}, project_);
  EXPECT_EQ(pipeline.exit_code, 2);
  EXPECT_THAT(pipeline.err, HasSubstr("pipeline 'customer_analytic' not found"));
  EXPECT_THAT(pipeline.err, HasSubstr("(did you mean 'customer_analytics'?)"));
}

TEST_F(PipelineCliTest, FailedStepExitsOne) {
  Init();
  fs::remove(project_ / "data/products.csv");
  ProcessResult run = Run({"pipeline", "run", "customer_analytics"}, project_);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.err, HasSubstr("error: step 'load_products' failed: "));
  EXPECT_THAT(run.err, HasSubstr("products.csv"));
  EXPECT_FALSE(fs::exists(project_ / "output/top_customers.csv"));
}

TEST_F(PipelineCliTest, InitRefusesANonEmptyDirectory) {
  Init();
  ProcessResult again = Run({"init", "shop"});
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_THAT(again.err, StartsWith("error: directory 'shop' already exists and is not empty"));
}

TEST_F(PipelineCliTest, ConnectListAndTest) {
  Init();
  WriteFile(project_ / "profiles/checks.yml",
            "connections:\n"
            "  orders:\n    type: csv\n    path: data/orders.csv\n"
            "  gone:\n    type: csv\n    path: /nonexistent-sqlflow/orders.csv\n"
            "  typo:\n    type: csv\n    path: data/orders.csv\n    delimeter: \";\"\n"
            "  secret:\n    type: csv\n    path: data/orders.csv\n    password: hunter2\n");
  ProcessResult list = Run({"connect", "list", "-p", "checks"}, project_);
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_THAT(list.out, HasSubstr("path=data/orders.csv"));
  EXPECT_THAT(list.out, Not(HasSubstr("hunter2")));

  ProcessResult healthy = Run({"connect", "test", "orders", "-p", "checks"}, project_);
  EXPECT_EQ(healthy.exit_code, 0) << healthy.err;
  EXPECT_THAT(healthy.out, StartsWith("\u2713 orders (CSV source): healthy"));

  ProcessResult from_elsewhere = Run(
      {"connect", "test", "orders_csv", "--json", "--project-dir", project_.string()}, dir_.path());
  EXPECT_EQ(from_elsewhere.exit_code, 0) << from_elsewhere.err;
  EXPECT_EQ(nlohmann::json::parse(from_elsewhere.out)["status"], "healthy");

  ProcessResult unhealthy = Run({"connect", "test", "gone", "-p", "checks"}, project_);
  EXPECT_EQ(unhealthy.exit_code, 1);
  EXPECT_THAT(unhealthy.out, StartsWith("\u2717 gone (CSV source): unhealthy: "));

  ProcessResult invalid = Run({"connect", "test", "typo", "-p", "checks"}, project_);
  EXPECT_EQ(invalid.exit_code, 2);
  EXPECT_THAT(invalid.err, HasSubstr("'delimeter': unknown parameter (did you mean 'delimiter'?)"));

  ProcessResult unknown = Run({"connect", "test", "order", "-p", "checks"}, project_);
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("(did you mean 'orders'?)"));
}

}  // namespace
