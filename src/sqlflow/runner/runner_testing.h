#pragma once

// Helpers for the runner tests (include from *_test.cc only).

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <gtest/gtest.h>

#include "sqlflow/connectors/builtin/builtin.h"
#include "sqlflow/pipeline/parser.h"
#include "sqlflow/runner/planner.h"

namespace sqlflow::runner::testing {

/// A temporary project directory, removed at the end of the test.
class TempProject {
 public:
  TempProject() {
    static int counter = 0;
    dir_ = std::filesystem::temp_directory_path() /
           ("sqlflow_runner_" + std::to_string(::getpid()) + "_" + std::to_string(++counter));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ / "data");
  }
  ~TempProject() { std::filesystem::remove_all(dir_); }
  const std::filesystem::path& dir() const { return dir_; }

  /// Write `text` to `relative` under the project.
  void Write(const std::string& relative, const std::string& text) const {
    std::filesystem::path p = dir_ / relative;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
  }
  std::string Read(const std::string& relative) const {
    std::ifstream in(dir_ / relative, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

 private:
  std::filesystem::path dir_;
};

inline ConnectorRegistry& BuiltinRegistry() {
  static ConnectorRegistry* registry = [] {
    auto* r = new ConnectorRegistry();
    RegisterBuiltinConnectors(*r);
    return r;
  }();
  return *registry;
}

inline EnvLookup NoEnv() {
  return [](const std::string&) { return std::optional<std::string>(); };
}

/// Plan pipeline text against the built-in connectors.
inline Plan PlanText(const std::string& text, const TempProject& project,
                     std::map<std::string, std::string> vars = {}, pipeline::Profile profile = {}) {
  if (profile.name.empty()) profile.name = "dev";
  pipeline::PipelineAst ast =
      pipeline::ParsePipelineText("test", "pipelines/test.sf", text, project.dir() / "pipelines");
  PlanInputs inputs;
  inputs.cli_vars = std::move(vars);
  inputs.env = NoEnv();
  inputs.project_dir = project.dir();
  return BuildPlan(ast, profile, BuiltinRegistry(), inputs);
}

/// The diagnostics planning `text` raises, as "line:column: message [suggestion]" lines.
inline std::vector<std::string> PlanErrors(const std::string& text, const TempProject& project,
                                           std::map<std::string, std::string> vars = {},
                                           pipeline::Profile profile = {}) {
  try {
    PlanText(text, project, std::move(vars), std::move(profile));
  } catch (const pipeline::PipelineDiagnostics& e) {
    std::vector<std::string> out;
    for (const pipeline::Diagnostic& d : e.diagnostics()) {
      auto [line, column] = d.location.file->LineColumn(d.location.offset);
      out.push_back(std::to_string(line) + ":" + std::to_string(column) + ": " + d.message +
                    (d.suggestion.empty() ? "" : " [" + d.suggestion + "]"));
    }
    return out;
  }
  return {};
}

}  // namespace sqlflow::runner::testing
