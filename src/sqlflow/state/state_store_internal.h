#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sqlflow/common/clock.h"
#include "sqlflow/engine/engine.h"

/// Helpers shared by the state store's sources; not for use outside state/.
namespace sqlflow::state::internal {

/// The state tables (schema `main`).
inline constexpr const char* kWatermarksTable = "sqlflow_watermarks";
inline constexpr const char* kRunsTable = "sqlflow_runs";
inline constexpr const char* kRunStepsTable = "sqlflow_run_steps";

/// One row of a query whose columns are all text; NULL is nullopt.
using Row = std::vector<std::optional<std::string>>;

/// Return `main.<table>` quoted.
std::string QualifiedTable(const char* table);

/// Return `value` as an SQL literal, or NULL when it is empty.
std::string LiteralOrNull(const std::string& value);

/// Return `value`, or now on `clock` (ISO-8601 UTC) when it is empty.
std::string OrNow(const std::string& value, Clock& clock);

/// Run a query whose columns are all VARCHAR and return its rows.
std::vector<Row> ReadRows(engine::Session& session, const std::string& sql);

/// Return whether `session` has a transaction open (a BEGIN not yet committed or rolled back).
bool InTransaction(engine::Session& session);

/// Run `sql` (one or more statements) atomically: in the session's open transaction when there
/// is one (the caller commits or rolls back), else in a transaction of its own that is rolled
/// back when a statement fails.
void ExecuteAtomically(engine::Session& session, const std::string& sql);

}  // namespace sqlflow::state::internal
