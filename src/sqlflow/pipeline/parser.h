#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "sqlflow/pipeline/ast.h"
#include "sqlflow/pipeline/diagnostics.h"

namespace sqlflow::pipeline {

/// Parse the statements of one file (INCLUDE bodies are left empty). Throws
/// PipelineDiagnostics with line and column for every syntax error it can recover from
/// (it skips to the next ';' after an error): unknown keywords ("did you mean 'SOURCE'?"),
/// a missing ';', an unterminated string or JSON object, TYPE with OPTIONS or FROM with
/// PARAMS (naming the form to use), UPSERT without KEY, an IF without END IF.
///
/// Keywords are case-insensitive. `--` comments and `/* */` comments are skipped between
/// statements. SQL bodies (CREATE TABLE ... AS <query>, EXPORT <query> TO) are taken byte for
/// byte: the query ends at the first ';' outside string literals, quoted identifiers,
/// comments, dollar-quoted strings and brackets; an EXPORT query ends at its last top-level
/// TO that is followed by a quoted URI or a name and then TYPE, OPTIONS or ';'.
Block ParseStatements(const std::shared_ptr<const SourceFile>& file);

/// Read and parse `path` and, recursively, every file it INCLUDEs (paths relative to the
/// including file), filling IncludeStmt::body. `display_root` shortens paths in messages
/// (files under it are shown relative to it). Throws PipelineDiagnostics for syntax errors,
/// a missing included file (at the INCLUDE) and an include cycle (naming the chain
/// "a.sf -> b.sf -> a.sf"). A missing `path` itself is a ConfigError.
PipelineAst LoadPipelineFile(const std::filesystem::path& path,
                             const std::filesystem::path& display_root = {});

/// Same, from text in memory (tests, `-` for stdin); includes are resolved relative to
/// `directory`.
PipelineAst ParsePipelineText(std::string name, std::string display_path, std::string text,
                              const std::filesystem::path& directory = {});

}  // namespace sqlflow::pipeline
