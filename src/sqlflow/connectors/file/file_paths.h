#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sqlflow::file {

/// One file a path or glob resolved to.
struct FileInfo {
  std::string path;  ///< As matched (relative paths stay relative to the working directory).
  int64_t size = 0;  ///< Bytes.
};

/// The files a `path` parameter stands for.
struct ResolvedFiles {
  std::vector<FileInfo> files;             ///< Non-empty, readable files, sorted by path.
  std::vector<std::string> skipped_empty;  ///< Empty (0-byte) files a glob matched and skipped.
  int64_t total_bytes = 0;                 ///< Sum of files[i].size.

  std::vector<std::string> paths() const;
};

/// Whether `pattern` contains glob(3) wildcards (`*`, `?`, `[`).
bool HasGlobChars(const std::string& pattern);

/// Resolve a file path or glob to the files to read, checking each one. Throws, naming the
/// path to fix:
///  - ConnectorError "file 'x.csv' does not exist";
///  - ConnectorError "'data/' is a directory: give a file or a glob such as 'data/*.csv'"
///    (`extension` is the format's usual file extension, "csv");
///  - ConnectorError "no file matches 'data/*.csv'";
///  - ConnectorError "cannot read 'x.csv': permission denied";
///  - DataError "file is empty (0 bytes)" for a single empty file; a glob skips empty files
///    with a warning naming them, and fails only when every match is empty.
/// Directories matched by a glob are ignored, and so are files whose name ends with one of
/// `glob_skip_suffixes` (CSV's quarantine files, ".rejected.csv").
ResolvedFiles ResolveFiles(const std::string& connector, const std::string& operation,
                           const std::string& pattern, const std::string& extension,
                           const std::vector<std::string>& glob_skip_suffixes = {});

/// Check that `target` can be written: its directory exists and is writable, and the target
/// itself is not a directory. Throws ConnectorError naming the missing directory or the target.
void CheckWritableTarget(const std::string& connector, const std::string& operation,
                         const std::string& target);

/// The directory holding `path` ("." for a bare file name).
std::string ParentDirectory(const std::string& path);

/// Size of `path` in bytes, or -1 when it does not exist.
int64_t FileSize(const std::string& path);

}  // namespace sqlflow::file
