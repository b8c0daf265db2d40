#include "sqlflow/cli/init_template.h"

#include <algorithm>

#include <fmt/format.h>

#include "sqlflow/common/strings.h"

namespace sqlflow::cli {

namespace {

// A name as shown and as spelled in an e-mail address.
struct Name {
  const char* text;
  const char* ascii;
};

constexpr Name kFirstNames[] = {
    {"Emma", "emma"},         {"Liam", "liam"},        {"Olivia", "olivia"}, {"Noah", "noah"},
    {"Ava", "ava"},           {"Lucas", "lucas"},      {"Sophia", "sophia"}, {"Mateo", "mateo"},
    {"Mia", "mia"},           {"Hiroshi", "hiroshi"},  {"Zo\u00eb", "zoe"},  {"Jos\u00e9", "jose"},
    {"Chlo\u00e9", "chloe"},  {"Lars", "lars"},        {"Amara", "amara"},   {"Ethan", "ethan"},
    {"Isabella", "isabella"}, {"Yuki", "yuki"},        {"Finn", "finn"},     {"Priya", "priya"},
    {"Oliver", "oliver"},     {"Ren\u00e9e", "renee"}, {"Jonas", "jonas"},   {"Camila", "camila"},
    {"Leo", "leo"},           {"Hannah", "hannah"},    {"Omar", "omar"},     {"Ingrid", "ingrid"},
    {"Daniel", "daniel"},     {"Grace", "grace"},      {"Mei", "mei"},       {"Samuel", "samuel"},
};

constexpr Name kLastNames[] = {
    {"Smith", "smith"},         {"Schmidt", "schmidt"},
    {"Garc\u00eda", "garcia"},  {"Tanaka", "tanaka"},
    {"Martin", "martin"},       {"Rossi", "rossi"},
    {"M\u00fcller", "mueller"}, {"Silva", "silva"},
    {"Dubois", "dubois"},       {"Johnson", "johnson"},
    {"O'Brien", "obrien"},      {"Nguyen", "nguyen"},
    {"Kowalski", "kowalski"},   {"Jansen", "jansen"},
    {"Brown", "brown"},         {"Lefebvre", "lefebvre"},
    {"Andersson", "andersson"}, {"Okafor", "okafor"},
    {"Wilson", "wilson"},       {"Fern\u00e1ndez", "fernandez"},
    {"Sato", "sato"},           {"Taylor", "taylor"},
    {"Novak", "novak"},         {"Kim", "kim"},
};

struct Country {
  const char* name;
  int weight;  // Relative share of customers.
  std::vector<const char*> cities;
};

const std::vector<Country>& Countries() {
  static const std::vector<Country> countries = {
      {"United States", 30, {"New York", "Chicago", "Austin", "Seattle"}},
      {"United Kingdom", 12, {"London", "Manchester", "Edinburgh"}},
      {"Germany", 12, {"Berlin", "M\u00fcnchen", "Hamburg"}},
      {"France", 9, {"Paris", "Lyon"}},
      {"Canada", 8, {"Toronto", "Vancouver", "Montr\u00e9al"}},
      {"Japan", 8, {"Tokyo", "Osaka"}},
      {"Brazil", 7, {"S\u00e3o Paulo", "Rio de Janeiro"}},
      {"Spain", 6, {"Madrid", "Barcelona"}},
      {"Australia", 5, {"Sydney", "Melbourne"}},
      {"Netherlands", 3, {"Amsterdam", "Rotterdam"}},
  };
  return countries;
}

struct Category {
  const char* name;
  const char* sku;
  int min_price;  // Whole currency units; prices end in .99.
  int max_price;
  std::vector<const char*> items;
};

const std::vector<Category>& Categories() {
  static const std::vector<Category> categories = {
      {"Electronics", "EL", 19, 899, {"Headphones", "Speaker", "Monitor", "Keyboard", "Webcam"}},
      {"Books", "BK", 7, 49, {"Cookbook", "Novel", "Atlas", "Field Guide", "Biography"}},
      {"Home & Kitchen", "HK", 9, 199, {"Kettle", "Blender", "Knife Set", "Lamp", "Rug"}},
      {"Garden", "GD", 4, 149, {"Hose", "Planter", "Pruner", "Bird Feeder", "Lantern"}},
      {"Sports", "SP", 9, 299, {"Yoga Mat", "Tent", "Backpack", "Bike Helmet", "Racket"}},
      {"Toys", "TY", 5, 79, {"Puzzle", "Robot Kit", "Board Game", "Kite", "Train Set"}},
      {"Beauty", "BT", 3, 89, {"Face Cream", "Shampoo", "Perfume", "Lip Balm", "Soap"}},
      {"Grocery", "GR", 1, 29, {"Coffee", "Olive Oil", "Green Tea", "Honey", "Chocolate"}},
  };
  return categories;
}

constexpr const char* kSegments[] = {"consumer", "small_business", "enterprise"};
constexpr const char* kStatuses[] = {"completed", "shipped", "cancelled", "returned"};

constexpr const char* kAdjectives[] = {"Classic", "Compact", "Deluxe", "Eco",     "Essential",
                                       "Premium", "Smart",   "Ultra",  "Vintage", "Wireless"};

// Each table has its own stream, so changing one table's size leaves the others as they were.
SampleRandom StreamFor(const SampleDataOptions& options, uint64_t table) {
  return SampleRandom(options.seed ^ (table * 0x9E3779B97F4A7C15ULL));
}

template <typename T, size_t N>
const T& Pick(SampleRandom& random, const T (&items)[N]) {
  return items[random.Uniform(0, N - 1)];
}

constexpr int64_t kDays2022 = 18993;  // 2022-01-01
constexpr int64_t kDays2024 = 19723;  // 2024-01-01

}  // namespace

uint64_t SampleRandom::Next() {
  uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

int64_t SampleRandom::Uniform(int64_t low, int64_t high) {
  uint64_t span = static_cast<uint64_t>(high - low) + 1;
  return low + static_cast<int64_t>(span == 0 ? Next() : Next() % span);
}

size_t SampleRandom::Weighted(const std::vector<int>& weights) {
  int64_t total = 0;
  for (int w : weights) total += w;
  int64_t pick = Uniform(1, total);
  for (size_t i = 0; i < weights.size(); ++i) {
    pick -= weights[i];
    if (pick <= 0) return i;
  }
  return weights.size() - 1;
}

std::string DateFromDays(int64_t days) {
  // Howard Hinnant's civil_from_days.
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t doe = days - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t day = doy - (153 * mp + 2) / 5 + 1;
  const int64_t month = mp < 10 ? mp + 3 : mp - 9;
  const int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return fmt::format("{:04}-{:02}-{:02}", year, month, day);
}

std::string CustomersCsv(const SampleDataOptions& options) {
  SampleRandom random = StreamFor(options, 1);
  std::vector<int> weights;
  for (const Country& c : Countries()) weights.push_back(c.weight);
  std::string out = "customer_id,first_name,last_name,email,country,city,segment,signup_date\n";
  for (int id = 1; id <= options.customers; ++id) {
    const Name& first = Pick(random, kFirstNames);
    const Name& last = Pick(random, kLastNames);
    const Country& country = Countries()[random.Weighted(weights)];
    const char* city = country.cities[random.Uniform(0, country.cities.size() - 1)];
    const char* segment = kSegments[random.Weighted({70, 22, 8})];
    std::string signup = DateFromDays(kDays2022 + random.Uniform(0, 729));
    out += fmt::format("{},{},{},{}.{}{}@example.com,{},{},{},{}\n", id, first.text, last.text,
                       first.ascii, last.ascii, id, country.name, city, segment, signup);
  }
  return out;
}

std::string ProductsCsv(const SampleDataOptions& options) {
  SampleRandom random = StreamFor(options, 2);
  std::string out = "product_id,sku,name,category,unit_price\n";
  const std::vector<Category>& categories = Categories();
  for (int id = 1; id <= options.products; ++id) {
    const Category& category = categories[(id - 1) % categories.size()];
    const char* item = category.items[random.Uniform(0, category.items.size() - 1)];
    int64_t price = random.Uniform(category.min_price, category.max_price);
    out += fmt::format("{},{}-{:04},{} {},{},{}.99\n", id, category.sku, id,
                       Pick(random, kAdjectives), item, category.name, price);
  }
  return out;
}

std::string OrdersCsv(const SampleDataOptions& options) {
  SampleRandom random = StreamFor(options, 3);
  std::string out = "order_id,customer_id,product_id,order_date,quantity,status\n";
  const int64_t loyal = std::max(1, options.customers / 10);
  for (int id = 1; id <= options.orders; ++id) {
    // A tenth of the customers place a third of the orders, as real shops see.
    int64_t customer =
        random.Chance(33) ? random.Uniform(1, loyal) : random.Uniform(1, options.customers);
    int64_t product = random.Uniform(1, options.products);
    // Orders are numbered in date order through the 366 days of 2024.
    int64_t day = kDays2024 + (static_cast<int64_t>(id - 1) * 366) / options.orders;
    int64_t quantity = static_cast<int64_t>(random.Weighted({50, 25, 12, 8, 5})) + 1;
    const char* status = kStatuses[random.Weighted({82, 8, 6, 4})];
    out += fmt::format("{},{},{},{},{},{}\n", id, customer, product, DateFromDays(day), quantity,
                       status);
  }
  return out;
}

namespace {

constexpr const char* kPipelineText =
    R"SF(-- Customer analytics: the sample pipeline of `sqlflow init`.
--
-- Loads the three CSV files of data/, joins and aggregates them in the engine, and exports
-- the results to CSV and Parquet files in output/.
--
--   sqlflow pipeline run customer_analytics
--   sqlflow pipeline run customer_analytics --vars output_dir=/tmp/out,min_orders=5
--   sqlflow pipeline run customer_analytics --profile prod
--
-- Variables: output_dir (default output), min_orders (default 3) and env (set by the
-- profile). Relative paths are relative to the project directory.

SOURCE customers_src TYPE CSV PARAMS {"path": "data/customers.csv", "has_header": true};
SOURCE products_src TYPE CSV PARAMS {"path": "data/products.csv", "has_header": true};
-- orders_csv is a connection of the profile (profiles/dev.yml); OPTIONS override its params.
SOURCE orders_src FROM "orders_csv" OPTIONS {"has_header": true};

LOAD customers FROM customers_src;
LOAD products FROM products_src;
LOAD orders FROM orders_src MODE REPLACE;

-- One row per order that counts as revenue: cancelled and returned orders do not.
CREATE TABLE order_lines AS
SELECT o.order_id,
       CAST(o.order_date AS DATE) AS order_date,
       o.customer_id,
       c.country,
       p.category,
       o.quantity,
       CAST(o.quantity * p.unit_price AS DECIMAL(12, 2)) AS amount
FROM orders o
JOIN customers c ON c.customer_id = o.customer_id
JOIN products p ON p.product_id = o.product_id
WHERE o.status IN ('completed', 'shipped');

-- Revenue per customer, ranked within the customer's country (a window over a GROUP BY).
CREATE TABLE customer_summary AS
SELECT l.customer_id,
       c.first_name || ' ' || c.last_name AS name,
       l.country,
       c.segment,
       count(*) AS orders,
       sum(l.quantity) AS items,
       sum(l.amount) AS revenue,
       min(l.order_date) AS first_order,
       max(l.order_date) AS last_order,
       rank() OVER (PARTITION BY l.country ORDER BY sum(l.amount) DESC) AS country_rank
FROM order_lines l
JOIN customers c ON c.customer_id = l.customer_id
GROUP BY l.customer_id, c.first_name, c.last_name, l.country, c.segment;

-- Revenue per category and month, with a running total through the year.
CREATE TABLE monthly_sales AS
WITH by_month AS (
  SELECT strftime(order_date, '%Y-%m') AS month,
         category,
         count(*) AS orders,
         sum(amount) AS revenue
  FROM order_lines
  GROUP BY month, category
)
SELECT month,
       category,
       orders,
       revenue,
       sum(revenue) OVER (PARTITION BY category ORDER BY month) AS revenue_to_date
FROM by_month;

-- The best customers: at least min_orders orders, highest revenue first.
EXPORT SELECT * FROM customer_summary
       WHERE orders >= ${min_orders|3}
       ORDER BY revenue DESC, customer_id
TO "${output_dir|output}/top_customers.csv" TYPE CSV OPTIONS {"has_header": true};

EXPORT SELECT * FROM monthly_sales ORDER BY category, month
TO "${output_dir|output}/monthly_sales.parquet" TYPE PARQUET;

-- Production runs also keep every customer's summary; development runs a readable CSV.
IF ${env|dev} == 'prod' THEN
  EXPORT customer_summary TO "${output_dir|output}/customer_summary.parquet" TYPE PARQUET;
ELSE
  EXPORT SELECT country, count(*) AS customers, sum(revenue) AS revenue
         FROM customer_summary GROUP BY country ORDER BY revenue DESC, country
  TO "${output_dir|output}/revenue_by_country.csv" TYPE CSV;
END IF;
)SF";

constexpr const char* kDevProfile =
    R"(# The default profile (--profile dev): an in-memory engine, so every run starts afresh
# from the CSV files.
engines:
  duckdb:
    mode: memory
log_level: info
variables:
  env: dev
connections:
  orders_csv:
    type: csv
    path: data/orders.csv
)";

constexpr const char* kProdProfile =
    R"(# --profile prod: a database file that keeps the tables between runs, with a memory
# limit and a fixed number of threads.
engines:
  duckdb:
    mode: persistent
    path: target/prod.duckdb
    memory_limit: 2GB
    threads: 4
log_level: warning
variables:
  env: prod
connections:
  orders_csv:
    type: csv
    path: data/orders.csv
)";

constexpr const char* kReadme = R"(# @NAME@

A SQLFlow project made by `sqlflow init`, with sample data and a pipeline that runs.

## What is here

| Path | What it is |
|------|------------|
| `pipelines/customer_analytics.sf` | The pipeline: loads, joins, aggregates and exports the data |
| `profiles/dev.yml` | The default profile: an in-memory engine |
| `profiles/prod.yml` | A persistent engine (`target/prod.duckdb`) with a memory limit |
| `data/customers.csv` | @CUSTOMERS@ customers in ten countries |
| `data/products.csv` | @PRODUCTS@ products in eight categories |
| `data/orders.csv` | @ORDERS@ orders placed through 2024 |
| `output/` | Where the pipeline writes its results |
| `target/` | Compiled plans and run reports (made on demand) |

The data is generated from a fixed seed: every `sqlflow init` writes the same bytes.

## Run it

```sh
sqlflow pipeline run customer_analytics
```

It writes `output/top_customers.csv` (customers with at least `min_orders` orders, best
first, ranked within their country), `output/monthly_sales.parquet` (revenue per category
and month with a running total) and `output/revenue_by_country.csv`.

## Other commands

```sh
sqlflow pipeline list                          # the pipelines of the project
sqlflow pipeline validate                      # parse and plan every pipeline; no data touched
sqlflow pipeline compile customer_analytics    # the plan in target/compiled/ (JSON, Mermaid, DOT)
sqlflow pipeline run customer_analytics --vars min_orders=5,output_dir=/tmp/out
sqlflow pipeline run customer_analytics --profile prod
sqlflow connect list                           # the connections of the profile
sqlflow connect test orders_csv                # check that a connection works
```

Variables are written `${name}` or `${name|default}`; `--vars` wins over `SET` in the
pipeline, which wins over the profile's `variables`, which win over the environment.
)";

std::string ReplaceAll(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at)) {
    text.replace(at, from.size(), to);
    at += to.size();
  }
  return text;
}

}  // namespace

const char* const kSamplePipeline = "customer_analytics";

std::vector<TemplateFile> ProjectTemplate(const std::string& name,
                                          const SampleDataOptions& options) {
  std::string readme = ReplaceAll(kReadme, "@NAME@", name);
  readme = ReplaceAll(readme, "@CUSTOMERS@", fmt::format("{}", options.customers));
  readme = ReplaceAll(readme, "@PRODUCTS@", fmt::format("{}", options.products));
  readme = ReplaceAll(readme, "@ORDERS@", fmt::format("{}", options.orders));
  return {
      {"pipelines/customer_analytics.sf", kPipelineText,
       "loads, joins, aggregates and exports the sample data"},
      {"profiles/dev.yml", kDevProfile, "the default profile: an in-memory engine"},
      {"profiles/prod.yml", kProdProfile, "a persistent engine with a memory limit"},
      {"data/customers.csv", CustomersCsv(options), "customers"},
      {"data/products.csv", ProductsCsv(options), "products"},
      {"data/orders.csv", OrdersCsv(options), "orders"},
      {"README.md", readme, "what the project holds and how to run it"},
      {".gitignore", "target/\noutput/\n", "keeps results and run state out of git"},
  };
}

}  // namespace sqlflow::cli
