#pragma once

// Helpers for the tests of RecordsCollector (include from *_test.cc only).

#include <string>
#include <vector>

#include "sqlflow/connectors/rest/rest_records.h"
#include "sqlflow/data/chunk.h"
#include "sqlflow/data/stream.h"

namespace sqlflow::rest::testing {

/// The rows of every chunk of `stream`, each value as Value::ToString ("NULL" for null).
inline std::vector<std::vector<std::string>> Rows(ChunkStream& stream) {
  std::vector<std::vector<std::string>> rows;
  while (std::optional<DataChunk> chunk = stream.Next()) {
    for (int64_t r = 0; r < chunk->num_rows(); ++r) {
      std::vector<std::string> row;
      for (size_t c = 0; c < chunk->num_columns(); ++c) {
        row.push_back(chunk->column(c).GetValue(r).ToString());
      }
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

/// What a collector made of some pages: its schema as text and its rows.
struct Collected {
  std::string schema;
  std::vector<std::vector<std::string>> rows;
};

/// Add `bodies` as pages (from "https://api.test/items") and read everything back.
inline Collected Collect(const std::vector<std::string>& bodies, RecordsOptions options = {}) {
  RecordsCollector collector(std::move(options));
  for (const std::string& body : bodies) collector.AddPage(body, "https://api.test/items");
  Collected out;
  out.schema = collector.schema().ToString();
  std::unique_ptr<ChunkStream> stream = collector.Finish();
  out.rows = Rows(*stream);
  return out;
}

}  // namespace sqlflow::rest::testing
