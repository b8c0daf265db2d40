#pragma once

#include <memory>

#include "sqlflow/connectors/memory/memory_store.h"
#include "sqlflow/connectors/registry.h"

namespace sqlflow {

/// What the built-in connectors share with their embedder.
struct BuiltinOptions {
  /// The tables MEMORY sources and destinations read and write; nullptr → the process-wide
  /// MemoryStore::Default().
  std::shared_ptr<MemoryStore> memory_store;
};

/// Register every built-in connector type in `registry` (sources and destinations). Call it
/// once per registry; registering a type twice throws std::invalid_argument.
void RegisterBuiltinConnectors(ConnectorRegistry& registry, const BuiltinOptions& options = {});

}  // namespace sqlflow
