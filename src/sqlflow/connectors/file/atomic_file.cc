#include "sqlflow/connectors/file/atomic_file.h"

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include "sqlflow/common/error.h"
#include "sqlflow/common/log.h"
#include "sqlflow/common/strings.h"
#include "sqlflow/connectors/file/file_paths.h"

namespace sqlflow::file {
namespace fs = std::filesystem;
namespace {

std::atomic<int64_t> g_temp_counter{0};

/// fsync a file or directory; returns errno or 0.
int SyncPath(const std::string& path, bool directory) {
  int fd = ::open(path.c_str(), directory ? (O_RDONLY | O_DIRECTORY) : O_RDONLY);
  if (fd < 0) return errno;
  int rc = ::fsync(fd) == 0 ? 0 : errno;
  ::close(fd);
  return rc;
}

bool ProcessIsAlive(pid_t pid) { return ::kill(pid, 0) == 0 || errno != ESRCH; }

}  // namespace

std::string TempPrefixFor(const std::string& target) {
  return "." + fs::path(target).filename().string() + ".sqlflow-tmp-";
}

int RemoveStaleTempFiles(const std::string& target) {
  std::error_code ec;
  const std::string prefix = TempPrefixFor(target);
  const std::string dir = ParentDirectory(target);
  int removed = 0;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (!StartsWith(name, prefix)) continue;
    // The rest reads "<pid>-<n>".
    std::string rest = name.substr(prefix.size());
    pid_t pid = static_cast<pid_t>(std::atoll(rest.c_str()));
    if (pid <= 0 || pid == ::getpid() || ProcessIsAlive(pid)) continue;
    if (fs::remove(entry.path(), ec)) {
      log::Info("removed '{}', left by an interrupted write of '{}'", entry.path().string(),
                target);
      ++removed;
    }
  }
  return removed;
}

AtomicFile::AtomicFile(std::string connector, std::string target)
    : connector_(std::move(connector)), target_(std::move(target)) {
  RemoveStaleTempFiles(target_);
  fs::path dir = fs::path(target_).parent_path();
  std::string name = TempPrefixFor(target_) + std::to_string(::getpid()) + "-" +
                     std::to_string(g_temp_counter.fetch_add(1));
  temp_path_ = (dir / name).string();
}

AtomicFile::~AtomicFile() {
  if (committed_) return;
  std::error_code ec;
  fs::remove(temp_path_, ec);
}

int64_t AtomicFile::Commit() {
  if (int err = SyncPath(temp_path_, false); err != 0) {
    throw ConnectorError(connector_, "write",
                         "cannot flush '" + temp_path_ + "' to disk: " + std::strerror(err));
  }
  if (::rename(temp_path_.c_str(), target_.c_str()) != 0) {
    int err = errno;
    throw ConnectorError(
        connector_, "write",
        "cannot rename '" + temp_path_ + "' to '" + target_ + "': " + std::strerror(err));
  }
  committed_ = true;
  // The rename is durable once the directory entry is: best effort (some file systems refuse
  // to fsync a directory, and the data itself is already safe).
  SyncPath(ParentDirectory(target_), true);
  return FileSize(target_);
}

}  // namespace sqlflow::file
