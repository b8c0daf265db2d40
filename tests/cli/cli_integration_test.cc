// Integration tests of the `sqlflow` binary: real processes, real files, exact outcomes.
// The binary's path comes from SQLFLOW_BIN (set by tests/cli/CMakeLists.txt).
#include <filesystem>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/sqlflow_binary.h"
#include <nlohmann/json.hpp>

namespace {

namespace fs = std::filesystem;
using ::sqlflow::testing::ProcessResult;
using ::sqlflow::testing::ReadFile;
using ::sqlflow::testing::WriteFile;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;
using ::testing::StartsWith;

// Run() gives sqlflow files for stdout and stderr (not a terminal: no progress line); Path()
// names a file in the test's temporary directory.
class CliIntegrationTest : public ::sqlflow::testing::SqlflowBinaryTest {
 protected:
  CliIntegrationTest() : SqlflowBinaryTest("sqlflow-cli") {}

  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  static std::string Params(const std::string& path) {
    return nlohmann::json{{"path", path}}.dump();
  }
};

// Quoted commas and quotes, an embedded newline, empty values (NULL), non-ASCII text; every
// value spelled the way DuckDB writes it back, so a round trip is byte-identical.
constexpr const char* kSampleCsv =
    "id,name,city,amount,note\n"
    "1,Zo\u00eb,\"Paris, France\",12.5,plain\n"
    "2,M\u00fcller,\u6771\u4eac,,\"line one\nline two\"\n"
    "3,\"O\"\"Brien\",,7.75,\"said \"\"hi\"\"\"\n"
    "4,,Berlin,-3.25,\n"
    "5,\u0141\u00f3d\u017a,\"a,b,c\",0.5,\"x, \"\"y\"\"\"\n";

TEST_F(CliIntegrationTest, NoArgumentsPrintsHelpAndExitsTwo) {
  ProcessResult r = Run({});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.out, IsEmpty());
  EXPECT_THAT(r.err, HasSubstr("Usage: sqlflow"));
}

TEST_F(CliIntegrationTest, HelpAndVersionExitZero) {
  ProcessResult help = Run({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("copy"));
  ProcessResult version = Run({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_THAT(version.out, MatchesRegex("sqlflow [0-9]+\\.[0-9]+\\.[0-9]+\n"));
}

TEST_F(CliIntegrationTest, ConnectorsList) {
  ProcessResult r = Run({"connectors", "list"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, IsEmpty());
  EXPECT_THAT(r.out, StartsWith("Sources:\n  TYPE "));
  EXPECT_THAT(r.out, HasSubstr("\nDestinations:\n  TYPE "));
  for (const char* type : {"\n  CSV ", "\n  PARQUET ", "\n  MEMORY "}) {
    EXPECT_THAT(r.out, HasSubstr(type));
  }
}

TEST_F(CliIntegrationTest, ConnectorsListJson) {
  ProcessResult r = Run({"connectors", "list", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json json = nlohmann::json::parse(r.out);
  for (const char* direction : {"sources", "destinations"}) {
    std::vector<std::string> types;
    for (const auto& entry : json.at(direction)) {
      types.push_back(entry.at("type"));
      EXPECT_FALSE(entry.at("description").get<std::string>().empty());
      EXPECT_TRUE(entry.at("capabilities").is_object());
    }
    EXPECT_THAT(types, Contains("CSV")) << direction;
    EXPECT_THAT(types, Contains("PARQUET")) << direction;
    EXPECT_THAT(types, Contains("MEMORY")) << direction;
  }
}

TEST_F(CliIntegrationTest, SpecCsv) {
  ProcessResult r = Run({"connectors", "spec", "csv"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, IsEmpty());
  EXPECT_THAT(r.out, StartsWith("CSV source: "));
  EXPECT_THAT(r.out, HasSubstr("\nCSV destination: "));
  EXPECT_THAT(r.out,
              MatchesRegex("(.|\n)*\n  NAME +TYPE +REQUIRED +DEFAULT +DESCRIPTION\n(.|\n)*"));
  EXPECT_THAT(r.out, MatchesRegex("(.|\n)*\n  path +string +yes +- +(.|\n)*"));
  EXPECT_THAT(r.out, MatchesRegex("(.|\n)*\n  delimiter +string +no +\",\" +(.|\n)*"));

  ProcessResult json = Run({"connectors", "spec", "CSV", "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  nlohmann::json spec = nlohmann::json::parse(json.out);
  EXPECT_EQ(spec["type"], "CSV");
  EXPECT_TRUE(spec["source"]["parameters"].is_array());
  EXPECT_TRUE(spec["destination"]["parameters"].is_array());
}

TEST_F(CliIntegrationTest, SpecOfUnknownTypeSuggests) {
  ProcessResult r = Run({"connectors", "spec", "cvs"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.out, IsEmpty());
  EXPECT_EQ(r.err, "error: unknown connector type 'cvs' (did you mean 'CSV'?)\n");
}

TEST_F(CliIntegrationTest, CsvToParquetToCsvIsIdentical) {
  WriteFile(Path("in.csv"), kSampleCsv);
  ProcessResult to_parquet =
      Run({"copy", "--source", "CSV", "--source-params", Params(Path("in.csv")), "--destination",
           "PARQUET", "--destination-params", Params(Path("mid.parquet"))});
  ASSERT_EQ(to_parquet.exit_code, 0) << to_parquet.err;
  EXPECT_THAT(to_parquet.err, IsEmpty());
  EXPECT_THAT(to_parquet.out,
              MatchesRegex("Copied 5 rows \\([0-9.]+ [KMG]?B\\) in [0-9]+\\.[0-9]{2} s \u2014 "
                           "[0-9,]+ rows/s\n"));
  ASSERT_TRUE(fs::exists(Path("mid.parquet")));

  ProcessResult to_csv =
      Run({"copy", "--source", "parquet", "--source-params", Params(Path("mid.parquet")),
           "--destination", "csv", "--destination-params", Params(Path("out.csv")), "--json"});
  ASSERT_EQ(to_csv.exit_code, 0) << to_csv.err;
  nlohmann::json summary = nlohmann::json::parse(to_csv.out);
  EXPECT_EQ(summary["rows"], 5);
  EXPECT_EQ(summary["path"], "pushdown");
  EXPECT_GE(summary["seconds"].get<double>(), 0.0);
  EXPECT_TRUE(summary.contains("bytes"));
  EXPECT_TRUE(summary.contains("rows_per_second"));

  EXPECT_EQ(ReadFile(Path("out.csv")), kSampleCsv);
}

TEST_F(CliIntegrationTest, BadParametersOfBothConnectorsAreAllListed) {
  WriteFile(Path("in.csv"), kSampleCsv);
  nlohmann::json source = {{"path", Path("in.csv")}, {"delimeter", ";"}, {"has_headr", true}};
  nlohmann::json destination = {{"path", Path("out.parquet")}, {"compresion", "zstd"}};
  ProcessResult r = Run({"copy", "--source", "CSV", "--source-params", source.dump(),
                         "--destination", "PARQUET", "--destination-params", destination.dump()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.out, IsEmpty());
  EXPECT_EQ(r.err,
            "error: invalid parameters for source CSV:\n"
            "  - 'delimeter': unknown parameter (did you mean 'delimiter'?)\n"
            "  - 'has_headr': unknown parameter (did you mean 'has_header'?)\n"
            "error: invalid parameters for destination PARQUET:\n"
            "  - 'compresion': unknown parameter (did you mean 'compression'?)\n");
  EXPECT_FALSE(fs::exists(Path("out.parquet")));
}

TEST_F(CliIntegrationTest, MissingFileExitsOneNamingIt) {
  ProcessResult r =
      Run({"copy", "--source", "CSV", "--source-params", Params(Path("missing.csv")),
           "--destination", "PARQUET", "--destination-params", Params(Path("out.parquet"))});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, IsEmpty());
  EXPECT_THAT(r.err, StartsWith("error: "));
  EXPECT_THAT(r.err, HasSubstr(Path("missing.csv")));
  EXPECT_FALSE(fs::exists(Path("out.parquet")));
}

TEST_F(CliIntegrationTest, UpsertWithoutKeyExitsTwo) {
  ProcessResult r =
      Run({"copy", "--source", "CSV", "--source-params", Params(Path("in.csv")), "--destination",
           "MEMORY", "--destination-params", R"({"table": "t"})", "--mode", "upsert"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.out, IsEmpty());
  EXPECT_EQ(r.err,
            "error: --mode upsert needs the key columns: add --key COLUMN (repeat it for a "
            "composite key)\n");
}

TEST_F(CliIntegrationTest, BadJsonNamesTheFlag) {
  ProcessResult r =
      Run({"copy", "--source", "CSV", "--source-params", R"({"path": )", "--destination", "PARQUET",
           "--destination-params", Params(Path("out.parquet"))});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, StartsWith("error: --source-params is not valid JSON: parse error at line 1, "
                                "column "));
}

TEST_F(CliIntegrationTest, UnknownSourceTypeSuggests) {
  ProcessResult r = Run({"copy", "--source", "cvs", "--destination", "PARQUET",
                         "--destination-params", Params(Path("out.parquet"))});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "error: unknown source connector type 'cvs' (did you mean 'CSV'?)\n");
}

}  // namespace
