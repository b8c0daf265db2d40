#pragma once

// Shared by parser.cc and include_loader.cc; not part of the pipeline component's interface.

#include <memory>

#include "sqlflow/pipeline/ast.h"
#include "sqlflow/pipeline/diagnostics.h"

namespace sqlflow::pipeline {

/// Parse the statements of one file, adding every syntax error to `diagnostics` (INCLUDE
/// bodies are left empty).
Block ParseInto(const std::shared_ptr<const SourceFile>& file, DiagnosticList* diagnostics);

}  // namespace sqlflow::pipeline
