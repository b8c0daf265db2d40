#include "sqlflow/connectors/builtin/builtin.h"

#include <stdexcept>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqlflow/common/strings.h"
#include "sqlflow/connectors/file/pushdown.h"
#include "sqlflow/data/stream.h"

namespace sqlflow {
namespace {

using ::testing::Contains;

TEST(BuiltinTest, RegistersMemoryBothWays) {
  ConnectorRegistry registry;
  RegisterBuiltinConnectors(registry);
  EXPECT_THAT(registry.sources().Types(), Contains("MEMORY"));
  EXPECT_THAT(registry.destinations().Types(), Contains("MEMORY"));
  EXPECT_TRUE(registry.sources().Contains("memory"));
  EXPECT_EQ(registry.sources().Create("memory")->type_name(), "MEMORY");
  EXPECT_EQ(registry.destinations().Create("Memory")->type_name(), "MEMORY");
}

TEST(BuiltinTest, RegistersTheFileConnectorsBothWays) {
  ConnectorRegistry registry;
  RegisterBuiltinConnectors(registry);
  const std::vector<std::string> types = {"MEMORY", "CSV", "PARQUET", "JSON", "JSONL"};
  std::vector<std::string> sources = types;
  sources.push_back("POSTGRES");
  sources.push_back("REST");
  std::vector<std::string> destinations = types;
  destinations.push_back("POSTGRES");
  EXPECT_EQ(registry.sources().Types(), sources);
  EXPECT_EQ(registry.destinations().Types(), destinations);
  for (const char* type : {"csv", "parquet", "json", "jsonl"}) {
    SCOPED_TRACE(type);
    auto source = registry.sources().Create(type);
    EXPECT_EQ(source->type_name(), ToUpper(type));
    EXPECT_NE(dynamic_cast<DuckDbScannable*>(source.get()), nullptr);
    auto destination = registry.destinations().Create(type);
    EXPECT_EQ(destination->type_name(), ToUpper(type));
    EXPECT_NE(dynamic_cast<DuckDbWritable*>(destination.get()), nullptr);
    EXPECT_TRUE(registry.destinations().Spec(type).capabilities.atomic_write);
  }
  // The two JSON layouts are different connectors, not one with a switch.
  EXPECT_NE(registry.sources().Spec("JSON").params[0].description,
            registry.sources().Spec("JSONL").params[0].description);
}

// RESILIENCE.md: every type whose profile does something takes `resilience`; MEMORY has
// nothing to retry and does not.
TEST(BuiltinTest, TypesWithAResilienceProfileTakeTheResilienceParameter) {
  ConnectorRegistry registry;
  RegisterBuiltinConnectors(registry);
  auto has_param = [](const ConnectorSpec& spec) {
    for (const ParamSpec& p : spec.params) {
      if (p.name == "resilience") return true;
    }
    return false;
  };
  for (const char* type : {"CSV", "PARQUET", "JSON", "JSONL", "POSTGRES", "REST"}) {
    SCOPED_TRACE(type);
    EXPECT_TRUE(has_param(registry.sources().Spec(type)));
  }
  EXPECT_TRUE(has_param(registry.destinations().Spec("POSTGRES")));
  EXPECT_FALSE(has_param(registry.sources().Spec("MEMORY")));
  EXPECT_FALSE(has_param(registry.destinations().Spec("MEMORY")));
}

TEST(BuiltinTest, RegisteringTwiceThrows) {
  ConnectorRegistry registry;
  RegisterBuiltinConnectors(registry);
  try {
    RegisterBuiltinConnectors(registry);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "source connector type 'MEMORY' is already registered");
  }
}

TEST(BuiltinTest, SpecJsonHasTypedParametersWithDefaults) {
  ConnectorRegistry registry;
  RegisterBuiltinConnectors(registry);
  const nlohmann::json spec = registry.sources().Spec("MEMORY").ToJson();
  EXPECT_EQ(spec["type"], "MEMORY");
  EXPECT_EQ(spec["capabilities"]["filter_pushdown"], true);
  const nlohmann::json& params = spec["parameters"];
  ASSERT_EQ(params.size(), 6u);
  EXPECT_EQ(params[0]["name"], "table");
  EXPECT_EQ(params[0]["type"], "string");
  EXPECT_EQ(params[0]["required"], true);
  EXPECT_FALSE(params[0].contains("default"));
  EXPECT_EQ(params[1]["name"], "batch_size");
  EXPECT_EQ(params[1]["type"], "integer");
  EXPECT_EQ(params[1]["default"], 10000);
  EXPECT_EQ(params[1]["minimum"], 1);
  EXPECT_EQ(params[2]["name"], "sync_mode");
  EXPECT_EQ(params[2]["default"], "full_refresh");
  EXPECT_EQ(params[2]["allowed"], nlohmann::json::array({"full_refresh", "incremental"}));
  EXPECT_EQ(params[4]["type"], "string list");

  const nlohmann::json dest = registry.destinations().Spec("MEMORY").ToJson();
  EXPECT_EQ(dest["parameters"][0]["required"], false);
  EXPECT_EQ(dest["capabilities"]["upsert"], true);
}

TEST(BuiltinTest, MemoryConnectorsShareTheGivenStore) {
  auto store = std::make_shared<MemoryStore>();
  ConnectorRegistry registry;
  RegisterBuiltinConnectors(registry, {store});

  const Schema schema({{"id", DataType::Int64()}});
  ChunkBuilder builder(schema);
  builder.AppendRow({Value::Int(42)});
  auto input = MakeVectorStream(std::make_shared<const Schema>(schema), {builder.Finish()});
  auto destination = registry.destinations().Create("MEMORY");
  destination->Configure({{"table", "answers"}});
  EXPECT_EQ(destination->Write("", *input, WriteOptions{}).rows_written, 1);
  EXPECT_TRUE(store->Contains("answers"));
  EXPECT_FALSE(MemoryStore::Default()->Contains("answers"));

  auto source = registry.sources().Create("MEMORY");
  source->Configure({{"table", "answers"}});
  auto output = source->Read(ReadRequest{});
  std::optional<DataChunk> chunk = output->Next();
  ASSERT_TRUE(chunk.has_value());
  EXPECT_EQ(chunk->column(0).GetValue(0), Value::Int(42));
}

TEST(BuiltinTest, DefaultStoreIsTheProcessWideOne) {
  ConnectorRegistry registry;
  RegisterBuiltinConnectors(registry);
  MemoryStore::Default()->Put("builtin_test_table",
                              MemoryTable{std::make_shared<const Schema>(), {}});
  auto source = registry.sources().Create("MEMORY");
  source->Configure({{"table", "builtin_test_table"}});
  EXPECT_TRUE(source->CheckHealth().healthy);
  MemoryStore::Default()->Drop("builtin_test_table");
}

}  // namespace
}  // namespace sqlflow
