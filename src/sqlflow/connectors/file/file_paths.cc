#include "sqlflow/connectors/file/file_paths.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include <glob.h>
#include <unistd.h>

#include "sqlflow/common/error.h"
#include "sqlflow/common/log.h"
#include "sqlflow/common/strings.h"

namespace sqlflow::file {
namespace fs = std::filesystem;

std::vector<std::string> ResolvedFiles::paths() const {
  std::vector<std::string> out;
  out.reserve(files.size());
  for (const auto& f : files) out.push_back(f.path);
  return out;
}

bool HasGlobChars(const std::string& pattern) {
  return pattern.find_first_of("*?[") != std::string::npos;
}

std::string ParentDirectory(const std::string& path) {
  std::string parent = fs::path(path).parent_path().string();
  return parent.empty() ? "." : parent;
}

int64_t FileSize(const std::string& path) {
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  return ec ? -1 : static_cast<int64_t>(size);
}

namespace {

/// A location naming only the file.
DataLocation AtObject(const std::string& object) {
  DataLocation loc;
  loc.object = object;
  return loc;
}

/// Expand a glob with glob(3); results come back sorted.
std::vector<std::string> ExpandGlob(const std::string& pattern) {
  glob_t g{};
  std::vector<std::string> out;
  int rc = ::glob(pattern.c_str(), 0, nullptr, &g);
  if (rc == 0) {
    for (size_t i = 0; i < g.gl_pathc; ++i) out.emplace_back(g.gl_pathv[i]);
  }
  ::globfree(&g);
  return out;
}

std::string DirectoryHint(const std::string& dir, const std::string& extension) {
  std::string base = dir;
  if (!base.empty() && base.back() != '/') base += '/';
  return base + "*." + extension;
}

/// Whether an errno may go away on its own: an I/O error of a network file system, a stale
/// handle, a busy or interrupted call, too many open files. A missing file or a refused
/// permission does not.
bool IsTransientIoError(int err) {
  switch (err) {
    case EIO:
    case EAGAIN:
    case EINTR:
    case EBUSY:
    case ESTALE:
    case ETIMEDOUT:
    case EMFILE:
    case ENFILE:
      return true;
    default:
      return false;
  }
}

/// Check that an existing file can be read and return its size.
FileInfo CheckFile(const std::string& connector, const std::string& operation,
                   const std::string& path) {
  if (::access(path.c_str(), R_OK) != 0) {
    int err = errno;
    throw ConnectorError(
        connector, operation,
        "cannot read '" + path + "': " +
            (err == EACCES ? std::string("permission denied") : std::string(std::strerror(err))),
        IsTransientIoError(err) ? ErrorClass::kTransient : ErrorClass::kPermanent);
  }
  return FileInfo{path, FileSize(path)};
}

}  // namespace

ResolvedFiles ResolveFiles(const std::string& connector, const std::string& operation,
                           const std::string& pattern, const std::string& extension,
                           const std::vector<std::string>& glob_skip_suffixes) {
  ResolvedFiles out;
  std::error_code ec;
  if (!HasGlobChars(pattern)) {
    auto status = fs::status(pattern, ec);
    if (!fs::exists(status)) {
      throw ConnectorError(connector, operation, "file '" + pattern + "' does not exist");
    }
    if (fs::is_directory(status)) {
      throw ConnectorError(connector, operation,
                           "'" + pattern + "' is a directory: give a file or a glob such as '" +
                               DirectoryHint(pattern, extension) + "'");
    }
    FileInfo info = CheckFile(connector, operation, pattern);
    if (info.size == 0) {
      throw DataError(connector, operation, AtObject(pattern), "file is empty (0 bytes)");
    }
    out.total_bytes = info.size;
    out.files.push_back(std::move(info));
    return out;
  }
  for (const auto& path : ExpandGlob(pattern)) {
    if (fs::is_directory(path, ec)) continue;
    if (std::any_of(glob_skip_suffixes.begin(), glob_skip_suffixes.end(),
                    [&](const std::string& suffix) { return EndsWith(path, suffix); })) {
      continue;
    }
    FileInfo info = CheckFile(connector, operation, path);
    if (info.size == 0) {
      out.skipped_empty.push_back(path);
      continue;
    }
    out.total_bytes += info.size;
    out.files.push_back(std::move(info));
  }
  if (out.files.empty() && out.skipped_empty.empty()) {
    throw ConnectorError(connector, operation, "no file matches '" + pattern + "'");
  }
  if (out.files.empty()) {
    throw DataError(
        connector, operation, AtObject(pattern),
        "every file matching the glob is empty (0 bytes): " + Join(out.skipped_empty, ", "));
  }
  for (const auto& skipped : out.skipped_empty) {
    log::Warning("{} {}: skipped empty file '{}' (0 bytes) matched by '{}'", connector, operation,
                 skipped, pattern);
  }
  return out;
}

void CheckWritableTarget(const std::string& connector, const std::string& operation,
                         const std::string& target) {
  std::error_code ec;
  if (target.empty()) {
    throw ConnectorError(connector, operation, "no target path given");
  }
  if (fs::is_directory(target, ec)) {
    throw ConnectorError(connector, operation,
                         "'" + target + "' is a directory: give a file path to write");
  }
  std::string dir = ParentDirectory(target);
  if (!fs::exists(dir, ec)) {
    throw ConnectorError(
        connector, operation,
        "directory '" + dir + "' does not exist: create it before writing '" + target + "'");
  }
  if (!fs::is_directory(dir, ec)) {
    throw ConnectorError(connector, operation, "'" + dir + "' is not a directory");
  }
  if (::access(dir.c_str(), W_OK) != 0) {
    throw ConnectorError(connector, operation,
                         "cannot write in directory '" + dir + "': permission denied");
  }
}

}  // namespace sqlflow::file
