#pragma once

// The page spool of the REST records collector (rest_records.cc); never included from another
// component.

#include <cstdint>
#include <deque>
#include <string>

namespace sqlflow::rest::internal {

/// Keeps response bodies in order: in memory up to a byte limit, then appended to a temporary
/// file as length-prefixed records. The file is unlinked as soon as it is created, so it goes
/// when the spool (its descriptor) goes, even after a crash.
class PageSpool {
 public:
  /// `memory_limit`: bytes of bodies kept in memory before spilling (0: spill every page).
  /// `dir`: folder of the spill file ("" = $TMPDIR or /tmp). `connector` names errors.
  PageSpool(std::string connector, int64_t memory_limit, std::string dir);
  ~PageSpool();
  PageSpool(const PageSpool&) = delete;
  PageSpool& operator=(const PageSpool&) = delete;

  /// Keep `body` after the pages kept so far. Throws ConnectorError when the spill file
  /// cannot be created or written.
  void Add(std::string body);
  /// Move the next page, in the order added, into `*body` (its capacity leaves simdjson's
  /// padding); false after the last. Pages are released as they are read. Call only after
  /// the last Add. Throws ConnectorError when the spill file cannot be read.
  bool Next(std::string* body);

  /// Whether some pages went to the spill file (tests).
  bool spilled() const { return fd_ >= 0; }

 private:
  void OpenFile();
  void WriteAll(const char* data, size_t size);
  bool ReadAll(char* data, size_t size);

  std::string connector_;
  int64_t memory_limit_;
  std::string dir_;
  std::deque<std::string> memory_;
  int64_t memory_bytes_ = 0;
  int fd_ = -1;
  bool reading_ = false;
};

}  // namespace sqlflow::rest::internal
