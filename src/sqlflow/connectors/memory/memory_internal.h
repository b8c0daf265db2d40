#pragma once

// Private to connectors/memory/.

#include <string>

#include "sqlflow/connectors/memory/memory_store.h"
#include "sqlflow/data/types.h"

namespace sqlflow::memory_internal {

/// "table 'ordres' not found in the memory store (did you mean 'orders'?)", or listing the
/// tables, or saying the store is empty.
std::string MissingTableMessage(const MemoryStore& store, const std::string& table);

}  // namespace sqlflow::memory_internal
