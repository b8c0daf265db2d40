#include "sqlflow/pipeline/parser.h"

#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "sqlflow/common/error.h"
#include "sqlflow/pipeline/pipeline_testing.h"

namespace sqlflow::pipeline {
namespace {

namespace fs = std::filesystem;
using pipeline_testing::MakeFile;
using pipeline_testing::Where;

Block Parse(std::string text) { return ParseStatements(MakeFile(std::move(text))); }

template <typename T>
T Only(const std::string& text) {
  Block block = Parse(text);
  EXPECT_EQ(block.size(), 1u);
  return std::get<T>(block.at(0).node);
}

/// The bytes of the file a Text's location covers.
std::string Covered(const Text& text) {
  return text.location.file->text.substr(text.location.offset, text.location.length);
}

TEST(ParserTest, SourceWithTypeAndParams) {
  const std::string json = R"({"path": "data/x.csv", "has_header": true})";
  const auto source = Only<SourceStmt>("SOURCE s TYPE CSV PARAMS " + json + ";");
  EXPECT_EQ(source.name.text, "s");
  EXPECT_EQ(source.type->text, "CSV");
  EXPECT_EQ(source.json->text, json);
  EXPECT_EQ(Where(source.json->location), "1:26+42");
  EXPECT_FALSE(source.connection.has_value());
}

TEST(ParserTest, SourceFromConnectionWithOptions) {
  const auto source =
      Only<SourceStmt>("source orders from \"warehouse\" options {\"table\": \"orders\"};");
  EXPECT_EQ(source.connection->text, "warehouse");
  EXPECT_TRUE(source.connection->quoted);
  EXPECT_EQ(source.connection->text_offset, 1u);
  EXPECT_EQ(Covered(*source.connection), "\"warehouse\"");
  EXPECT_EQ(source.json->text, R"({"table": "orders"})");
  EXPECT_FALSE(source.type.has_value());
}

TEST(ParserTest, SourceJsonKeepsVariablesAndLayout) {
  const std::string json = "{\n  \"batch_size\": ${n},\n  \"path\": \"${dir|data}/x.csv\"\n}";
  const auto source = Only<SourceStmt>("SOURCE s TYPE CSV PARAMS " + json + " ;");
  EXPECT_EQ(source.json->text, json);
  EXPECT_FALSE(Only<SourceStmt>("SOURCE s TYPE CSV;").json.has_value());
}

TEST(ParserTest, LoadModesAndKeys) {
  const auto plain = Only<LoadStmt>("LOAD t FROM s;");
  EXPECT_EQ(plain.mode, LoadMode::kReplace);
  EXPECT_FALSE(plain.mode_location.has_value());

  const auto upsert = Only<LoadStmt>("LOAD t FROM s MODE UPSERT KEY id;");
  EXPECT_EQ(upsert.mode, LoadMode::kUpsert);
  EXPECT_EQ(Where(*upsert.mode_location), "1:15+11");
  ASSERT_EQ(upsert.keys.size(), 1u);
  EXPECT_EQ(upsert.keys[0].text, "id");

  for (const char* text :
       {"load t from s mode upsert key (a, b);", "LOAD t FROM s MODE UPSERT KEY a, b;"}) {
    const auto load = Only<LoadStmt>(text);
    ASSERT_EQ(load.keys.size(), 2u) << text;
    EXPECT_EQ(load.keys[1].text, "b");
  }
  EXPECT_EQ(Only<LoadStmt>("LOAD t FROM s MODE APPEND;").mode, LoadMode::kAppend);
}

TEST(ParserTest, NamesMayHoldVariablesOrBeQuoted) {
  const auto load = Only<LoadStmt>("LOAD ${tbl} FROM raw_${env}.src;");
  EXPECT_EQ(load.table.text, "${tbl}");
  EXPECT_EQ(load.source.text, "raw_${env}.src");
  const auto quoted = Only<LoadStmt>("LOAD \"My Table\" FROM s;");
  EXPECT_EQ(quoted.table.text, "My Table");
  EXPECT_TRUE(quoted.table.quoted);
}

TEST(ParserTest, CreateTableQueryIsByteForByte) {
  const std::string query =
      "WITH a AS (SELECT 1::INT AS v, 'a;b' AS s -- c;\n) SELECT * FROM a WHERE v <> 2";
  const auto create = Only<CreateTableStmt>("CREATE TABLE x AS " + query + ";");
  EXPECT_EQ(create.table.text, "x");
  EXPECT_EQ(create.query.text, query);
  EXPECT_EQ(Where(create.query.location), "1:19+" + std::to_string(query.size()));
  EXPECT_EQ(create.mode, TransformMode::kReplace);
  EXPECT_FALSE(create.or_replace);
}

TEST(ParserTest, CreateTableQueryKeepsQuotingAndIsTrimmed) {
  const std::string query = "SELECT $$a;b$$ AS \"x;y\", /* ; */ '${v}' FROM t";
  const auto create = Only<CreateTableStmt>("create or replace table t as\n   " + query + "\n;");
  EXPECT_TRUE(create.or_replace);
  EXPECT_EQ(create.query.text, query);
  EXPECT_EQ(Where(create.query.location), "2:4+" + std::to_string(query.size()));
}

TEST(ParserTest, CreateTableModes) {
  const auto upsert =
      Only<CreateTableStmt>("CREATE TABLE t MODE UPSERT KEY (id, day) AS SELECT 1;");
  EXPECT_EQ(upsert.mode, TransformMode::kUpsert);
  EXPECT_EQ(upsert.keys.size(), 2u);
  EXPECT_EQ(Where(*upsert.mode_location), "1:16+11");
  EXPECT_EQ(Only<CreateTableStmt>("CREATE TABLE t MODE APPEND AS SELECT 1;").mode,
            TransformMode::kAppend);

  const auto quoted = Only<CreateTableStmt>(
      "CREATE TABLE t MODE INCREMENTAL BY updated_at LOOKBACK '2 days' AS SELECT 1;");
  EXPECT_EQ(quoted.mode, TransformMode::kIncremental);
  EXPECT_EQ(quoted.incremental_by->text, "updated_at");
  EXPECT_EQ(quoted.lookback->text, "2 days");
  EXPECT_TRUE(quoted.lookback->quoted);

  const auto unquoted =
      Only<CreateTableStmt>("CREATE TABLE t MODE INCREMENTAL BY d LOOKBACK 2 DAYS AS SELECT 1;");
  EXPECT_EQ(unquoted.lookback->text, "2 DAYS");
  EXPECT_EQ(Where(unquoted.lookback->location), "1:47+6");
  EXPECT_FALSE(Only<CreateTableStmt>("CREATE TABLE t MODE INCREMENTAL BY d AS SELECT 1;")
                   .lookback.has_value());
}

TEST(ParserTest, ExportQueryToUriWithTypeAndOptions) {
  const auto export_stmt = Only<ExportStmt>(
      "EXPORT SELECT a AS to, 'x TO \"y\" TYPE' FROM t -- to \"z\" TYPE\n"
      "TO \"output/x.csv\"\nTYPE CSV OPTIONS { \"header\": true, \"sep\": \";\" };");
  EXPECT_EQ(export_stmt.query.text, "SELECT a AS to, 'x TO \"y\" TYPE' FROM t");
  EXPECT_FALSE(export_stmt.is_table);
  EXPECT_EQ(export_stmt.target.text, "output/x.csv");
  EXPECT_FALSE(export_stmt.to_connection);
  EXPECT_EQ(export_stmt.type->text, "CSV");
  EXPECT_EQ(export_stmt.options->text, "{ \"header\": true, \"sep\": \";\" }");
}

TEST(ParserTest, ExportTable) {
  const auto export_stmt = Only<ExportStmt>("EXPORT orders TO \"o.parquet\" TYPE parquet;");
  EXPECT_TRUE(export_stmt.is_table);
  EXPECT_EQ(export_stmt.query.text, "orders");
  EXPECT_TRUE(Only<ExportStmt>("EXPORT ${schema}.orders TO \"o.csv\" TYPE CSV;").is_table);
  const auto quoted = Only<ExportStmt>("EXPORT \"My Table\" TO \"o.csv\" TYPE CSV;");
  EXPECT_TRUE(quoted.is_table);
  EXPECT_EQ(quoted.query.text, "My Table");
  EXPECT_FALSE(Only<ExportStmt>("EXPORT orders o TO \"o.csv\" TYPE CSV;").is_table);
}

TEST(ParserTest, ExportToConnection) {
  const auto plain = Only<ExportStmt>("EXPORT user_metrics TO my_postgres;");
  EXPECT_TRUE(plain.to_connection);
  EXPECT_EQ(plain.target.text, "my_postgres");
  EXPECT_FALSE(plain.type.has_value());
  const auto with_options =
      Only<ExportStmt>("EXPORT SELECT 1 TO warehouse OPTIONS {\"table\": \"t\"};");
  EXPECT_EQ(with_options.query.text, "SELECT 1");
  EXPECT_EQ(with_options.options->text, "{\"table\": \"t\"}");
}

TEST(ParserTest, SetValues) {
  const auto text = Only<SetStmt>("SET region = \"us-east-1\";");
  EXPECT_EQ(text.name.text, "region");
  EXPECT_EQ(text.value.text, "us-east-1");
  EXPECT_TRUE(text.value.quoted);
  EXPECT_EQ(Only<SetStmt>("set n = 1000;").value.text, "1000");
  EXPECT_EQ(Only<SetStmt>("SET on = true;").value.text, "true");
  EXPECT_EQ(Only<SetStmt>("SET p = 'a ${env} b';").value.text, "a ${env} b");
  const auto reference = Only<SetStmt>("SET d = ${today};");
  EXPECT_EQ(reference.value.text, "${today}");
  EXPECT_FALSE(reference.value.quoted);
}

TEST(ParserTest, Include) {
  const auto include = Only<IncludeStmt>("INCLUDE \"lib/common.sf\" AS common;");
  EXPECT_EQ(include.path.text, "lib/common.sf");
  EXPECT_EQ(include.alias->text, "common");
  EXPECT_TRUE(include.body.empty());
}

TEST(ParserTest, IfElseIfElse) {
  const auto if_stmt = Only<IfStmt>(
      "IF ${env} == 'production' THEN\n"
      "  -- production\n"
      "  LOAD a FROM s;\n"
      "  LOAD b FROM s;\n"
      "ELSE IF ${env} == 'staging' THEN\n"
      "  LOAD c FROM s;\n"
      "ELSEIF x THEN\n"
      "ELSE\n"
      "  SET y = 1;\n"
      "END IF;");
  ASSERT_EQ(if_stmt.branches.size(), 3u);
  EXPECT_EQ(if_stmt.branches[0].condition.text, "${env} == 'production'");
  EXPECT_EQ(Where(if_stmt.branches[0].condition.location), "1:4+22");
  EXPECT_EQ(if_stmt.branches[0].body.size(), 2u);
  EXPECT_EQ(if_stmt.branches[1].condition.text, "${env} == 'staging'");
  EXPECT_EQ(if_stmt.branches[1].body.size(), 1u);
  EXPECT_EQ(if_stmt.branches[2].condition.text, "x");
  EXPECT_TRUE(if_stmt.branches[2].body.empty());
  ASSERT_TRUE(if_stmt.else_body.has_value());
  EXPECT_EQ(if_stmt.else_body->size(), 1u);
}

TEST(ParserTest, IfBlocksNestAndEndIfForms) {
  const Block block = Parse(
      "if a then\n  IF b THEN LOAD t FROM s; ENDIF;\nelse\n  SET q = 1;\n"
      "  IF c THEN LOAD u FROM s; END IF\nend if;\nSET z = 1;");
  ASSERT_EQ(block.size(), 2u);
  const auto& outer = std::get<IfStmt>(block[0].node);
  ASSERT_EQ(outer.branches.size(), 1u);
  const auto& inner = std::get<IfStmt>(outer.branches[0].body.at(0).node);
  EXPECT_EQ(inner.branches[0].condition.text, "b");
  EXPECT_EQ(std::get<IfStmt>(outer.else_body->at(1).node).branches[0].body.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<SetStmt>(block[1].node));
}

TEST(ParserTest, StatementsAndLocations) {
  const Block block = Parse(
      "/* header\n ; */ SOURCE s TYPE CSV PARAMS {};\n"
      "-- comment ;\n"
      "\tLOAD t FROM s; ;  CREATE TABLE u AS SELECT 1;\nEXPORT u TO c;");
  ASSERT_EQ(block.size(), 4u);
  EXPECT_EQ(Where(block[0].location), "2:7+6");
  EXPECT_EQ(Where(block[1].location), "4:2+4");
  EXPECT_EQ(Where(block[2].location), "4:20+6");
  EXPECT_EQ(Where(block[3].location), "5:1+6");
  EXPECT_TRUE(Parse("  -- nothing\n").empty());
}

TEST(ParserTest, PythonSqlflowPipelineParses) {
  const Block block = Parse(
      "\xEF\xBB\xBF-- Example SQLFlow pipeline\n"
      "SET output_dir = \"output\";\n"
      "SOURCE users TYPE CSV PARAMS {\n  \"path\": \"data/users_${run_date}.csv\",\n"
      "  \"delimiter\": \"${delimiter|,}\"\n};  -- End of line comment\n"
      "LOAD users_table FROM users MODE REPLACE;\n"
      "IF ${env} == 'production' THEN\n"
      "    -- In production, load all data\n"
      "    LOAD customers FROM customers_source MODE UPSERT KEY (customer_id);\n"
      "ELSE\n"
      "    CREATE TABLE customers AS\n    SELECT * FROM customers_raw LIMIT 5;\n"
      "END IF;\n"
      "CREATE TABLE daily_sales MODE INCREMENTAL BY sale_date AS\n"
      "SELECT sale_date, SUM(amount) as total\nFROM transactions\n"
      "WHERE sale_date > @start_date AND sale_date <= @end_date\nGROUP BY sale_date;\n"
      "EXPORT SELECT\n    'Initial Load' as load_type,\n    COUNT(*) as total_customers\n"
      "FROM customers_table\nTO \"${output_dir}/load_summary.csv\"\n"
      "TYPE CSV OPTIONS { \"header\": true };\n"
      "EXPORT user_metrics TO my_postgres;\n");
  ASSERT_EQ(block.size(), 7u);
  EXPECT_EQ(
      std::get<SourceStmt>(block[1].node).json->text,
      "{\n  \"path\": \"data/users_${run_date}.csv\",\n  \"delimiter\": \"${delimiter|,}\"\n}");
  EXPECT_EQ(std::get<IfStmt>(block[3].node).else_body->size(), 1u);
  EXPECT_EQ(std::get<CreateTableStmt>(block[4].node).incremental_by->text, "sale_date");
  const auto& summary = std::get<ExportStmt>(block[5].node);
  EXPECT_EQ(summary.query.text,
            "SELECT\n    'Initial Load' as load_type,\n    COUNT(*) as total_customers\n"
            "FROM customers_table");
  EXPECT_EQ(summary.target.text, "${output_dir}/load_summary.csv");
  EXPECT_TRUE(std::get<ExportStmt>(block[6].node).to_connection);
  EXPECT_EQ(Where(block[0].location), "2:1+3");
}

// ---------------------------------------------------------------------------------------------
// Files and INCLUDE

class IncludeTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::temp_directory_path() / ("sqlflow_parser_test_" + std::to_string(getpid()) + "_" +
                                     testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Write(const std::string& relative, const std::string& text) {
    fs::create_directories((dir_ / relative).parent_path());
    std::ofstream(dir_ / relative, std::ios::binary) << text;
  }

  std::vector<std::string> Errors(const std::string& main) {
    try {
      LoadPipelineFile(dir_ / main, dir_);
    } catch (const PipelineDiagnostics& error) {
      std::vector<std::string> out;
      for (const Diagnostic& d : error.diagnostics())
        out.push_back(d.Position() + ": " + d.message);
      return out;
    }
    return {"no error"};
  }

  fs::path dir_;
};

TEST_F(IncludeTest, IncludesNestRelativeToTheIncludingFile) {
  Write("pipelines/daily.sf", "INCLUDE \"lib/common.sf\";\nLOAD t FROM s;\n");
  Write("pipelines/lib/common.sf", "INCLUDE '../shared.sf' AS shared;\nSET a = 1;\n");
  Write("pipelines/shared.sf", "SOURCE s TYPE CSV PARAMS {};\n");
  const PipelineAst ast = LoadPipelineFile(dir_ / "pipelines/daily.sf", dir_);
  EXPECT_EQ(ast.name, "daily");
  EXPECT_EQ(ast.file->path, "pipelines/daily.sf");
  ASSERT_EQ(ast.statements.size(), 2u);
  const auto& common = std::get<IncludeStmt>(ast.statements[0].node);
  ASSERT_EQ(common.body.size(), 2u);
  EXPECT_EQ(common.body[0].location.file->path, "pipelines/lib/common.sf");
  const auto& shared = std::get<IncludeStmt>(common.body[0].node);
  ASSERT_EQ(shared.body.size(), 1u);
  EXPECT_EQ(shared.body[0].location.file->path, "pipelines/shared.sf");
}

TEST_F(IncludeTest, IncludesInsideIfBranchesAreResolved) {
  Write("x.sf", "SET a = 1;");
  const PipelineAst ast = ParsePipelineText(
      "main", "main.sf", "IF a THEN INCLUDE \"x.sf\"; ELSE INCLUDE \"x.sf\"; END IF;", dir_);
  EXPECT_EQ(ast.name, "main");
  const auto& if_stmt = std::get<IfStmt>(ast.statements.at(0).node);
  EXPECT_EQ(std::get<IncludeStmt>(if_stmt.branches[0].body.at(0).node).body.size(), 1u);
  EXPECT_EQ(std::get<IncludeStmt>(if_stmt.else_body->at(0).node).body.size(), 1u);
}

TEST_F(IncludeTest, CycleIsReportedWithItsChainAtTheInclude) {
  Write("a.sf", "INCLUDE \"b.sf\";");
  Write("b.sf", "SET x = 1;\nINCLUDE \"./a.sf\";");
  EXPECT_THAT(Errors("a.sf"),
              testing::ElementsAre("b.sf:2:9: include cycle: a.sf -> b.sf -> a.sf"));
  Write("self.sf", "INCLUDE \"self.sf\";");
  EXPECT_THAT(Errors("self.sf"),
              testing::ElementsAre("self.sf:1:9: include cycle: self.sf -> self.sf"));
}

TEST_F(IncludeTest, DiamondIsNotACycle) {
  Write("a.sf", "INCLUDE \"b.sf\"; INCLUDE \"c.sf\";");
  Write("b.sf", "INCLUDE \"d.sf\";");
  Write("c.sf", "INCLUDE \"d.sf\";");
  Write("d.sf", "SET x = 1;");
  EXPECT_EQ(LoadPipelineFile(dir_ / "a.sf").statements.size(), 2u);
}

TEST_F(IncludeTest, MissingIncludedFileAndErrorsInIncludedFiles) {
  Write("a.sf", "INCLUDE \"nope.sf\";\nINCLUDE \"bad.sf\";\nINCLUDE \"${d}/x.sf\";");
  Write("bad.sf", "LAOD t FROM s;");
  // Reported file by file, in the order the files first appear, each in reading order.
  EXPECT_THAT(Errors("a.sf"), testing::ElementsAre("a.sf:1:9: included file 'nope.sf' not found",
                                                   "a.sf:3:9: INCLUDE paths cannot use variables",
                                                   "bad.sf:1:1: unknown statement 'LAOD'"));
}

TEST_F(IncludeTest, MissingPipelineFileIsAConfigError) {
  EXPECT_THROW(LoadPipelineFile(dir_ / "missing.sf"), ConfigError);
  EXPECT_THROW(LoadPipelineFile(dir_), ConfigError);
}

TEST_F(IncludeTest, DisplayPathOutsideTheRootIsKeptAsGiven) {
  Write("p.sf", "SET a = 1;");
  const PipelineAst ast = LoadPipelineFile(dir_ / "p.sf", dir_ / "elsewhere");
  EXPECT_EQ(ast.file->path, (dir_ / "p.sf").generic_string());
}

}  // namespace
}  // namespace sqlflow::pipeline
