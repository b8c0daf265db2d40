// How the PostgreSQL source reads: the SELECT behind its COPY (columns cast where COPY binary
// has no decoder, filters and the incremental cursor as WHERE, the order that lets a dropped
// read resume) and the resume rule.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sqlflow/connectors/connector.h"
#include "sqlflow/connectors/postgres/pg_connection.h"

namespace sqlflow::pg {

/// One column of a read.
struct PlannedColumn {
  std::string name;
  std::string select;  ///< "\"c\"", "\"c\"::text" or "to_json(\"c\")"
  uint32_t oid = 0;    ///< Its type in the COPY stream (after the cast).
  DataType type;
};

/// Everything the COPY of one read needs, decided once before the first row.
struct ReadPlan {
  std::string from;                     ///< "\"s\".\"t\"" or "(query) AS q"
  std::string what;                     ///< "table public.orders" or "the query", for messages
  std::vector<PlannedColumn> columns;   ///< Output columns, then hidden key columns.
  size_t output_columns = 0;            ///< How many of `columns` are returned.
  std::vector<std::string> conditions;  ///< ANDed into the WHERE.
  std::vector<size_t> order;            ///< Indexes into `columns`: the ORDER BY.
  bool order_is_unique = false;         ///< The order identifies each row (a key).
  /// A plain table read in physical order: the last of `columns` is its hidden `ctid`, and a
  /// restarted read continues after the last ctid handed out (within the same snapshot).
  bool resume_by_ctid = false;

  /// The COPY statement, with `resume` (a condition from ResumeState) when not empty.
  std::string CopySql(const std::string& resume) const;
  std::shared_ptr<const Schema> DecodeSchema() const;
  std::vector<uint32_t> Oids() const;
  std::vector<std::string> OutputNames() const;
};

/// The result columns of `select` ("SELECT * FROM table", or the user's query, so that the
/// server's errors point into the user's own text), planned for COPY binary.
std::vector<PlannedColumn> PlanColumns(Connection& conn, const std::string& select,
                                       const std::string& operation);

/// The hidden column that carries each row's ctid (decoded as TidValue).
PlannedColumn CtidColumn();

/// Whether `table_sql` is an ordinary table or a materialized view (a heap whose rows have a
/// ctid), not a view, a partitioned or a foreign table.
bool IsPlainTable(Connection& conn, const std::string& table_sql, const std::string& operation);

/// The primary key columns of a table (empty for a view or a table without one).
std::vector<std::string> PrimaryKey(Connection& conn, const std::string& table_sql,
                                    const std::string& operation);

/// `value` as a PostgreSQL literal whose type the compared column decides.
std::string Literal(const Value& value);

/// A filter as a condition on `column`'s select expression.
std::string FilterCondition(const PlannedColumn& column, const Filter& filter);

/// Where a read stands, for resuming it on a new connection after a failure.
class ResumeState {
 public:
  explicit ResumeState(const ReadPlan* plan) : plan_(plan) {}
  /// Record a chunk handed out (in the decode schema, before hidden columns are dropped).
  void Delivered(const DataChunk& chunk);
  /// The condition that restarts the read after the rows handed out ("" for none).
  std::string Condition() const;
  /// Rows of the restarted read to skip before handing out new ones.
  int64_t RowsToSkip() const;
  /// Whether a restart must re-read from the start (no key, or a NULL key).
  bool RestartsFromTheStart() const;
  int64_t delivered() const { return delivered_; }

 private:
  const ReadPlan* plan_;
  int64_t delivered_ = 0;
  std::vector<Value> last_key_;  // The order key of the last row handed out.
  int64_t last_tid_ = -1;        // Its ctid (TidValue), when the plan resumes by ctid.
  int64_t ties_ = 0;             // Rows handed out whose key equals last_key_.
};

}  // namespace sqlflow::pg
