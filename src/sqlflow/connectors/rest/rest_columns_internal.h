#pragma once

// Column inference and row shaping of the REST records collector (rest_records.cc); never
// included from another component.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <simdjson.h>

#include "sqlflow/data/chunk.h"
#include "sqlflow/data/types.h"

namespace sqlflow::rest::internal {

/// The final type of a column from the kinds of its values (rest_records.h documents the rule).
DataType TypeOfKinds(uint32_t kinds);

/// Maps the field paths of records to columns: first (Fold) over every record to learn the
/// columns and their value kinds, then (AppendRecord) to lay each record out as a row.
class RecordShaper {
 public:
  /// `flatten`: nested objects become `parent__child` columns; `connector` names errors.
  RecordShaper(std::string connector, bool flatten);

  /// Learn the columns and value kinds of one record.
  void Fold(simdjson::dom::object record);
  /// The columns learned so far with their types.
  Schema MakeSchema() const;

  /// Append `record` as one row of `builder`, whose schema is MakeSchema() after the last
  /// Fold. A key given twice in one object keeps its last value. Throws DataError when a
  /// value does not convert (which Fold's classification rules out).
  void AppendRecord(simdjson::dom::object record, ChunkBuilder* builder);

 private:
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  /// One step of a field path: its children by key and its column (-1 while none).
  struct Node {
    std::unordered_map<std::string, int32_t, StringHash, std::equal_to<>> children;
    int32_t column = -1;
    bool flattened = false;  ///< Seen as a non-empty object (flatten: true).
  };
  struct ColumnInfo {
    std::string name;
    uint32_t kinds = 0;
  };

  int32_t Child(int32_t node, std::string_view key);
  int32_t ColumnOf(int32_t node);
  std::string NewColumnName();
  void FoldObject(int32_t node, simdjson::dom::object object);
  void FoldValue(int32_t node, simdjson::dom::element value);
  void PlaceObject(int32_t node, simdjson::dom::object object);
  void AppendValue(size_t column, simdjson::dom::element value, ColumnBuilder* builder);

  std::string connector_;
  bool flatten_;
  std::vector<Node> nodes_;
  std::vector<ColumnInfo> columns_;
  std::unordered_set<std::string> names_lower_;
  std::vector<std::string_view> path_;  ///< Keys from the record down to the current field.
  std::vector<std::optional<simdjson::dom::element>> row_;  ///< AppendRecord's current row.
};

}  // namespace sqlflow::rest::internal
