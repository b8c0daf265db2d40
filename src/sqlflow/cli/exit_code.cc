#include "sqlflow/cli/exit_code.h"

#include <new>

#include <fmt/format.h>

#include "sqlflow/common/strings.h"
#include "sqlflow/pipeline/diagnostics.h"

namespace sqlflow::cli {

namespace {

std::string JoinProblems(const std::vector<std::string>& problems) {
  std::string out;
  for (const std::string& p : problems) out += p + "\n";
  return out;
}

}  // namespace

InvalidInput::InvalidInput(std::vector<std::string> problems)
    : std::runtime_error(JoinProblems(problems)), problems_(std::move(problems)) {}

std::string FormatDiagnostics(const pipeline::PipelineDiagnostics& diagnostics) {
  std::string out;
  for (const pipeline::Diagnostic& d : diagnostics.diagnostics()) {
    if (!out.empty()) out += "\n";
    out += FormatDiagnostic(d);
    if (out.back() != '\n') out += "\n";
  }
  // Never silent, even if a thrower forgot to attach a diagnostic.
  if (out.empty()) out = fmt::format("error: {}\n", diagnostics.what());
  return out;
}

std::string FormatProblems(const std::vector<ParameterProblem>& problems) {
  std::string out;
  for (const ParameterProblem& p : problems) {
    out += "  - ";
    if (!p.parameter.empty()) out += fmt::format("'{}': ", p.parameter);
    out += p.message;
    if (!p.suggestion.empty()) out += fmt::format(" ({})", p.suggestion);
    out += "\n";
  }
  if (!out.empty()) out.pop_back();
  return out;
}

std::string UnknownTypeMessage(std::string_view kind, std::string_view type,
                               const std::vector<std::string>& known) {
  std::string message = fmt::format("unknown {}connector type '{}'", kind, type);
  std::string suggestion = ClosestMatch(type, known);
  if (!suggestion.empty()) return message + fmt::format(" (did you mean '{}'?)", suggestion);
  if (known.empty()) return message + " (none are registered)";
  return message + fmt::format(" (known types: {})", Join(known, ", "));
}

Failure DescribeFailure(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const InvalidInput& e) {
    std::string text;
    for (const std::string& p : e.problems()) text += "error: " + p + "\n";
    return {ExitCode::kInvalidInput, text};
  } catch (const Interrupted&) {
    return {ExitCode::kInterrupted, "interrupted\n"};
  } catch (const ParameterError& e) {
    std::string who = e.connector().empty() ? "" : " for " + e.connector();
    return {ExitCode::kInvalidInput,
            fmt::format("error: invalid parameters{}:\n{}\n", who, FormatProblems(e.problems()))};
  } catch (const pipeline::PipelineDiagnostics& e) {
    return {ExitCode::kInvalidInput, FormatDiagnostics(e)};
  } catch (const PipelineError& e) {
    return {ExitCode::kInvalidInput, fmt::format("error: {}\n", e.what())};
  } catch (const ConfigError& e) {
    return {ExitCode::kInvalidInput, fmt::format("error: {}\n", e.what())};
  } catch (const InterruptedError&) {
    return {ExitCode::kInterrupted, "interrupted\n"};
  } catch (const Error& e) {
    return {ExitCode::kFailure, fmt::format("error: {}\n", e.what())};
  } catch (const std::bad_alloc&) {
    return {ExitCode::kFailure, "error: out of memory\n"};
  } catch (const std::exception& e) {
    return {ExitCode::kFailure, fmt::format("error: internal error: {}\n", e.what())};
  } catch (...) {
    return {ExitCode::kFailure, "error: internal error (unknown exception)\n"};
  }
}

}  // namespace sqlflow::cli
