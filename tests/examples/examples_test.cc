// Runs every project under examples/ with the real `sqlflow` binary and checks its outputs
// byte for byte against the example's expected/ folder. Each test works on a copy of the
// example in a temporary directory, so the source tree is never written to.
//
// The binary comes from SQLFLOW_BIN and the source tree from SQLFLOW_SOURCE_DIR (both set by
// tests/examples/CMakeLists.txt; compiled-in defaults let the binary run on its own too).
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/postgres_server.h"
#include "tests/support/sqlflow_binary.h"
#include <nlohmann/json.hpp>

namespace {

namespace fs = std::filesystem;
using ::sqlflow::testing::EnvironmentWithout;
using ::sqlflow::testing::EnvOr;
using ::sqlflow::testing::ProcessResult;
using ::sqlflow::testing::ReadFile;
using ::testing::HasSubstr;

#ifndef SQLFLOW_DEFAULT_BIN
#define SQLFLOW_DEFAULT_BIN ""
#endif
#ifndef SQLFLOW_DEFAULT_SOURCE_DIR
#define SQLFLOW_DEFAULT_SOURCE_DIR ""
#endif

// Variables the example pipelines read. They are removed from the environment the binary
// inherits: the environment is the lowest variable layer, so a stray `region` in the test
// runner's environment would otherwise change the outputs.
const std::vector<std::string> kPipelineVariables = {
    "ANALYST",       "currency", "env",    "events_file", "include_test", "min_amount",
    "out_delimiter", "out_dir",  "region", "report",      "title",        "year"};

fs::path ExamplesDir() {
  return fs::path(EnvOr("SQLFLOW_SOURCE_DIR", SQLFLOW_DEFAULT_SOURCE_DIR)) / "examples";
}

// Relative paths of the regular files under `dir`, sorted; files whose extension is in
// `skip_extensions` are left out.
std::vector<std::string> FilesUnder(const fs::path& dir,
                                    const std::set<std::string>& skip_extensions = {}) {
  std::vector<std::string> files;
  if (!fs::is_directory(dir)) return files;
  for (const fs::directory_entry& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    if (skip_extensions.count(entry.path().extension().string()) != 0) continue;
    files.push_back(entry.path().lexically_relative(dir).generic_string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// "load_modes" -> "LoadModes": the prefix of the tests that cover an example.
std::string CamelCase(const std::string& snake) {
  std::string out;
  bool upper = true;
  for (char c : snake) {
    if (c == '_' || c == '-') {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return out;
}

class ExamplesTest : public ::sqlflow::testing::SqlflowBinaryTest {
 protected:
  ExamplesTest() : SqlflowBinaryTest("sqlflow-examples", SQLFLOW_DEFAULT_BIN) {}

  void SetUp() override {
    SqlflowBinaryTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(fs::is_directory(ExamplesDir()))
        << ExamplesDir() << " is not a directory: set SQLFLOW_SOURCE_DIR to the source tree";
  }

  // Copy examples/<name> into the temporary directory, without what a run produces
  // (output/, target/) and without the expected results, so the copy starts clean even when
  // someone ran the example in the source tree. Returns the copy's directory.
  fs::path CopyExample(const std::string& name) {
    fs::path from = ExamplesDir() / name;
    fs::path to = dir_ / name;
    EXPECT_TRUE(fs::is_directory(from)) << from;
    fs::create_directories(to);
    for (const fs::directory_entry& entry : fs::directory_iterator(from)) {
      std::string base = entry.path().filename().string();
      if (base == "output" || base == "target" || base == "expected") continue;
      fs::copy(entry.path(), to / base, fs::copy_options::recursive);
    }
    return to;
  }

  static fs::path Expected(const std::string& name, const std::string& set = "") {
    fs::path dir = ExamplesDir() / name / "expected";
    return set.empty() ? dir : dir / set;
  }

  // Run sqlflow with `args` and `extra_env` (NAME=value) added to a cleaned environment;
  // stdout and stderr go to files.
  ProcessResult Run(const std::vector<std::string>& args,
                    const std::vector<std::string>& extra_env = {}) const {
    std::vector<std::string> env = EnvironmentWithout(kPipelineVariables);
    env.insert(env.end(), extra_env.begin(), extra_env.end());
    return SqlflowBinaryTest::Run(args, {.env = env});
  }

  // `sqlflow pipeline run NAME --project-dir PROJECT ARGS...`, expected to succeed.
  ProcessResult RunPipeline(const fs::path& project, const std::string& name,
                            const std::vector<std::string>& args = {},
                            const std::vector<std::string>& extra_env = {}) {
    std::vector<std::string> all = {"pipeline", "run", name, "--project-dir", project.string()};
    all.insert(all.end(), args.begin(), args.end());
    ProcessResult r = Run(all, extra_env);
    EXPECT_EQ(r.exit_code, 0) << "sqlflow pipeline run " << name << "\nstdout:\n"
                              << r.out << "\nstderr:\n"
                              << r.err;
    return r;
  }

  // The rows each step reported in a `--json` run, by step id.
  static std::map<std::string, int64_t> StepRows(const ProcessResult& r) {
    std::map<std::string, int64_t> rows;
    nlohmann::json json = nlohmann::json::parse(r.out, nullptr, /*allow_exceptions=*/false);
    if (!json.is_object() || !json.contains("steps")) {
      ADD_FAILURE() << "not a run report:\n" << r.out;
      return rows;
    }
    EXPECT_EQ(json["status"], "success");
    for (const nlohmann::json& step : json["steps"]) {
      rows[step["id"].get<std::string>()] = step["rows"].get<int64_t>();
    }
    return rows;
  }

  // `actual` holds exactly the files of `expected` (Parquet files are left out: they are
  // checked by reading them back), each identical byte for byte.
  static void ExpectSameFiles(const fs::path& actual, const fs::path& expected) {
    SCOPED_TRACE("comparing " + actual.string() + " with " + expected.string());
    ASSERT_TRUE(fs::is_directory(expected)) << expected;
    std::vector<std::string> want = FilesUnder(expected);
    ASSERT_FALSE(want.empty()) << expected << " holds no expected files";
    EXPECT_EQ(FilesUnder(actual, {".parquet"}), want);
    for (const std::string& file : want) {
      if (!fs::exists(actual / file)) continue;  // reported by the list comparison
      EXPECT_EQ(ReadFile(actual / file), ReadFile(expected / file)) << "file " << file;
    }
  }
};

// Every example is a complete project with a README, and a test named after it
// (load_modes -> ExamplesTest.LoadModes...): a new example without a test fails here.
TEST_F(ExamplesTest, EveryExampleHasAReadmeAndATest) {
  std::set<std::string> test_names;
  const ::testing::UnitTest& unit = *::testing::UnitTest::GetInstance();
  for (int i = 0; i < unit.total_test_suite_count(); ++i) {
    const ::testing::TestSuite& suite = *unit.GetTestSuite(i);
    for (int j = 0; j < suite.total_test_count(); ++j) {
      test_names.insert(suite.GetTestInfo(j)->name());
    }
  }
  std::vector<std::string> examples;
  for (const fs::directory_entry& entry : fs::directory_iterator(ExamplesDir())) {
    if (entry.is_directory()) examples.push_back(entry.path().filename().string());
  }
  std::sort(examples.begin(), examples.end());
  EXPECT_GE(examples.size(), 5u);
  for (const std::string& name : examples) {
    SCOPED_TRACE("examples/" + name);
    fs::path dir = ExamplesDir() / name;
    ASSERT_TRUE(fs::is_regular_file(dir / "README.md")) << "missing README.md";
    EXPECT_THAT(ReadFile(dir / "README.md"), HasSubstr("sqlflow pipeline run"))
        << "the README says how to run the example";
    EXPECT_TRUE(fs::is_regular_file(dir / "profiles" / "dev.yml")) << "missing profiles/dev.yml";
    EXPECT_FALSE(FilesUnder(dir / "pipelines").empty()) << "no pipelines/*.sf";
    EXPECT_FALSE(FilesUnder(dir / "expected").empty()) << "no expected/ outputs";
    std::string prefix = CamelCase(name);
    bool covered = std::any_of(test_names.begin(), test_names.end(),
                               [&](const std::string& t) { return t.rfind(prefix, 0) == 0; });
    EXPECT_TRUE(covered) << "no test named " << prefix << "... runs this example";
  }
}

TEST_F(ExamplesTest, LoadModesReplaceAppendAndUpsertOnSingleAndCompositeKeys) {
  fs::path project = CopyExample("load_modes");
  ProcessResult r = RunPipeline(project, "load_modes", {"--json"});
  std::map<std::string, int64_t> rows = StepRows(r);
  EXPECT_EQ(rows["load_catalog_replaced"], 3);
  EXPECT_EQ(rows["load_stock_levels"], 4);
  EXPECT_EQ(rows["load_stock_levels_2"], 3);
  ExpectSameFiles(project / "output", Expected("load_modes"));
}

TEST_F(ExamplesTest, ConditionalDefaultEnvironmentTakesTheElseBranch) {
  fs::path project = CopyExample("conditional");
  RunPipeline(project, "report");
  ExpectSameFiles(project / "output", Expected("conditional", "dev"));
}

TEST_F(ExamplesTest, ConditionalProdTakesTheIfBranch) {
  fs::path project = CopyExample("conditional");
  RunPipeline(project, "report", {"--vars", "env=prod"});
  ExpectSameFiles(project / "output", Expected("conditional", "prod"));
}

TEST_F(ExamplesTest, ConditionalStagingTakesTheElseIfBranch) {
  fs::path project = CopyExample("conditional");
  RunPipeline(project, "report", {"--vars", "env=staging"});
  ExpectSameFiles(project / "output", Expected("conditional", "staging"));
}

TEST_F(ExamplesTest, ConditionalCompileShowsTheChosenBranch) {
  fs::path project = CopyExample("conditional");
  ProcessResult r = Run(
      {"pipeline", "compile", "report", "--project-dir", project.string(), "--vars", "env=prod"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("taken"));
  EXPECT_THAT(r.out, HasSubstr("daily_revenue"));
  EXPECT_TRUE(fs::is_regular_file(project / "target" / "compiled" / "report.json"));
}

// Three runs on one persistent database: day 1, day 2 (a re-sent event, a late event inside
// the lookback, a late event outside it, a new day), and day 2 again.
TEST_F(ExamplesTest, IncrementalTransformReprocessesTheLookbackWithoutDuplicates) {
  fs::path project = CopyExample("incremental_transform");

  std::map<std::string, int64_t> rows = StepRows(RunPipeline(project, "daily_revenue", {"--json"}));
  EXPECT_EQ(rows["load_events"], 4);
  EXPECT_EQ(rows["transform_daily_revenue"], 2);  // first run: every day
  ExpectSameFiles(project / "output", Expected("incremental_transform", "day1"));
  EXPECT_TRUE(fs::is_regular_file(project / "target" / "example.duckdb"));

  const std::vector<std::string> day2 = {"--json", "--vars", "events_file=data/events_day2.csv"};
  rows = StepRows(RunPipeline(project, "daily_revenue", day2));
  EXPECT_EQ(rows["load_events"], 5);
  // 2026-01-02 (inside the one-day lookback) and 2026-01-03 (new); 2026-01-01 is not
  // recomputed, so the late event 8 stays out of the daily figures.
  EXPECT_EQ(rows["transform_daily_revenue"], 2);
  ExpectSameFiles(project / "output", Expected("incremental_transform", "day2"));

  // The same batch again changes nothing: upserted events, only 2026-01-03 recomputed.
  rows = StepRows(RunPipeline(project, "daily_revenue", day2));
  EXPECT_EQ(rows["transform_daily_revenue"], 1);
  ExpectSameFiles(project / "output", Expected("incremental_transform", "day2"));
}

// Four runs on one persistent database while data/orders.csv grows: day 1; day 2 copied over
// the same file (the watermark's object), from which only the rows at or past the watermark
// are read and the one already loaded at it is dropped; day 2 again, which reads nothing; and
// a run after `state reset`, a full refresh that picks up a change whose cursor did not move.
TEST_F(ExamplesTest, IncrementalLoadReadsOnlyTheNewRowsOfAGrowingFile) {
  fs::path project = CopyExample("incremental_load");

  std::map<std::string, int64_t> rows = StepRows(RunPipeline(project, "orders", {"--json"}));
  EXPECT_EQ(rows["load_orders"], 4);
  ExpectSameFiles(project / "output", Expected("incremental_load", "run1"));

  fs::copy_file(project / "data/batches/day2.csv", project / "data/orders.csv",
                fs::copy_options::overwrite_existing);
  rows = StepRows(RunPipeline(project, "orders", {"--json"}));
  EXPECT_EQ(rows["load_orders"], 3);  // 1002 (updated), 1005 (at the watermark), 1006 (new)
  EXPECT_EQ(rows["export_orders"], 6);
  ExpectSameFiles(project / "output", Expected("incremental_load", "run2"));

  rows = StepRows(RunPipeline(project, "orders", {"--json"}));
  EXPECT_EQ(rows["load_orders"], 0);
  ExpectSameFiles(project / "output", Expected("incremental_load", "run2"));

  ProcessResult show =
      Run({"state", "show", "orders", "orders_src", "--json", "--project-dir", project.string()});
  ASSERT_EQ(show.exit_code, 0) << show.out << show.err;
  nlohmann::json watermarks = nlohmann::json::parse(show.out, nullptr, false);
  ASSERT_TRUE(watermarks.is_array() && watermarks.size() == 1) << show.out;
  EXPECT_EQ(watermarks[0]["object"], "data/orders.csv");
  EXPECT_EQ(watermarks[0]["value"], "2026-03-03 12:20:00");
  EXPECT_EQ(watermarks[0]["type"], "TIMESTAMP");
  EXPECT_EQ(watermarks[0]["boundary_rows"], 1);

  ProcessResult reset =
      Run({"state", "reset", "orders", "orders_src", "--project-dir", project.string()});
  ASSERT_EQ(reset.exit_code, 0) << reset.out << reset.err;
  rows = StepRows(RunPipeline(project, "orders", {"--json"}));
  EXPECT_EQ(rows["load_orders"], 6);
  ExpectSameFiles(project / "output", Expected("incremental_load", "after_reset"));
}

TEST_F(ExamplesTest, ParquetRoundTripKeepsValuesAndTypes) {
  fs::path project = CopyExample("parquet");
  RunPipeline(project, "to_parquet");
  fs::path parquet = project / "output" / "sales_by_region.parquet";
  ASSERT_TRUE(fs::is_regular_file(parquet));
  std::string bytes = ReadFile(parquet);
  ASSERT_GE(bytes.size(), 8u);
  EXPECT_EQ(bytes.substr(0, 4), "PAR1");
  EXPECT_EQ(bytes.substr(bytes.size() - 4), "PAR1");

  RunPipeline(project, "from_parquet");
  ExpectSameFiles(project / "output", Expected("parquet"));
}

// examples/postgres against a throwaway PostgreSQL server: the tables of data/setup.sql in, the
// revenue per customer back to PostgreSQL (replace) and per country (upsert), and to files.
TEST_F(ExamplesTest, PostgresToDuckDbAndBackToPostgresAndFiles) {
  using ::sqlflow::testing::PostgresServer;
  PostgresServer& server = PostgresServer::Shared();
  std::string db = server.CreateDatabase();
  fs::path project = CopyExample("postgres");
  server.Exec(ReadFile(project / "data" / "setup.sql"), db);
  const std::vector<std::string> env = {
      "PGHOST=127.0.0.1", "PGPORT=" + std::to_string(server.port()), "PGDATABASE=" + db,
      "PGUSER=" + std::string(PostgresServer::kUser),
      "PGPASSWORD=" + std::string(PostgresServer::kPassword)};
  auto table = [&](const std::string& sql) {
    std::vector<std::string> rows;
    for (const auto& row : server.Query(sql, db)) {
      std::string text;
      for (const auto& v : row) text += (text.empty() ? "" : "|") + v.value_or("NULL");
      rows.push_back(text);
    }
    return rows;
  };
  std::vector<ProcessResult> outputs;
  outputs.push_back(Run({"connect", "test", "warehouse", "--project-dir", project.string()}, env));
  EXPECT_EQ(outputs.back().exit_code, 0) << outputs.back().out << outputs.back().err;
  EXPECT_THAT(outputs.back().out, HasSubstr("warehouse (POSTGRES source): healthy"));
  for (int run = 1; run <= 2; ++run) {  // A second run gives the same tables.
    SCOPED_TRACE("run " + std::to_string(run));
    outputs.push_back(RunPipeline(project, "customer_revenue", {}, env));
    EXPECT_EQ(outputs.back().err.find("NOTICE"), std::string::npos) << outputs.back().err;
    ExpectSameFiles(project / "output", Expected("postgres"));
    EXPECT_THAT(table("SELECT customer_id, name, country, orders, revenue, last_order "
                      "FROM customer_revenue ORDER BY customer_id"),
                ::testing::ElementsAre("1|Ada Lovelace|GB|2|125.55|2026-01-12 07:00:00+00",
                                       "2|Grace Hopper|US|2|117.25|2026-01-09 11:11:11+00",
                                       "3|Katherine Johnson|US|1|310.10|2026-01-07 17:45:30+00",
                                       "4|Émilie du Châtelet|FR|1|88.80|2026-01-10 19:30:00+00"));
    EXPECT_THAT(table("SELECT country, revenue FROM country_totals ORDER BY country"),
                ::testing::ElementsAre("FR|88.80", "GB|125.55", "US|427.35"));
  }
  outputs.push_back(
      Run({"pipeline", "compile", "customer_revenue", "--project-dir", project.string()}, env));
  EXPECT_EQ(outputs.back().exit_code, 0) << outputs.back().err;
  // The password reaches the connector through the environment and nothing prints it.
  for (const ProcessResult& r : outputs) {
    EXPECT_EQ((r.out + r.err).find(PostgresServer::kPassword), std::string::npos);
  }
  for (const std::string& file : FilesUnder(project / "target")) {
    EXPECT_EQ(ReadFile(project / "target" / file).find(PostgresServer::kPassword),
              std::string::npos)
        << file;
  }
}

TEST_F(ExamplesTest, VariablesFromTheDevProfileAndSet) {
  fs::path project = CopyExample("variables");
  RunPipeline(project, "regional_report");
  ExpectSameFiles(project / "output", Expected("variables", "dev_default"));
}

TEST_F(ExamplesTest, VariablesFromTheProdProfileAndTheEnvironment) {
  fs::path project = CopyExample("variables");
  RunPipeline(project, "regional_report", {"--profile", "prod"}, {"ANALYST=ada"});
  ExpectSameFiles(project / "output", Expected("variables", "prod_profile"));
}

TEST_F(ExamplesTest, VariablesFromTheCommandLineBeatSetAndProfile) {
  fs::path project = CopyExample("variables");
  RunPipeline(project, "regional_report",
              {"--vars", R"({"region": "south", "min_amount": 50, "year": 2024})"});
  ExpectSameFiles(project / "output", Expected("variables", "dev_cli_vars"));
}

TEST_F(ExamplesTest, VariablesMissingValueIsAnErrorNamingIt) {
  fs::path project = CopyExample("variables");
  // Without a profile variable `region` nothing sets it and it has no default.
  std::ofstream(project / "profiles" / "bare.yml") << "engines:\n  duckdb:\n    mode: memory\n";
  ProcessResult r = Run({"pipeline", "run", "regional_report", "--project-dir", project.string(),
                         "--profile", "bare"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("region"));
  EXPECT_THAT(r.err, HasSubstr("regional_report.sf:"));
  EXPECT_FALSE(fs::exists(project / "output"));
}

}  // namespace
