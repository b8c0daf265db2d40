// Run history: a row per run in sqlflow_runs and a row per step in sqlflow_run_steps.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "sqlflow/common/error.h"
#include "sqlflow/common/strings.h"
#include "sqlflow/state/state_store.h"
#include "sqlflow/state/state_store_internal.h"

namespace sqlflow::state {

using internal::QualifiedTable;
using internal::Row;

namespace {

/// An absent time or error is JSON null (a running run has not finished).
nlohmann::json StringOrNull(const std::string& value) {
  return value.empty() ? nlohmann::json(nullptr) : nlohmann::json(value);
}

nlohmann::json StepJson(const StepRecord& step) {
  return nlohmann::json{{"step_id", step.step_id},
                        {"status", step.status},
                        {"rows", step.rows},
                        {"bytes", step.bytes},
                        {"started_at", StringOrNull(step.started_at)},
                        {"finished_at", StringOrNull(step.finished_at)},
                        {"error", StringOrNull(step.error)}};
}

void CheckStepIds(const RunRecord& run) {
  std::set<std::string> seen;
  for (const StepRecord& step : run.steps) {
    if (!seen.insert(step.step_id).second) {
      throw Error(fmt::format("run '{}' lists step '{}' twice: a run records each step once",
                              run.run_id, step.step_id),
                  ErrorClass::kPermanent);
    }
  }
}

// The statements that insert or replace `run` (already stamped) and replace its steps, in the
// tables of `catalog`.
std::string RunStatements(const RunRecord& run, const std::string& catalog) {
  std::string sql = fmt::format(
      "DELETE FROM {0} WHERE run_id = {1};\n"
      "INSERT INTO {0} (run_id, pipeline, profile, status, started_at, finished_at, "
      "error) VALUES ({1}, {2}, {3}, {4}, {5}, {6}, {7});\nDELETE FROM {8} WHERE run_id = {1};\n",
      QualifiedTable(catalog, internal::kRunsTable), QuoteLiteral(run.run_id),
      QuoteLiteral(run.pipeline), QuoteLiteral(run.profile), QuoteLiteral(run.status),
      QuoteLiteral(run.started_at), internal::LiteralOrNull(run.finished_at),
      internal::LiteralOrNull(run.error), QualifiedTable(catalog, internal::kRunStepsTable));
  if (run.steps.empty()) return sql;
  std::vector<std::string> values;
  values.reserve(run.steps.size());
  for (size_t i = 0; i < run.steps.size(); ++i) {
    const StepRecord& step = run.steps[i];
    values.push_back(fmt::format("({}, {}, {}, {}, {}, {}, {}, {}, {})", QuoteLiteral(run.run_id),
                                 QuoteLiteral(step.step_id), i, QuoteLiteral(step.status),
                                 step.rows, step.bytes, internal::LiteralOrNull(step.started_at),
                                 internal::LiteralOrNull(step.finished_at),
                                 internal::LiteralOrNull(step.error)));
  }
  return sql + fmt::format(
                   "INSERT INTO {} (run_id, step_id, step_index, status, rows, bytes, "
                   "started_at, finished_at, error) VALUES {};",
                   QualifiedTable(catalog, internal::kRunStepsTable), Join(values, ", "));
}

RunRecord RunFromRow(const Row& row) {
  RunRecord run;
  run.run_id = row[0].value_or("");
  run.pipeline = row[1].value_or("");
  run.profile = row[2].value_or("");
  run.status = row[3].value_or("");
  run.started_at = row[4].value_or("");
  run.finished_at = row[5].value_or("");
  run.error = row[6].value_or("");
  return run;
}

StepRecord StepFromRow(const Row& row) {
  StepRecord step;
  step.run_id = row[0].value_or("");
  step.step_id = row[1].value_or("");
  step.status = row[2].value_or("");
  step.rows = std::stoll(row[3].value_or("0"));
  step.bytes = std::stoll(row[4].value_or("0"));
  step.started_at = row[5].value_or("");
  step.finished_at = row[6].value_or("");
  step.error = row[7].value_or("");
  return step;
}

// Attach the recorded steps of `runs` (read from `steps_table`) to them, in the order recorded.
void ReadSteps(engine::Session& session, const std::string& steps_table,
               std::vector<RunRecord>& runs) {
  if (runs.empty()) return;
  std::map<std::string, RunRecord*> by_id;
  std::vector<std::string> ids;
  for (RunRecord& run : runs) {
    by_id[run.run_id] = &run;
    ids.push_back(QuoteLiteral(run.run_id));
  }
  std::vector<Row> rows = internal::ReadRows(
      session, fmt::format("SELECT run_id, step_id, status, CAST(rows AS VARCHAR), "
                           "CAST(bytes AS VARCHAR), started_at, finished_at, error FROM {} "
                           "WHERE run_id IN ({}) ORDER BY run_id, step_index",
                           steps_table, Join(ids, ", ")));
  for (const Row& row : rows) {
    StepRecord step = StepFromRow(row);
    by_id.at(step.run_id)->steps.push_back(std::move(step));
  }
}

}  // namespace

nlohmann::json RunRecord::ToJson() const {
  nlohmann::json steps_json = nlohmann::json::array();
  for (const StepRecord& step : steps) steps_json.push_back(StepJson(step));
  return nlohmann::json{{"run_id", run_id},
                        {"pipeline", pipeline},
                        {"profile", profile},
                        {"status", status},
                        {"started_at", started_at},
                        {"finished_at", StringOrNull(finished_at)},
                        {"error", StringOrNull(error)},
                        {"steps", std::move(steps_json)}};
}

void StateStore::RecordRunStart(const RunRecord& run) {
  CheckStepIds(run);
  RunRecord stamped = run;
  if (stamped.status.empty()) stamped.status = "running";
  stamped.started_at = internal::OrNow(run.started_at, *clock_);
  internal::ExecuteAtomically(session_, RunStatements(stamped, catalog_));
}

void StateStore::RecordRunEnd(const RunRecord& run) {
  CheckStepIds(run);
  RunRecord stamped = run;
  if (stamped.started_at.empty()) {
    // Keep the start recorded by RecordRunStart.
    stamped.started_at =
        session_
            .QueryScalar(fmt::format("SELECT started_at FROM {} WHERE run_id = {}",
                                     Table(internal::kRunsTable), QuoteLiteral(run.run_id)))
            .value_or("");
  }
  stamped.started_at = internal::OrNow(stamped.started_at, *clock_);
  stamped.finished_at = internal::OrNow(run.finished_at, *clock_);
  internal::ExecuteAtomically(session_, RunStatements(stamped, catalog_));
}

std::vector<RunRecord> StateStore::History(const std::string& pipeline, int64_t limit) {
  std::string sql = fmt::format(
      "SELECT run_id, pipeline, profile, status, started_at, finished_at, error "
      "FROM {}",
      Table(internal::kRunsTable));
  if (!pipeline.empty()) sql += " WHERE pipeline = " + QuoteLiteral(pipeline);
  sql += " ORDER BY started_at DESC, run_id DESC";
  if (limit > 0) sql += fmt::format(" LIMIT {}", limit);
  std::vector<RunRecord> runs;
  for (const Row& row : internal::ReadRows(session_, sql)) runs.push_back(RunFromRow(row));
  ReadSteps(session_, Table(internal::kRunStepsTable), runs);
  return runs;
}

}  // namespace sqlflow::state
