#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sqlflow/common/clock.h"
#include "sqlflow/engine/engine.h"
#include "sqlflow/state/state_store.h"

/// Helpers shared by the state store's sources; not for use outside state/.
namespace sqlflow::state::internal {

/// The state tables (schema `main` of the store's catalog).
inline constexpr const char* kWatermarksTable = "sqlflow_watermarks";
inline constexpr const char* kRunsTable = "sqlflow_runs";
inline constexpr const char* kRunStepsTable = "sqlflow_run_steps";

/// One row of a query whose columns are all text; NULL is nullopt.
using Row = std::vector<std::optional<std::string>>;

/// Return `main.<table>` quoted, prefixed with `catalog` (an ATTACHed database's name) unless it
/// is empty: `"main"."t"` or `"sqlflow_state"."main"."t"`.
std::string QualifiedTable(const std::string& catalog, const char* table);

/// Return `value` as an SQL literal, or NULL when it is empty.
std::string LiteralOrNull(const std::string& value);

/// Return `value`, or now on `clock` (ISO-8601 UTC) when it is empty.
std::string OrNow(const std::string& value, Clock& clock);

/// Run a query whose columns are all VARCHAR and return its rows.
std::vector<Row> ReadRows(engine::Session& session, const std::string& sql);

/// Return whether `session` has a transaction open (a BEGIN not yet committed or rolled back).
bool InTransaction(engine::Session& session);

/// Throw IncrementalError unless `watermark` has a pipeline, a source and a cursor_field and its
/// value reads back exactly through `CAST(CAST(value AS type) AS VARCHAR)` on `session`. The one
/// check of every watermark stored (StateStore::PutWatermark, a file-mode RunState's Put).
void CheckWatermark(engine::Session& session, const Watermark& watermark);

/// Run `body` in a transaction of its own on `session`: committed when it returns, rolled back
/// when it (or the COMMIT) throws, with its error rethrown.
void InOwnTransaction(engine::Session& session, const std::function<void()>& body);

/// Run `sql` (one or more statements) atomically: in the session's open transaction when there
/// is one (the caller commits or rolls back), else in a transaction of its own that is rolled
/// back when a statement fails.
void ExecuteAtomically(engine::Session& session, const std::string& sql);

}  // namespace sqlflow::state::internal
