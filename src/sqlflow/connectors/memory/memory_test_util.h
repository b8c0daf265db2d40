#pragma once

// Helpers for the MEMORY connector's tests.

#include <memory>
#include <string>
#include <vector>

#include "sqlflow/common/error.h"
#include "sqlflow/connectors/memory/memory_store.h"
#include "sqlflow/data/chunk.h"
#include "sqlflow/data/data_test_util.h"
#include "sqlflow/data/stream.h"

namespace sqlflow::memory_test {

/// A chunk of `schema` holding `rows`.
inline DataChunk MakeChunk(const Schema& schema, const std::vector<std::vector<Value>>& rows) {
  ChunkBuilder builder(schema);
  for (const std::vector<Value>& row : rows) builder.AppendRow(row);
  return builder.Finish();
}

using testing_util::RowStrings;

/// The rows of table `name` of `store` (empty when the table does not exist).
inline std::vector<std::string> TableRows(const MemoryStore& store, const std::string& name) {
  MemoryStore::Snapshot table = store.Get(name);
  return table ? RowStrings(table->chunks) : std::vector<std::string>{};
}

/// A stream that hands out `chunks` (a vector stream) and then, if `fail` is set, throws
/// instead of ending.
class ScriptedStream final : public ChunkStream {
 public:
  ScriptedStream(Schema schema, std::vector<DataChunk> chunks, bool fail = false)
      : input_(
            MakeVectorStream(std::make_shared<const Schema>(std::move(schema)), std::move(chunks))),
        fail_(fail) {}

  const Schema& schema() const override { return input_->schema(); }
  std::optional<DataChunk> Next() override {
    std::optional<DataChunk> chunk = input_->Next();
    if (!chunk && fail_) {
      throw DataError("TEST", "read", DataLocation{"input.csv", 42, "", 0, ""},
                      "unterminated quote");
    }
    return chunk;
  }

 private:
  std::unique_ptr<ChunkStream> input_;
  bool fail_;
};

}  // namespace sqlflow::memory_test
