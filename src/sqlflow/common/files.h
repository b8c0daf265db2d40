#pragma once

#include <filesystem>
#include <string>

namespace sqlflow {

/// Write `text` to a temporary file beside `path` (named after the process id), then rename
/// it over `path`: a reader sees the old file or the new one, never half of one. The
/// directory of `path` must exist. Throws Error (kPermanent) when the write or the rename
/// fails; the temporary file is removed then.
void WriteFileAtomically(const std::filesystem::path& path, const std::string& text);

}  // namespace sqlflow
