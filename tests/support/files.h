// Temporary directories and whole-file reads and writes for the integration tests.
#pragma once

#include <filesystem>
#include <string>

namespace sqlflow::testing {

/// A fresh directory "<system temp>/<prefix>-XXXXXX", removed with everything in it when the
/// object is destroyed.
class TempDir {
 public:
  /// Create the directory; throws std::runtime_error when it cannot.
  explicit TempDir(const std::string& prefix = "sqlflow-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  /// The directory.
  const std::filesystem::path& path() const { return path_; }
  /// Return the path of `relative` inside the directory.
  std::filesystem::path operator/(const std::filesystem::path& relative) const {
    return path_ / relative;
  }

 private:
  std::filesystem::path path_;
};

/// Return the bytes of the file at `path` ("" when it cannot be read).
std::string ReadFile(const std::filesystem::path& path);

/// Write `text` to the file at `path`, replacing it; the missing parent directories are created.
void WriteFile(const std::filesystem::path& path, const std::string& text);

}  // namespace sqlflow::testing
