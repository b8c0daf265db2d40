// RecordsCollector: records_path, bad responses, spool, batches, LastPageValue, fuzzing.

#include <random>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqlflow/common/error.h"
#include "sqlflow/connectors/rest/rest_json_internal.h"
#include "sqlflow/connectors/rest/rest_test_util.h"

namespace sqlflow::rest {
namespace {

using testing::Collect;
using ::testing::ElementsAre;
using testing::Rows;
using Row = std::vector<std::string>;

constexpr char kUrl[] = "https://api.test/items?page=2";

std::string AddError(const std::string& body, RecordsOptions options = {}) {
  std::string connector = options.connector;
  RecordsCollector collector(std::move(options));
  try {
    collector.AddPage(body, kUrl);
  } catch (const DataError& e) {
    EXPECT_EQ(e.connector(), connector);
    EXPECT_EQ(e.operation(), "read");
    EXPECT_EQ(e.location().object, kUrl);
    return e.what();
  }
  return "no error";
}

TEST(RestRecordsTest, RecordsPathFindsNestedArrays) {
  auto c = Collect({R"({"data":{"items":[{"id":1},{"id":2}]}})"}, {.records_path = "data.items"});
  EXPECT_THAT(c.rows, ElementsAre(Row{"1"}, Row{"2"}));
  c = Collect({R"({"pages":[{"items":[{"id":7}]}]})"}, {.records_path = "pages.0.items"});
  EXPECT_THAT(c.rows, ElementsAre(Row{"7"}));
}

TEST(RestRecordsTest, EmptyPathIsTheBodyAndATopLevelObjectIsOneRecord) {
  auto c = Collect({R"({"id":1})", R"([{"id":2}])"});
  EXPECT_THAT(c.rows, ElementsAre(Row{"1"}, Row{"2"}));
}

TEST(RestRecordsTest, ObjectOrNullAtRecordsPath) {
  RecordsCollector collector({.records_path = "data"});
  EXPECT_EQ(collector.AddPage(R"({"data":{"id":1}})", kUrl), 1);
  EXPECT_EQ(collector.AddPage(R"({"data":null})", kUrl), 0);
  EXPECT_EQ(collector.AddPage(R"({"data":[]})", kUrl), 0);
  EXPECT_EQ(collector.total_records(), 1);
}

TEST(RestRecordsTest, HtmlIsNotJson) {
  EXPECT_EQ(AddError("<html>\n<body>Bad gateway</body></html>"),
            "REST read: https://api.test/items?page=2: the response is not JSON (it looks like "
            "HTML or XML); the body begins: '<html>\\n<body>Bad gateway</body></html>'");
}

TEST(RestRecordsTest, TruncatedJson) {
  EXPECT_EQ(AddError(R"([{"id":1},{"id":)"),
            "REST read: https://api.test/items?page=2: the response is not valid JSON (The JSON "
            "document has an improper structure: missing or superfluous commas, braces, missing "
            "keys, etc.); the body begins: '[{\"id\":1},{\"id\":'");
}

TEST(RestRecordsTest, EmptyBody) {
  EXPECT_EQ(AddError(""),
            "REST read: https://api.test/items?page=2: the response is empty, not JSON; the body "
            "is empty");
}

TEST(RestRecordsTest, MissingRecordsPathListsTheTopLevelKeys) {
  EXPECT_EQ(AddError(R"({"a":1,"b":{"items":[]},"c":[]})", {.records_path = "data.items"}),
            "REST read: https://api.test/items?page=2: records_path 'data.items' not found in "
            "the response; the top-level keys are: a, b, c; the body begins: "
            "'{\"a\":1,\"b\":{\"items\":[]},\"c\":[]}'");
  EXPECT_THAT(AddError(R"([1])", {.records_path = "data"}),
              ::testing::HasSubstr("records_path 'data' not found in the response; the "
                                   "response is an array;"));
}

TEST(RestRecordsTest, RecordsPathLeadingToAScalar) {
  EXPECT_THAT(AddError(R"({"data":"none"})", {.connector = "API", .records_path = "data"}),
              ::testing::StartsWith("API read: https://api.test/items?page=2: records_path "
                                    "'data' is a string, not an array of records or an object;"));
  EXPECT_THAT(AddError("42"), ::testing::HasSubstr(": the response is a number, not an array of "
                                                   "records or an object; the body begins: '42'"));
}

TEST(RestRecordsTest, RecordThatIsNotAnObject) {
  EXPECT_THAT(AddError(R"([{"id":1},[2]])"),
              ::testing::HasSubstr(": record 2 is an array, not an object;"));
  EXPECT_THAT(AddError(R"({"d":[null]})", {.records_path = "d"}),
              ::testing::HasSubstr(": record 1 is null, not an object;"));
}

TEST(RestRecordsTest, ErrorBodyIsQuoted) {
  EXPECT_EQ(AddError(R"({"error":"invalid api key"})", {.records_path = "data"}),
            "REST read: https://api.test/items?page=2: the server answered with an error: "
            "invalid api key; the body begins: '{\"error\":\"invalid api key\"}'");
  EXPECT_THAT(AddError(R"({"errors":[{"message":"boom"}],"data":null})", {.records_path = "data"}),
              ::testing::HasSubstr("the server answered with an error: [{\"message\":\"boom\"}];"));
  // With records_path "", a top-level object carrying an error is not a record.
  EXPECT_THAT(AddError(R"({"error":{"code":401}})"),
              ::testing::HasSubstr("the server answered with an error: {\"code\":401};"));
  // Records present: the error key is an ordinary field; an empty "errors" says nothing.
  auto c = Collect({R"({"data":[{"id":1}],"error":"partial"})"}, {.records_path = "data"});
  EXPECT_THAT(c.rows, ElementsAre(Row{"1"}));
  c = Collect({R"({"id":1,"errors":[]})"});
  EXPECT_EQ(c.schema, "id BIGINT, errors JSON");
}

TEST(RestRecordsTest, LastPageValue) {
  RecordsCollector collector({.records_path = "data"});
  EXPECT_EQ(collector.LastPageValue("next"), std::nullopt);
  collector.AddPage(
      R"({"data":[],"next":"abc","meta":{"total":42,"more":true,"ratio":0.5,"n":null,"o":{},"a":[]}})",
      kUrl);
  EXPECT_EQ(collector.LastPageValue("next"), "abc");
  EXPECT_EQ(collector.LastPageValue("meta.total"), "42");
  EXPECT_EQ(collector.LastPageValue("meta.more"), "true");
  EXPECT_EQ(collector.LastPageValue("meta.ratio"), "0.5");
  EXPECT_EQ(collector.LastPageValue("meta.n"), std::nullopt);
  EXPECT_EQ(collector.LastPageValue("meta.o"), std::nullopt);
  EXPECT_EQ(collector.LastPageValue("meta.a"), std::nullopt);
  EXPECT_EQ(collector.LastPageValue("missing.path"), std::nullopt);
  collector.AddPage(R"({"data":[],"next":123456789012345678901234567890})", kUrl);
  EXPECT_EQ(collector.LastPageValue("next"), "123456789012345678901234567890");
  EXPECT_THROW(collector.AddPage("<html>", kUrl), DataError);
  EXPECT_EQ(collector.LastPageValue("next"), std::nullopt);
}

TEST(RestRecordsTest, ChunksHoldAtMostBatchSizeRowsAcrossPages) {
  RecordsCollector collector({.batch_size = 3});
  collector.AddPage(R"([{"i":1},{"i":2}])", kUrl);
  collector.AddPage(R"([])", kUrl);
  collector.AddPage(R"([{"i":3},{"i":4},{"i":5},{"i":6}])", kUrl);
  EXPECT_EQ(collector.total_records(), 6);
  auto stream = collector.Finish();
  std::vector<int64_t> sizes;
  for (const DataChunk& chunk : DrainStream(*stream)) sizes.push_back(chunk.num_rows());
  EXPECT_THAT(sizes, ElementsAre(3, 3));
  EXPECT_EQ(stream->progress().rows, 6);
  EXPECT_EQ(collector.schema().ToString(), "i BIGINT");
}

TEST(RestRecordsTest, PagesSpillToAFileBeyondTheMemoryLimit) {
  char dir[] = "/tmp/rest-spool-test-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  RecordsCollector collector({.batch_size = 2, .spool_memory_bytes = 40, .spool_dir = dir});
  std::vector<std::string> expected;
  for (int page = 0; page < 5; ++page) {
    std::string body = "[";
    for (int i = 0; i < 3; ++i) {
      int id = page * 3 + i;
      body += (i > 0 ? "," : "") + std::string(R"({"id":)") + std::to_string(id) + "}";
      expected.push_back(std::to_string(id));
    }
    collector.AddPage(body + "]", kUrl);
  }
  auto stream = collector.Finish();
  std::vector<std::string> ids;
  for (const Row& row : Rows(*stream)) ids.push_back(row[0]);
  EXPECT_EQ(ids, expected);
  stream.reset();
  EXPECT_EQ(rmdir(dir), 0);  // Empty: the spill file was unlinked at once.
}

TEST(RestRecordsTest, RecordsWithoutFieldsStillCount) {
  RecordsCollector collector({});
  collector.AddPage("[{},{}]", kUrl);
  auto stream = collector.Finish();
  auto chunks = DrainStream(*stream);
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_EQ(chunks[0].num_rows(), 2);
  EXPECT_EQ(chunks[0].num_columns(), 0u);
}

std::string Mutate(std::string body, std::mt19937& random) {
  static const std::string kBytes = "{}[]\",:0123456789.eE-+ntfalsrue\\ \x01\xC3\xFF<>";
  int edits = 1 + static_cast<int>(random() % 4);
  for (int e = 0; e < edits && !body.empty(); ++e) {
    size_t at = random() % body.size();
    switch (random() % 4) {
      case 0:
        body.erase(at, 1 + random() % 3);
        break;
      case 1:
        body.insert(at, 1, kBytes[random() % kBytes.size()]);
        break;
      case 2:
        body[at] = kBytes[random() % kBytes.size()];
        break;
      default:
        body.resize(at);  // Truncated.
        break;
    }
  }
  return body;
}

// Whatever the bytes, AddPage and the stream throw only DataError, and what is accepted
// streams into valid chunks.
TEST(RestRecordsTest, RandomAndMutatedBodiesOnlyEverThrowDataError) {
  const std::vector<std::string> seeds = {
      R"({"data":[{"id":1,"name":"a","tags":["x"],"u":{"v":{"w":2.5}},"d":"2024-01-02"}],"next":"c"})",
      R"({"data":[{"id":18446744073709551615,"t":"2024-01-02T03:04:05Z","b":true,"n":null}]})",
      R"({"data":{"id":123456789012345678901234567890},"error":null})",
      R"({"errors":[{"m":"x"}]})",
  };
  std::mt19937 random(20240517);
  int accepted = 0;
  for (int i = 0; i < 400; ++i) {
    std::string body =
        i % 10 == 9 ? std::string(random() % 64, '\0') : Mutate(seeds[i % seeds.size()], random);
    if (i % 10 == 9) {
      for (char& c : body) c = static_cast<char>(random() % 256);
    }
    RecordsCollector collector({.records_path = "data", .flatten = i % 2 == 0, .batch_size = 2});
    try {
      collector.AddPage(body, kUrl);
      collector.AddPage(seeds[0], kUrl);
      (void)collector.LastPageValue("data.0.id");
      auto stream = collector.Finish();
      (void)Rows(*stream);
      ++accepted;
    } catch (const DataError&) {
    }
  }
  EXPECT_GT(accepted, 20);
  EXPECT_LT(accepted, 400);
}

}  // namespace
}  // namespace sqlflow::rest
