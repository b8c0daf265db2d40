#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "sqlflow/connectors/file/file_destination.h"
#include "sqlflow/connectors/file/file_source.h"

/// The JSON and JSONL connectors on the shared file core (see README.md). One source and one
/// destination class serve both types; the layout of the file is their only difference.
namespace sqlflow::json {

/// How records are laid out in a file.
enum class JsonLayout {
  kArray,  ///< type JSON: one top-level array of objects.
  kLines,  ///< type JSONL: one object per line (newline-delimited JSON).
};

/// A column of the records as read_json sees it: the key and the DuckDB type to read it as.
using JsonColumn = std::pair<std::string, std::string>;

/// read_json's `format` for a layout: 'array' or 'newline_delimited'.
const char* ReadJsonFormat(JsonLayout layout);
/// "json" or "jsonl" (file extension and the type name in lower case).
const char* LayoutExtension(JsonLayout layout);

/// The columns DuckDB detects in `files` (a sample of their records). Nested values (objects,
/// arrays) and keys without a single scalar type become JSON; dates are only detected in ISO
/// form (YYYY-MM-DD), so "01-02-2024" stays text instead of a guess between day and month.
/// Throws duck::DuckError (e.g. a binder error when a file holds no objects).
std::vector<JsonColumn> DetectColumns(duck::Connection& conn, const std::vector<std::string>& files,
                                      JsonLayout layout);

/// The DuckDB type to read a detected column as: JSON for nested types and for types SQLFlow
/// cannot represent, else the detected type.
std::string ReadableType(const std::string& detected);

/// Whether a detected type is a nested one (STRUCT, LIST, MAP, UNION).
bool IsNestedType(const std::string& duck_type);

/// `read_json([...], format=..., records=true, columns={...})`: reads exactly `columns` (other
/// keys are ignored), strictly (a record that is not an object, a malformed document or a
/// value of another type is an error). BLOB columns are read as text and cast, which decodes
/// the \xHH escapes DuckDB's writer puts in them.
std::string ReadJsonSql(const std::vector<std::string>& files, JsonLayout layout,
                        const std::vector<JsonColumn>& columns);

/// Throw a DataError naming `path` when it opens an array ('[') but its last non-blank
/// character is not the ']' closing it: DuckDB 1.4 reads "[{...}," (a file cut after a record)
/// without an error. Files that do not start with '[' (compressed, or not an array) are left
/// to DuckDB's own checks.
void CheckArrayClosed(const std::string& connector, const std::string& operation,
                      const std::string& path);

/// Whether `path` holds no records at all: only white space, or (for kArray) an empty array.
bool HoldsNoRecords(const std::string& path, JsonLayout layout);

/// The 1-based line of the first JSON syntax error in `path` read as `layout`, or 0 when our
/// own parser finds none. DuckDB's position of a syntax error can be a line off (1.4.4).
int64_t FindSyntaxErrorLine(const std::string& path, JsonLayout layout);

/// Throw a DataError for a DuckDB error raised while reading `files` as `layout` (malformed
/// JSON, a value of another type, records that are not objects, a file of the other layout),
/// naming the file and, where known, the line; return when the error is not about the data.
void ThrowReadError(const std::string& connector, const std::string& operation,
                    const duck::DuckError& error, const std::vector<std::string>& files,
                    JsonLayout layout);

/// Throw the DataError for `file`, in which DuckDB found records that are not objects, or
/// none at all.
[[noreturn]] void ThrowNotObjects(const std::string& connector, const std::string& operation,
                                  const std::string& file, JsonLayout layout);

/// The JSON and JSONL sources (see json_connector.h).
class JsonSource : public file::FileSource {
 public:
  JsonSource(const ConnectorSpec& spec, std::shared_ptr<Clock> clock, JsonLayout layout)
      : FileSource(spec, std::move(clock)), layout_(layout) {}

 protected:
  void DoConfigure(const ParameterSet& params) override;
  std::string FileExtension() const override { return LayoutExtension(layout_); }
  /// read_json over `files` with the detected columns, column_types applied.
  std::string ReaderSql(duck::Connection& conn, const std::vector<std::string>& files) override;
  void TranslateError(const duck::DuckError& error, const file::ScanContext& context) override;

 private:
  /// The columns of `files` as DuckDB detects them; a file whose records are not objects (or
  /// that holds none) is a DataError naming it.
  std::vector<JsonColumn> Detect(duck::Connection& conn, const std::vector<std::string>& files);
  /// Set the types column_types gives; a name that is no column is a ParameterError.
  void ApplyColumnTypes(const std::string& file, std::vector<JsonColumn>* columns) const;

  JsonLayout layout_;
  std::map<std::string, std::string> column_types_;  // column → SQL type, from column_types
};

/// The JSON and JSONL destinations (see json_connector.h).
class JsonDestination : public file::FileDestination {
 public:
  JsonDestination(const ConnectorSpec& spec, std::shared_ptr<Clock> clock, JsonLayout layout)
      : FileDestination(spec, std::move(clock)), layout_(layout) {}

 protected:
  void DoConfigure(const ParameterSet& params) override;
  std::string CopyOptionsSql() const override;
  /// Read the existing file with the input's types for the columns both have, so its values
  /// are written back as they were (a timestamp text stays a timestamp).
  file::ExistingFile ReadExisting(duck::Connection& conn, const std::string& path,
                                  const Schema& incoming) override;

 private:
  /// The type to read `column` (detected as `detected`) of the existing file `path` as.
  std::string ExistingColumnType(const std::string& column, const std::string& detected,
                                 const Schema& incoming, const std::string& path) const;

  JsonLayout layout_;
};

}  // namespace sqlflow::json
