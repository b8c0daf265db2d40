#pragma once

#include <exception>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sqlflow/common/error.h"

namespace sqlflow::pipeline {
class PipelineDiagnostics;
}

namespace sqlflow::cli {

/// The exit codes of PIPELINE_LANGUAGE.md (CLI section).
enum class ExitCode : int {
  kSuccess = 0,
  kFailure = 1,        ///< A runtime failure: a file is missing, a server refused, bad data.
  kInvalidInput = 2,   ///< Bad flags, unknown connector types, invalid parameters or JSON.
  kInterrupted = 130,  ///< SIGINT (128 + 2, as shells report it).
};

inline int ToInt(ExitCode code) { return static_cast<int>(code); }

/// Invalid input found by the CLI itself. Holds every problem found, each printed as its own
/// "error: ..." block, so the user can fix all of them in one go.
class InvalidInput : public std::runtime_error {
 public:
  explicit InvalidInput(std::vector<std::string> problems);
  explicit InvalidInput(std::string problem) : InvalidInput(std::vector<std::string>{problem}) {}

  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::vector<std::string> problems_;
};

/// The user pressed Ctrl-C (see interrupt.h).
class Interrupted : public std::runtime_error {
 public:
  Interrupted() : std::runtime_error("interrupted") {}
};

/// What to tell the user about a failure, and how to exit.
struct Failure {
  ExitCode code = ExitCode::kFailure;
  std::string text;  ///< For standard error, one or more lines, each block "error: ...".
};

/// Map an exception to its exit code and message: InvalidInput, ParameterError, ConfigError and
/// PipelineError are invalid input (2), PipelineDiagnostics shown in full (FormatDiagnostics);
/// Interrupted and InterruptedError are 130; any other sqlflow::Error is a
/// runtime failure (1) shown with its what(); anything else is an internal error (1).
Failure DescribeFailure(const std::exception_ptr& error);

/// Every diagnostic of `diagnostics` as FormatDiagnostic() renders it (file:line:column, the
/// line and a caret, the suggestion), separated by blank lines, ending in a newline.
std::string FormatDiagnostics(const pipeline::PipelineDiagnostics& diagnostics);

/// Format the problems of a ParameterError as an indented list, one "  - 'name': message
/// (suggestion)" line per problem. Problem messages come from the validator, which never
/// includes secret values.
std::string FormatProblems(const std::vector<ParameterProblem>& problems);

/// "unknown connector type 'cvs' (did you mean 'CSV'?)", or the list of known types when no
/// name is close. `kind` is "", "source " or "destination " (with its trailing space).
std::string UnknownTypeMessage(std::string_view kind, std::string_view type,
                               const std::vector<std::string>& known);

}  // namespace sqlflow::cli
