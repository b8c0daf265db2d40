#include <algorithm>
#include <map>
#include <regex>

#include <fmt/format.h>

#include "sqlflow/common/strings.h"
#include "sqlflow/runner/planner_internal.h"

namespace sqlflow::runner::internal {

std::string QuoteTableName(const std::string& name) {
  std::vector<std::string> parts;
  for (const std::string& part : Split(name, '.')) parts.push_back(QuoteIdentifier(part));
  return Join(parts, ".");
}

std::string NormalizeTable(const std::string& name) {
  std::string lower = ToLower(name);
  if (StartsWith(lower, "main.")) lower = lower.substr(5);
  return lower;
}

bool IsExternalReference(const std::string& name) {
  std::string lower = ToLower(name);
  if (lower.find('/') != std::string::npos) return true;
  for (const char* ext : {".csv", ".tsv", ".parquet", ".json", ".jsonl", ".ndjson", ".gz"}) {
    if (EndsWith(lower, ext)) return true;
  }
  return StartsWith(lower, "information_schema.") || StartsWith(lower, "pg_catalog.") ||
         StartsWith(lower, "duckdb_");
}

std::string ExpandTimeMacros(const std::string& sql, const std::string& start_dt,
                             const std::string& end_dt) {
  struct Macro {
    const char* name;
    std::string value;
  };
  const Macro macros[] = {{"@start_date", start_dt.substr(0, 10)},
                          {"@end_date", end_dt.substr(0, 10)},
                          {"@start_dt", start_dt},
                          {"@end_dt", end_dt}};
  std::string out;
  size_t i = 0;
  while (i < sql.size()) {
    const Macro* hit = nullptr;
    if (sql[i] == '@') {
      for (const Macro& m : macros) {
        size_t n = std::char_traits<char>::length(m.name);
        bool word_end =
            i + n >= sql.size() ||
            !(std::isalnum(static_cast<unsigned char>(sql[i + n])) || sql[i + n] == '_');
        if (sql.compare(i, n, m.name) == 0 && word_end) hit = &m;
      }
    }
    if (hit == nullptr) {
      out += sql[i++];
      continue;
    }
    size_t n = std::char_traits<char>::length(hit->name);
    bool quoted = i > 0 && sql[i - 1] == '\'' && i + n < sql.size() && sql[i + n] == '\'';
    out += quoted ? hit->value : QuoteLiteral(hit->value);
    i += n;
  }
  return out;
}

std::optional<std::pair<std::string, int64_t>> ParseLookback(const std::string& text) {
  static const std::regex pattern(R"(^\s*(\d+)\s*(second|minute|hour|day|week)s?\s*$)",
                                  std::regex::icase);
  std::smatch m;
  if (!std::regex_match(text, m, pattern)) return std::nullopt;
  int64_t n = std::stoll(m[1].str());
  std::string unit = ToLower(m[2].str());
  int64_t seconds = unit == "second"   ? 1
                    : unit == "minute" ? 60
                    : unit == "hour"   ? 3600
                    : unit == "day"    ? 86400
                                       : 604800;
  if (n > 100000 * 365) return std::nullopt;
  return std::make_pair(fmt::format("{} {}{}", n, unit, n == 1 ? "" : "s"), n * seconds * 1000000);
}

std::string IdWord(const std::string& text) {
  std::string out;
  for (char c : ToLower(text)) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) != 0;
    if (ok) {
      out += c;
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out.empty() ? "step" : out;
}

namespace {

/// Point at `table` inside the SQL body when it appears there as a word, else at the body.
pipeline::Location TableLocation(const PendingStep& pending, const std::string& table) {
  pipeline::Location loc = pending.sql_location;
  std::string lower_sql = ToLower(pending.sql_text);
  std::string needle = ToLower(table);
  size_t pos = lower_sql.find(needle);
  while (pos != std::string::npos) {
    bool start_ok = pos == 0 || !(std::isalnum(static_cast<unsigned char>(lower_sql[pos - 1])) ||
                                  lower_sql[pos - 1] == '_');
    size_t end = pos + needle.size();
    bool end_ok =
        end >= lower_sql.size() ||
        !(std::isalnum(static_cast<unsigned char>(lower_sql[end])) || lower_sql[end] == '_');
    if (start_ok && end_ok) {
      loc.offset += pos;
      loc.length = needle.size();
      return loc;
    }
    pos = lower_sql.find(needle, pos + 1);
  }
  loc.length = std::max<size_t>(1, std::min<size_t>(loc.length, 1));
  return loc;
}

void AddDep(Step* step, const std::string& id) {
  if (step->id == id) return;
  if (std::find(step->depends_on.begin(), step->depends_on.end(), id) == step->depends_on.end()) {
    step->depends_on.push_back(id);
  }
}

/// A write must wait for the earlier steps that read the table's previous contents (from
/// `first_writer` on; readers before it read a later writer's rows): write after read.
void AddReadersBefore(std::vector<PendingStep>& pending, size_t writer, size_t first_writer,
                      const std::string& table) {
  for (size_t j = first_writer + 1; j < writer; ++j) {
    for (const std::string& read : pending[j].step.reads) {
      if (NormalizeTable(read) == table) AddDep(&pending[writer].step, pending[j].step.id);
    }
  }
}

/// Resolve the tables step `i` reads against the writers of each table.
void LinkReads(std::vector<PendingStep>& pending, size_t i,
               const std::map<std::string, std::vector<size_t>>& writers,
               const std::set<std::string>& existing, const std::vector<std::string>& known,
               pipeline::DiagnosticList* problems) {
  Step& step = pending[i].step;
  for (const std::string& table : step.reads) {
    std::string key = NormalizeTable(table);
    auto it = writers.find(key);
    std::vector<size_t> before, after;
    if (it != writers.end()) {
      for (size_t w : it->second) (w < i ? before : after).push_back(w);
    }
    if (!before.empty()) {
      AddDep(&step, pending[before.back()].step.id);
    } else if (!after.empty() && !(after.size() == 1 && after[0] == i)) {
      for (size_t w : after) {
        if (w != i) AddDep(&step, pending[w].step.id);
      }
    } else if (existing.count(key) == 0) {
      std::string near = ClosestMatch(table, known);
      problems->Add(TableLocation(pending[i], table),
                    fmt::format("unknown table '{}': no LOAD or CREATE TABLE makes it", table),
                    near.empty() ? "" : fmt::format("did you mean '{}'?", near));
    }
  }
}

/// Kahn's algorithm, taking the earliest ready step each time (stable).
std::vector<size_t> TopoOrder(const std::vector<PendingStep>& pending,
                              const std::map<std::string, size_t>& index_of) {
  std::vector<int> missing(pending.size(), 0);
  for (size_t i = 0; i < pending.size(); ++i) {
    missing[i] = static_cast<int>(pending[i].step.depends_on.size());
  }
  std::vector<size_t> order;
  std::vector<bool> done(pending.size(), false);
  while (order.size() < pending.size()) {
    size_t pick = pending.size();
    for (size_t i = 0; i < pending.size() && pick == pending.size(); ++i) {
      if (!done[i] && missing[i] == 0) pick = i;
    }
    if (pick == pending.size()) break;
    done[pick] = true;
    order.push_back(pick);
    for (size_t j = 0; j < pending.size(); ++j) {
      for (const std::string& dep : pending[j].step.depends_on) {
        if (index_of.at(dep) == pick) --missing[j];
      }
    }
  }
  return order;
}

/// Describe one cycle among the steps not ordered: "a -> b -> a".
std::string DescribeCycle(const std::vector<PendingStep>& pending,
                          const std::map<std::string, size_t>& index_of,
                          const std::vector<bool>& ordered, size_t* first) {
  size_t at = 0;
  while (ordered[at]) ++at;
  std::vector<size_t> path;
  std::vector<int> seen(pending.size(), -1);
  while (seen[at] < 0) {
    seen[at] = static_cast<int>(path.size());
    path.push_back(at);
    for (const std::string& dep : pending[at].step.depends_on) {
      size_t d = index_of.at(dep);
      if (!ordered[d]) {
        at = d;
        break;
      }
    }
  }
  std::vector<std::string> names;
  for (size_t k = static_cast<size_t>(seen[at]); k < path.size(); ++k) {
    names.push_back(pending[path[k]].step.id);
  }
  std::reverse(names.begin(), names.end());
  names.push_back(names.front());
  *first = at;
  return Join(names, " -> ");
}

}  // namespace

std::vector<Step> LinkSteps(std::vector<PendingStep> pending,
                            const std::set<std::string>& existing_tables,
                            pipeline::DiagnosticList* problems) {
  std::map<std::string, std::vector<size_t>> writers;
  std::map<std::string, size_t> index_of;
  std::vector<std::string> known(existing_tables.begin(), existing_tables.end());
  for (size_t i = 0; i < pending.size(); ++i) {
    index_of[pending[i].step.id] = i;
    const Step& step = pending[i].step;
    if (step.kind != StepKind::kExport) {
      writers[NormalizeTable(step.table)].push_back(i);
      known.push_back(step.table);
    }
  }
  for (size_t i = 0; i < pending.size(); ++i) {
    Step& step = pending[i].step;
    if (step.kind != StepKind::kExport) {
      const std::vector<size_t>& w = writers[NormalizeTable(step.table)];
      auto pos = std::find(w.begin(), w.end(), i);
      if (pos != w.begin()) {
        AddDep(&step, pending[*(pos - 1)].step.id);
        AddReadersBefore(pending, i, *w.begin(), NormalizeTable(step.table));
      }
    }
    LinkReads(pending, i, writers, existing_tables, known, problems);
  }
  std::vector<size_t> order = TopoOrder(pending, index_of);
  if (order.size() < pending.size()) {
    std::vector<bool> ordered(pending.size(), false);
    for (size_t i : order) ordered[i] = true;
    size_t first = 0;
    std::string cycle = DescribeCycle(pending, index_of, ordered, &first);
    problems->Add(pending[first].step.location, "dependency cycle: " + cycle,
                  "a table cannot be computed from itself; break the cycle");
    return {};
  }
  std::vector<Step> steps;
  steps.reserve(order.size());
  for (size_t i : order) steps.push_back(std::move(pending[i].step));
  return steps;
}

}  // namespace sqlflow::runner::internal
