#pragma once

// Test helpers for duck/ tests (engine/ tests use TempDir too).

#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <stdlib.h>

#include "sqlflow/data/chunk.h"
#include "sqlflow/data/stream.h"

namespace sqlflow::duck::testing {

/// Name the cases of a test parameterised on "use a database file" (false: in memory).
inline std::string StorageName(const ::testing::TestParamInfo<bool>& param) {
  return param.param ? "File" : "InMemory";
}

/// A temporary directory removed with everything in it at scope exit.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "sqlflow-duck-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  /// Return the path of `name` inside the directory.
  std::string File(const std::string& name) const { return (path_ / name).string(); }
  /// Write `content` to `name` and return its path.
  std::string Write(const std::string& name, const std::string& content) const {
    std::string file = File(name);
    std::ofstream out(file, std::ios::binary);
    out << content;
    return file;
  }

 private:
  std::filesystem::path path_;
};

/// A stream that yields prepared chunks, then (optionally) throws, and reports its destruction.
class ScriptedStream : public ChunkStream {
 public:
  ScriptedStream(std::shared_ptr<const Schema> schema, std::vector<DataChunk> chunks)
      : schema_(std::move(schema)), chunks_(std::move(chunks)) {}
  ~ScriptedStream() override {
    if (on_destroy_) on_destroy_();
  }

  /// Throw `fail` (once the chunks are exhausted) instead of ending.
  ScriptedStream& ThrowAtEnd(std::function<void()> fail) {
    fail_ = std::move(fail);
    return *this;
  }
  ScriptedStream& OnDestroy(std::function<void()> on_destroy) {
    on_destroy_ = std::move(on_destroy);
    return *this;
  }

  const Schema& schema() const override { return *schema_; }
  std::optional<DataChunk> Next() override {
    if (next_ < chunks_.size()) return chunks_[next_++];
    if (fail_) fail_();
    return std::nullopt;
  }

 private:
  std::shared_ptr<const Schema> schema_;
  std::vector<DataChunk> chunks_;
  size_t next_ = 0;
  std::function<void()> fail_;
  std::function<void()> on_destroy_;
};

}  // namespace sqlflow::duck::testing
