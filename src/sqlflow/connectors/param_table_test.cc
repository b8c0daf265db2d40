#include "sqlflow/connectors/param_table.h"

#include <stdexcept>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sqlflow {
namespace {

using ::testing::ElementsAre;

std::vector<ParamSpec> Params() {
  ParamSpec path = StandardParam("path");
  path.required = true;
  path.description = "File path | glob";
  ParamSpec password = StandardParam("password");
  return {path, StandardParam("batch_size"), StandardParam("sync_mode"),
          StandardParam("has_header"), password};
}

TEST(ParamTableTest, RendersOneRowPerParameter) {
  EXPECT_EQ(ParamTableMarkdown(Params()),
            "| name | type | required | default | description |\n"
            "|---|---|---|---|---|\n"
            "| `path` | string | yes |  | File path \\| glob |\n"
            "| `batch_size` | integer | no | `10000` | Rows per chunk read or written |\n"
            "| `sync_mode` | string | no | `full_refresh` | How to read: full_refresh, "
            "incremental or cdc |\n"
            "| `has_header` | boolean | no | `true` | Whether the first line holds the column "
            "names |\n"
            "| `password` | string | no |  | Password to log in with |\n");
}

TEST(ParamTableTest, ParsesWhatItRenders) {
  const std::string markdown =
      "# CSV\n\nSome text.\n\n" + ParamTableMarkdown(Params()) + "\nMore.\n";
  const std::vector<ParamDocRow> rows = ParseParamTable(markdown);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0].name, "path");
  EXPECT_EQ(rows[0].type, "string");
  EXPECT_TRUE(rows[0].required);
  EXPECT_EQ(rows[0].default_text, "");
  EXPECT_EQ(rows[0].description, "File path | glob");
  EXPECT_EQ(rows[1].default_text, "10000");
  EXPECT_FALSE(rows[1].required);
  EXPECT_THAT(DiffParamTable(rows, Params()), ElementsAre());
}

TEST(ParamTableTest, ReportsEveryDifference) {
  const std::string markdown =
      "| Name | Type | Required | Default | Description |\n"
      "|------|------|----------|---------|-------------|\n"
      "| `path` | string | no | — | where |\n"
      "| batch_size | string | no | `500` | rows |\n"
      "| `sync_mode` | string | no | `\"full_refresh\"` | mode |\n"
      "| `has_header` | boolean | no | true | header |\n"
      "| `delimiter` | string | no | `,` | sep |\n";
  EXPECT_THAT(
      DiffParamTable(ParseParamTable(markdown), Params()),
      ElementsAre("parameter 'path': the README says optional but the spec says required",
                  "parameter 'batch_size': type is 'string' in the README but 'integer' in the "
                  "spec",
                  "parameter 'batch_size': default is `500` in the README but `10000` in the spec",
                  "parameter 'sync_mode': default is `\"full_refresh\"` in the README but "
                  "`full_refresh` in the spec",
                  "parameter 'password' is in the spec but not in the README",
                  "parameter 'delimiter' is in the README but not in the spec"));
}

TEST(ParamTableTest, TypeSpellingsAndJsonDefaults) {
  ParamSpec keys = StandardParam("primary_key");
  ParamSpec nulls = StandardParam("primary_key");
  nulls.name = "null_values";
  nulls.default_value = nlohmann::json::array({""});
  const std::string markdown =
      "| name | type | required | default | description |\n|---|---|---|---|---|\n"
      "| `primary_key` | string_list | no |  | keys |\n"
      "| `null_values` | String-List | no | `[\"\"]` | nulls |\n";
  EXPECT_THAT(DiffParamTable(ParseParamTable(markdown), {keys, nulls}), ElementsAre());
}

TEST(ParamTableTest, SectionsSelectTheTable) {
  const std::string markdown =
      "# MEMORY\n\n## Source parameters\n\n" + ParamTableMarkdown({StandardParam("table")}) +
      "\n## Destination parameters\n\n" + ParamTableMarkdown({StandardParam("schema")}) + "\n";
  EXPECT_EQ(ParseParamTable(markdown).at(0).name, "table");
  EXPECT_EQ(ParseParamTable(markdown, "source").at(0).name, "table");
  EXPECT_EQ(ParseParamTable(markdown, "Destination").at(0).name, "schema");
  try {
    ParseParamTable(markdown, "Examples");
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "no parameter table found under a heading containing 'Examples'");
  }
}

TEST(ParamTableTest, MalformedTablesAreErrors) {
  EXPECT_THROW(ParseParamTable("no table here\n"), std::invalid_argument);
  try {
    ParseParamTable(
        "| name | type | required | default | description |\n|---|\n| `a` | string | "
        "maybe | | x |\n");
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "line 3: required must be 'yes' or 'no', found 'maybe'");
  }
  EXPECT_THROW(ParseParamTable("| name | type | required | default | description |\n|---|\n"
                               "| `a` | string |\n"),
               std::invalid_argument);
}

}  // namespace
}  // namespace sqlflow
