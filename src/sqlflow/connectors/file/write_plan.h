#pragma once

#include <string>
#include <vector>

#include "sqlflow/data/types.h"

/// The SQL and the schema checks behind append and upsert writes of file destinations.
namespace sqlflow::file {

// The type families moved to data/types.h; kept reachable as file::TypeFamily etc.
using sqlflow::FamilyOf;
using sqlflow::TypeFamily;
using sqlflow::TypeFamilyName;

/// Check that every column of `input` exists in `target` (matched like Schema::FieldIndex)
/// with the same type family; with `untyped_storage` (CSV) a text target column accepts any
/// type. Throws SchemaError naming the first column at fault and the target file.
void CheckAppendCompatible(const std::string& connector, const Schema& input, const Schema& target,
                           const std::string& target_path, bool untyped_storage);

/// Return the canonical names of `keys` in `schema`; throws SchemaError naming the first key
/// that is not a column (`side` says which: "the input", "the target file 'x.csv'").
std::vector<std::string> ResolveKeys(const std::string& connector,
                                     const std::vector<std::string>& keys, const Schema& schema,
                                     const std::string& side);

/// Rows of table `old_table` in their order, then those of `new_table` in theirs, matched by
/// column name (UNION ALL BY NAME).
std::string AppendSql(const std::string& old_table, const std::string& new_table);

/// The condition matching input key `new_key` (alias "n", of type `new_type`) with key
/// `old_key` of the existing rows (alias "o"): IS NOT DISTINCT FROM, so NULL keys match. When
/// the file is read as text (`text`) and the input key is not text, the file's text is cast to
/// the input's type first; text that is not a valid value then matches nothing.
std::string KeyMatchSql(const std::string& new_key, const DataType& new_type,
                        const std::string& old_key, bool text);

/// Rows of `old_table` (may be "": no existing rows) that match no row of `new_table` by
/// `key_matches` (KeyMatchSql, one per key), in their order, then the rows of `new_table`
/// keeping only the last row of each key (`new_keys`, canonical names), in input order.
std::string UpsertSql(const std::string& old_table, const std::vector<std::string>& key_matches,
                      const std::string& new_table, const std::vector<std::string>& new_keys);

}  // namespace sqlflow::file
