#include "sqlflow/pipeline/profile.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include "sqlflow/common/error.h"
#include "sqlflow/pipeline/diagnostics.h"

namespace sqlflow::pipeline {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

/// A fresh directory removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "sqlflow_profile_XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }
  void Write(const std::string& relative, const std::string& content) const {
    fs::create_directories((path_ / relative).parent_path());
    std::ofstream(path_ / relative) << content;
  }

 private:
  fs::path path_;
};

/// One problem as "line:column: message | suggestion".
std::string Describe(const Diagnostic& d) {
  auto [line, column] = d.location.file->LineColumn(d.location.offset);
  return std::to_string(line) + ":" + std::to_string(column) + ": " + d.message + " | " +
         d.suggestion;
}

/// Every problem ParseProfile reports for `yaml`, described; empty when it parses.
std::vector<std::string> Problems(const std::string& yaml) {
  try {
    ParseProfile("dev", "profiles/dev.yml", yaml);
  } catch (const PipelineDiagnostics& e) {
    std::vector<std::string> out;
    for (const Diagnostic& d : e.diagnostics()) out.push_back(Describe(d));
    return out;
  }
  return {};
}

/// The ConfigError message of LoadProfile, or "".
std::string LoadError(const fs::path& dir, const std::string& name) {
  try {
    LoadProfile(dir, name);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

const char* kFullProfile = R"(engines:
  duckdb:
    mode: persistent
    path: target/prod.duckdb
    memory_limit: 2GB
    threads: 2
    temp_directory: /tmp/spill
log_level: debug
variables: {env: dev, batch: 100, on: true, ratio: 0.5, none: }
connections:
  warehouse:
    type: postgres
    host: localhost
    port: 5432
    database: analytics
    username: etl
    password: ${PGPASSWORD}
    resilience: {retry_attempts: 5}
schema_evolution: true
)";

// ---- ParseProfile: what is read ---------------------------------------------------------------

TEST(ProfileTest, ParsesEveryKey) {
  Profile profile = ParseProfile("prod", "profiles/prod.yml", kFullProfile);
  EXPECT_EQ(profile.name, "prod");
  EXPECT_EQ(profile.path, "profiles/prod.yml");
  EXPECT_TRUE(profile.engine.persistent);
  EXPECT_EQ(profile.engine.path, "target/prod.duckdb");
  EXPECT_EQ(profile.engine.memory_limit, "2GB");
  EXPECT_EQ(profile.engine.threads, 2);
  EXPECT_EQ(profile.engine.temp_directory, "/tmp/spill");
  EXPECT_EQ(profile.log_level, "debug");
  EXPECT_EQ(profile.variables,
            (std::map<std::string, std::string>{
                {"env", "dev"}, {"batch", "100"}, {"on", "true"}, {"ratio", "0.5"}, {"none", ""}}));
  EXPECT_TRUE(profile.allow_schema_evolution);
  ASSERT_EQ(profile.connections.size(), 1u);
  const ConnectionConfig& warehouse = profile.connections.at("warehouse");
  EXPECT_EQ(warehouse.name, "warehouse");
  EXPECT_EQ(warehouse.type, "postgres");
  // Scalars stay text as written; ${VAR} is left for the planner.
  EXPECT_EQ(warehouse.params, json({{"host", "localhost"},
                                    {"port", "5432"},
                                    {"database", "analytics"},
                                    {"username", "etl"},
                                    {"password", "${PGPASSWORD}"},
                                    {"resilience", {{"retry_attempts", "5"}}}}));
  ASSERT_TRUE(warehouse.location.file);
  EXPECT_EQ(warehouse.location.file->LineColumn(warehouse.location.offset),
            (std::pair<int, int>{11, 3}));
  EXPECT_EQ(warehouse.location.length, 9u);
  ASSERT_TRUE(profile.file);
  EXPECT_EQ(profile.file->path, "profiles/prod.yml");
  EXPECT_EQ(profile.file->text, kFullProfile);
}

TEST(ProfileTest, DefaultsForAnEmptyProfile) {
  for (const char* yaml : {"", "# nothing\n", "engines:\n", "engines:\n  duckdb:\n"}) {
    SCOPED_TRACE(yaml);
    Profile profile = ParseProfile("dev", "profiles/dev.yml", yaml);
    EXPECT_FALSE(profile.engine.persistent);
    EXPECT_EQ(profile.engine.path, "");
    EXPECT_EQ(profile.engine.memory_limit, "");
    EXPECT_EQ(profile.engine.threads, 0);
    EXPECT_EQ(profile.log_level, "info");
    EXPECT_THAT(profile.variables, IsEmpty());
    EXPECT_THAT(profile.connections, IsEmpty());
    EXPECT_FALSE(profile.allow_schema_evolution);
  }
}

TEST(ProfileTest, PersistentWithoutPathUsesTheDefaultFile) {
  Profile profile = ParseProfile("p", "p.yml", "engines:\n  duckdb:\n    mode: Persistent\n");
  EXPECT_TRUE(profile.engine.persistent);
  EXPECT_EQ(profile.engine.path, "target/sqlflow.duckdb");
  // A path given in memory mode is kept as written but not used for the default.
  Profile memory = ParseProfile("m", "m.yml", "engines: {duckdb: {mode: memory, path: a.db}}");
  EXPECT_FALSE(memory.engine.persistent);
  EXPECT_EQ(memory.engine.path, "a.db");
}

TEST(ProfileTest, PythonConnectorsFormWithParams) {
  Profile profile = ParseProfile("dev", "profiles/dev.yml", R"(connectors:
  pg:
    type: POSTGRES
    params:
      host: db
      port: 5432
      tables: [a, b]
  csv_in:
    type: csv
    params: {path: data/x.csv, has_header: true}
)");
  ASSERT_EQ(profile.connections.size(), 2u);
  EXPECT_EQ(profile.connections.at("pg").type, "POSTGRES");
  EXPECT_EQ(profile.connections.at("pg").params,
            json({{"host", "db"}, {"port", "5432"}, {"tables", {"a", "b"}}}));
  EXPECT_EQ(profile.connections.at("csv_in").params,
            json({{"path", "data/x.csv"}, {"has_header", "true"}}));
  EXPECT_EQ(profile.connections.at("csv_in").location.file->LineColumn(
                profile.connections.at("csv_in").location.offset),
            (std::pair<int, int>{8, 3}));
}

TEST(ProfileTest, NullParameterIsJsonNullAndQuotedTextStaysText) {
  Profile profile = ParseProfile("dev", "d.yml",
                                 "connections:\n  c:\n    type: x\n    a: ~\n    b: \"null\"\n"
                                 "    c: '0123'\n    d: 0123\n");
  EXPECT_EQ(profile.connections.at("c").params,
            json({{"a", nullptr}, {"b", "null"}, {"c", "0123"}, {"d", "0123"}}));
}

TEST(ProfileTest, EmptyParamsAreNoParams) {
  Profile profile =
      ParseProfile("dev", "d.yml", "connectors:\n  m:\n    type: memory\n    params:\n");
  EXPECT_EQ(profile.connections.at("m").params, json::object());
}

TEST(ProfileTest, IgnoresPythonSqlflowKeys) {
  Profile profile = ParseProfile(
      "dev", "d.yml", "version: '1.0'\ndescription: Dev profile\nname: dev\nlog_level: INFO\n");
  EXPECT_EQ(profile.log_level, "info");
}

TEST(ProfileTest, VariableReferencesInValuesAreKeptUnresolved) {
  Profile profile = ParseProfile("dev", "d.yml", R"(engines:
  duckdb:
    mode: persistent
    path: ${DB_PATH|target/x.duckdb}
    memory_limit: ${MEM}
log_level: ${LOG_LEVEL|info}
variables:
  bucket: ${BUCKET}
)");
  EXPECT_EQ(profile.engine.path, "${DB_PATH|target/x.duckdb}");
  EXPECT_EQ(profile.engine.memory_limit, "${MEM}");
  EXPECT_EQ(profile.log_level, "${LOG_LEVEL|info}");
  EXPECT_EQ(profile.variables.at("bucket"), "${BUCKET}");
}

TEST(ProfileTest, MemoryLimitShapes) {
  for (const char* good : {"2GB", "2 gb", "512MB", "1.5GiB", "1073741824", "75%", "100%", "0.5 %",
                           "2TB", "1KiB", "3 MiB", "4tib", "16KB"}) {
    SCOPED_TRACE(good);
    Profile profile = ParseProfile(
        "dev", "d.yml", std::string("engines: {duckdb: {memory_limit: '") + good + "'}}");
    EXPECT_EQ(profile.engine.memory_limit, good);
  }
  // A YAML number is kept as written.
  EXPECT_EQ(ParseProfile("dev", "d.yml", "engines: {duckdb: {memory_limit: 2147483648}}")
                .engine.memory_limit,
            "2147483648");
  for (const char* bad : {"2XB", "0GB", "150%", "0%", "abc", "1.5", "-1GB", "GB", "", "2 G B",
                          "1..5GB", ".5GB", "%"}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(Problems(std::string("engines: {duckdb: {memory_limit: '") + bad + "'}}").size(), 1u);
  }
}

// ---- ParseProfile: problems and their places ------------------------------------------------

TEST(ProfileTest, BadMemoryLimitMessages) {
  EXPECT_THAT(Problems("engines:\n  duckdb:\n    memory_limit: 2XB\n"),
              ElementsAre("3:19: engines.duckdb.memory_limit must be a size such as 2GB, 512MB, "
                          "1.5GiB or 1073741824 (bytes), or a share of memory such as 75%, got "
                          "'2XB' | "));
  EXPECT_THAT(Problems("engines:\n  duckdb:\n    memory_limit: \"150%\"\n"),
              ElementsAre("3:19: engines.duckdb.memory_limit must be a percentage above 0 and "
                          "at most 100, got '150%' | "));
}

TEST(ProfileTest, UnknownTopLevelKeyWithSuggestion) {
  EXPECT_THAT(Problems("enignes:\n  duckdb: {}\nlog_level: info\nfoo: 1\n"),
              ElementsAre("1:1: unknown profile key 'enignes' | did you mean 'engines'?",
                          "4:1: unknown profile key 'foo' | expected one of: engines, log_level, "
                          "variables, connections, connectors, schema_evolution"));
}

TEST(ProfileTest, UnknownEngineAndEngineKey) {
  EXPECT_THAT(Problems("engines:\n  duckdb:\n    memory_limt: 1GB\n    colour: red\n  duck: {}\n"),
              ElementsAre("3:5: unknown key 'memory_limt' in engines.duckdb | did you mean "
                          "'memory_limit'?",
                          "4:5: unknown key 'colour' in engines.duckdb | expected one of: mode, "
                          "path, memory_limit, threads, temp_directory",
                          "5:3: unknown engine 'duck' | did you mean 'duckdb'?"));
}

TEST(ProfileTest, BadModeThreadsLogLevelAndSchemaEvolution) {
  EXPECT_THAT(Problems("engines:\n  duckdb:\n    mode: persistant\n    threads: 0\n"
                       "log_level: verbos\nschema_evolution: maybe\n"),
              ElementsAre("3:11: engines.duckdb.mode must be 'memory' or 'persistent', got "
                          "'persistant' | did you mean 'persistent'?",
                          "4:14: engines.duckdb.threads must be a positive integer, got '0' | "
                          "leave it out to use every core",
                          "5:12: log_level must be one of debug, info, warning, error; got "
                          "'verbos' | ",
                          "6:19: schema_evolution must be true or false, got 'maybe' | "));
  EXPECT_THAT(Problems("log_level: warn\n"),
              ElementsAre("1:12: log_level must be one of debug, info, warning, error; got "
                          "'warn' | did you mean 'warning'?"));
}

TEST(ProfileTest, ThreadsMustBeAPositiveInteger) {
  for (const char* bad : {"-1", "two", "1.5", "99999999999", "${THREADS}"}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(Problems(std::string("engines: {duckdb: {threads: '") + bad + "'}}").size(), 1u);
  }
  EXPECT_THAT(Problems("engines:\n  duckdb:\n    threads: ${T}\n"),
              ElementsAre("3:14: engines.duckdb.threads must be a positive integer, got '${T}' | "
                          "variables are not substituted in engines.duckdb.threads"));
  EXPECT_EQ(ParseProfile("dev", "d.yml", "engines: {duckdb: {threads: 8}}").engine.threads, 8);
}

TEST(ProfileTest, EmptyPathAndNonScalarEngineValues) {
  EXPECT_THAT(Problems("engines:\n  duckdb:\n    path: ''\n    mode: [memory]\n"),
              ElementsAre("3:11: engines.duckdb.path must not be empty | leave it out for the "
                          "default target/sqlflow.duckdb",
                          "4:11: engines.duckdb.mode must be a value, not a list | "));
  EXPECT_THAT(Problems("engines: duckdb\n"),
              ElementsAre("1:10: 'engines' must be a mapping | write engines: {duckdb: {mode: "
                          "memory}}"));
}

TEST(ProfileTest, AnEmptyEngineValueIsReportedAtItsKey) {
  EXPECT_THAT(Problems("engines:\n  duckdb:\n    threads:\n    mode: memory\n"),
              ElementsAre("3:5: engines.duckdb.threads must be a value, not empty | "));
}

TEST(ProfileTest, NestedVariableIsAnError) {
  EXPECT_THAT(Problems("variables:\n  env: dev\n  dates:\n    start: 2024-01-01\n  list: [1]\n"),
              ElementsAre("4:5: variable 'dates' must be a value, not a mapping | ",
                          "5:9: variable 'list' must be a value, not a list | "));
  EXPECT_THAT(Problems("variables: [a]\n"),
              ElementsAre("1:12: 'variables' must be a mapping of names to values | write "
                          "variables: {env: dev}"));
}

TEST(ProfileTest, ConnectionWithoutTypeIsReportedAtItsKey) {
  EXPECT_THAT(Problems("connections:\n  ok: {type: csv}\n  warehouse:\n    host: localhost\n"),
              ElementsAre("3:3: connection 'warehouse' has no type | add `type: <connector>`, "
                          "e.g. type: postgres (see `sqlflow connectors list`)"));
  EXPECT_THAT(Problems("connectors:\n  pg:\n    params: {host: x}\n"),
              ElementsAre("2:3: connection 'pg' has no type | add `type: <connector>`, e.g. "
                          "type: postgres (see `sqlflow connectors list`)"));
}

TEST(ProfileTest, ConnectionShapeProblems) {
  EXPECT_THAT(Problems("connections:\n  a: postgres\n  b:\n    type: x\n    host: h\n    params:\n"
                       "      host: h2\n"),
              ElementsAre("2:6: connection 'a' must be a mapping with a type and its parameters | "
                          "write e.g. {type: postgres, host: localhost}",
                          "7:7: parameter 'host' of connection 'b' is given twice | "));
  EXPECT_THAT(Problems("connections:\n  a: {type: x}\nconnectors:\n  a: {type: y}\n"),
              ElementsAre("4:3: connection 'a' is defined twice | remove one of them"));
  EXPECT_THAT(Problems("connections: [a]\n"),
              ElementsAre("1:14: 'connections' must be a mapping of connection names to their "
                          "settings | "));
}

TEST(ProfileTest, RepeatedKeyIsReported) {
  EXPECT_THAT(Problems("log_level: info\nlog_level: debug\n"),
              ElementsAre("2:1: 'log_level' is given twice | remove one of them"));
}

TEST(ProfileTest, MalformedYamlIsReportedAtTheParserMark) {
  EXPECT_THAT(Problems("engines:\n  duckdb: {mode: memory\n"),
              ElementsAre("3:1: invalid YAML: end of map flow not found | "));
  EXPECT_THAT(Problems("a: b: c\n"), ElementsAre("1:5: invalid YAML: illegal map value | "));
  EXPECT_THAT(Problems("- just\n- a list\n"),
              ElementsAre("1:1: a profile must be a mapping of keys such as engines, variables "
                          "and connections, not a list | "));
}

TEST(ProfileTest, AllProblemsAreThrownTogetherWithTheFirstAsWhat) {
  try {
    ParseProfile("dev", "profiles/dev.yml", "engines:\n  duckdb:\n    mode: disk\nlog_levl: x\n");
    FAIL() << "no exception";
  } catch (const PipelineDiagnostics& e) {
    EXPECT_EQ(e.diagnostics().size(), 2u);
    EXPECT_STREQ(e.what(),
                 "profiles/dev.yml:3:11: engines.duckdb.mode must be 'memory' or 'persistent', "
                 "got 'disk'");
    EXPECT_EQ(e.line(), 3);
    EXPECT_EQ(e.column(), 11);
    EXPECT_EQ(FormatDiagnostic(e.diagnostics()[1]),
              "error: unknown profile key 'log_levl'\n"
              "  --> profiles/dev.yml:4:1\n"
              "   |\n"
              " 4 | log_levl: x\n"
              "   | ^^^^^^^^\n"
              "   = help: did you mean 'log_level'?");
  }
}

// ---- ListProfiles and LoadProfile -------------------------------------------------------------

TEST(ProfileTest, AcceptsThePythonSqlflowLegacyForms) {
  // The profile wrapped in its own name, max_memory, and logging keys we do not use.
  Profile p = ParseProfile("dev", "profiles/dev.yml",
                           "dev:\n  engines:\n    duckdb:\n      mode: memory\n"
                           "      max_memory: 2GB\n  log_file: sqlflow.log\n"
                           "  logging: {level: info}\n  variables: {env: dev}\n");
  EXPECT_EQ(p.engine.memory_limit, "2GB");
  EXPECT_FALSE(p.engine.persistent);
  EXPECT_EQ(p.variables.at("env"), "dev");
}

TEST(ProfileLoadTest, ListProfilesFindsYmlAndYamlSorted) {
  TempDir dir;
  EXPECT_THAT(ListProfiles(dir.path()), IsEmpty());  // No profiles directory.
  dir.Write("profiles/test.yaml", "");
  dir.Write("profiles/dev.yml", "");
  dir.Write("profiles/dev.yaml", "");
  dir.Write("profiles/README.md", "");
  dir.Write("profiles/nested/prod.yml", "");
  EXPECT_THAT(ListProfiles(dir.path()), ElementsAre("dev", "test"));
}

TEST(ProfileLoadTest, LoadsYmlBeforeYamlWithADisplayPath) {
  TempDir dir;
  dir.Write("profiles/dev.yml", "log_level: debug\n");
  dir.Write("profiles/dev.yaml", "log_level: error\n");
  dir.Write("profiles/test.yaml", "variables: {env: test}\n");
  Profile dev = LoadProfile(dir.path(), "dev");
  EXPECT_EQ(dev.name, "dev");
  EXPECT_EQ(dev.path, "profiles/dev.yml");
  EXPECT_EQ(dev.log_level, "debug");
  Profile test = LoadProfile(dir.path(), "test");
  EXPECT_EQ(test.path, "profiles/test.yaml");
  EXPECT_EQ(test.variables.at("env"), "test");
}

TEST(ProfileLoadTest, AnEmptyFileIsTheDefaultProfile) {
  TempDir dir;
  dir.Write("profiles/ci.yml", "");
  Profile ci = LoadProfile(dir.path(), "ci");
  EXPECT_EQ(ci.name, "ci");
  EXPECT_FALSE(ci.engine.persistent);
  ASSERT_TRUE(ci.file);
  EXPECT_EQ(ci.file->text, "");
}

TEST(ProfileLoadTest, MissingProfileListsTheOthersAndSuggests) {
  TempDir dir;
  dir.Write("profiles/dev.yml", "");
  dir.Write("profiles/test.yml", "");
  const std::string profiles = (dir.path() / "profiles").string();
  EXPECT_EQ(LoadError(dir.path(), "prod"),
            "profile 'prod' not found in " + profiles + "; profiles found: dev, test");
  EXPECT_EQ(LoadError(dir.path(), "tset"), "profile 'tset' not found in " + profiles +
                                               "; profiles found: dev, test (did you mean "
                                               "'test'?)");
  EXPECT_EQ(LoadError(dir.path(), "../profiles/dev"),
            "profile '../profiles/dev' not found in " + profiles + "; profiles found: dev, test");
}

TEST(ProfileLoadTest, EmptyOrAbsentProfilesDirectory) {
  TempDir dir;
  const std::string profiles = (dir.path() / "profiles").string();
  Profile dev = LoadProfile(dir.path(), "dev");  // No directory: the default profile.
  EXPECT_EQ(dev.name, "dev");
  EXPECT_FALSE(dev.engine.persistent);
  EXPECT_EQ(dev.log_level, "info");
  EXPECT_FALSE(dev.file);
  EXPECT_EQ(LoadError(dir.path(), "prod"),
            "profile 'prod' not found: " + profiles + " does not exist");
  fs::create_directories(dir.path() / "profiles");
  EXPECT_EQ(LoadError(dir.path(), "dev"),
            "profile 'dev' not found in " + profiles + "; no profiles found");
}

TEST(ProfileLoadTest, ProblemsNameTheProfileFile) {
  TempDir dir;
  dir.Write("profiles/dev.yml", "engines:\n  duckdb:\n    threads: lots\n");
  try {
    LoadProfile(dir.path(), "dev");
    FAIL() << "no exception";
  } catch (const PipelineDiagnostics& e) {
    EXPECT_STREQ(e.what(),
                 "profiles/dev.yml:3:14: engines.duckdb.threads must be a positive integer, got "
                 "'lots' (leave it out to use every core)");
  }
}

}  // namespace
}  // namespace sqlflow::pipeline
