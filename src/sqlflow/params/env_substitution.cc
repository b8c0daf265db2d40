#include <algorithm>
#include <cstdlib>
#include <string_view>

#include "sqlflow/common/strings.h"
#include "sqlflow/params/parameter_validator.h"

namespace sqlflow {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

size_t SkipSpaces(std::string_view text, size_t pos) {
  while (pos < text.size() && IsSpace(text[pos])) ++pos;
  return pos;
}

/// Parse a default written in matching quotes, which may hold '}' or '|': 'a}b'. `lenient`
/// allows white space around the quotes. False when `text` at `pos` is not such a default.
bool ParseQuotedDefault(std::string_view text, size_t pos, bool lenient, VariableReference* ref) {
  if (lenient) pos = SkipSpaces(text, pos);
  if (pos >= text.size() || (text[pos] != '\'' && text[pos] != '"')) return false;
  size_t close = text.find(text[pos], pos + 1);
  if (close == std::string_view::npos) return false;
  size_t brace = lenient ? SkipSpaces(text, close + 1) : close + 1;
  if (brace >= text.size() || text[brace] != '}') return false;
  ref->fallback = std::string(text.substr(pos + 1, close - pos - 1));
  ref->end = brace + 1;
  return true;
}

void AddOnce(std::vector<std::string>* names, const std::string& name) {
  if (names == nullptr || std::find(names->begin(), names->end(), name) != names->end()) return;
  names->push_back(name);
}

}  // namespace

bool IsVariableName(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

VariableReference ParseVariableReference(std::string_view text, size_t start, bool lenient) {
  auto trimmed = [lenient](std::string_view part) {
    return std::string(lenient ? Trim(part) : part);
  };
  VariableReference ref;
  ref.begin = start;
  const size_t body = start + 2;
  const size_t stop = text.find_first_of("|}", body);
  if (stop == std::string_view::npos) {
    ref.status = VariableReference::Status::kUnterminated;
    return ref;
  }
  ref.name = trimmed(text.substr(body, stop - body));
  if (text[stop] == '}') {
    ref.end = stop + 1;
  } else if (!ParseQuotedDefault(text, stop + 1, lenient, &ref)) {
    const size_t close = text.find('}', stop + 1);
    if (close == std::string_view::npos) {
      ref.status = VariableReference::Status::kUnterminated;
      return ref;
    }
    ref.fallback = trimmed(text.substr(stop + 1, close - stop - 1));
    ref.end = close + 1;
  }
  if (!IsVariableName(ref.name)) ref.status = VariableReference::Status::kBadName;
  return ref;
}

EnvLookup ProcessEnv() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

// A variable that is set but empty yields "" (like the shell's ${A-default}, not ${A:-default}):
// an empty value may be meant. Substituted text is not scanned again. Pinned by
// EnvSubstitutionTest.*.
std::string SubstituteEnv(const std::string& text, const EnvLookup& env,
                          std::vector<std::string>* missing) {
  std::string out;
  size_t pos = 0;
  for (size_t start = text.find("${"); start != std::string::npos; start = text.find("${", pos)) {
    const VariableReference ref = ParseVariableReference(text, start);
    if (ref.status != VariableReference::Status::kOk) {
      out.append(text, pos, start + 2 - pos);
      pos = start + 2;
      continue;
    }
    out.append(text, pos, start - pos);
    if (std::optional<std::string> value = env(ref.name)) {
      out += *value;
    } else if (ref.fallback) {
      out += *ref.fallback;
    } else {
      out.append(text, start, ref.end - start);
      AddOnce(missing, ref.name);
    }
    pos = ref.end;
  }
  out.append(text, pos);
  return out;
}

}  // namespace sqlflow
