#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "sqlflow/data/chunk.h"

namespace sqlflow {

/// A named in-memory table: a schema and its rows in chunks. Immutable once in a store, so
/// readers share it without locks and a write swaps in a whole new table.
struct MemoryTable {
  std::shared_ptr<const Schema> schema = std::make_shared<Schema>();
  std::vector<DataChunk> chunks;  ///< Every chunk has `schema`; none is empty.

  int64_t num_rows() const;
  /// Bytes held by the chunks' buffers.
  int64_t ByteSize() const;
};

/// Named in-process tables shared by MEMORY sources and destinations (tests, embedding).
/// Thread-safe. Table names are case-sensitive.
class MemoryStore {
 public:
  using Snapshot = std::shared_ptr<const MemoryTable>;

  /// Create or replace table `name`. Empty chunks are dropped; every chunk must have the
  /// table's schema (std::invalid_argument otherwise).
  void Put(const std::string& name, MemoryTable table);
  /// The current version of table `name`, or nullptr when there is none.
  Snapshot Get(const std::string& name) const;
  bool Contains(const std::string& name) const;
  /// Remove table `name`; false when there was none.
  bool Drop(const std::string& name);
  /// Table names in alphabetical order.
  std::vector<std::string> TableNames() const;
  /// Remove every table.
  void Clear();

  /// Replace table `name` atomically with `build(current)` (current is nullptr when the table
  /// does not exist). `build` runs without the lock held and may run again if another writer
  /// changed the table meanwhile; if it throws, the table is left unchanged.
  void Update(const std::string& name, const std::function<MemoryTable(const MemoryTable*)>& build);

  /// The process-wide store used when no store is given (BuiltinOptions).
  static const std::shared_ptr<MemoryStore>& Default();

 private:
  static Snapshot Freeze(MemoryTable table);

  mutable std::mutex mu_;
  std::map<std::string, Snapshot> tables_;
};

}  // namespace sqlflow
