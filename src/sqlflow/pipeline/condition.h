#pragma once

#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "sqlflow/pipeline/ast.h"
#include "sqlflow/pipeline/diagnostics.h"

namespace sqlflow::pipeline {

/// Evaluate an IF condition after variable substitution (PIPELINE_LANGUAGE.md):
/// `==` (also `=`), `!=` (also `<>`), `<`, `<=`, `>`, `>=`, AND, OR, NOT in any case,
/// parentheses, quoted strings, numbers, true/false, and unquoted words (strings: what
/// `${env}` becomes). Comparison: numerically when both sides are numbers, else as strings
/// (booleans compare as "true"/"false", case-insensitive). A bare operand is true when it is
/// true/non-zero number/non-empty string other than "false" and "0".
///
/// `substituted` is the condition text after substitution; `original` is the condition as
/// written (for error locations: positions map 1:1 while no substitution happened before the
/// error, else errors point at the start of the condition). Throws PipelineDiagnostics for a
/// malformed condition ("expected a value after '=='", "unbalanced parenthesis").
bool EvaluateCondition(const std::string& substituted, const Text& original);

}  // namespace sqlflow::pipeline
