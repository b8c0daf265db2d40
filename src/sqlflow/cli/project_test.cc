#include "sqlflow/cli/project.h"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqlflow/cli/test_fakes.h"

namespace sqlflow::cli {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class CliProjectTest : public testing::TempDirTest {
 protected:
  CliProjectTest() : TempDirTest("sqlflow-project") {}
  // The problems of the InvalidInput `fn` throws ("" when it throws nothing).
  template <typename Fn>
  static std::string InvalidMessage(Fn&& fn) {
    try {
      fn();
    } catch (const InvalidInput& e) {
      return e.what();
    }
    return "";
  }
};

TEST_F(CliProjectTest, OpenNeedsAnExistingDirectory) {
  EXPECT_EQ(Project::Open(dir_.string()).dir(), dir_);
  EXPECT_EQ(InvalidMessage([&] { Project::Open((dir_ / "nope").string()); }),
            "project directory '" + (dir_ / "nope").string() + "' does not exist\n");
  Write("file.txt", "x");
  EXPECT_THAT(InvalidMessage([&] { Project::Open((dir_ / "file.txt").string()); }),
              HasSubstr("is not a directory"));
  EXPECT_EQ(Project::Open("").dir(), fs::current_path());
}

TEST_F(CliProjectTest, PipelinesAreSortedSfFiles) {
  Write("pipelines/zeta.sf", "");
  Write("pipelines/alpha.sf", "");
  Write("pipelines/notes.txt", "");
  fs::create_directories(dir_ / "pipelines" / "dir.sf");
  Project project = Project::Open(dir_.string());
  std::vector<std::string> names;
  for (const PipelineFile& f : project.Pipelines()) {
    names.push_back(f.name + " " + f.display_path);
    EXPECT_TRUE(f.path.is_absolute());
  }
  EXPECT_THAT(names, ElementsAre("alpha pipelines/alpha.sf", "zeta pipelines/zeta.sf"));
}

TEST_F(CliProjectTest, UnknownPipelineSuggestsAndLists) {
  Write("pipelines/daily_orders.sf", "");
  Write("pipelines/weekly.sf", "");
  Project project = Project::Open(dir_.string());
  EXPECT_EQ(project.FindPipeline("weekly").name, "weekly");
  std::string where = (dir_ / "pipelines").string();
  EXPECT_EQ(InvalidMessage([&] { project.FindPipeline("daily_ordrs"); }),
            "pipeline 'daily_ordrs' not found in " + where +
                " (did you mean 'daily_orders'?); pipelines found: daily_orders, weekly\n");
  EXPECT_EQ(
      InvalidMessage([&] { project.FindPipeline("monthly"); }),
      "pipeline 'monthly' not found in " + where + "; pipelines found: daily_orders, weekly\n");
}

TEST_F(CliProjectTest, NoPipelinesHintsAtProjectDir) {
  Project project = Project::Open(dir_.string());
  EXPECT_THAT(InvalidMessage([&] { project.FindPipeline("x"); }),
              HasSubstr("there are no pipelines: is --project-dir the project directory?"));
}

TEST_F(CliProjectTest, DisplayAndResolve) {
  Project project = Project::Open(dir_.string());
  EXPECT_EQ(project.Display(dir_ / "pipelines" / "a.sf"), "pipelines/a.sf");
  EXPECT_EQ(project.Display("/elsewhere/a.sf"), "/elsewhere/a.sf");
  EXPECT_EQ(project.Display("target/runs/x.json"), "target/runs/x.json");
  EXPECT_EQ(project.Resolve("data/x.csv"), dir_ / "data" / "x.csv");
  EXPECT_EQ(project.Resolve("/abs/x.csv"), fs::path("/abs/x.csv"));
}

TEST_F(CliProjectTest, EngineOptionsResolvePathsAgainstTheProject) {
  Project project = Project::Open(dir_.string());
  pipeline::Profile profile;
  EXPECT_EQ(project.EngineOptionsOf(profile).path, "");
  EXPECT_FALSE(project.HasDatabase(profile));
  profile.engine.persistent = true;
  profile.engine.path = "target/db.duckdb";
  profile.engine.threads = 3;
  profile.engine.temp_directory = "tmp";
  engine::EngineOptions options = project.EngineOptionsOf(profile);
  EXPECT_EQ(options.path, (dir_ / "target" / "db.duckdb").string());
  EXPECT_EQ(options.threads, 3);
  EXPECT_EQ(options.temp_directory, (dir_ / "tmp").string());
  EXPECT_FALSE(project.HasDatabase(profile));
  Write("target/db.duckdb", "");
  EXPECT_TRUE(project.HasDatabase(profile));
}

TEST_F(CliProjectTest, StateLivesInTheEngineDatabaseOrInTheStateFile) {
  Project project = Project::Open(dir_.string());
  pipeline::Profile profile;
  profile.name = "dev";
  EXPECT_EQ(project.StatePath(profile), dir_ / "target" / "state.duckdb");
  EXPECT_EQ(project.OpenState(profile), nullptr);
  std::unique_ptr<engine::Engine> engine = project.OpenEngine(profile);
  EXPECT_NE(project.OpenRunState(profile, *engine, "daily", SystemClock::Instance()), nullptr);
  profile.engine.persistent = true;
  profile.engine.path = "target/db.duckdb";
  EXPECT_EQ(project.StatePath(profile), dir_ / "target" / "db.duckdb");
  EXPECT_EQ(project.OpenState(profile), nullptr);
  EXPECT_FALSE(fs::exists(dir_ / "target"));  // Looking for state creates none.
}

TEST_F(CliProjectTest, BadMemoryLimitIsInvalidInput) {
  Project project = Project::Open(dir_.string());
  pipeline::Profile profile;
  profile.engine.memory_limit = "lots";
  EXPECT_THAT(InvalidMessage([&] { project.EngineOptionsOf(profile); }), HasSubstr("lots"));
  profile.engine.memory_limit = "512MB";
  EXPECT_EQ(project.EngineOptionsOf(profile).memory_limit, "512MB");
}

TEST_F(CliProjectTest, MissingProfileIsInvalidInputNamingTheProfilesFound) {
  Write("profiles/dev.yml", "log_level: info\n");
  Write("profiles/test.yml", "log_level: info\n");
  Project project = Project::Open(dir_.string());
  EXPECT_EQ(project.LoadProfile("dev").name, "dev");
  std::string message = InvalidMessage([&] { project.LoadProfile("prod"); });
  EXPECT_THAT(message, HasSubstr("profile 'prod' not found"));
  EXPECT_THAT(message, HasSubstr("dev, test"));
}

TEST_F(CliProjectTest, VarsFlag) {
  EXPECT_TRUE(ParseVarsFlag("").empty());
  EXPECT_TRUE(ParseVarsFlag("  ").empty());
  std::map<std::string, std::string> vars = ParseVarsFlag("a=1,b=x");
  EXPECT_EQ(vars["a"], "1");
  EXPECT_EQ(vars["b"], "x");
  EXPECT_EQ(ParseVarsFlag(R"({"n": 5})")["n"], "5");
  EXPECT_NE(InvalidMessage([] { ParseVarsFlag("=oops"); }), "");
}

TEST_F(CliProjectTest, ExistingTablesOfNoEngineIsEmpty) {
  EXPECT_TRUE(ExistingTables(nullptr).empty());
}

}  // namespace
}  // namespace sqlflow::cli
