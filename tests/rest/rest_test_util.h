// Shared by the REST integration tests: a configured REST source over the local test server,
// and reading its records.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sqlflow/common/clock.h"
#include "sqlflow/connectors/rest/rest_connector.h"
#include "sqlflow/data/stream.h"

#include "tests/support/http_test_server.h"
#include <nlohmann/json.hpp>

namespace sqlflow::testing {

/// A REST source over `server` + `path` with `params` merged in, on `clock`.
inline std::unique_ptr<SourceConnector> MakeRestSourceFor(
    const HttpTestServer& server, const std::string& path, nlohmann::json params,
    std::shared_ptr<Clock> clock,
    std::shared_ptr<resilience::ResilienceMetrics> metrics = nullptr) {
  params["url"] = server.base_url() + path;
  std::unique_ptr<SourceConnector> source = MakeRestSource(RestSourceSpec(), std::move(clock));
  source->set_name("api");
  source->set_resilience_metrics(std::move(metrics));
  source->Configure(params);
  return source;
}

/// Every chunk of a read.
inline std::vector<DataChunk> ReadChunks(SourceConnector& source, const ReadRequest& request = {}) {
  std::unique_ptr<ChunkStream> stream = source.Read(request);
  return DrainStream(*stream);
}

/// The values of column `name` over `chunks`, as text ("NULL" for null).
inline std::vector<std::string> ColumnText(const std::vector<DataChunk>& chunks,
                                           const std::string& name) {
  std::vector<std::string> out;
  for (const DataChunk& chunk : chunks) {
    const int index = chunk.schema().FieldIndex(name);
    EXPECT_GE(index, 0) << "no column " << name;
    if (index < 0) return out;
    for (int64_t row = 0; row < chunk.num_rows(); ++row) {
      out.push_back(chunk.column(static_cast<size_t>(index)).GetValue(row).ToString());
    }
  }
  return out;
}

/// "1", "2", ... "n".
inline std::vector<std::string> Ids(int from, int to) {
  std::vector<std::string> out;
  for (int i = from; i <= to; ++i) out.push_back(std::to_string(i));
  return out;
}

}  // namespace sqlflow::testing
