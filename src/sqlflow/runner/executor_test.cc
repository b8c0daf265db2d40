#include "sqlflow/runner/executor.h"

#include <condition_variable>
#include <mutex>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqlflow/connectors/memory/memory_store.h"
#include "sqlflow/runner/runner_testing.h"

namespace sqlflow::runner {
namespace {

using testing::BuiltinRegistry;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::PlanText;
using testing::TempProject;

constexpr const char* kOrders =
    "id,customer,amount,day\n1,ann,10.50,2026-01-01\n2,bob,5.25,2026-01-01\n"
    "3,ann,4.00,2026-01-02\n4,cid,1.00,2026-01-03\n";
constexpr const char* kCustomers = "name,city\nann,Oslo\nbob,Lima\ncid,Oslo\n";

RunResult RunText(const std::string& text, const TempProject& project,
                  engine::Engine* engine = nullptr, ExecutorOptions options = {}) {
  Plan plan = PlanText(text, project);
  std::unique_ptr<engine::Engine> owned;
  if (engine == nullptr) {
    owned = engine::OpenDuckDbEngine({});
    engine = owned.get();
  }
  options.project_dir = project.dir();
  Executor executor(plan, *engine, BuiltinRegistry(), options);
  return executor.Run();
}

TEST(ExecutorTest, LoadsTransformsAndExportsExactly) {
  TempProject project;
  project.Write("data/orders.csv", kOrders);
  project.Write("data/customers.csv", kCustomers);
  RunResult run = RunText(
      "SOURCE o TYPE CSV PARAMS {\"path\": \"data/orders.csv\"};\n"
      "SOURCE c TYPE CSV PARAMS {\"path\": \"data/customers.csv\"};\n"
      "LOAD orders FROM o;\nLOAD customers FROM c;\n"
      "CREATE TABLE by_city AS SELECT c.city, sum(o.amount) AS total, count(*) AS n\n"
      "  FROM orders o JOIN customers c ON c.name = o.customer GROUP BY 1;\n"
      "EXPORT SELECT * FROM by_city ORDER BY city TO \"output/by_city.csv\" TYPE CSV;\n",
      project);
  ASSERT_TRUE(run.success) << run.error;
  ASSERT_EQ(run.steps.size(), 4u);
  EXPECT_EQ(run.steps[0].rows, 4);
  // A LOAD pushed down to DuckDB reports the bytes of the files it scanned, and its connector.
  EXPECT_EQ(run.steps[0].bytes, static_cast<int64_t>(std::string(kOrders).size()));
  ASSERT_TRUE(run.steps[0].connector.has_value());
  EXPECT_EQ(run.steps[0].connector->connector, "o");
  EXPECT_EQ(run.steps[0].connector->type, "CSV");
  EXPECT_EQ(run.steps[0].connector->role, "source");
  EXPECT_EQ(run.steps[0].connector->metrics.rows_transferred, 4);
  EXPECT_EQ(run.steps[0].connector->metrics.bytes_transferred,
            static_cast<int64_t>(std::string(kOrders).size()));
  ASSERT_TRUE(run.steps[3].connector.has_value());
  EXPECT_EQ(run.steps[3].connector->role, "destination");
  EXPECT_FALSE(run.steps[2].connector.has_value());  // a transform has none
  EXPECT_EQ(run.steps[1].rows, 3);
  EXPECT_EQ(run.steps[2].rows, 2);
  EXPECT_EQ(run.steps[3].rows, 2);
  for (const StepResult& s : run.steps) EXPECT_EQ(s.status, StepStatus::kSuccess) << s.id;
  EXPECT_EQ(project.Read("output/by_city.csv"), "city,total,n\nLima,5.25,1\nOslo,15.5,3\n");
  ASSERT_FALSE(run.report_path.empty());
  nlohmann::json report = nlohmann::json::parse(
      project.Read(std::filesystem::relative(run.report_path, project.dir()).string()));
  EXPECT_EQ(report["status"], "success");
  EXPECT_EQ(report["steps"][2]["id"], "transform_by_city");
  EXPECT_EQ(report["steps"][2]["rows"], 2);
}

TEST(ExecutorTest, UpsertAndAppendLoads) {
  TempProject project;
  project.Write("data/a.csv", "id,v\n1,a\n2,b\n");
  project.Write("data/b.csv", "id,v\n2,B\n3,c\n");
  RunResult run = RunText(
      "SOURCE a TYPE CSV PARAMS {\"path\": \"data/a.csv\"};\n"
      "SOURCE b TYPE CSV PARAMS {\"path\": \"data/b.csv\"};\n"
      "LOAD t FROM a;\nLOAD t FROM b MODE UPSERT KEY id;\n"
      "LOAD u FROM a;\nLOAD u FROM b MODE APPEND;\n"
      "EXPORT SELECT * FROM t ORDER BY id TO \"output/t.csv\" TYPE CSV;\n"
      "EXPORT SELECT * FROM u ORDER BY id, v TO \"output/u.csv\" TYPE CSV;\n",
      project);
  ASSERT_TRUE(run.success) << run.error;
  EXPECT_EQ(project.Read("output/t.csv"), "id,v\n1,a\n2,B\n3,c\n");
  EXPECT_EQ(project.Read("output/u.csv"), "id,v\n1,a\n2,B\n2,b\n3,c\n");
}

TEST(ExecutorTest, AFailedStepStopsTheRunAndSkipsItsDependents) {
  TempProject project;
  project.Write("data/a.csv", "id\n1\n");
  RunResult run = RunText(
      "SOURCE a TYPE CSV PARAMS {\"path\": \"data/a.csv\"};\n"
      "SOURCE missing TYPE CSV PARAMS {\"path\": \"data/missing.csv\"};\n"
      "LOAD a FROM a;\nLOAD m FROM missing;\n"
      "CREATE TABLE j AS SELECT * FROM a, m;\n",
      project);
  EXPECT_FALSE(run.success);
  EXPECT_FALSE(run.interrupted);
  EXPECT_THAT(run.error, HasSubstr("step load_m failed:"));
  EXPECT_THAT(run.error, HasSubstr("missing.csv"));
  EXPECT_EQ(run.steps[1].status, StepStatus::kFailed);
  EXPECT_EQ(run.steps[2].status, StepStatus::kSkipped);
}

TEST(ExecutorTest, InterruptStopsTheRun) {
  TempProject project;
  project.Write("data/a.csv", "id\n1\n");
  Plan plan = PlanText(
      "SOURCE a TYPE CSV PARAMS {\"path\": \"data/a.csv\"};\nLOAD a FROM a;\n"
      "CREATE TABLE b AS SELECT * FROM a;\nCREATE TABLE c AS SELECT * FROM b;\n",
      project);
  auto engine = engine::OpenDuckDbEngine({});
  Executor* self = nullptr;
  ExecutorOptions options;
  options.on_event = [&](const StepEvent& event) {
    if (event.type == StepEvent::Type::kFinished && event.step->id == "load_a") self->Interrupt();
  };
  Executor executor(plan, *engine, BuiltinRegistry(), options);
  self = &executor;
  RunResult run = executor.Run();
  EXPECT_FALSE(run.success);
  EXPECT_TRUE(run.interrupted);
  EXPECT_EQ(run.steps[0].status, StepStatus::kSuccess);
  // transform_b is skipped, or interrupted if the scheduler started it before the event's
  // Interrupt() (its 250 ms wake-up can fall in between); it never succeeds.
  EXPECT_THAT(run.steps[1].status,
              ::testing::AnyOf(StepStatus::kSkipped, StepStatus::kInterrupted));
  EXPECT_EQ(run.steps[2].status, StepStatus::kSkipped);
  EXPECT_EQ(run.ToJson()["status"], "interrupted");
}

/// Counts the streams inside Next() at the same time; each waits (up to 20 s, so a broken
/// executor fails instead of hanging) until `expected` streams have arrived.
struct Barrier {
  std::mutex mu;
  std::condition_variable cv;
  int arrived = 0;
  int expected = 2;
  bool met = false;
  void Arrive() {
    std::unique_lock<std::mutex> lock(mu);
    if (++arrived >= expected) met = true;
    cv.notify_all();
    cv.wait_for(lock, std::chrono::seconds(20), [&] { return met; });
  }
};
Barrier* g_barrier = nullptr;

/// One row, produced only once every BARRIER stream has started reading.
class BarrierStream final : public ChunkStream {
 public:
  const Schema& schema() const override { return schema_; }
  std::optional<DataChunk> Next() override {
    if (done_) return std::nullopt;
    done_ = true;
    g_barrier->Arrive();
    ChunkBuilder builder(schema_);
    builder.AppendRow({Value::Int(1)});
    return builder.Finish();
  }

 private:
  Schema schema_{{{"id", DataType::Int64()}}};
  bool done_ = false;
};

class BarrierSource final : public SourceConnector {
 public:
  using SourceConnector::SourceConnector;
  std::vector<std::string> Discover() override { return {}; }
  Schema GetSchema(const std::string&) override { return BarrierStream().schema(); }
  std::unique_ptr<ChunkStream> Read(const ReadRequest&) override {
    return std::make_unique<BarrierStream>();
  }
  ConnectionTestResult TestConnection() override { return {true, "ok", 0}; }

 protected:
  void DoConfigure(const ParameterSet&) override {}
};

TEST(ExecutorTest, IndependentLoadsRunAtTheSameTime) {
  ConnectorRegistry registry;
  ConnectorSpec spec;
  spec.type = "BARRIER";
  spec.description = "test source";
  registry.sources().Register(spec, [](const ConnectorSpec& s, std::shared_ptr<Clock> clock) {
    return std::make_unique<BarrierSource>(s, std::move(clock));
  });
  pipeline::PipelineAst ast = pipeline::ParsePipelineText(
      "p", "p.sf",
      "SOURCE a TYPE BARRIER;\nSOURCE b TYPE BARRIER;\nLOAD x FROM a;\nLOAD y FROM b;\n");
  pipeline::Profile profile;
  profile.name = "dev";
  PlanInputs inputs;
  inputs.env = testing::NoEnv();
  Plan plan = BuildPlan(ast, profile, registry, inputs);
  Barrier barrier;
  g_barrier = &barrier;
  auto engine = engine::OpenDuckDbEngine({});
  RunResult run = Executor(plan, *engine, registry, {}).Run();
  g_barrier = nullptr;
  ASSERT_TRUE(run.success) << run.error;
  EXPECT_TRUE(barrier.met) << "the second LOAD did not start while the first was reading";
  EXPECT_EQ(run.steps[0].rows, 1);
  EXPECT_EQ(run.steps[1].rows, 1);
}

TEST(ExecutorTest, IncrementalTransformReplacesItsWindowAcrossRuns) {
  TempProject project;
  const char* text =
      "SOURCE e TYPE CSV PARAMS {\"path\": \"data/events.csv\"};\nLOAD events FROM e;\n"
      "CREATE TABLE daily MODE INCREMENTAL BY day LOOKBACK '1 day' AS\n"
      "  SELECT day, count(*) AS n FROM events\n"
      "  WHERE day > @start_date AND day <= @end_date GROUP BY day;\n"
      "EXPORT SELECT * FROM daily ORDER BY day TO \"output/daily.csv\" TYPE CSV;\n";
  auto engine = engine::OpenDuckDbEngine({(project.dir() / "target/db.duckdb").string()});
  project.Write("data/events.csv", "day\n2026-01-01\n2026-01-02\n2026-01-02\n");
  ASSERT_TRUE(RunText(text, project, engine.get()).success);
  EXPECT_EQ(project.Read("output/daily.csv"), "day,n\n2026-01-01,1\n2026-01-02,2\n");
  // A late event for the 2nd (inside the lookback) and a new day.
  project.Write("data/events.csv",
                "day\n2026-01-01\n2026-01-02\n2026-01-02\n2026-01-02\n2026-01-03\n");
  RunResult second = RunText(text, project, engine.get());
  ASSERT_TRUE(second.success) << second.error;
  EXPECT_EQ(second.steps[1].rows, 2);  // the 2nd and the 3rd were reprocessed
  EXPECT_EQ(project.Read("output/daily.csv"), "day,n\n2026-01-01,1\n2026-01-02,3\n2026-01-03,1\n");
}

TEST(ExecutorTest, IncrementalWindowOfTheFirstRunCoversEverything) {
  TempProject project;
  project.Write("data/events.csv", "ts\n2026-01-01 10:00:00\n2026-01-05 12:30:00.5\n");
  Plan plan = PlanText(
      "SOURCE e TYPE CSV PARAMS {\"path\": \"data/events.csv\"};\nLOAD events FROM e;\n"
      "CREATE TABLE t MODE INCREMENTAL BY ts AS SELECT * FROM events WHERE ts > @start_dt;\n",
      project);
  auto engine = engine::OpenDuckDbEngine({});
  ASSERT_TRUE(Executor(plan, *engine, BuiltinRegistry(), {}).Run().success);
  auto session = engine->Connect();
  EXPECT_EQ(session->CountRows("t"), 2);
}

TEST(ExecutorTest, ExportStreamsQueryChunksToADestinationWithoutPushdown) {
  // MEMORY is not a DuckDB file writer: the export streams the query's chunks to it.
  TempProject project;
  RunResult run = RunText(
      "CREATE TABLE t AS SELECT range AS id, range * 2 AS twice FROM range(25000);\n"
      "EXPORT SELECT * FROM t WHERE id % 2 = 0 TO \"executor_test_evens\" TYPE MEMORY;\n",
      project);
  ASSERT_TRUE(run.success) << run.error;
  EXPECT_EQ(run.steps[1].rows, 12500);
  MemoryStore::Snapshot table = MemoryStore::Default()->Get("executor_test_evens");
  ASSERT_NE(table, nullptr);
  EXPECT_EQ(table->num_rows(), 12500);
  EXPECT_GT(table->chunks.size(), 1u);  // chunks of at most batch_size rows
  EXPECT_EQ(table->schema->fields()[1].name, "twice");
}

TEST(ExecutorTest, ProgressPollingNeverTouchesAFinishedStepsSession) {
  // Polls every millisecond while 40 short steps start and end: a session polled after its
  // step destroyed it would be a use-after-free (found by ASan in a CI run).
  TempProject project;
  std::string text;
  for (int i = 0; i < 40; ++i) {
    text += fmt::format("CREATE TABLE t{} AS SELECT range AS x FROM range({});\n", i, 1000 * i);
  }
  ExecutorOptions options;
  options.progress_interval = std::chrono::milliseconds(1);
  RunResult run = RunText(text, project, nullptr, options);
  ASSERT_TRUE(run.success) << run.error;
  EXPECT_EQ(run.steps.size(), 40u);
  EXPECT_EQ(run.steps[39].rows, 39000);
}

TEST(ExecutorTest, FilesNamedInSqlAreRelativeToTheProject) {
  TempProject project;
  project.Write("data/x.csv", "a\n1\n2\n");
  RunResult run = RunText(
      "CREATE TABLE t AS SELECT sum(a) AS s FROM 'data/x.csv';\n"
      "EXPORT SELECT * FROM read_csv('data/x.csv') TO \"output/x.csv\" TYPE CSV;\n",
      project);
  ASSERT_TRUE(run.success) << run.error;
  EXPECT_EQ(project.Read("output/x.csv"), "a\n1\n2\n");
}

TEST(ExecutorTest, IncrementalColumnMustBeADateOrTimestamp) {
  TempProject project;
  project.Write("data/e.csv", "id,day\n1,2026-01-01\n");
  RunResult wrong_type = RunText(
      "SOURCE e TYPE CSV PARAMS {\"path\": \"data/e.csv\"};\nLOAD e FROM e;\n"
      "CREATE TABLE t MODE INCREMENTAL BY id AS SELECT * FROM e;\n",
      project);
  EXPECT_THAT(wrong_type.error, HasSubstr("INCREMENTAL BY column 'id' must be a DATE or "
                                          "TIMESTAMP, but the query makes it BIGINT"));
  RunResult missing = RunText(
      "SOURCE e TYPE CSV PARAMS {\"path\": \"data/e.csv\"};\nLOAD e FROM e;\n"
      "CREATE TABLE t MODE INCREMENTAL BY ts AS SELECT * FROM e;\n",
      project);
  EXPECT_THAT(missing.error, HasSubstr("INCREMENTAL BY column 'ts' is not a column of the query "
                                       "(its columns: id, day)"));
}

}  // namespace
}  // namespace sqlflow::runner
