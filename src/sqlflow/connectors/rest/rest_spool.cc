// The page spool of the REST records collector: memory first, then an unlinked temp file.

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>
#include <simdjson.h>
#include <unistd.h>

#include "sqlflow/common/error.h"
#include "sqlflow/connectors/rest/rest_spool_internal.h"

namespace sqlflow::rest::internal {

PageSpool::PageSpool(std::string connector, int64_t memory_limit, std::string dir)
    : connector_(std::move(connector)), memory_limit_(memory_limit), dir_(std::move(dir)) {
  if (dir_.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    dir_ = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
  }
}

PageSpool::~PageSpool() {
  if (fd_ >= 0) ::close(fd_);
}

void PageSpool::Add(std::string body) {
  auto size = static_cast<int64_t>(body.size());
  if (fd_ < 0 && memory_bytes_ + size <= memory_limit_) {
    memory_bytes_ += size;
    memory_.push_back(std::move(body));
    return;
  }
  if (fd_ < 0) OpenFile();
  uint64_t length = body.size();
  char header[sizeof(length)];
  std::memcpy(header, &length, sizeof(length));
  WriteAll(header, sizeof(header));
  WriteAll(body.data(), body.size());
}

void PageSpool::OpenFile() {
  std::string path = dir_ + "/sqlflow-rest-XXXXXX";
  int fd = ::mkstemp(path.data());
  if (fd < 0) {
    throw ConnectorError(
        connector_, "read",
        fmt::format("cannot create a spool file in '{}': {}", dir_, std::strerror(errno)));
  }
  ::unlink(path.c_str());  // Gone with the descriptor, whatever happens.
  fd_ = fd;
}

void PageSpool::WriteAll(const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd_, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      throw ConnectorError(
          connector_, "read",
          fmt::format("cannot write the spool file in '{}': {}", dir_, std::strerror(errno)));
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
}

bool PageSpool::ReadAll(char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::read(fd_, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) return false;
    if (n < 0) {
      throw ConnectorError(
          connector_, "read",
          fmt::format("cannot read the spool file in '{}': {}", dir_, std::strerror(errno)));
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

bool PageSpool::Next(std::string* body) {
  if (!reading_) {
    reading_ = true;
    if (fd_ >= 0 && ::lseek(fd_, 0, SEEK_SET) < 0) {
      throw ConnectorError(
          connector_, "read",
          fmt::format("cannot read the spool file in '{}': {}", dir_, std::strerror(errno)));
    }
  }
  if (!memory_.empty()) {
    *body = std::move(memory_.front());
    memory_.pop_front();
    return true;
  }
  if (fd_ < 0) return false;
  uint64_t length = 0;
  char header[sizeof(length)];
  if (!ReadAll(header, sizeof(header))) return false;
  std::memcpy(&length, header, sizeof(length));
  body->clear();
  body->reserve(length + simdjson::SIMDJSON_PADDING);
  body->resize(length);
  if (!ReadAll(body->data(), length)) {
    throw ConnectorError(connector_, "read",
                         fmt::format("the spool file in '{}' ends inside a page", dir_));
  }
  return true;
}

}  // namespace sqlflow::rest::internal
