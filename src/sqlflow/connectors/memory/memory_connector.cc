#include "sqlflow/connectors/memory/memory_connector.h"

#include <utility>

#include <fmt/format.h>

#include "sqlflow/common/strings.h"
#include "sqlflow/connectors/memory/memory_internal.h"
#include "sqlflow/connectors/read_after.h"

namespace sqlflow {
namespace memory_internal {

std::string MissingTableMessage(const MemoryStore& store, const std::string& table) {
  const std::vector<std::string> names = store.TableNames();
  std::string hint;
  if (names.empty()) {
    hint = "the store is empty";
  } else if (std::string near = ClosestMatch(table, names); !near.empty()) {
    hint = fmt::format("did you mean '{}'?", near);
  } else {
    hint = fmt::format("tables: {}", Join(names, ", "));
  }
  return fmt::format("table '{}' not found in the memory store ({})", table, hint);
}

}  // namespace memory_internal

namespace {

using memory_internal::MissingTableMessage;

ParamSpec TableParam(bool required, std::string description) {
  ParamSpec p = StandardParam("table");
  p.required = required;
  p.description = std::move(description);
  return p;
}

class MemorySource final : public SourceConnector {
 public:
  MemorySource(const ConnectorSpec& spec, std::shared_ptr<Clock> clock,
               std::shared_ptr<MemoryStore> store)
      : SourceConnector(spec, std::move(clock)), store_(std::move(store)) {}

  std::vector<std::string> Discover() override { return store_->TableNames(); }

  Schema GetSchema(const std::string& object) override {
    return *Lookup(object, "get_schema")->schema;
  }

  std::unique_ptr<ChunkStream> Read(const ReadRequest& request) override {
    MemoryStore::Snapshot table = Lookup(request.object, "read");
    const std::string& object = request.object.empty() ? table_ : request.object;
    // ReadRequest's default size means "not asked for": the `batch_size` parameter decides
    // (the same rule as the file connectors).
    const int64_t batch_size =
        request.batch_size > 0 && request.batch_size != ReadRequest{}.batch_size
            ? request.batch_size
            : batch_size_;
    std::unique_ptr<ChunkStream> stream =
        FilterAndProject(MakeVectorStream(table->schema, table->chunks), name(),
                         fmt::format("table '{}'", object), request.columns, request.filters);
    stream = MakeRebatchStream(std::move(stream), batch_size);
    MarkReady();
    return std::make_unique<MeteredStream>(std::move(stream), clock(),
                                           [this](double ms, int64_t rows, int64_t bytes) {
                                             RecordQueryTime(ms);
                                             RecordTransfer(rows, bytes);
                                           });
  }

  ConnectionTestResult TestConnection() override {
    if (table_.empty()) return {false, "no table configured (set the 'table' parameter)", 0};
    if (MemoryStore::Snapshot table = store_->Get(table_)) {
      return {true, fmt::format("table '{}' exists ({} rows)", table_, table->num_rows()), 0};
    }
    return {false, MissingTableMessage(*store_, table_), 0};
  }

 protected:
  void DoConfigure(const ParameterSet& params) override {
    table_ = params.GetString("table");
    batch_size_ = params.GetInt("batch_size");
  }

 private:
  MemoryStore::Snapshot Lookup(const std::string& object, const char* operation) const {
    const std::string& table = object.empty() ? table_ : object;
    if (table.empty()) {
      throw ParameterError(name(), "table", "no table given",
                           "set the 'table' parameter or name the object to read");
    }
    MemoryStore::Snapshot snapshot = store_->Get(table);
    if (!snapshot) throw ConnectorError(name(), operation, MissingTableMessage(*store_, table));
    return snapshot;
  }

  std::shared_ptr<MemoryStore> store_;
  std::string table_;
  int64_t batch_size_ = 10000;
};

}  // namespace

const ConnectorSpec& MemorySourceSpec() {
  static const ConnectorSpec spec = [] {
    ConnectorSpec s;
    s.type = "MEMORY";
    s.description = "Read named in-process tables (for tests and embedding).";
    s.params = {TableParam(true, "Name of the table in the memory store."),
                StandardParam("batch_size"),
                SnapshotSyncModeParam(),
                StandardParam("cursor_field"),
                StandardParam("primary_key"),
                StandardParam("initial_value")};
    s.capabilities.incremental = true;
    s.capabilities.projection_pushdown = true;
    s.capabilities.filter_pushdown = true;  // in-process: filtering while reading is pushdown
    s.capabilities.discovery = true;
    return s;
  }();
  return spec;
}

const ConnectorSpec& MemoryDestinationSpec() {
  static const ConnectorSpec spec = [] {
    ConnectorSpec s;
    s.type = "MEMORY";
    s.description = "Write named in-process tables (for tests and embedding).";
    s.params = {TableParam(false, "Table to write when Write() names no object.")};
    s.capabilities.batch_reading = false;
    s.capabilities.upsert = true;
    s.capabilities.atomic_write = true;
    return s;
  }();
  return spec;
}

std::unique_ptr<SourceConnector> MakeMemorySource(const ConnectorSpec& spec,
                                                  std::shared_ptr<Clock> clock,
                                                  std::shared_ptr<MemoryStore> store) {
  if (!store) store = MemoryStore::Default();
  return std::make_unique<MemorySource>(spec, std::move(clock), std::move(store));
}

SourceRegistry::Factory MemorySourceFactory(std::shared_ptr<MemoryStore> store) {
  return [store = std::move(store)](const ConnectorSpec& spec, std::shared_ptr<Clock> clock) {
    return MakeMemorySource(spec, std::move(clock), store);
  };
}

DestinationRegistry::Factory MemoryDestinationFactory(std::shared_ptr<MemoryStore> store) {
  return [store = std::move(store)](const ConnectorSpec& spec, std::shared_ptr<Clock> clock) {
    return MakeMemoryDestination(spec, std::move(clock), store);
  };
}

}  // namespace sqlflow
