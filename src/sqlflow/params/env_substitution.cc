#include <algorithm>
#include <cstdlib>
#include <string_view>

#include "sqlflow/params/parameter_validator.h"

namespace sqlflow {
namespace {

/// Whether `name` looks like an environment variable name: [A-Za-z_][A-Za-z0-9_]*.
bool IsVariableName(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

/// One well-formed `${NAME}` or `${NAME|default}` reference.
struct Reference {
  size_t end = 0;  ///< Offset one past the closing brace.
  std::string name;
  std::optional<std::string> fallback;  ///< The default, quotes removed.
};

/// Parse a default written in matching quotes, which may hold '}' or '|': 'a}b'.
bool ParseQuotedDefault(std::string_view text, size_t begin, Reference* ref) {
  if (begin >= text.size() || (text[begin] != '\'' && text[begin] != '"')) return false;
  size_t close = text.find(text[begin], begin + 1);
  if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != '}')
    return false;
  ref->fallback = std::string(text.substr(begin + 1, close - begin - 1));
  ref->end = close + 2;
  return true;
}

/// Parse the reference whose "${" starts at `start`; nullopt when it is not well formed
/// (unterminated, or not a variable name), so that it is left as written.
std::optional<Reference> ParseReference(std::string_view text, size_t start) {
  size_t body = start + 2;
  size_t stop = text.find_first_of("|}", body);
  if (stop == std::string_view::npos) return std::nullopt;
  Reference ref;
  ref.name = std::string(text.substr(body, stop - body));
  if (!IsVariableName(ref.name)) return std::nullopt;
  if (text[stop] == '}') {
    ref.end = stop + 1;
    return ref;
  }
  if (ParseQuotedDefault(text, stop + 1, &ref)) return ref;
  size_t close = text.find('}', stop + 1);
  if (close == std::string_view::npos) return std::nullopt;
  ref.fallback = std::string(text.substr(stop + 1, close - stop - 1));
  ref.end = close + 1;
  return ref;
}

void AddOnce(std::vector<std::string>* names, const std::string& name) {
  if (names == nullptr || std::find(names->begin(), names->end(), name) != names->end()) return;
  names->push_back(name);
}

}  // namespace

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
    std::optional<Reference> ref = ParseReference(text, start);
    if (!ref) {
      out.append(text, pos, start + 2 - pos);
      pos = start + 2;
      continue;
    }
    out.append(text, pos, start - pos);
    if (std::optional<std::string> value = env(ref->name)) {
      out += *value;
    } else if (ref->fallback) {
      out += *ref->fallback;
    } else {
      out.append(text, start, ref->end - start);
      AddOnce(missing, ref->name);
    }
    pos = ref->end;
  }
  out.append(text, pos);
  return out;
}

}  // namespace sqlflow
