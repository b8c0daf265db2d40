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
#include "sqlflow/data/data_test_util.h"
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

// Rows as strings and scripted input streams are shared with the other connectors' tests.
using testing_util::AppendRowStrings;
using testing_util::DrainRows;
using testing_util::ScriptedStream;

}  // namespace sqlflow::file::testing
