#pragma once

#include <string>
#include <vector>

#include "sqlflow/common/error.h"
#include "sqlflow/pipeline/ast.h"

namespace sqlflow::pipeline {

/// One problem found in a pipeline or profile, at a place in a file.
struct Diagnostic {
  Location location;       ///< May have no file (e.g. a problem with --vars).
  std::string message;     ///< "unknown source 'ordrs'"
  std::string suggestion;  ///< "did you mean 'orders'?" or "".

  /// "path:line:column" or "" when there is no file.
  std::string Position() const;
};

/// Render a diagnostic for a terminal:
///
///   error: unknown source 'ordrs'
///     --> pipelines/daily.sf:3:18
///      |
///    3 | LOAD orders FROM ordrs;
///      |                  ^^^^^
///      = help: did you mean 'orders_src'?
///
/// Tabs in the shown line are expanded so the caret lines up; the caret run covers
/// location.length bytes (at least one, cut at the end of the line).
std::string FormatDiagnostic(const Diagnostic& diagnostic);

/// Invalid pipeline input: one or more diagnostics, all found before anything ran.
/// what() is the first diagnostic as "path:line:column: message (suggestion)"; the
/// PipelineError fields are those of the first diagnostic. Exit code 2.
class PipelineDiagnostics : public PipelineError {
 public:
  explicit PipelineDiagnostics(std::vector<Diagnostic> diagnostics);

  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }
  /// Every diagnostic through FormatDiagnostic, separated by blank lines.
  std::string Format() const;

 private:
  std::vector<Diagnostic> diagnostics_;
};

/// Collects diagnostics; Check() throws them together.
class DiagnosticList {
 public:
  void Add(Location location, std::string message, std::string suggestion = "");
  void Add(Diagnostic diagnostic) { items_.push_back(std::move(diagnostic)); }
  bool empty() const { return items_.empty(); }
  size_t size() const { return items_.size(); }
  const std::vector<Diagnostic>& items() const { return items_; }
  /// Throw PipelineDiagnostics when any diagnostic was added.
  void Check() const;

 private:
  std::vector<Diagnostic> items_;
};

}  // namespace sqlflow::pipeline
