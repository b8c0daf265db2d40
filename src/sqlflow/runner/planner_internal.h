#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sqlflow/pipeline/diagnostics.h"
#include "sqlflow/runner/plan.h"

/// Pieces of the planner shared by planner.cc and planner_links.cc; private to runner/.
namespace sqlflow::runner::internal {

/// A step being planned, with the table references found in its SQL.
struct PendingStep {
  Step step;
  pipeline::Location sql_location;  ///< The SQL body (for errors about tables it reads).
  std::string sql_text;             ///< The SQL as written (to point at a table name in it).
};

/// A table name as SQL, each dotted part quoted: raw.orders → "raw"."orders".
std::string QuoteTableName(const std::string& name);

/// Lower-case table name without a leading "main." schema.
std::string NormalizeTable(const std::string& name);

/// Whether a name found in SQL is not a pipeline table: a file read by a replacement scan
/// ('data/x.csv') or a system schema (information_schema.*, pg_catalog.*).
bool IsExternalReference(const std::string& name);

/// Replace @start_date, @end_date, @start_dt, @end_dt in `sql` with quoted literals (a macro
/// already inside quotes, '@start_date', gets the bare value). Other text is untouched.
std::string ExpandTimeMacros(const std::string& sql, const std::string& start_dt,
                             const std::string& end_dt);

/// Parse a LOOKBACK duration ("2 days", "1 HOUR", "30 minutes", "1 week", "90 seconds");
/// returns the normalised text ("2 days") and microseconds, or nullopt.
std::optional<std::pair<std::string, int64_t>> ParseLookback(const std::string& text);

/// "orders", "daily_revenue" → a step-id-safe word: lower case, [a-z0-9_] only.
std::string IdWord(const std::string& text);

/// Fill depends_on of every step from the tables it reads and writes, check that every table
/// read exists (written by a step or in `existing_tables`), and order the steps (stable
/// topological order). Adds diagnostics for unknown tables and cycles.
std::vector<Step> LinkSteps(std::vector<PendingStep> pending,
                            const std::set<std::string>& existing_tables,
                            pipeline::DiagnosticList* problems);

}  // namespace sqlflow::runner::internal
