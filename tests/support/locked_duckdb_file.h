#pragma once

// Header-only (it needs DuckDB's C API, which sqlflow_test_support does not link): include it
// from tests that link DuckDB.

#include <string>

#include <sys/wait.h>
#include <unistd.h>

#include <duckdb.h>

namespace sqlflow::testing {

/// Hold DuckDB's lock on the database file `path` from a child process until destroyed: the
/// way to test "locked by another process" (DuckDB's lock is per process, so a second open in
/// the same process would succeed). Construct it before this process opens any DuckDB or
/// starts threads: the child of fork() must be single-threaded.
class LockedDuckDbFile {
 public:
  explicit LockedDuckDbFile(const std::string& path) {
    if (pipe(ready_) != 0 || pipe(release_) != 0) return;
    pid_ = fork();
    if (pid_ == 0) HoldInChild(path);
    close(ready_[1]);
    close(release_[0]);
    char status = 0;
    locked_ = pid_ > 0 && read(ready_[0], &status, 1) == 1 && status == 'y';
  }
  ~LockedDuckDbFile() {
    close(release_[1]);  // The child reads EOF, closes the database and exits.
    close(ready_[0]);
    if (pid_ > 0) waitpid(pid_, nullptr, 0);
  }
  LockedDuckDbFile(const LockedDuckDbFile&) = delete;
  LockedDuckDbFile& operator=(const LockedDuckDbFile&) = delete;

  /// Whether the child opened the file (and so holds its lock).
  bool locked() const { return locked_; }

 private:
  [[noreturn]] void HoldInChild(const std::string& path) {
    close(ready_[0]);
    close(release_[1]);
    duckdb_database db = nullptr;
    char status = duckdb_open(path.c_str(), &db) == DuckDBSuccess ? 'y' : 'n';
    if (write(ready_[1], &status, 1) != 1) _exit(1);
    while (read(release_[0], &status, 1) > 0) {
    }
    _exit(0);
  }

  int ready_[2] = {-1, -1};
  int release_[2] = {-1, -1};
  pid_t pid_ = -1;
  bool locked_ = false;
};

}  // namespace sqlflow::testing
