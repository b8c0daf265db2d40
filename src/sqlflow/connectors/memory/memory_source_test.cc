#include <chrono>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqlflow/connectors/memory/memory_connector.h"
#include "sqlflow/connectors/memory/memory_test_util.h"
#include "sqlflow/connectors/readme_check.h"

namespace sqlflow {
namespace {

using memory_test::MakeChunk;
using memory_test::RowStrings;
using ::testing::ElementsAre;
using namespace std::chrono_literals;

Schema OrdersSchema() {
  return Schema({{"id", DataType::Int64()},
                 {"region", DataType::String()},
                 {"amount", DataType::Decimal(10, 2)},
                 {"updated_at", DataType::Timestamp("UTC")}});
}

// 25 orders (id 1..25, region eu for odd ids, amount id.50, updated_at id seconds) stored in
// chunks of 7 rows, so reads must re-cut them.
MemoryTable Orders() {
  auto schema = std::make_shared<const Schema>(OrdersSchema());
  MemoryTable table{schema, {}};
  std::vector<std::vector<Value>> rows;
  for (int64_t id = 1; id <= 25; ++id) {
    rows.push_back({Value::Int(id), Value::String(id % 2 == 1 ? "eu" : "us"),
                    Value::Decimal(id * 100 + 50, DataType::Decimal(10, 2)),
                    Value::Timestamp(id * 1'000'000, "UTC")});
    if (rows.size() == 7 || id == 25) {
      table.chunks.push_back(MakeChunk(*schema, rows));
      rows.clear();
    }
  }
  return table;
}

std::vector<int64_t> Sizes(const std::vector<DataChunk>& chunks) {
  std::vector<int64_t> out;
  for (const DataChunk& chunk : chunks) out.push_back(chunk.num_rows());
  return out;
}

std::vector<std::string> Column0(const std::vector<DataChunk>& chunks) {
  std::vector<std::string> out;
  for (const DataChunk& chunk : chunks) {
    for (int64_t r = 0; r < chunk.num_rows(); ++r) {
      out.push_back(chunk.column(0).GetValue(r).ToString());
    }
  }
  return out;
}

class MemorySourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_->Put("orders", Orders());
    store_->Put("empty", MemoryTable{std::make_shared<const Schema>(OrdersSchema()), {}});
    source_->Configure({{"table", "orders"}});
  }

  std::vector<DataChunk> ReadAll(const ReadRequest& request) {
    std::unique_ptr<ChunkStream> stream = source_->Read(request);
    return DrainStream(*stream);
  }

  std::shared_ptr<MemoryStore> store_ = std::make_shared<MemoryStore>();
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
  std::unique_ptr<SourceConnector> source_ = MakeMemorySource(MemorySourceSpec(), clock_, store_);
};

TEST_F(MemorySourceTest, SpecSaysWhatItCanDo) {
  const ConnectorSpec& spec = MemorySourceSpec();
  EXPECT_EQ(spec.type, "MEMORY");
  EXPECT_TRUE(spec.capabilities.incremental);
  EXPECT_TRUE(spec.capabilities.filter_pushdown);
  EXPECT_TRUE(spec.capabilities.projection_pushdown);
  EXPECT_TRUE(spec.capabilities.discovery);
  EXPECT_FALSE(spec.capabilities.upsert);
  EXPECT_TRUE(source_->SupportsIncremental());
}

TEST_F(MemorySourceTest, ReadmeMatchesTheSpec) {
  ExpectReadmeMatchesSpec("src/sqlflow/connectors/memory/README.md", MemorySourceSpec(),
                          "Source parameters");
}

TEST_F(MemorySourceTest, TableIsRequired) {
  auto source = MakeMemorySource(MemorySourceSpec(), clock_, store_);
  try {
    source->Configure(nlohmann::json::object());
    FAIL() << "expected ParameterError";
  } catch (const ParameterError& e) {
    ASSERT_EQ(e.problems().size(), 1u);
    EXPECT_EQ(e.problems()[0].parameter, "table");
  }
  EXPECT_THROW(source->Configure({{"table", "orders"}, {"sync_mode", "cdc"}}), ParameterError);
  EXPECT_EQ(source->state(), ConnectorState::kCreated);
}

TEST_F(MemorySourceTest, DiscoverAndSchema) {
  EXPECT_THAT(source_->Discover(), ElementsAre("empty", "orders"));
  EXPECT_EQ(source_->GetSchema(""), OrdersSchema());
  EXPECT_EQ(source_->GetSchema("empty"), OrdersSchema());
  try {
    source_->GetSchema("ordres");
    FAIL() << "expected ConnectorError";
  } catch (const ConnectorError& e) {
    EXPECT_EQ(std::string(e.what()),
              "MEMORY get_schema: table 'ordres' not found in the memory store (did you mean "
              "'orders'?)");
    EXPECT_FALSE(e.retryable());
  }
}

TEST_F(MemorySourceTest, ReadCutsExactBatches) {
  ReadRequest request;
  request.batch_size = 10;
  const std::vector<DataChunk> chunks = ReadAll(request);
  EXPECT_THAT(Sizes(chunks), ElementsAre(10, 10, 5));
  std::vector<std::string> ids;
  for (int i = 1; i <= 25; ++i) ids.push_back(std::to_string(i));
  EXPECT_EQ(Column0(chunks), ids);
  EXPECT_EQ(RowStrings(chunks)[0], "1|eu|1.50|1970-01-01 00:00:01+00");
  EXPECT_EQ(source_->state(), ConnectorState::kReady);

  request.batch_size = 25;
  EXPECT_THAT(Sizes(ReadAll(request)), ElementsAre(25));
  request.batch_size = 1000;
  EXPECT_THAT(Sizes(ReadAll(request)), ElementsAre(25));
}

TEST_F(MemorySourceTest, ConfiguredBatchSizeIsTheDefault) {
  source_->Configure({{"table", "orders"}, {"batch_size", 4}});
  ReadRequest request;  // batch_size left at its default: the parameter decides
  EXPECT_THAT(Sizes(ReadAll(request)), ElementsAre(4, 4, 4, 4, 4, 4, 1));
  request.batch_size = 0;
  EXPECT_THAT(Sizes(ReadAll(request)), ElementsAre(4, 4, 4, 4, 4, 4, 1));
  request.batch_size = 12;  // asked for: the request wins
  EXPECT_THAT(Sizes(ReadAll(request)), ElementsAre(12, 12, 1));
}

TEST_F(MemorySourceTest, ReadNamedObjectAndEmptyTable) {
  ReadRequest request;
  request.object = "empty";
  std::unique_ptr<ChunkStream> stream = source_->Read(request);
  EXPECT_EQ(stream->schema(), OrdersSchema());
  EXPECT_FALSE(stream->Next().has_value());
}

TEST_F(MemorySourceTest, ProjectionUsesTheSchemaSpelling) {
  ReadRequest request;
  request.columns = {"amount", "ID"};
  request.batch_size = 20;
  std::unique_ptr<ChunkStream> stream = source_->Read(request);
  const Schema expected({{"amount", DataType::Decimal(10, 2)}, {"id", DataType::Int64()}});
  EXPECT_EQ(stream->schema(), expected);
  const std::vector<DataChunk> chunks = DrainStream(*stream);
  EXPECT_THAT(Sizes(chunks), ElementsAre(20, 5));
  EXPECT_EQ(chunks[0].schema(), expected);
  EXPECT_EQ(RowStrings(chunks)[24], "25.50|25");
}

TEST_F(MemorySourceTest, UnknownProjectedColumn) {
  ReadRequest request;
  request.columns = {"id", "regoin"};
  try {
    source_->Read(request);
    FAIL() << "expected SchemaError";
  } catch (const SchemaError& e) {
    EXPECT_EQ(std::string(e.what()),
              "MEMORY read: column 'regoin' is not in table 'orders' (did you mean 'region'?)");
  }
}

TEST_F(MemorySourceTest, FiltersRunBeforeProjection) {
  ReadRequest request;
  request.columns = {"id"};
  const Schema schema = OrdersSchema();
  request.filters =
      ParseFilters("MEMORY", {{"region", "eu"}, {"id", {{">", 10}, {"<=", 21}}}}, &schema);
  request.batch_size = 3;
  const std::vector<DataChunk> chunks = ReadAll(request);
  EXPECT_THAT(Sizes(chunks), ElementsAre(3, 3));
  EXPECT_THAT(Column0(chunks), ElementsAre("11", "13", "15", "17", "19", "21"));
  EXPECT_EQ(chunks[0].num_columns(), 1u);
}

TEST_F(MemorySourceTest, BadFiltersFailWhenTheReadOpens) {
  ReadRequest request;
  request.filters = {Filter{"regio", FilterOp::kEq, {Value::String("eu")}}};
  try {
    source_->Read(request);
    FAIL() << "expected SchemaError";
  } catch (const SchemaError& e) {
    EXPECT_EQ(std::string(e.what()),
              "MEMORY read: filter column 'regio' is not in table 'orders' (did you mean "
              "'region'?)");
  }
  request.filters = {Filter{"updated_at", FilterOp::kGt, {Value::String("yesterday")}}};
  try {
    source_->Read(request);
    FAIL() << "expected SchemaError";
  } catch (const SchemaError& e) {
    EXPECT_EQ(std::string(e.what()),
              "MEMORY read: column 'updated_at': 'yesterday' is not a valid timestamptz");
  }
}

TEST_F(MemorySourceTest, MissingTable) {
  ReadRequest request;
  request.object = "nope";
  try {
    source_->Read(request);
    FAIL() << "expected ConnectorError";
  } catch (const ConnectorError& e) {
    EXPECT_EQ(std::string(e.what()),
              "MEMORY read: table 'nope' not found in the memory store (tables: empty, orders)");
  }
}

TEST_F(MemorySourceTest, IncrementalReadsAfterTheWatermark) {
  source_->Configure(
      {{"table", "orders"}, {"sync_mode", "incremental"}, {"cursor_field", "updated_at"}});
  IncrementalRequest request;
  request.cursor_field = "updated_at";
  request.cursor_value = Value::Timestamp(20'000'000, "UTC");
  request.batch_size = 2;
  std::unique_ptr<ChunkStream> stream = source_->ReadIncremental(request);
  const std::vector<DataChunk> chunks = DrainStream(*stream);
  EXPECT_THAT(Sizes(chunks), ElementsAre(2, 2, 1));
  EXPECT_THAT(Column0(chunks), ElementsAre("21", "22", "23", "24", "25"));
  EXPECT_EQ(source_->CursorValue(chunks.back(), "updated_at"), Value::Timestamp(25'000'000, "UTC"));

  // A watermark kept as text (from a state file) works too.
  request.cursor_value = Value::String("1970-01-01 00:00:24");
  stream = source_->ReadIncremental(request);
  EXPECT_THAT(Column0(DrainStream(*stream)), ElementsAre("25"));

  request.cursor_value = Value::Timestamp(25'000'000, "UTC");
  stream = source_->ReadIncremental(request);
  EXPECT_TRUE(DrainStream(*stream).empty());
}

TEST_F(MemorySourceTest, ReadsSeeTheSnapshotTheyStartedWith) {
  ReadRequest request;
  request.batch_size = 5;
  std::unique_ptr<ChunkStream> stream = source_->Read(request);
  ASSERT_TRUE(stream->Next().has_value());
  store_->Put("orders", MemoryTable{std::make_shared<const Schema>(OrdersSchema()), {}});
  int64_t rows = 5;
  while (std::optional<DataChunk> chunk = stream->Next()) rows += chunk->num_rows();
  EXPECT_EQ(rows, 25);
}

TEST_F(MemorySourceTest, HealthFollowsTheTable) {
  HealthReport report = source_->CheckHealth();
  EXPECT_TRUE(report.healthy);
  EXPECT_EQ(source_->state(), ConnectorState::kReady);
  EXPECT_EQ(source_->TestConnection().message, "table 'orders' exists (25 rows)");

  store_->Drop("orders");
  report = source_->CheckHealth();
  EXPECT_FALSE(report.healthy);
  EXPECT_EQ(report.error, "table 'orders' not found in the memory store (tables: empty)");
  EXPECT_EQ(report.ToJson()["capabilities"]["incremental"], true);

  auto unconfigured = MakeMemorySource(MemorySourceSpec(), clock_, store_);
  EXPECT_EQ(unconfigured->TestConnection().message,
            "no table configured (set the 'table' parameter)");
}

TEST_F(MemorySourceTest, ReadsAreMetered) {
  ReadRequest request;
  request.batch_size = 10;
  ReadAll(request);
  const PerformanceMetrics metrics = source_->performance_metrics();
  EXPECT_EQ(metrics.rows_transferred, 25);
  EXPECT_GT(metrics.bytes_transferred, 0);
}

}  // namespace
}  // namespace sqlflow
