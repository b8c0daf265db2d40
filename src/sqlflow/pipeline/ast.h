#pragma once

#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

/// The syntax tree of a pipeline file (PIPELINE_LANGUAGE.md). Every piece of text the user
/// wrote is kept byte for byte with its location, so variables are substituted and errors are
/// reported against exactly what is in the file.
namespace sqlflow::pipeline {

/// One pipeline file as read from disk.
struct SourceFile {
  std::string path;  ///< As shown in messages: relative to the project when inside it.
  std::string text;  ///< The file's bytes.

  /// 1-based line and column (in bytes) of byte `offset` (clamped to the text).
  std::pair<int, int> LineColumn(size_t offset) const;
  /// The text of the line holding byte `offset`, without its newline.
  std::string LineText(size_t offset) const;
};

/// Where a piece of text is: a byte range of a file.
struct Location {
  std::shared_ptr<const SourceFile> file;
  size_t offset = 0;  ///< First byte.
  size_t length = 0;  ///< Bytes; at least 1 for a caret.
};

/// A piece of the file: the text as written (quotes of a quoted string removed, nothing else
/// changed) and where it is. `text` may hold `${var}` references; they are substituted by the
/// planner, which maps an error inside `text` back to the file through `location`
/// (byte i of `text` is at location.offset + text_offset + i).
struct Text {
  std::string text;
  Location location;
  size_t text_offset = 0;  ///< 1 for a quoted string (the opening quote), else 0.
  bool quoted = false;     ///< Written as a "double" or 'single' quoted string.
};

struct Statement;
using Block = std::vector<Statement>;

/// SOURCE name TYPE type PARAMS {json};  |  SOURCE name FROM "connection" OPTIONS {json};
struct SourceStmt {
  Text name;
  std::optional<Text> type;        ///< TYPE form.
  std::optional<Text> connection;  ///< FROM form (a profile connection).
  std::optional<Text> json;        ///< PARAMS / OPTIONS object, braces included, raw.
};

enum class LoadMode { kReplace, kAppend, kUpsert };

/// LOAD table FROM source [MODE REPLACE|APPEND|UPSERT] [KEY (k1, k2) | KEY k1, k2];
struct LoadStmt {
  Text table;
  Text source;
  LoadMode mode = LoadMode::kReplace;
  std::optional<Location> mode_location;  ///< Where MODE ... was written, if it was.
  std::vector<Text> keys;
};

enum class TransformMode { kReplace, kAppend, kUpsert, kIncremental };

/// CREATE [OR REPLACE] TABLE t [MODE ...] AS <query>;
struct CreateTableStmt {
  Text table;
  bool or_replace = false;
  TransformMode mode = TransformMode::kReplace;
  std::optional<Location> mode_location;
  std::vector<Text> keys;              ///< UPSERT KEY (...)
  std::optional<Text> incremental_by;  ///< INCREMENTAL BY column
  std::optional<Text> lookback;        ///< LOOKBACK '2 days' (or unquoted 2 DAYS), as written
  Text query;                          ///< From the first byte after AS to before ';', raw.
};

/// EXPORT <query> TO "uri" TYPE t [OPTIONS {json}];  EXPORT table TO ...;
/// EXPORT ... TO connection [OPTIONS {json}];
struct ExportStmt {
  Text query;                  ///< The query, or a bare table name (is_table).
  bool is_table = false;       ///< `query` is a single identifier: export that table.
  Text target;                 ///< The quoted URI, or the connection name.
  bool to_connection = false;  ///< target was an unquoted name: a profile connection.
  std::optional<Text> type;
  std::optional<Text> options;  ///< JSON object, braces included, raw.
};

/// SET name = value;
struct SetStmt {
  Text name;
  Text value;  ///< Quotes removed for strings; numbers and booleans as written.
};

/// INCLUDE "file.sf" [AS alias];  `body` holds the included file's statements (the loader
/// fills it; a cycle is an error).
struct IncludeStmt {
  Text path;
  std::optional<Text> alias;
  Block body;
};

/// IF cond THEN ... [ELSE IF cond THEN ...]* [ELSE ...] END IF;
struct IfStmt {
  struct Branch {
    Text condition;  ///< Raw condition text between IF and THEN (may hold ${var}).
    Block body;
  };
  std::vector<Branch> branches;  ///< IF and each ELSE IF, in order.
  std::optional<Block> else_body;
};

/// One statement with the location of its first keyword.
struct Statement {
  std::variant<SourceStmt, LoadStmt, CreateTableStmt, ExportStmt, SetStmt, IncludeStmt, IfStmt>
      node;
  Location location;  ///< The statement's first keyword.
};

/// A parsed pipeline: its main file and statements (includes inlined as IncludeStmt bodies).
struct PipelineAst {
  std::string name;  ///< File name without ".sf".
  std::shared_ptr<const SourceFile> file;
  Block statements;
};

}  // namespace sqlflow::pipeline
