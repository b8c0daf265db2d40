#pragma once

// Test helpers of engine/ tests only.

#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "sqlflow/data/data_test_util.h"
#include "sqlflow/data/stream.h"
#include "sqlflow/duck/duck.h"
#include "sqlflow/duck/duck_testing.h"
#include "sqlflow/engine/engine.h"

namespace sqlflow::engine::testing {

using testing_util::Row;

using duck::testing::TempDir;

/// A fixture with an in-memory DuckDB engine and one session on it.
class SessionTest : public ::testing::Test {
 protected:
  SessionTest() : engine_(OpenDuckDbEngine({})), session_(engine_->Connect()) {}

  /// The rows of `table`, sorted, as Dump shows them.
  std::string Rows(const std::string& table);

  std::unique_ptr<Engine> engine_;
  std::unique_ptr<Session> session_;
};

/// A stream of prepared chunks that may call `before_chunk(i)` before handing out chunk i
/// (and before the end, with i = the number of chunks): tests throw or interrupt from there.
class ScriptedStream : public ChunkStream {
 public:
  ScriptedStream(std::shared_ptr<const Schema> schema, std::vector<DataChunk> chunks,
                 std::function<void(size_t)> before_chunk = nullptr)
      : schema_(std::move(schema)),
        chunks_(std::move(chunks)),
        before_chunk_(std::move(before_chunk)) {}

  const Schema& schema() const override { return *schema_; }
  std::optional<DataChunk> Next() override {
    if (before_chunk_) before_chunk_(next_);
    if (next_ < chunks_.size()) return chunks_[next_++];
    return std::nullopt;
  }

 private:
  std::shared_ptr<const Schema> schema_;
  std::vector<DataChunk> chunks_;
  size_t next_ = 0;
  std::function<void(size_t)> before_chunk_;
};

/// The error a stream throws in the rollback tests (not a sqlflow::Error: it must come back
/// unchanged, whatever its type).
struct SourceFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

inline std::shared_ptr<const Schema> MakeSchema(std::vector<Field> fields) {
  return std::make_shared<Schema>(std::move(fields));
}

/// One chunk of `schema` with `rows`.
inline DataChunk Chunk(const std::shared_ptr<const Schema>& schema, const std::vector<Row>& rows) {
  return testing_util::BuildChunk(schema, rows);
}

/// A stream of the given chunks.
inline std::unique_ptr<ChunkStream> Stream(const std::shared_ptr<const Schema>& schema,
                                           std::vector<DataChunk> chunks) {
  return std::make_unique<ScriptedStream>(schema, std::move(chunks));
}

/// A query's rows as text, one line per row with "|" between values and NULL for nulls.
inline std::string Dump(Session& session, const std::string& sql) {
  duck::TextResult result = session.duck_connection()->QueryText(sql);
  std::string out;
  for (const auto& row : result.rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      if (i > 0) out += "|";
      out += row[i].value_or("NULL");
    }
    out += "\n";
  }
  return out;
}

inline std::string SessionTest::Rows(const std::string& table) {
  return Dump(*session_, "SELECT * FROM " + table + " ORDER BY ALL");
}

/// Run `fn` and return the what() of the exception of type E it throws ("" if none).
template <typename E>
std::string ErrorOf(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const E& e) {
    return e.what();
  }
  return "";
}

}  // namespace sqlflow::engine::testing
