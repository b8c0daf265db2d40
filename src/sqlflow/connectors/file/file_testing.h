#pragma once

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "sqlflow/common/error.h"
#include "sqlflow/data/chunk.h"
#include "sqlflow/data/stream.h"

/// Helpers for tests of the file connectors: a temporary directory, whole-file reads and
/// writes, rows as strings and scripted input streams. Header-only, for test binaries.
namespace sqlflow::file::testing {

/// A fresh directory under the system temp directory, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    dir_ = std::filesystem::temp_directory_path() /
           ("sqlflow-file-test-" + std::to_string(::getpid()) + "-" +
            std::to_string(counter.fetch_add(1)));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  /// The directory itself.
  std::string path() const { return dir_.string(); }
  /// The path of `name` inside the directory.
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  /// Write `contents` (bytes) to `name` and return its path.
  std::string Write(const std::string& name, const std::string& contents) const {
    std::string p = Path(name);
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << contents;
    return p;
  }
  /// The names of the entries of the directory, sorted (hidden files included).
  std::vector<std::string> List() const {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(dir_)) {
      names.push_back(e.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

 private:
  std::filesystem::path dir_;
};

/// The bytes of a file ("" when it cannot be read).
inline std::string ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

/// A chunk of `schema` holding `rows`.
inline DataChunk MakeChunk(const Schema& schema, const std::vector<std::vector<Value>>& rows) {
  ChunkBuilder builder(schema);
  for (const auto& row : rows) builder.AppendRow(row);
  return builder.Finish();
}

/// Each row of `chunk` as "v1|v2|..." (Value::ToString; NULL for nulls).
inline void AppendRowStrings(const DataChunk& chunk, std::vector<std::string>* out) {
  for (int64_t r = 0; r < chunk.num_rows(); ++r) {
    std::string row;
    for (size_t c = 0; c < chunk.num_columns(); ++c) {
      if (c > 0) row += "|";
      row += chunk.column(c).GetValue(r).ToString();
    }
    out->push_back(std::move(row));
  }
}

/// Read `stream` to the end: its rows as strings; the chunk sizes in `*sizes` when given.
inline std::vector<std::string> DrainRows(ChunkStream& stream,
                                          std::vector<int64_t>* sizes = nullptr) {
  std::vector<std::string> rows;
  while (auto chunk = stream.Next()) {
    if (sizes) sizes->push_back(chunk->num_rows());
    AppendRowStrings(*chunk, &rows);
  }
  return rows;
}

/// A stream handing out `chunks`, then (when `fail_after` ≥ 0 chunks were handed out)
/// throwing a DataError instead of handing out more.
class ScriptedStream final : public ChunkStream {
 public:
  ScriptedStream(Schema schema, std::vector<DataChunk> chunks, int fail_after = -1)
      : schema_(std::move(schema)), chunks_(std::move(chunks)), fail_after_(fail_after) {}

  const Schema& schema() const override { return schema_; }
  std::optional<DataChunk> Next() override {
    if (fail_after_ >= 0 && static_cast<int>(next_) == fail_after_) {
      DataLocation loc;
      loc.object = "input.csv";
      loc.line = 42;
      throw DataError("TEST", "read", loc, "the input broke");
    }
    if (next_ < chunks_.size()) return chunks_[next_++];
    return std::nullopt;
  }

 private:
  Schema schema_;
  std::vector<DataChunk> chunks_;
  int fail_after_;
  size_t next_ = 0;
};

}  // namespace sqlflow::file::testing
