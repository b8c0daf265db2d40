#include "sqlflow/cli/init_command.h"

#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqlflow/cli/test_fakes.h"

namespace sqlflow::cli {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class CliInitCommandTest : public testing::CliCommandTest {
 protected:
  CliInitCommandTest() : CliCommandTest("sqlflow-init") {}
};

TEST_F(CliInitCommandTest, CreatesTheProject) {
  fs::path project = dir_ / "shop";
  EXPECT_EQ(Run({"init", project.string()}), 0) << err_.str();
  EXPECT_EQ(err_.str(), "");
  for (const char* path :
       {"pipelines/customer_analytics.sf", "profiles/dev.yml", "profiles/prod.yml",
        "data/customers.csv", "data/products.csv", "data/orders.csv", "README.md", ".gitignore"}) {
    EXPECT_TRUE(fs::is_regular_file(project / path)) << path;
  }
  EXPECT_TRUE(fs::is_directory(project / "output"));
  EXPECT_TRUE(fs::is_empty(project / "output"));
  EXPECT_EQ(Read(project / "data" / "orders.csv"), OrdersCsv(SampleDataOptions{}));
  std::string out = out_.str();
  EXPECT_THAT(out, StartsWith("Created project shop in " + project.string() + ":\n"));
  EXPECT_THAT(out, HasSubstr("  data/orders.csv "));
  EXPECT_THAT(out, HasSubstr("5,000 rows of orders\n"));
  EXPECT_THAT(out, HasSubstr("1,000 rows of customers\n"));
  EXPECT_THAT(out, HasSubstr("\nNext steps:\n  cd " + project.string() +
                             " && sqlflow pipeline run customer_analytics\n"));
}

TEST_F(CliInitCommandTest, TheSampleProjectValidates) {
  fs::path project = dir_ / "shop";
  ASSERT_EQ(Run({"init", project.string()}), 0) << err_.str();
  EXPECT_EQ(Run({"pipeline", "validate", "--project-dir", project.string()}), 0) << err_.str();
  EXPECT_THAT(out_.str(), StartsWith("\u2713 customer_analytics: "));
  EXPECT_EQ(Run({"pipeline", "validate", "-p", "prod", "--project-dir", project.string()}), 0)
      << err_.str();
  EXPECT_EQ(Run({"connect", "test", "orders_csv", "--project-dir", project.string()}), 0)
      << err_.str() << out_.str();
}

TEST_F(CliInitCommandTest, AnEmptyDirectoryIsUsed) {
  fs::create_directories(dir_ / "empty");
  EXPECT_EQ(Run({"init", (dir_ / "empty/").string()}), 0) << err_.str();
  EXPECT_TRUE(fs::exists(dir_ / "empty" / "profiles" / "dev.yml"));
  EXPECT_THAT(out_.str(), StartsWith("Created project empty in "));
}

TEST_F(CliInitCommandTest, RefusesToOverwrite) {
  fs::create_directories(dir_ / "taken");
  std::ofstream(dir_ / "taken" / "keep.txt") << "mine";
  std::string target = (dir_ / "taken").string();
  EXPECT_EQ(Run({"init", target}), 2);
  EXPECT_EQ(err_.str(), "error: directory '" + target +
                            "' already exists and is not empty: choose another name, or remove "
                            "it first (init never overwrites files)\n");
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(Read(dir_ / "taken" / "keep.txt"), "mine");
  EXPECT_FALSE(fs::exists(dir_ / "taken" / "pipelines"));

  std::ofstream(dir_ / "file") << "x";
  EXPECT_EQ(Run({"init", (dir_ / "file").string()}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("exists and is not a directory"));
}

TEST_F(CliInitCommandTest, NeedsAName) {
  EXPECT_EQ(Run({"init"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("NAME is required"));
}

TEST_F(CliInitCommandTest, SmallerDataThroughOptions) {
  SampleDataOptions options;
  options.customers = 10;
  options.products = 5;
  options.orders = 20;
  std::ostringstream out;
  std::ostringstream err;
  CliEnv env{.out = out, .err = err, .registry = builtin_};
  GlobalOptions global;
  EXPECT_EQ(InitProject((dir_ / "tiny").string(), global, env, options), ExitCode::kSuccess);
  EXPECT_THAT(out.str(), HasSubstr("20 rows of orders"));
  global.quiet = true;
  std::ostringstream quiet_out;
  CliEnv quiet_env{.out = quiet_out, .err = err, .registry = builtin_};
  EXPECT_EQ(InitProject((dir_ / "tiny2").string(), global, quiet_env, options), ExitCode::kSuccess);
  EXPECT_EQ(quiet_out.str(), "");
}

}  // namespace
}  // namespace sqlflow::cli
