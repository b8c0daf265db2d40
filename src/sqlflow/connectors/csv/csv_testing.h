#pragma once

// Helpers for the CSV connector's tests.

#include <memory>
#include <string>
#include <vector>

#include "sqlflow/connectors/csv/csv_connector.h"
#include "sqlflow/connectors/file/file_testing.h"

#include <nlohmann/json.hpp>

namespace sqlflow::csv::testing {

using file::testing::DrainRows;
using file::testing::ReadFileBytes;
using file::testing::TempDir;

/// A CSV source configured with `params`.
inline std::unique_ptr<SourceConnector> Source(const nlohmann::json& params) {
  auto source = MakeCsvSource();
  source->Configure(params);
  return source;
}

/// A CSV destination configured with `params`.
inline std::unique_ptr<DestinationConnector> Destination(const nlohmann::json& params) {
  auto destination = MakeCsvDestination();
  destination->Configure(params);
  return destination;
}

/// All rows `source` reads for `request`, as "v1|v2|..." strings.
inline std::vector<std::string> ReadRows(SourceConnector& source, const ReadRequest& request = {},
                                         std::vector<int64_t>* sizes = nullptr) {
  auto stream = source.Read(request);
  return DrainRows(*stream, sizes);
}

/// The error E thrown while reading everything from `source` (Read() or Next()).
template <typename E>
E ReadError(SourceConnector& source, const ReadRequest& request = {}) {
  try {
    ReadRows(source, request);
  } catch (const E& e) {
    return e;
  }
  throw std::runtime_error("the read did not fail with the expected error type");
}

}  // namespace sqlflow::csv::testing
