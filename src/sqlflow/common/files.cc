#include "sqlflow/common/files.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

#include <fmt/format.h>
#include <unistd.h>

#include "sqlflow/common/error.h"

namespace sqlflow {

namespace fs = std::filesystem;

void WriteFileAtomically(const fs::path& path, const std::string& text) {
  fs::path temp = path;
  temp += fmt::format(".tmp-{}", getpid());
  std::ofstream out(temp, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  std::error_code ec;
  if (!out) {
    std::string reason = std::strerror(errno);
    fs::remove(temp, ec);
    throw Error(fmt::format("cannot write '{}': {}", temp.string(), reason),
                ErrorClass::kPermanent);
  }
  fs::rename(temp, path, ec);
  if (ec) {
    std::string reason = ec.message();
    fs::remove(temp, ec);
    throw Error(fmt::format("cannot rename '{}' to '{}': {}", temp.string(), path.string(), reason),
                ErrorClass::kPermanent);
  }
}

}  // namespace sqlflow
