#include "sqlflow/connectors/file/write_plan.h"

#include "sqlflow/common/error.h"
#include "sqlflow/common/strings.h"

namespace sqlflow::file {
namespace {

// Helper columns that order the rows of the result; dropped before writing.
constexpr const char* kSrc = "__sqlflow_src";
constexpr const char* kPos = "__sqlflow_pos";

std::string Ordered(const std::string& body) {
  return std::string("SELECT * EXCLUDE (") + kSrc + ", " + kPos + ") FROM (" + body +
         ") ORDER BY " + kSrc + ", " + kPos;
}

std::string Tagged(const std::string& table, const std::string& alias, int src) {
  return "SELECT " + alias + ".*, " + std::to_string(src) + " AS " + kSrc + ", " + alias +
         ".rowid AS " + kPos + " FROM " + table + " AS " + alias;
}

}  // namespace

void CheckAppendCompatible(const std::string& connector, const Schema& input, const Schema& target,
                           const std::string& target_path, bool untyped_storage) {
  for (const auto& field : input.fields()) {
    int index = target.FieldIndex(field.name);
    if (index < 0) {
      throw SchemaError(connector, "write",
                        "column '" + field.name + "' of the input is not in the target file '" +
                            target_path + "' (its columns: " + Join(target.names(), ", ") +
                            "); write with mode replace to change the file's columns");
    }
    const Field& existing = target.field(static_cast<size_t>(index));
    TypeFamily want = FamilyOf(existing.type);
    TypeFamily got = FamilyOf(field.type);
    if (want == got || (untyped_storage && want == TypeFamily::kText)) continue;
    throw SchemaError(connector, "write",
                      "column '" + field.name + "' is " + field.type.ToSql() +
                          " in the input but " + existing.type.ToSql() + " in '" + target_path +
                          "' (" + TypeFamilyName(got) + " vs " + TypeFamilyName(want) +
                          "): cast it in the query or write with mode replace");
  }
}

std::vector<std::string> ResolveKeys(const std::string& connector,
                                     const std::vector<std::string>& keys, const Schema& schema,
                                     const std::string& side) {
  std::vector<std::string> out;
  for (const auto& key : keys) {
    int index = schema.FieldIndex(key);
    if (index < 0) {
      std::string near = ClosestMatch(key, schema.names());
      throw SchemaError(connector, "write",
                        "upsert key '" + key + "' is not a column of " + side +
                            " (columns: " + Join(schema.names(), ", ") + ")" +
                            (near.empty() ? "" : "; did you mean '" + near + "'?"));
    }
    out.push_back(schema.field(static_cast<size_t>(index)).name);
  }
  return out;
}

std::string AppendSql(const std::string& old_table, const std::string& new_table) {
  return Ordered(Tagged(old_table, "o", 0) + " UNION ALL BY NAME " + Tagged(new_table, "n", 1));
}

std::string KeyMatchSql(const std::string& new_key, const DataType& new_type,
                        const std::string& old_key, bool text) {
  const std::string n = "n." + QuoteIdentifier(new_key);
  const std::string o = "o." + QuoteIdentifier(old_key);
  if (!text || FamilyOf(new_type) == TypeFamily::kText) return n + " IS NOT DISTINCT FROM " + o;
  return "(" + n + " IS NOT DISTINCT FROM TRY_CAST(" + o + " AS " + new_type.ToSql() + ") AND (" +
         n + " IS NULL) = (" + o + " IS NULL))";
}

std::string UpsertSql(const std::string& old_table, const std::vector<std::string>& key_matches,
                      const std::string& new_table, const std::vector<std::string>& new_keys) {
  std::vector<std::string> partition;
  for (const auto& k : new_keys) partition.push_back("n." + QuoteIdentifier(k));
  // The last row of each key in input order wins.
  std::string latest = "SELECT * FROM (" + Tagged(new_table, "n", 1) +
                       " QUALIFY row_number() OVER (PARTITION BY " + Join(partition, ", ") +
                       " ORDER BY n.rowid DESC) = 1)";
  if (old_table.empty()) return Ordered(latest);
  std::string kept = Tagged(old_table, "o", 0) + " WHERE NOT EXISTS (SELECT 1 FROM " + new_table +
                     " AS n WHERE " + Join(key_matches, " AND ") + ")";
  return Ordered(kept + " UNION ALL BY NAME " + latest);
}

}  // namespace sqlflow::file
