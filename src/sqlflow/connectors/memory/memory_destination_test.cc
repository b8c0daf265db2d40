#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqlflow/connectors/memory/memory_connector.h"
#include "sqlflow/connectors/memory/memory_test_util.h"
#include "sqlflow/connectors/readme_check.h"

namespace sqlflow {
namespace {

using memory_test::MakeChunk;
using memory_test::ScriptedStream;
using memory_test::TableRows;
using ::testing::ElementsAre;

const DataType kAmount = DataType::Decimal(10, 2);

Schema SalesSchema() {
  return Schema({{"region", DataType::String()}, {"id", DataType::Int64()}, {"amount", kAmount}});
}

std::vector<Value> Sale(const char* region, int64_t id, Int128 cents) {
  return {Value::String(region), Value::Int(id), Value::Decimal(cents, kAmount)};
}

class MemoryDestinationTest : public ::testing::Test {
 protected:
  void SetUp() override { destination_->Configure({{"table", "sales"}}); }

  WriteResult Write(std::vector<std::vector<std::vector<Value>>> chunks, WriteMode mode,
                    std::vector<std::string> keys = {}, const std::string& object = "",
                    const Schema& schema = SalesSchema()) {
    std::vector<DataChunk> data;
    for (const auto& rows : chunks) data.push_back(MakeChunk(schema, rows));
    ScriptedStream stream(schema, std::move(data));
    return destination_->Write(object, stream, WriteOptions{mode, std::move(keys)});
  }

  std::vector<std::string> Rows(const std::string& table = "sales") {
    return TableRows(*store_, table);
  }

  std::shared_ptr<MemoryStore> store_ = std::make_shared<MemoryStore>();
  std::unique_ptr<DestinationConnector> destination_ =
      MakeMemoryDestination(MemoryDestinationSpec(), std::make_shared<FakeClock>(), store_);
};

TEST_F(MemoryDestinationTest, SpecSaysWhatItCanDo) {
  const ConnectorSpec& spec = MemoryDestinationSpec();
  EXPECT_EQ(spec.type, "MEMORY");
  EXPECT_TRUE(spec.capabilities.upsert);
  EXPECT_TRUE(spec.capabilities.atomic_write);
  EXPECT_FALSE(spec.capabilities.incremental);
}

TEST_F(MemoryDestinationTest, ReadmeMatchesTheSpec) {
  ExpectReadmeMatchesSpec("src/sqlflow/connectors/memory/README.md", MemoryDestinationSpec(),
                          "Destination parameters");
}

TEST_F(MemoryDestinationTest, ReplaceCreatesAndReplaces) {
  WriteResult result =
      Write({{Sale("eu", 1, 100), Sale("us", 2, 200)}, {Sale("eu", 3, 300)}}, WriteMode::kReplace);
  EXPECT_EQ(result.rows_written, 3);
  EXPECT_EQ(result.bytes_written, store_->Get("sales")->ByteSize());
  EXPECT_THAT(Rows(), ElementsAre("eu|1|1.00", "us|2|2.00", "eu|3|3.00"));
  EXPECT_EQ(destination_->state(), ConnectorState::kReady);

  // Replace may change the schema.
  const Schema other({{"n", DataType::Int32()}});
  Write({{{Value::Int(7, DataType::Int32())}}}, WriteMode::kReplace, {}, "", other);
  EXPECT_EQ(*store_->Get("sales")->schema, other);
  EXPECT_THAT(Rows(), ElementsAre("7"));
}

TEST_F(MemoryDestinationTest, ReplaceWithNothingLeavesAnEmptyTable) {
  Write({{Sale("eu", 1, 100)}}, WriteMode::kReplace);
  EXPECT_EQ(Write({}, WriteMode::kReplace).rows_written, 0);
  ASSERT_TRUE(store_->Contains("sales"));
  EXPECT_EQ(store_->Get("sales")->num_rows(), 0);
  EXPECT_EQ(*store_->Get("sales")->schema, SalesSchema());
}

TEST_F(MemoryDestinationTest, ObjectArgumentWinsOverTheTableParameter) {
  Write({{Sale("eu", 1, 100)}}, WriteMode::kReplace, {}, "other");
  EXPECT_THAT(store_->TableNames(), ElementsAre("other"));

  auto unconfigured =
      MakeMemoryDestination(MemoryDestinationSpec(), std::make_shared<FakeClock>(), store_);
  unconfigured->Configure(nlohmann::json::object());
  ScriptedStream stream(SalesSchema(), {});
  try {
    unconfigured->Write("", stream, WriteOptions{});
    FAIL() << "expected ParameterError";
  } catch (const ParameterError& e) {
    EXPECT_EQ(std::string(e.what()),
              "MEMORY configure: invalid parameter: 'table': no table to write to (name the "
              "object to write or set the 'table' parameter)");
  }
}

TEST_F(MemoryDestinationTest, AppendAddsRowsAndAlignsColumnsByName) {
  Write({{Sale("eu", 1, 100)}}, WriteMode::kAppend);  // creates the table
  Write({{Sale("us", 2, 200)}}, WriteMode::kAppend);
  const Schema reordered(
      {{"amount", kAmount}, {"ID", DataType::Int64()}, {"region", DataType::String()}});
  Write({{{Value::Decimal(300, kAmount), Value::Int(3), Value::String("eu")}}}, WriteMode::kAppend,
        {}, "", reordered);
  EXPECT_THAT(Rows(), ElementsAre("eu|1|1.00", "us|2|2.00", "eu|3|3.00"));
  EXPECT_EQ(*store_->Get("sales")->schema, SalesSchema());
}

TEST_F(MemoryDestinationTest, AppendRejectsAnotherSchemaNamingTheColumn) {
  Write({{Sale("eu", 1, 100)}}, WriteMode::kReplace);
  auto expect_error = [&](const Schema& schema, const std::string& message) {
    ScriptedStream stream(schema, {});
    try {
      destination_->Write("", stream, WriteOptions{WriteMode::kAppend, {}});
      ADD_FAILURE() << "expected SchemaError: " << message;
    } catch (const SchemaError& e) {
      EXPECT_EQ(std::string(e.what()), message);
    }
  };
  expect_error(Schema({{"region", DataType::String()},
                       {"id", DataType::Int64()},
                       {"amount", DataType::Float64()}}),
               "MEMORY write: column 'amount' is DECIMAL(10,2) in table 'sales' but DOUBLE in "
               "the data");
  expect_error(Schema({{"region", DataType::String()}, {"id", DataType::Int64()}}),
               "MEMORY write: column 'amount' of table 'sales' is missing from the data");
  expect_error(Schema({{"region", DataType::String()},
                       {"id", DataType::Int64()},
                       {"amount", kAmount},
                       {"note", DataType::String()}}),
               "MEMORY write: column 'note' of the data is not in table 'sales' (columns: "
               "region, id, amount)");
  EXPECT_THAT(Rows(), ElementsAre("eu|1|1.00"));
  EXPECT_EQ(destination_->performance_metrics().failures, 3);
}

TEST_F(MemoryDestinationTest, UpsertUpdatesInPlaceAndAppendsNewKeys) {
  Write({{Sale("eu", 1, 100), Sale("us", 2, 200), Sale("eu", 3, 300)}}, WriteMode::kReplace);
  const WriteResult result =
      Write({{Sale("us", 2, 222), Sale("eu", 4, 400)}, {Sale("eu", 2, 250), Sale("eu", 5, 500)}},
            WriteMode::kUpsert, {"id"});
  EXPECT_EQ(result.rows_written, 4);
  // id 2 appears twice in the input: the last occurrence wins.
  EXPECT_THAT(Rows(), ElementsAre("eu|1|1.00", "eu|2|2.50", "eu|3|3.00", "eu|4|4.00", "eu|5|5.00"));
}

TEST_F(MemoryDestinationTest, UpsertByCompositeKeys) {
  Write({{Sale("eu", 1, 100), Sale("us", 1, 200), Sale("eu", 2, 300)}}, WriteMode::kReplace);
  Write({{Sale("us", 1, 999), Sale("us", 2, 888), Sale("eu", 2, 777)}}, WriteMode::kUpsert,
        {"region", "ID"});
  EXPECT_THAT(Rows(), ElementsAre("eu|1|1.00", "us|1|9.99", "eu|2|7.77", "us|2|8.88"));
}

TEST_F(MemoryDestinationTest, UpsertIntoANewTableKeepsTheLastOfEachKey) {
  Write({{Sale("eu", 1, 100), Sale("eu", 2, 200), Sale("us", 1, 150)}}, WriteMode::kUpsert, {"id"},
        "fresh");
  EXPECT_THAT(Rows("fresh"), ElementsAre("eu|2|2.00", "us|1|1.50"));
}

TEST_F(MemoryDestinationTest, UpsertCollapsesOldDuplicatesOfAnUpsertedKey) {
  Write({{Sale("eu", 1, 100), Sale("eu", 2, 200)}}, WriteMode::kReplace);
  Write({{Sale("us", 1, 101)}}, WriteMode::kAppend);  // the table now holds id 1 twice
  Write({{Sale("xx", 1, 111)}}, WriteMode::kUpsert, {"id"});
  EXPECT_THAT(Rows(), ElementsAre("xx|1|1.11", "eu|2|2.00"));
}

TEST_F(MemoryDestinationTest, UpsertKeysMustBeGivenAndExist) {
  Write({{Sale("eu", 1, 100)}}, WriteMode::kReplace);
  try {
    Write({{Sale("eu", 1, 200)}}, WriteMode::kUpsert, {});
    FAIL() << "expected ParameterError";
  } catch (const ParameterError& e) {
    EXPECT_EQ(e.problems().at(0).parameter, "keys");
    EXPECT_EQ(e.problems().at(0).message, "upsert needs at least one key column");
  }
  try {
    Write({{Sale("eu", 1, 200)}}, WriteMode::kUpsert, {"idd"});
    FAIL() << "expected SchemaError";
  } catch (const SchemaError& e) {
    EXPECT_EQ(std::string(e.what()),
              "MEMORY write: upsert key column 'idd' is not in the data (did you mean 'id'?)");
  }
  EXPECT_THAT(Rows(), ElementsAre("eu|1|1.00"));
}

TEST_F(MemoryDestinationTest, NullKeysAreAnErrorNamingTheRow) {
  Write({{Sale("eu", 1, 100)}}, WriteMode::kReplace);
  MemoryStore::Snapshot before = store_->Get("sales");
  try {
    Write({{Sale("eu", 1, 200), Sale("us", 2, 300)},
           {{Value::String("eu"), Value::Null(DataType::Int64()), Value::Decimal(1, kAmount)}}},
          WriteMode::kUpsert, {"region", "id"});
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_EQ(std::string(e.what()),
              "MEMORY write: sales:3: column 'id' (#2): upsert key is NULL; every key column "
              "needs a value");
    EXPECT_EQ(e.location().line, 3);
    EXPECT_EQ(e.location().column, "id");
  }
  EXPECT_EQ(store_->Get("sales"), before);
}

TEST_F(MemoryDestinationTest, WriteIsAtomicWhenTheStreamThrows) {
  for (WriteMode mode : {WriteMode::kReplace, WriteMode::kAppend, WriteMode::kUpsert}) {
    Write({{Sale("eu", 1, 100)}}, WriteMode::kReplace);
    MemoryStore::Snapshot before = store_->Get("sales");
    ScriptedStream stream(SalesSchema(), {MakeChunk(SalesSchema(), {Sale("us", 2, 200)})},
                          /*fail=*/true);
    try {
      destination_->Write("", stream, WriteOptions{mode, {"id"}});
      FAIL() << "expected DataError";
    } catch (const DataError& e) {
      EXPECT_EQ(std::string(e.what()), "TEST read: input.csv:42: unterminated quote");
    }
    EXPECT_EQ(store_->Get("sales"), before) << WriteModeName(mode);
    EXPECT_THAT(Rows(), ElementsAre("eu|1|1.00"));
  }
  ScriptedStream stream(SalesSchema(), {}, /*fail=*/true);
  EXPECT_THROW(destination_->Write("new_table", stream, WriteOptions{}), DataError);
  EXPECT_FALSE(store_->Contains("new_table"));
}

TEST_F(MemoryDestinationTest, WrittenTablesReadBack) {
  Write({{Sale("eu", 1, 100), Sale("us", 2, 200)}}, WriteMode::kReplace);
  auto source = MakeMemorySource(MemorySourceSpec(), std::make_shared<FakeClock>(), store_);
  source->Configure({{"table", "sales"}});
  ReadRequest request;
  request.columns = {"id"};
  std::unique_ptr<ChunkStream> stream = source->Read(request);
  EXPECT_THAT(memory_test::RowStrings(DrainStream(*stream)), ElementsAre("1", "2"));
}

TEST_F(MemoryDestinationTest, AlwaysHealthy) {
  const HealthReport report = destination_->CheckHealth();
  EXPECT_TRUE(report.healthy);
  EXPECT_EQ(destination_->TestConnection().message, "the memory store is available");
  EXPECT_EQ(report.ToJson()["capabilities"],
            nlohmann::json::parse(
                R"({"incremental": false, "batch_reading": false, "health_monitoring": true})"));
}

}  // namespace
}  // namespace sqlflow
