#include "sqlflow/cli/test_fakes.h"

#include <algorithm>
#include <fstream>
#include <system_error>

#include <stdlib.h>

#include "sqlflow/connectors/builtin/builtin.h"

namespace sqlflow::cli::testing {

namespace {

ParamSpec Param(std::string name, ParamType type, std::optional<nlohmann::json> default_value,
                std::string description) {
  ParamSpec p;
  p.name = std::move(name);
  p.type = type;
  p.default_value = std::move(default_value);
  p.description = std::move(description);
  return p;
}

ConnectorSpec SourceSpec(std::string type) {
  ConnectorSpec spec;
  spec.type = std::move(type);
  spec.description = "Fake rows for tests.";
  spec.params.push_back(Param("rows", ParamType::kInteger, 3, "Rows to produce."));
  spec.params.back().minimum = 0;
  spec.params.back().maximum = 1000000;
  ParamSpec password = Param("password", ParamType::kString, std::nullopt, "A secret.");
  password.secret = true;
  password.aliases = {"pass"};
  spec.params.push_back(password);
  spec.params.push_back(Param("fail", ParamType::kBoolean, false, "Fail when reading."));
  spec.params.push_back(Param("batch_size", ParamType::kInteger, 10000, "Rows per chunk."));
  spec.params.back().minimum = 1;
  spec.capabilities.projection_pushdown = true;
  return spec;
}

ConnectorSpec DestinationSpec(std::string type, bool upsert) {
  ConnectorSpec spec;
  spec.type = std::move(type);
  spec.description = "Counts rows.";
  ParamSpec path = Param("path", ParamType::kString, std::nullopt, "Where to write.");
  path.required = true;
  spec.params.push_back(path);
  ParamSpec compression = Param("compression", ParamType::kString, "snappy", "Codec.");
  compression.allowed = {"snappy", "zstd"};
  spec.params.push_back(compression);
  ParamSpec token = Param("token", ParamType::kString, std::nullopt, "Secret token.");
  token.secret = true;
  spec.params.push_back(token);
  spec.capabilities.upsert = upsert;
  spec.capabilities.atomic_write = true;
  return spec;
}

}  // namespace

FakeStream::FakeStream(int64_t rows, int64_t batch_size)
    : schema_(std::make_shared<Schema>(std::vector<Field>{{"id", DataType::Int64(), false}})),
      rows_(rows),
      batch_size_(batch_size) {}

std::optional<DataChunk> FakeStream::Next() {
  if (next_ >= rows_) return std::nullopt;
  int64_t n = std::min(batch_size_, rows_ - next_);
  ColumnBuilder builder(DataType::Int64());
  for (int64_t i = 0; i < n; ++i) builder.AppendInt(next_ + i);
  next_ += n;
  return DataChunk(schema_, {builder.Finish()}, n);
}

Schema FakeSource::GetSchema(const std::string& /*object*/) {
  return Schema({{"id", DataType::Int64(), false}});
}

std::unique_ptr<ChunkStream> FakeSource::Read(const ReadRequest& request) {
  last_request = request;
  if (fail_) throw ConnectorError(type_name(), "read", "file 'missing.csv' not found");
  return std::make_unique<FakeStream>(rows_, request.batch_size);
}

void FakeSource::DoConfigure(const ParameterSet& params) {
  rows_ = params.GetInt("rows");
  fail_ = params.GetBool("fail");
}

std::optional<std::string> FakePushdownSource::DuckDbRelation(const ReadRequest& request) {
  last_request = request;
  if (!pushdown_) return std::nullopt;
  return "(SELECT 1 AS id)";
}

void FakePushdownSource::RethrowScanError(const std::exception_ptr& error) {
  std::rethrow_exception(error);
}

void FakePushdownSource::DoConfigure(const ParameterSet& params) {
  FakeSource::DoConfigure(params);
  pushdown_ = !params.Has("pushdown") || params.GetBool("pushdown");
}

WriteResult FakeDestination::Write(const std::string& /*object*/, ChunkStream& input,
                                   const WriteOptions& options) {
  last_options = options;
  while (std::optional<DataChunk> chunk = input.Next()) rows_written += chunk->num_rows();
  return {rows_written, 0};
}

WriteResult FakeWritableDestination::WriteRelation(const std::string& /*object*/,
                                                   const std::string& relation_sql,
                                                   DuckDbScannable& /*scan_errors*/,
                                                   const WriteOptions& options,
                                                   const ProgressFn& progress) {
  last_relation = relation_sql;
  last_options = options;
  if (progress) {
    progress({21, 500, 1000});
    progress({42, 1000, 1000});
  }
  rows_written = 42;
  return {42, 4096};
}

WriteResult FakeWritableDestination::WriteRelationOn(duck::Connection& /*conn*/,
                                                     const std::string& /*object*/,
                                                     const std::string& relation_sql,
                                                     const WriteOptions& options,
                                                     const ProgressFn& progress) {
  last_relation = relation_sql;
  last_options = options;
  if (progress) progress({42, 1000, 1000});
  rows_written = 42;
  return {42, 4096};
}

std::unique_ptr<ConnectorRegistry> MakeFakeRegistry() {
  auto registry = std::make_unique<ConnectorRegistry>();
  registry->sources().Register(SourceSpec("FAKE"),
                               [](const ConnectorSpec& spec, std::shared_ptr<Clock> clock) {
                                 return std::make_unique<FakeSource>(spec, std::move(clock));
                               });
  ConnectorSpec fast = SourceSpec("FAST");
  fast.params.push_back(Param("pushdown", ParamType::kBoolean, true, "Offer a relation."));
  registry->sources().Register(fast, [](const ConnectorSpec& spec, std::shared_ptr<Clock> clock) {
    return std::make_unique<FakePushdownSource>(spec, std::move(clock));
  });
  registry->destinations().Register(
      DestinationSpec("SINK", true), [](const ConnectorSpec& spec, std::shared_ptr<Clock> clock) {
        return std::make_unique<FakeDestination>(spec, std::move(clock));
      });
  registry->destinations().Register(
      DestinationSpec("FAST", false), [](const ConnectorSpec& spec, std::shared_ptr<Clock> clock) {
        return std::make_unique<FakeWritableDestination>(spec, std::move(clock));
      });
  return registry;
}

void TempDirTest::SetUp() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / (temp_prefix_ + "-XXXXXX")).string();
  ASSERT_NE(mkdtemp(pattern.data()), nullptr);
  dir_ = pattern;
}

void TempDirTest::TearDown() {
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

void TempDirTest::Write(const std::string& path, const std::string& text) const {
  std::filesystem::create_directories((dir_ / path).parent_path());
  std::ofstream(dir_ / path, std::ios::binary) << text;
}

std::string TempDirTest::Read(const std::filesystem::path& path) const {
  std::ifstream in(dir_ / path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void CliCommandTest::SetUp() {
  TempDirTest::SetUp();
  RegisterBuiltinConnectors(builtin_);
}

int CliCommandTest::Run(const std::vector<std::string>& args, const ConnectorRegistry* registry) {
  out_.str("");
  err_.str("");
  CliEnv env{.out = out_,
             .err = err_,
             .registry = registry != nullptr ? *registry : builtin_,
             .clock = clock_,
             .env_lookup = [](const std::string&) { return std::optional<std::string>(); }};
  return RunCli(args, env);
}

int CliCommandTest::RunInProject(std::vector<std::string> args, const ConnectorRegistry* registry) {
  args.push_back("--project-dir");
  args.push_back(dir_.string());
  return Run(args, registry);
}

}  // namespace sqlflow::cli::testing
