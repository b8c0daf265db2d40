#include "sqlflow/connectors/param_table.h"

#include <map>
#include <stdexcept>

#include <fmt/format.h>

#include "sqlflow/common/strings.h"

namespace sqlflow {
namespace {

constexpr const char* kHeader[] = {"name", "type", "required", "default", "description"};

std::string DefaultText(const ParamSpec& p) {
  if (!p.default_value || p.secret) return "";
  if (p.default_value->is_string()) return p.default_value->get<std::string>();
  return p.default_value->dump();
}

std::string EscapeCell(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '|') out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out;
}

// Split "| a | b \| c |" into trimmed cells {"a", "b | c"}; empty when `line` is not a row.
std::vector<std::string> SplitRow(std::string_view line) {
  line = Trim(line);
  if (line.size() < 2 || line.front() != '|') return {};
  std::vector<std::string> cells;
  std::string cell;
  for (size_t i = 1; i < line.size(); ++i) {
    if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == '|') {
      cell += '|';
      ++i;
    } else if (line[i] == '|') {
      cells.emplace_back(Trim(cell));
      cell.clear();
    } else {
      cell += line[i];
    }
  }
  if (!Trim(cell).empty()) cells.emplace_back(Trim(cell));
  return cells;
}

std::string StripBackticks(std::string_view cell) {
  cell = Trim(cell);
  while (cell.size() >= 2 && cell.front() == '`' && cell.back() == '`') {
    cell = Trim(cell.substr(1, cell.size() - 2));
  }
  return std::string(cell);
}

bool IsHeader(const std::vector<std::string>& cells) {
  if (cells.size() != std::size(kHeader)) return false;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (!EqualsIgnoreCase(cells[i], kHeader[i])) return false;
  }
  return true;
}

bool ParseRequired(std::string_view cell, bool* out) {
  const std::string text = ToLower(StripBackticks(cell));
  if (text == "yes" || text == "true" || text == "required") {
    *out = true;
  } else if (text == "no" || text == "false" || text == "optional" || text.empty()) {
    *out = false;
  } else {
    return false;
  }
  return true;
}

// "string list", "string_list" and "String-List" name the same type.
std::string NormalType(std::string_view type) {
  std::string out = ToLower(Trim(type));
  for (char& c : out) {
    if (c == '_' || c == '-') c = ' ';
  }
  return out;
}

// Whether a README default cell means the same as the spec's default.
bool SameDefault(const std::string& text, const ParamSpec& p) {
  const std::string expected = DefaultText(p);
  if (text == expected) return true;
  if (!p.default_value || p.default_value->is_string()) return false;
  const nlohmann::json parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  return !parsed.is_discarded() && parsed == *p.default_value;
}

}  // namespace

std::string ParamTableMarkdown(const std::vector<ParamSpec>& params) {
  std::string out = "| name | type | required | default | description |\n";
  out += "|---|---|---|---|---|\n";
  for (const ParamSpec& p : params) {
    const std::string def = DefaultText(p);
    out += fmt::format(
        "| `{}` | {} | {} | {} | {} |\n", p.name, ParamTypeName(p.type), p.required ? "yes" : "no",
        def.empty() ? "" : fmt::format("`{}`", EscapeCell(def)), EscapeCell(p.description));
  }
  return out;
}

std::vector<ParamDocRow> ParseParamTable(std::string_view markdown, std::string_view section) {
  const std::vector<std::string> lines = Split(markdown, '\n');
  size_t i = 0;
  bool in_section = section.empty();
  for (; i < lines.size(); ++i) {
    const std::string_view line = Trim(lines[i]);
    if (StartsWith(line, "#")) {
      if (!section.empty()) in_section = ToLower(line).find(ToLower(section)) != std::string::npos;
      continue;
    }
    if (in_section && IsHeader(SplitRow(line))) break;
  }
  if (i == lines.size()) {
    throw std::invalid_argument(
        section.empty()
            ? std::string("no parameter table (| name | type | required | default | "
                          "description |) found")
            : fmt::format("no parameter table found under a heading containing '{}'", section));
  }
  std::vector<ParamDocRow> rows;
  for (i += 2; i < lines.size(); ++i) {  // skip the header and the |---| line
    const std::vector<std::string> cells = SplitRow(lines[i]);
    if (cells.empty()) break;
    if (cells.size() != std::size(kHeader)) {
      throw std::invalid_argument(fmt::format("line {}: expected {} cells, found {}", i + 1,
                                              std::size(kHeader), cells.size()));
    }
    ParamDocRow row;
    row.name = StripBackticks(cells[0]);
    row.type = StripBackticks(cells[1]);
    if (!ParseRequired(cells[2], &row.required)) {
      throw std::invalid_argument(
          fmt::format("line {}: required must be 'yes' or 'no', found '{}'", i + 1, cells[2]));
    }
    row.default_text = StripBackticks(cells[3]);
    if (row.default_text == "-" || row.default_text == "—") row.default_text.clear();
    row.description = cells[4];
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<std::string> DiffParamTable(const std::vector<ParamDocRow>& rows,
                                        const std::vector<ParamSpec>& params) {
  std::vector<std::string> diffs;
  std::map<std::string, const ParamDocRow*> documented;
  for (const ParamDocRow& row : rows) {
    if (!documented.emplace(row.name, &row).second) {
      diffs.push_back(fmt::format("parameter '{}' is documented twice", row.name));
    }
  }
  for (const ParamSpec& p : params) {
    auto it = documented.find(p.name);
    if (it == documented.end()) {
      diffs.push_back(fmt::format("parameter '{}' is in the spec but not in the README", p.name));
      continue;
    }
    const ParamDocRow& row = *it->second;
    documented.erase(it);
    if (NormalType(row.type) != NormalType(ParamTypeName(p.type))) {
      diffs.push_back(fmt::format("parameter '{}': type is '{}' in the README but '{}' in the spec",
                                  p.name, row.type, ParamTypeName(p.type)));
    }
    if (row.required != p.required) {
      diffs.push_back(fmt::format("parameter '{}': the README says {} but the spec says {}", p.name,
                                  row.required ? "required" : "optional",
                                  p.required ? "required" : "optional"));
    }
    if (!SameDefault(row.default_text, p)) {
      diffs.push_back(
          fmt::format("parameter '{}': default is `{}` in the README but `{}` in the spec", p.name,
                      row.default_text, DefaultText(p)));
    }
  }
  for (const auto& [name, row] : documented) {
    diffs.push_back(fmt::format("parameter '{}' is in the README but not in the spec", name));
  }
  return diffs;
}

}  // namespace sqlflow
