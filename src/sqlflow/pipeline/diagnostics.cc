#include "sqlflow/pipeline/diagnostics.h"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

namespace sqlflow::pipeline {
namespace {

/// Columns a tab takes in a rendered line (rustc's choice).
constexpr size_t kTabWidth = 4;

/// Return the terminal width of `bytes`: tabs expand, UTF-8 continuation bytes take none.
size_t DisplayWidth(std::string_view bytes) {
  size_t width = 0;
  for (char c : bytes) {
    if (c == '\t') {
      width += kTabWidth;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++width;
    }
  }
  return width;
}

/// Return `line` with every tab replaced by kTabWidth spaces.
std::string ExpandTabs(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  for (char c : line) {
    if (c == '\t') {
      out.append(kTabWidth, ' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

/// Return the caret run under `line` for a location starting at byte `column0` of the line.
std::string CaretLine(std::string_view line, size_t column0, size_t length) {
  const size_t start = std::min(column0, line.size());
  const size_t end = std::min(start + std::max<size_t>(length, 1), line.size());
  const size_t pad = DisplayWidth(line.substr(0, start)) + (column0 - start);
  const size_t carets = std::max<size_t>(1, DisplayWidth(line.substr(start, end - start)));
  return std::string(pad, ' ') + std::string(carets, '^');
}

/// The first diagnostic, or an empty one, for the PipelineError fields.
const Diagnostic& First(const std::vector<Diagnostic>& diagnostics) {
  static const Diagnostic kNone;
  return diagnostics.empty() ? kNone : diagnostics.front();
}

std::pair<int, int> LineColumnOf(const Diagnostic& diagnostic) {
  if (!diagnostic.location.file) return {0, 0};
  return diagnostic.location.file->LineColumn(diagnostic.location.offset);
}

std::string PathOf(const Diagnostic& diagnostic) {
  return diagnostic.location.file ? diagnostic.location.file->path : std::string();
}

}  // namespace

std::string Diagnostic::Position() const {
  if (!location.file) return "";
  auto [line, column] = location.file->LineColumn(location.offset);
  return fmt::format("{}:{}:{}", location.file->path, line, column);
}

std::string FormatDiagnostic(const Diagnostic& diagnostic) {
  std::string out = "error: " + diagnostic.message;
  const Location& location = diagnostic.location;
  if (!location.file) {
    if (!diagnostic.suggestion.empty()) out += "\n  = help: " + diagnostic.suggestion;
    return out;
  }
  auto [line, column] = location.file->LineColumn(location.offset);
  const std::string number = std::to_string(line);
  const std::string gutter(number.size() + 1, ' ');
  const std::string text = location.file->LineText(location.offset);
  const std::string shown = ExpandTabs(text);
  out += fmt::format("\n{}--> {}\n{} |", gutter, diagnostic.Position(), gutter);
  out += fmt::format("\n {} |{}{}", number, shown.empty() ? "" : " ", shown);
  out += fmt::format("\n{} | {}", gutter,
                     CaretLine(text, static_cast<size_t>(column - 1), location.length));
  if (!diagnostic.suggestion.empty()) {
    out += fmt::format("\n{} = help: {}", gutter, diagnostic.suggestion);
  }
  return out;
}

PipelineDiagnostics::PipelineDiagnostics(std::vector<Diagnostic> diagnostics)
    : PipelineError(PathOf(First(diagnostics)), LineColumnOf(First(diagnostics)).first,
                    LineColumnOf(First(diagnostics)).second, First(diagnostics).message,
                    First(diagnostics).suggestion),
      diagnostics_(std::move(diagnostics)) {}

std::string PipelineDiagnostics::Format() const {
  std::string out;
  for (const Diagnostic& diagnostic : diagnostics_) {
    if (!out.empty()) out += "\n\n";
    out += FormatDiagnostic(diagnostic);
  }
  return out;
}

void DiagnosticList::Add(Location location, std::string message, std::string suggestion) {
  items_.push_back(Diagnostic{std::move(location), std::move(message), std::move(suggestion)});
}

void DiagnosticList::Check() const {
  if (items_.empty()) return;
  // Report in reading order: files in the order they first appear, then by position.
  std::vector<const SourceFile*> files;
  auto file_rank = [&](const Diagnostic& d) {
    auto it = std::find(files.begin(), files.end(), d.location.file.get());
    if (it == files.end()) it = files.insert(files.end(), d.location.file.get());
    return static_cast<size_t>(it - files.begin());
  };
  std::vector<std::pair<std::pair<size_t, size_t>, size_t>> order;
  for (size_t i = 0; i < items_.size(); ++i) {
    order.push_back({{file_rank(items_[i]), items_[i].location.offset}, i});
  }
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Diagnostic> sorted;
  for (const auto& entry : order) sorted.push_back(items_[entry.second]);
  throw PipelineDiagnostics(std::move(sorted));
}

}  // namespace sqlflow::pipeline
