#pragma once

// Test helpers of engine/ tests only.

#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <stdlib.h>

#include "sqlflow/data/data_test_util.h"
#include "sqlflow/data/stream.h"
#include "sqlflow/duck/duck.h"
#include "sqlflow/engine/engine.h"

namespace sqlflow::engine::testing {

using testing_util::Row;

/// A temporary directory removed with everything in it at scope exit.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "sqlflow-engine-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  /// Return the path of `name` inside the directory.
  std::string File(const std::string& name) const { return (path_ / name).string(); }
  /// Write `content` to `name` and return its path.
  std::string Write(const std::string& name, const std::string& content) const {
    std::string file = File(name);
    std::ofstream(file, std::ios::binary) << content;
    return file;
  }

 private:
  std::filesystem::path path_;
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
