#pragma once

// Helpers shared by the pipeline tests.

#include <memory>
#include <string>
#include <utility>

#include "sqlflow/pipeline/diagnostics.h"

namespace sqlflow::pipeline::pipeline_testing {

/// A source file holding `text`, shown as `path`.
inline std::shared_ptr<const SourceFile> MakeFile(std::string text, std::string path = "p.sf") {
  return std::make_shared<const SourceFile>(SourceFile{std::move(path), std::move(text)});
}

/// "line:column+length" of a location.
inline std::string Where(const Location& location) {
  auto [line, column] = location.file->LineColumn(location.offset);
  return std::to_string(line) + ":" + std::to_string(column) + "+" +
         std::to_string(location.length);
}

}  // namespace sqlflow::pipeline::pipeline_testing
