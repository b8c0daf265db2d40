#include "sqlflow/connectors/memory/memory_store.h"

#include <stdexcept>
#include <utility>

#include <fmt/format.h>

namespace sqlflow {

int64_t MemoryTable::num_rows() const {
  int64_t rows = 0;
  for (const DataChunk& chunk : chunks) rows += chunk.num_rows();
  return rows;
}

int64_t MemoryTable::ByteSize() const {
  int64_t bytes = 0;
  for (const DataChunk& chunk : chunks) bytes += chunk.ByteSize();
  return bytes;
}

MemoryStore::Snapshot MemoryStore::Freeze(MemoryTable table) {
  if (!table.schema) throw std::invalid_argument("a memory table needs a schema");
  std::vector<DataChunk> chunks;
  chunks.reserve(table.chunks.size());
  for (DataChunk& chunk : table.chunks) {
    if (chunk.num_rows() == 0) continue;
    if (chunk.schema() != *table.schema) {
      throw std::invalid_argument(fmt::format("a chunk has schema ({}), the table ({})",
                                              chunk.schema().ToString(), table.schema->ToString()));
    }
    chunks.push_back(std::move(chunk));
  }
  table.chunks = std::move(chunks);
  return std::make_shared<const MemoryTable>(std::move(table));
}

void MemoryStore::Put(const std::string& name, MemoryTable table) {
  Snapshot snapshot = Freeze(std::move(table));
  std::lock_guard lock(mu_);
  tables_[name] = std::move(snapshot);
}

MemoryStore::Snapshot MemoryStore::Get(const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = tables_.find(name);
  return it == tables_.end() ? nullptr : it->second;
}

bool MemoryStore::Contains(const std::string& name) const {
  std::lock_guard lock(mu_);
  return tables_.count(name) > 0;
}

bool MemoryStore::Drop(const std::string& name) {
  std::lock_guard lock(mu_);
  return tables_.erase(name) > 0;
}

std::vector<std::string> MemoryStore::TableNames() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> names;
  names.reserve(tables_.size());
  for (const auto& [name, table] : tables_) names.push_back(name);
  return names;
}

void MemoryStore::Clear() {
  std::lock_guard lock(mu_);
  tables_.clear();
}

void MemoryStore::Update(const std::string& name,
                         const std::function<MemoryTable(const MemoryTable*)>& build) {
  // Optimistic: build outside the lock (upserts are O(rows)), swap only if nobody else
  // swapped meanwhile, else rebuild on the newer version. Readers are never blocked long.
  while (true) {
    Snapshot current = Get(name);
    Snapshot next = Freeze(build(current.get()));
    std::lock_guard lock(mu_);
    auto it = tables_.find(name);
    const Snapshot now = it == tables_.end() ? nullptr : it->second;
    if (now == current) {
      tables_[name] = std::move(next);
      return;
    }
  }
}

const std::shared_ptr<MemoryStore>& MemoryStore::Default() {
  static const std::shared_ptr<MemoryStore> store = std::make_shared<MemoryStore>();
  return store;
}

}  // namespace sqlflow
