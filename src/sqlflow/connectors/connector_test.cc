#include "sqlflow/connectors/connector.h"

#include <chrono>
#include <stdexcept>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sqlflow {
namespace {

using ::testing::ElementsAre;
using namespace std::chrono_literals;

ConnectorSpec FakeSpec(bool incremental = true) {
  ConnectorSpec s;
  s.type = "FAKE";
  s.description = "A fake source for tests.";
  ParamSpec path = StandardParam("path");
  path.required = true;
  s.params = {path, StandardParam("batch_size"), StandardParam("sync_mode"),
              StandardParam("cursor_field"), StandardParam("primary_key")};
  s.capabilities.incremental = incremental;
  return s;
}

class FakeSource : public SourceConnector {
 public:
  FakeSource(const ConnectorSpec& spec, std::shared_ptr<FakeClock> clock)
      : SourceConnector(spec, clock), fake_clock_(std::move(clock)) {}

  std::vector<std::string> Discover() override { return {"t"}; }
  Schema GetSchema(const std::string&) override { return Schema(); }
  std::unique_ptr<ChunkStream> Read(const ReadRequest& request) override {
    last_read = request;
    return MakeVectorStream(std::make_shared<Schema>(), {});
  }
  ConnectionTestResult TestConnection() override {
    fake_clock_->Advance(25ms);
    if (!throw_message.empty()) throw ConnectionError(name(), "connect", throw_message);
    return result;
  }

  using Connector::MarkError;
  using Connector::MarkReady;
  using Connector::RecordQueryTime;
  using Connector::RecordRetry;
  using Connector::RecordTransfer;

  ReadRequest last_read;
  ConnectionTestResult result{true, "reached", 0};
  std::string throw_message;
  std::string configure_failure;
  std::string path;

 protected:
  void DoConfigure(const ParameterSet& params) override {
    if (!configure_failure.empty()) throw std::runtime_error(configure_failure);
    path = params.GetString("path");
  }

 private:
  std::shared_ptr<FakeClock> fake_clock_;
};

class ConnectorTest : public ::testing::Test {
 protected:
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
  ConnectorSpec spec_ = FakeSpec();
  FakeSource source_{spec_, clock_};
};

std::vector<std::string> ProblemParams(const ParameterError& e) {
  std::vector<std::string> out;
  for (const ParameterProblem& p : e.problems()) out.push_back(p.parameter);
  return out;
}

TEST(ConnectorNamesTest, SpellEveryEnumerator) {
  EXPECT_STREQ(ConnectorTypeName(ConnectorType::kSource), "source");
  EXPECT_STREQ(ConnectorTypeName(ConnectorType::kDestination), "destination");
  EXPECT_STREQ(ConnectorTypeName(ConnectorType::kBidirectional), "bidirectional");
  EXPECT_STREQ(ConnectorStateName(ConnectorState::kCreated), "created");
  EXPECT_STREQ(ConnectorStateName(ConnectorState::kConfigured), "configured");
  EXPECT_STREQ(ConnectorStateName(ConnectorState::kReady), "ready");
  EXPECT_STREQ(ConnectorStateName(ConnectorState::kError), "error");
  EXPECT_STREQ(SyncModeName(SyncMode::kFullRefresh), "full_refresh");
  EXPECT_STREQ(SyncModeName(SyncMode::kIncremental), "incremental");
  EXPECT_STREQ(SyncModeName(SyncMode::kCdc), "cdc");
}

TEST_F(ConnectorTest, NameDefaultsToTheType) {
  EXPECT_EQ(source_.type_name(), "FAKE");
  EXPECT_EQ(source_.name(), "FAKE");
  source_.set_name("orders_src");
  EXPECT_EQ(source_.name(), "orders_src");
  EXPECT_EQ(&source_.spec(), &spec_);
}

TEST_F(ConnectorTest, LifecycleCreatedConfiguredReadyAndBack) {
  EXPECT_EQ(source_.state(), ConnectorState::kCreated);
  source_.MarkReady();  // nothing to be ready with before Configure()
  EXPECT_EQ(source_.state(), ConnectorState::kCreated);

  source_.Configure({{"path", "a.csv"}});
  EXPECT_EQ(source_.state(), ConnectorState::kConfigured);
  EXPECT_EQ(source_.path, "a.csv");
  EXPECT_EQ(source_.params().GetInt("batch_size"), 10000);  // default filled

  EXPECT_TRUE(source_.CheckHealth().healthy);
  EXPECT_EQ(source_.state(), ConnectorState::kReady);

  source_.Configure({{"path", "b.csv"}});
  EXPECT_EQ(source_.state(), ConnectorState::kConfigured);
  EXPECT_EQ(source_.path, "b.csv");
}

TEST_F(ConnectorTest, ErrorKeepsTheMessageUntilConfiguredAgain) {
  source_.Configure({{"path", "a.csv"}});
  source_.MarkError("disk vanished");
  EXPECT_EQ(source_.state(), ConnectorState::kError);
  EXPECT_EQ(source_.last_error(), "disk vanished");

  EXPECT_TRUE(source_.CheckHealth().healthy);  // a good check does not hide the error
  EXPECT_EQ(source_.state(), ConnectorState::kError);

  source_.Configure({{"path", "a.csv"}});
  EXPECT_EQ(source_.state(), ConnectorState::kConfigured);
  EXPECT_EQ(source_.last_error(), "");
}

TEST_F(ConnectorTest, ConfigureWithBadParamsListsEveryProblem) {
  source_.set_name("orders_src");
  try {
    source_.Configure({{"batch_sise", 5}, {"sync_mode", "sometimes"}});
    FAIL() << "expected ParameterError";
  } catch (const ParameterError& e) {
    EXPECT_EQ(e.connector(), "orders_src");
    EXPECT_EQ(e.operation(), "configure");
    EXPECT_THAT(ProblemParams(e), ElementsAre("batch_sise", "sync_mode", "path"));
    EXPECT_EQ(std::string(e.what()),
              "orders_src configure: 3 invalid parameters:\n"
              "  - 'batch_sise': unknown parameter (did you mean 'batch_size'?)\n"
              "  - 'sync_mode': must be one of: full_refresh, incremental, cdc; got 'sometimes'\n"
              "  - 'path': is required (File path or glob pattern)");
  }
  EXPECT_EQ(source_.state(), ConnectorState::kCreated);
}

TEST_F(ConnectorTest, ConfigureFailureKeepsState) {
  source_.Configure({{"path", "a.csv"}});
  EXPECT_THROW(source_.Configure({{"path", "b.csv"}, {"batch_size", 0}}), ParameterError);
  EXPECT_EQ(source_.state(), ConnectorState::kConfigured);
  EXPECT_EQ(source_.params().GetString("path"), "a.csv");
  EXPECT_EQ(source_.path, "a.csv");
}

TEST_F(ConnectorTest, RuntimeFailureInConfigureMovesToError) {
  source_.configure_failure = "cannot load the driver";
  EXPECT_THROW(source_.Configure({{"path", "a.csv"}}), std::runtime_error);
  EXPECT_EQ(source_.state(), ConnectorState::kError);
  EXPECT_EQ(source_.last_error(), "cannot load the driver");
}

TEST_F(ConnectorTest, ValidateParamsDoesNotApply) {
  ParameterSet params = source_.ValidateParams({{"path", "a.csv"}, {"batch_size", "500"}});
  EXPECT_EQ(params.GetInt("batch_size"), 500);
  EXPECT_EQ(source_.state(), ConnectorState::kCreated);
  EXPECT_EQ(source_.path, "");
}

TEST_F(ConnectorTest, IncrementalNeedsACursorField) {
  try {
    source_.Configure({{"path", "a.csv"}, {"sync_mode", "incremental"}});
    FAIL() << "expected ParameterError";
  } catch (const ParameterError& e) {
    ASSERT_EQ(e.problems().size(), 1u);
    EXPECT_EQ(e.problems()[0].parameter, "cursor_field");
    EXPECT_EQ(e.problems()[0].message, "is required when sync_mode is 'incremental'");
    EXPECT_EQ(e.problems()[0].suggestion,
              "name the column that grows with every change, e.g. 'updated_at'");
  }
  EXPECT_EQ(source_.state(), ConnectorState::kCreated);
}

TEST_F(ConnectorTest, IncrementalCursorFieldMustNotBeEmpty) {
  try {
    source_.Configure({{"path", "a.csv"},
                       {"sync_mode", "incremental"},
                       {"cursor_field", "  "},
                       {"primary_key", {"id", ""}}});
    FAIL() << "expected ParameterError";
  } catch (const ParameterError& e) {
    EXPECT_EQ(std::string(e.what()),
              "FAKE configure: 2 invalid parameters:\n"
              "  - 'cursor_field': must not be empty when sync_mode is 'incremental'\n"
              "  - 'primary_key': must not contain an empty column name");
  }
}

TEST_F(ConnectorTest, IncrementalWithCursorAndKeysIsConfigured) {
  source_.Configure({{"path", "a.csv"},
                     {"sync_mode", "incremental"},
                     {"cursor_field", "updated_at"},
                     {"primary_key", {"id", "region"}}});
  EXPECT_EQ(source_.state(), ConnectorState::kConfigured);
  EXPECT_EQ(source_.params().GetString("cursor_field"), "updated_at");
}

TEST(ConnectorIncrementalTest, UnsupportedIncrementalIsAParameterError) {
  ConnectorSpec spec = FakeSpec(/*incremental=*/false);
  FakeSource source(spec, std::make_shared<FakeClock>());
  try {
    source.Configure({{"path", "a.csv"}, {"sync_mode", "incremental"}, {"cursor_field", "ts"}});
    FAIL() << "expected ParameterError";
  } catch (const ParameterError& e) {
    EXPECT_EQ(std::string(e.what()),
              "FAKE configure: invalid parameter: 'sync_mode': connector type 'FAKE' does not "
              "support incremental reads (use sync_mode 'full_refresh')");
  }
  EXPECT_EQ(source.state(), ConnectorState::kCreated);
}

TEST_F(ConnectorTest, HealthyReportShape) {
  source_.Configure({{"path", "a.csv"}});
  HealthReport report = source_.CheckHealth();
  EXPECT_TRUE(report.healthy);
  EXPECT_TRUE(report.connected);
  EXPECT_EQ(report.response_time_ms, 25.0);
  EXPECT_EQ(report.ToJson(), nlohmann::json::parse(R"({
    "status": "healthy",
    "connected": true,
    "response_time_ms": 25.0,
    "last_check": "2023-11-14T22:13:20.025Z",
    "capabilities": {"incremental": true, "batch_reading": true, "health_monitoring": true},
    "resilience": {"circuit_breaker": "NONE", "hosts": {}, "rate_limit_wait_ms": 0,
                   "requests_per_minute": null}
  })"));
  EXPECT_EQ(source_.performance_metrics().connection_time_ms, 25.0);
}

TEST_F(ConnectorTest, UnhealthyReportShape) {
  source_.Configure({{"path", "a.csv"}});
  source_.result = {false, "file 'a.csv' not found", 0};
  HealthReport report = source_.CheckHealth();
  EXPECT_FALSE(report.healthy);
  EXPECT_EQ(report.ToJson(), nlohmann::json::parse(R"({
    "status": "unhealthy",
    "connected": false,
    "response_time_ms": 25.0,
    "last_check": "2023-11-14T22:13:20.025Z",
    "capabilities": {"incremental": true, "batch_reading": true, "health_monitoring": true},
    "resilience": {"circuit_breaker": "NONE", "hosts": {}, "rate_limit_wait_ms": 0,
                   "requests_per_minute": null},
    "error": "file 'a.csv' not found"
  })"));
  EXPECT_EQ(source_.state(), ConnectorState::kConfigured);
  EXPECT_EQ(source_.performance_metrics().failures, 1);
}

TEST_F(ConnectorTest, HealthCheckNeverThrows) {
  source_.throw_message = "connection refused";
  HealthReport report;
  EXPECT_NO_THROW(report = source_.CheckHealth());
  EXPECT_FALSE(report.healthy);
  EXPECT_FALSE(report.connected);
  EXPECT_EQ(report.response_time_ms, 25.0);
  EXPECT_EQ(report.error, "FAKE connect: connection refused");
  EXPECT_EQ(report.ToJson()["error"], "FAKE connect: connection refused");
}

TEST_F(ConnectorTest, PerformanceMetricsComputeThroughput) {
  source_.RecordTransfer(3000, 1000);
  source_.RecordTransfer(2000, 500);
  source_.RecordQueryTime(1500);
  source_.RecordQueryTime(500);
  source_.RecordRetry();
  PerformanceMetrics m = source_.performance_metrics();
  EXPECT_EQ(m.rows_per_second, 2500.0);
  EXPECT_EQ(m.ToJson(), nlohmann::json::parse(R"({
    "connection_time_ms": 0.0, "query_time_ms": 2000.0, "rows_per_second": 2500.0,
    "bytes_transferred": 1500, "rows_transferred": 5000, "retries": 1, "failures": 0
  })"));
  EXPECT_EQ(ConnectorTest::source_.performance_metrics().retries, 1);
}

TEST_F(ConnectorTest, StateAndMetricsAreThreadSafe) {
  source_.Configure({{"path", "a.csv"}});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([this] {
      for (int i = 0; i < 100; ++i) {
        source_.RecordTransfer(1, 2);
        source_.RecordQueryTime(1);
        (void)source_.state();
        (void)source_.performance_metrics();
        if (i % 10 == 0) source_.CheckHealth();
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  const PerformanceMetrics m = source_.performance_metrics();
  EXPECT_EQ(m.rows_transferred, 400);
  EXPECT_EQ(m.bytes_transferred, 800);
  EXPECT_EQ(m.query_time_ms, 400.0);
  EXPECT_EQ(source_.state(), ConnectorState::kReady);
}

TEST_F(ConnectorTest, NoQueryTimeMeansNoThroughput) {
  source_.RecordTransfer(10, 10);
  EXPECT_EQ(source_.performance_metrics().rows_per_second, 0.0);
}

TEST(CapabilitiesTest, ToJsonListsEveryFlag) {
  Capabilities c;
  c.incremental = true;
  c.upsert = true;
  EXPECT_EQ(c.ToJson(), nlohmann::json::parse(R"({
    "incremental": true, "batch_reading": true, "health_monitoring": true,
    "projection_pushdown": false, "filter_pushdown": false, "discovery": false,
    "upsert": true, "atomic_write": false
  })"));
}

TEST(ConnectorSpecTest, ToJsonShowsParametersWithoutSecretDefaults) {
  ConnectorSpec spec;
  spec.type = "PG";
  spec.description = "A database.";
  ParamSpec user = StandardParam("username");
  ParamSpec password = StandardParam("password");
  password.default_value = "hunter2";  // a broken spec must still not leak it
  ParamSpec mode = StandardParam("sync_mode");
  spec.params = {StandardParam("port"), user, password, mode};
  spec.params[0].default_value = 5432;
  EXPECT_EQ(spec.ToJson(), nlohmann::json::parse(R"({
    "type": "PG",
    "description": "A database.",
    "parameters": [
      {"name": "port", "type": "integer", "required": false, "secret": false,
       "description": "Server TCP port", "default": 5432, "minimum": 1, "maximum": 65535},
      {"name": "username", "type": "string", "required": false, "secret": false,
       "description": "User name to log in as", "aliases": ["user"]},
      {"name": "password", "type": "string", "required": false, "secret": true,
       "description": "Password to log in with"},
      {"name": "sync_mode", "type": "string", "required": false, "secret": false,
       "description": "How to read: full_refresh, incremental or cdc",
       "default": "full_refresh", "allowed": ["full_refresh", "incremental", "cdc"]}
    ],
    "capabilities": {"incremental": false, "batch_reading": true, "health_monitoring": true,
                     "projection_pushdown": false, "filter_pushdown": false,
                     "discovery": false, "upsert": false, "atomic_write": false},
    "resilience": {"retry": null, "circuit_breaker": null, "rate_limit": null,
                   "recovery": {"enable_connection_recovery": false,
                                "enable_credential_refresh": false}}
  })"));
  EXPECT_EQ(spec.ToJson().dump().find("hunter2"), std::string::npos);
}

TEST(ConnectorSpecTest, MakeValidatorUsesTheSpec) {
  ConnectorSpec spec = FakeSpec();
  ParameterValidator validator = spec.MakeValidator();
  EXPECT_EQ(validator.connector(), "FAKE");
  EXPECT_EQ(validator.specs().size(), 5u);
  EXPECT_EQ(validator.Validate({{"path", "x"}}).GetString("sync_mode"), "full_refresh");
}

// ---- SourceConnector defaults ------------------------------------------------------------

TEST_F(ConnectorTest, ReadIncrementalAddsAStrictCursorFilter) {
  IncrementalRequest request;
  request.object = "orders";
  request.cursor_field = "updated_at";
  request.cursor_value = Value::Int(41);
  request.columns = {"id"};
  request.filters = {Filter{"status", FilterOp::kEq, {Value::String("paid")}}};
  request.batch_size = 7;
  source_.ReadIncremental(request);
  const ReadRequest& read = source_.last_read;
  EXPECT_EQ(read.object, "orders");
  EXPECT_THAT(read.columns, ElementsAre("id"));
  EXPECT_EQ(read.batch_size, 7);
  ASSERT_EQ(read.filters.size(), 2u);
  EXPECT_EQ(read.filters[1].column, "updated_at");
  EXPECT_EQ(read.filters[1].op, FilterOp::kGt);
  EXPECT_THAT(read.filters[1].values, ElementsAre(Value::Int(41)));
}

TEST_F(ConnectorTest, ReadIncrementalWithoutWatermarkReadsEverything) {
  IncrementalRequest request;
  request.cursor_field = "updated_at";
  source_.ReadIncremental(request);
  EXPECT_TRUE(source_.last_read.filters.empty());
}

TEST(ConnectorIncrementalTest, ReadIncrementalNeedsSupport) {
  ConnectorSpec spec = FakeSpec(/*incremental=*/false);
  FakeSource source(spec, std::make_shared<FakeClock>());
  EXPECT_FALSE(source.SupportsIncremental());
  IncrementalRequest request;
  request.cursor_field = "ts";
  try {
    source.ReadIncremental(request);
    FAIL() << "expected IncrementalError";
  } catch (const IncrementalError& e) {
    EXPECT_EQ(std::string(e.what()),
              "FAKE read_incremental: connector type 'FAKE' does not support incremental reads");
  }
}

DataChunk CursorChunk() {
  ChunkBuilder b(Schema({{"id", DataType::Int64()},
                         {"ts", DataType::Timestamp("UTC")},
                         {"name", DataType::String()},
                         {"doc", DataType::Json()},
                         {"none", DataType::Int32()}}));
  b.AppendRow({Value::Int(3), Value::Timestamp(2'000, "UTC"), Value::String("b"), Value::Json("{}"),
               Value::Null(DataType::Int32())});
  b.AppendRow({Value::Null(DataType::Int64()), Value::Timestamp(5'000, "UTC"), Value::String("c"),
               Value::Json("[]"), Value::Null(DataType::Int32())});
  b.AppendRow({Value::Int(-7), Value::Null(DataType::Timestamp("UTC")), Value::String("a"),
               Value::Json("1"), Value::Null(DataType::Int32())});
  return b.Finish();
}

TEST_F(ConnectorTest, CursorValueIsTheLargestNonNull) {
  const DataChunk chunk = CursorChunk();
  EXPECT_EQ(source_.CursorValue(chunk, "id"), Value::Int(3));
  EXPECT_EQ(source_.CursorValue(chunk, "TS"), Value::Timestamp(5'000, "UTC"));
  EXPECT_EQ(source_.CursorValue(chunk, "name"), Value::String("c"));
  EXPECT_EQ(source_.CursorValue(chunk, "none"), std::nullopt);
  EXPECT_EQ(source_.CursorValue(chunk.Slice(0, 0), "id"), std::nullopt);
}

TEST_F(ConnectorTest, CursorValueRejectsMissingAndUnorderedColumns) {
  const DataChunk chunk = CursorChunk();
  try {
    source_.CursorValue(chunk, "updated_at");
    FAIL() << "expected IncrementalError";
  } catch (const IncrementalError& e) {
    EXPECT_EQ(std::string(e.what()),
              "FAKE cursor_value: cursor field 'updated_at' is not a column of the data "
              "(columns: id, ts, name, doc, none)");
  }
  try {
    source_.CursorValue(chunk, "doc");
    FAIL() << "expected IncrementalError";
  } catch (const IncrementalError& e) {
    EXPECT_EQ(std::string(e.what()),
              "FAKE cursor_value: cursor field 'doc' has type JSON, which has no order usable "
              "as a cursor");
  }
}

}  // namespace
}  // namespace sqlflow
