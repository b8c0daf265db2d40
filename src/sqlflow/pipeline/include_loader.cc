// Reading pipeline files and resolving their INCLUDEs (the parsing is parser.cc's).

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>

#include <fmt/format.h>

#include "sqlflow/common/error.h"
#include "sqlflow/common/strings.h"
#include "sqlflow/pipeline/parser.h"
#include "sqlflow/pipeline/parser_internal.h"

namespace sqlflow::pipeline {
namespace {

namespace fs = std::filesystem;

std::optional<std::string> ReadText(const fs::path& path) {
  std::error_code error;
  if (!fs::is_regular_file(path, error)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return std::move(text).str();
}

/// The same file reached by different paths has one identity (for cycle detection).
fs::path Identity(const fs::path& path) {
  std::error_code error;
  const fs::path absolute = fs::absolute(path, error).lexically_normal();
  const fs::path canonical = fs::weakly_canonical(absolute, error);
  return error ? absolute : canonical;
}

/// Reads, parses and nests the files INCLUDEd by a block, recursively; reports a cycle with
/// its chain and a missing file at the INCLUDE's path.
class IncludeResolver {
 public:
  explicit IncludeResolver(DiagnosticList* diagnostics) : diagnostics_(diagnostics) {}

  /// Resolve the includes of `block`, parsed from the file at `path` shown as `display`.
  void Resolve(Block* block, const fs::path& path, const std::string& display) {
    chain_.push_back(Identity(path));
    displays_.push_back(display);
    ResolveBlock(block, path.parent_path(), fs::path(display).parent_path());
    chain_.pop_back();
    displays_.pop_back();
  }

 private:
  void ResolveBlock(Block* block, const fs::path& directory, const fs::path& display_dir) {
    for (Statement& statement : *block) {
      if (auto* include = std::get_if<IncludeStmt>(&statement.node)) {
        ResolveOne(include, directory, display_dir);
      } else if (auto* if_stmt = std::get_if<IfStmt>(&statement.node)) {
        for (IfStmt::Branch& branch : if_stmt->branches) {
          ResolveBlock(&branch.body, directory, display_dir);
        }
        if (if_stmt->else_body) ResolveBlock(&*if_stmt->else_body, directory, display_dir);
      }
    }
  }

  void ResolveOne(IncludeStmt* include, const fs::path& directory, const fs::path& display_dir) {
    const Text& path = include->path;
    if (path.text.find("${") != std::string::npos) {
      diagnostics_->Add(path.location, "INCLUDE paths cannot use variables",
                        "includes are read with the file, before variables have values");
      return;
    }
    const fs::path target = directory / path.text;
    const std::string display = (display_dir / path.text).lexically_normal().generic_string();
    const auto cycle = std::find(chain_.begin(), chain_.end(), Identity(target));
    if (cycle != chain_.end()) {
      std::vector<std::string> names(displays_.begin() + (cycle - chain_.begin()), displays_.end());
      names.push_back(display);
      diagnostics_->Add(path.location, "include cycle: " + Join(names, " -> "));
      return;
    }
    std::optional<std::string> text = ReadText(target);
    if (!text) {
      diagnostics_->Add(path.location, fmt::format("included file '{}' not found", path.text),
                        fmt::format("looked for '{}'; INCLUDE paths are relative to the "
                                    "including file",
                                    display));
      return;
    }
    auto file = std::make_shared<const SourceFile>(SourceFile{display, std::move(*text)});
    include->body = ParseInto(file, diagnostics_);
    Resolve(&include->body, target, display);
  }

  DiagnosticList* diagnostics_;
  std::vector<fs::path> chain_;        ///< Identities of the files being included, outermost first.
  std::vector<std::string> displays_;  ///< Their paths as shown.
};

PipelineAst ParseMain(std::string name, std::string display, std::string text,
                      const fs::path& path) {
  PipelineAst ast;
  ast.name = std::move(name);
  ast.file = std::make_shared<const SourceFile>(SourceFile{display, std::move(text)});
  DiagnosticList diagnostics;
  ast.statements = ParseInto(ast.file, &diagnostics);
  IncludeResolver(&diagnostics).Resolve(&ast.statements, path, display);
  diagnostics.Check();
  return ast;
}

/// `path` relative to `root` when it is inside it, else as given.
std::string DisplayPath(const fs::path& path, const fs::path& root) {
  if (root.empty()) return path.generic_string();
  std::error_code error;
  const fs::path relative = fs::absolute(path, error)
                                .lexically_normal()
                                .lexically_relative(fs::absolute(root, error).lexically_normal());
  if (error || relative.empty() || *relative.begin() == "..") return path.generic_string();
  return relative.generic_string();
}

}  // namespace

PipelineAst LoadPipelineFile(const fs::path& path, const fs::path& display_root) {
  std::optional<std::string> text = ReadText(path);
  if (!text) {
    throw ConfigError(fmt::format("pipeline file '{}' not found or not readable", path.string()),
                      "pipelines are .sf files in the project's pipelines/ folder");
  }
  return ParseMain(path.stem().string(), DisplayPath(path, display_root), std::move(*text), path);
}

PipelineAst ParsePipelineText(std::string name, std::string display_path, std::string text,
                              const fs::path& directory) {
  const fs::path path = directory / fs::path(display_path).filename();
  return ParseMain(std::move(name), std::move(display_path), std::move(text), path);
}

}  // namespace sqlflow::pipeline
