#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sqlflow::cli {

/// Return the width of `text` on a terminal, counting one column per UTF-8 code point.
size_t DisplayWidth(std::string_view text);

/// Format rows as an aligned table: columns separated by two spaces, each line starting with
/// `indent` spaces and ending in '\n', no trailing spaces. The first row is usually the header.
std::string FormatTable(const std::vector<std::vector<std::string>>& rows, size_t indent = 2);

}  // namespace sqlflow::cli
