#include "sqlflow/pipeline/ast.h"

#include <algorithm>

namespace sqlflow::pipeline {

std::pair<int, int> SourceFile::LineColumn(size_t offset) const {
  offset = std::min(offset, text.size());
  int line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {line, static_cast<int>(offset - line_start) + 1};
}

std::string SourceFile::LineText(size_t offset) const {
  offset = std::min(offset, text.size());
  // The line starts after the last newline before `offset`; a newline at `offset` ends it.
  size_t begin = offset == 0 ? std::string::npos : text.rfind('\n', offset - 1);
  begin = begin == std::string::npos ? 0 : begin + 1;
  size_t end = text.find('\n', begin);
  if (end == std::string::npos) end = text.size();
  // Files written on Windows end lines with "\r\n"; the '\r' is not part of the shown line.
  if (end > begin && text[end - 1] == '\r') --end;
  return text.substr(begin, end - begin);
}

}  // namespace sqlflow::pipeline
