#pragma once

#include <cstdint>
#include <string>

namespace sqlflow::file {

/// A temporary file beside a target, renamed over the target by Commit(). Until then the
/// target is untouched; destroying an uncommitted AtomicFile removes the temporary file, so
/// a failed or interrupted write leaves the previous file intact and nothing behind.
///
/// The temporary name is ".<name>.sqlflow-tmp-<pid>-<n>" in the target's directory (the same
/// file system, so rename() is atomic). Temporary files left by processes that no longer run
/// (killed mid-write) are removed when the next AtomicFile for the same target is created.
class AtomicFile {
 public:
  /// Prepare a temporary path for `target`; does not create the file.
  AtomicFile(std::string connector, std::string target);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  const std::string& temp_path() const { return temp_path_; }

  /// Flush the temporary file to disk (fsync), rename it over the target and sync the
  /// directory. Returns the size of the target in bytes. Throws ConnectorError on failure
  /// (the temporary file is then removed and the target left as it was).
  int64_t Commit();

 private:
  std::string connector_;
  std::string target_;
  std::string temp_path_;
  bool committed_ = false;
};

/// The prefix of temporary files for `target` (".<name>.sqlflow-tmp-").
std::string TempPrefixFor(const std::string& target);

/// Remove temporary files of `target` whose writing process no longer runs. Returns how many.
int RemoveStaleTempFiles(const std::string& target);

}  // namespace sqlflow::file
