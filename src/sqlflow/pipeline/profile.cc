#include "sqlflow/pipeline/profile.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string_view>
#include <utility>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "sqlflow/common/error.h"
#include "sqlflow/common/strings.h"
#include "sqlflow/pipeline/diagnostics.h"

namespace sqlflow::pipeline {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kTopLevelKeys = {"engines",     "log_level",  "variables",
                                                "connections", "connectors", "schema_evolution"};
const std::vector<std::string> kEngineKeys = {"mode", "path", "memory_limit", "threads",
                                              "temp_directory"};
/// The Python SQLFlow's older name for memory_limit: accepted, not advertised.
constexpr const char* kLegacyMemoryKey = "max_memory";
const std::vector<std::string> kLogLevels = {"debug", "info", "warning", "error"};
const std::vector<std::string> kMemoryUnits = {"KB", "MB", "GB", "TB", "KiB", "MiB", "GiB", "TiB"};
constexpr const char* kDefaultDatabasePath = "target/sqlflow.duckdb";

bool Contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool HasVariable(std::string_view text) { return text.find("${") != std::string_view::npos; }

/// "did you mean 'x'?" for a near candidate, else `otherwise`.
std::string Suggest(const std::string& word, const std::vector<std::string>& candidates,
                    std::string otherwise) {
  std::string near = ClosestMatch(word, candidates);
  return near.empty() ? std::move(otherwise) : fmt::format("did you mean '{}'?", near);
}

/// Parse a whole decimal number ("2", "1.5"); nullopt otherwise (no sign, no exponent).
std::optional<double> ParseDecimal(std::string_view text) {
  if (text.empty() || text.front() == '.' || text.back() == '.') return std::nullopt;
  if (std::count(text.begin(), text.end(), '.') > 1) return std::nullopt;
  if (!std::all_of(text.begin(), text.end(), [](char c) { return c == '.' || IsDigit(c); }))
    return std::nullopt;
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

/// Check a memory limit's shape ("2GB", "1.5 GiB", "1073741824", "75%"): a positive number
/// with an optional unit, or a percentage in (0, 100]. Return the problem, or "". The engine
/// converts it (engine::NormalizeMemoryLimit); this check only reports a bad value early, with
/// its line in the profile. Pinned by ProfileTest.MemoryLimitShapes.
std::string MemoryLimitProblem(std::string_view text) {
  std::string_view value = Trim(text);
  if (!value.empty() && value.back() == '%') {
    std::optional<double> percent = ParseDecimal(Trim(value.substr(0, value.size() - 1)));
    if (percent && *percent > 0 && *percent <= 100) return "";
    return "must be a percentage above 0 and at most 100";
  }
  size_t unit_begin = 0;
  while (unit_begin < value.size() && (IsDigit(value[unit_begin]) || value[unit_begin] == '.'))
    ++unit_begin;
  std::optional<double> number = ParseDecimal(value.substr(0, unit_begin));
  std::string_view unit = Trim(value.substr(unit_begin));
  bool unit_ok = unit.empty()
                     ? number && *number == static_cast<int64_t>(*number)
                     : std::any_of(kMemoryUnits.begin(), kMemoryUnits.end(),
                                   [&](const std::string& u) { return EqualsIgnoreCase(u, unit); });
  if (number && *number > 0 && unit_ok) return "";
  return "must be a size such as 2GB, 512MB, 1.5GiB or 1073741824 (bytes), or a share of "
         "memory such as 75%";
}

/// Parse a whole positive int ("8"); nullopt otherwise.
std::optional<int> ParsePositiveInt(std::string_view text) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value <= 0)
    return std::nullopt;
  return value;
}

std::optional<bool> ParseBool(std::string_view text) {
  std::string lower = ToLower(text);
  if (lower == "true" || lower == "yes" || lower == "on") return true;
  if (lower == "false" || lower == "no" || lower == "off") return false;
  return std::nullopt;
}

const char* KindName(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Null:
      return "empty";
    default:
      return "a value";
  }
}

/// A YAML value as JSON for connector parameters. Scalars stay strings exactly as written:
/// ParameterValidator accepts "5432" for an integer and "true" for a boolean, while turning
/// `password: 0123` into the number 123 would corrupt it. Null (`~`, empty) is JSON null.
nlohmann::json ToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      return node.Scalar();
    case YAML::NodeType::Sequence: {
      nlohmann::json out = nlohmann::json::array();
      for (const YAML::Node& item : node) out.push_back(ToJson(item));
      return out;
    }
    case YAML::NodeType::Map: {
      nlohmann::json out = nlohmann::json::object();
      for (const auto& entry : node) out[entry.first.Scalar()] = ToJson(entry.second);
      return out;
    }
    default:
      return nullptr;
  }
}

/// Turns the YAML of one profile into a Profile, collecting every problem with its place.
class ProfileParser {
 public:
  ProfileParser(const std::string& name, const std::string& display_path,
                const std::string& yaml_text)
      : file_(std::make_shared<SourceFile>(SourceFile{display_path, yaml_text})) {
    profile_.name = name;
    profile_.path = display_path;
    profile_.file = file_;
    line_starts_.push_back(0);
    for (size_t i = 0; i < yaml_text.size(); ++i) {
      if (yaml_text[i] == '\n') line_starts_.push_back(i + 1);
    }
  }

  Profile Parse();

 private:
  using Handler = void (ProfileParser::*)(const YAML::Node& key, const YAML::Node& value);

  Location At(const YAML::Mark& mark, size_t length) const;
  Location KeyLocation(const YAML::Node& key) const;
  Location ValueLocation(const YAML::Node& value, const YAML::Node& key) const;
  void Problem(Location where, std::string message, std::string suggestion = "") {
    problems_.Add(std::move(where), std::move(message), std::move(suggestion));
  }
  /// Report a repeated key (yaml-cpp keeps both); true when `key` was seen before.
  bool Repeated(const YAML::Node& key, std::set<std::string>* seen);
  /// The scalar text of `value`, or nullopt after reporting that `what` must be a value.
  std::optional<std::string> Scalar(const YAML::Node& key, const YAML::Node& value,
                                    const std::string& what);

  void ParseTop(const YAML::Node& root);
  void ParseEngines(const YAML::Node& key, const YAML::Node& value);
  void ParseDuckdb(const YAML::Node& key, const YAML::Node& value);
  void ParseEngineKey(const std::string& name, const YAML::Node& key, const YAML::Node& value);
  void ParseMode(const YAML::Node& key, const YAML::Node& value);
  void ParseThreads(const YAML::Node& key, const YAML::Node& value);
  void ParseMemoryLimit(const YAML::Node& key, const YAML::Node& value);
  void ParseLogLevel(const YAML::Node& key, const YAML::Node& value);
  void ParseVariables(const YAML::Node& key, const YAML::Node& value);
  void ParseSchemaEvolution(const YAML::Node& key, const YAML::Node& value);
  void ParseConnections(const YAML::Node& key, const YAML::Node& value);
  void ParseConnection(const YAML::Node& key, const YAML::Node& value);
  /// Add the entries of `params` to `out`, reporting a name given twice.
  void AddParams(const std::string& connection, const YAML::Node& params, nlohmann::json* out);
  void Ignore(const YAML::Node&, const YAML::Node&) {}

  std::shared_ptr<const SourceFile> file_;
  std::vector<size_t> line_starts_;
  Profile profile_;
  DiagnosticList problems_;
};

Location ProfileParser::At(const YAML::Mark& mark, size_t length) const {
  size_t offset = 0;
  if (!mark.is_null() && mark.line >= 0 && static_cast<size_t>(mark.line) < line_starts_.size()) {
    offset = std::min(line_starts_[mark.line] + std::max(mark.column, 0), file_->text.size());
  }
  return Location{file_, offset, std::max<size_t>(length, 1)};
}

Location ProfileParser::KeyLocation(const YAML::Node& key) const {
  return At(key.Mark(), key.IsScalar() ? key.Scalar().size() : 1);
}

// A value's mark is that of its first byte (the quote of a quoted scalar). An empty value
// (`key:` with nothing after it) is marked where the next token starts, often the next line,
// so the key stands in for any null value. Pinned by ProfileTest.AnEmptyEngineValue*.
Location ProfileParser::ValueLocation(const YAML::Node& value, const YAML::Node& key) const {
  if (value.IsNull() || value.Mark().is_null()) return KeyLocation(key);
  size_t length = 1;
  if (value.IsScalar()) length = value.Scalar().size() + (value.Tag() == "!" ? 2 : 0);
  return At(value.Mark(), length);
}

bool ProfileParser::Repeated(const YAML::Node& key, std::set<std::string>* seen) {
  if (seen->insert(key.Scalar()).second) return false;
  Problem(KeyLocation(key), fmt::format("'{}' is given twice", key.Scalar()), "remove one of them");
  return true;
}

std::optional<std::string> ProfileParser::Scalar(const YAML::Node& key, const YAML::Node& value,
                                                 const std::string& what) {
  if (value.IsScalar()) return value.Scalar();
  Problem(ValueLocation(value, key),
          fmt::format("{} must be a value, not {}", what, KindName(value)));
  return std::nullopt;
}

Profile ProfileParser::Parse() {
  YAML::Node root;
  try {
    root = YAML::Load(file_->text);
  } catch (const YAML::ParserException& e) {
    Problem(At(e.mark, 1), fmt::format("invalid YAML: {}", e.msg));
    problems_.Check();  // Throws: nothing more can be read.
  }
  // Older Python SQLFlow profiles wrap everything in the profile's name: `dev: {engines: ...}`.
  if (root.IsMap() && root.size() == 1) {
    const YAML::Node& const_root = root;
    YAML::Node inner = const_root[profile_.name];
    if (inner.IsDefined() && inner.IsMap()) root.reset(inner);
  }
  if (root.IsMap()) {
    ParseTop(root);
  } else if (!root.IsNull()) {
    Problem(At(root.Mark(), 1),
            fmt::format("a profile must be a mapping of keys such as engines, variables and "
                        "connections, not {}",
                        KindName(root)));
  }
  problems_.Check();
  return std::move(profile_);
}

void ProfileParser::ParseTop(const YAML::Node& root) {
  static const std::map<std::string, Handler> kHandlers = {
      {"engines", &ProfileParser::ParseEngines},
      {"log_level", &ProfileParser::ParseLogLevel},
      {"variables", &ProfileParser::ParseVariables},
      {"connections", &ProfileParser::ParseConnections},
      {"connectors", &ProfileParser::ParseConnections},
      {"schema_evolution", &ProfileParser::ParseSchemaEvolution},
      // Keys of Python SQLFlow profiles that carry nothing for us: accepted and ignored.
      {"version", &ProfileParser::Ignore},
      {"description", &ProfileParser::Ignore},
      {"name", &ProfileParser::Ignore},
      {"log_file", &ProfileParser::Ignore},
      {"logging", &ProfileParser::Ignore}};
  std::set<std::string> seen;
  for (const auto& entry : root) {
    const std::string& name = entry.first.Scalar();
    if (Repeated(entry.first, &seen)) continue;
    auto handler = kHandlers.find(name);
    if (handler == kHandlers.end()) {
      Problem(KeyLocation(entry.first), fmt::format("unknown profile key '{}'", name),
              Suggest(name, kTopLevelKeys,
                      fmt::format("expected one of: {}", Join(kTopLevelKeys, ", "))));
      continue;
    }
    (this->*handler->second)(entry.first, entry.second);
  }
}

void ProfileParser::ParseEngines(const YAML::Node& key, const YAML::Node& value) {
  if (value.IsNull()) return;
  if (!value.IsMap()) {
    Problem(ValueLocation(value, key), "'engines' must be a mapping",
            "write engines: {duckdb: {mode: memory}}");
    return;
  }
  std::set<std::string> seen;
  for (const auto& entry : value) {
    const std::string& name = entry.first.Scalar();
    if (Repeated(entry.first, &seen)) continue;
    if (name != "duckdb") {
      Problem(KeyLocation(entry.first), fmt::format("unknown engine '{}'", name),
              Suggest(name, {"duckdb"}, "the only engine is duckdb"));
      continue;
    }
    ParseDuckdb(entry.first, entry.second);
  }
  if (profile_.engine.persistent && profile_.engine.path.empty()) {
    profile_.engine.path = kDefaultDatabasePath;
  }
}

void ProfileParser::ParseDuckdb(const YAML::Node& key, const YAML::Node& value) {
  if (value.IsNull()) return;
  if (!value.IsMap()) {
    Problem(ValueLocation(value, key), "'engines.duckdb' must be a mapping",
            fmt::format("its keys are {}", Join(kEngineKeys, ", ")));
    return;
  }
  std::set<std::string> seen;
  for (const auto& entry : value) {
    const std::string& name = entry.first.Scalar();
    if (Repeated(entry.first, &seen)) continue;
    if (!Contains(kEngineKeys, name) && name != kLegacyMemoryKey) {
      Problem(
          KeyLocation(entry.first), fmt::format("unknown key '{}' in engines.duckdb", name),
          Suggest(name, kEngineKeys, fmt::format("expected one of: {}", Join(kEngineKeys, ", "))));
      continue;
    }
    ParseEngineKey(name, entry.first, entry.second);
  }
}

void ProfileParser::ParseEngineKey(const std::string& name, const YAML::Node& key,
                                   const YAML::Node& value) {
  if (name == "mode") return ParseMode(key, value);
  if (name == "threads") return ParseThreads(key, value);
  // max_memory is the Python SQLFlow's older name for memory_limit.
  if (name == "memory_limit" || name == kLegacyMemoryKey) return ParseMemoryLimit(key, value);
  std::optional<std::string> text = Scalar(key, value, "engines.duckdb." + name);
  if (!text) return;
  if (name == "temp_directory") {
    profile_.engine.temp_directory = *text;
  } else if (text->empty()) {
    Problem(ValueLocation(value, key), "engines.duckdb.path must not be empty",
            fmt::format("leave it out for the default {}", kDefaultDatabasePath));
  } else {
    profile_.engine.path = *text;
  }
}

void ProfileParser::ParseMode(const YAML::Node& key, const YAML::Node& value) {
  std::optional<std::string> text = Scalar(key, value, "engines.duckdb.mode");
  if (!text) return;
  std::string mode = ToLower(*text);
  if (mode == "memory" || mode == "persistent") {
    profile_.engine.persistent = mode == "persistent";
    return;
  }
  Problem(ValueLocation(value, key),
          fmt::format("engines.duckdb.mode must be 'memory' or 'persistent', got '{}'", *text),
          HasVariable(*text) ? "variables are not substituted in engines.duckdb.mode"
                             : Suggest(*text, {"memory", "persistent"}, ""));
}

void ProfileParser::ParseThreads(const YAML::Node& key, const YAML::Node& value) {
  std::optional<std::string> text = Scalar(key, value, "engines.duckdb.threads");
  if (!text) return;
  if (std::optional<int> threads = ParsePositiveInt(Trim(*text))) {
    profile_.engine.threads = *threads;
    return;
  }
  Problem(ValueLocation(value, key),
          fmt::format("engines.duckdb.threads must be a positive integer, got '{}'", *text),
          HasVariable(*text) ? "variables are not substituted in engines.duckdb.threads"
                             : "leave it out to use every core");
}

void ProfileParser::ParseMemoryLimit(const YAML::Node& key, const YAML::Node& value) {
  std::optional<std::string> text = Scalar(key, value, "engines.duckdb.memory_limit");
  if (!text) return;
  // A variable is resolved by the planner; the engine checks the value it becomes.
  std::string problem = HasVariable(*text) ? "" : MemoryLimitProblem(*text);
  if (problem.empty()) {
    profile_.engine.memory_limit = *text;
    return;
  }
  Problem(ValueLocation(value, key),
          fmt::format("engines.duckdb.memory_limit {}, got '{}'", problem, *text));
}

void ProfileParser::ParseLogLevel(const YAML::Node& key, const YAML::Node& value) {
  std::optional<std::string> text = Scalar(key, value, "log_level");
  if (!text) return;
  std::string level = ToLower(*text);
  if (Contains(kLogLevels, level) || HasVariable(*text)) {
    profile_.log_level = HasVariable(*text) ? *text : level;
    return;
  }
  Problem(ValueLocation(value, key),
          fmt::format("log_level must be one of {}; got '{}'", Join(kLogLevels, ", "), *text),
          Suggest(level, kLogLevels, ""));
}

void ProfileParser::ParseSchemaEvolution(const YAML::Node& key, const YAML::Node& value) {
  std::optional<std::string> text = Scalar(key, value, "schema_evolution");
  if (!text) return;
  if (std::optional<bool> allow = ParseBool(Trim(*text))) {
    profile_.allow_schema_evolution = *allow;
    return;
  }
  Problem(ValueLocation(value, key),
          fmt::format("schema_evolution must be true or false, got '{}'", *text));
}

void ProfileParser::ParseVariables(const YAML::Node& key, const YAML::Node& value) {
  if (value.IsNull()) return;
  if (!value.IsMap()) {
    Problem(ValueLocation(value, key), "'variables' must be a mapping of names to values",
            "write variables: {env: dev}");
    return;
  }
  std::set<std::string> seen;
  for (const auto& entry : value) {
    const std::string& name = entry.first.Scalar();
    if (Repeated(entry.first, &seen)) continue;
    if (entry.second.IsNull()) {
      profile_.variables[name] = "";
    } else if (std::optional<std::string> text =
                   Scalar(entry.first, entry.second, fmt::format("variable '{}'", name))) {
      profile_.variables[name] = *text;
    }
  }
}

void ProfileParser::ParseConnections(const YAML::Node& key, const YAML::Node& value) {
  if (value.IsNull()) return;
  if (!value.IsMap()) {
    Problem(
        ValueLocation(value, key),
        fmt::format("'{}' must be a mapping of connection names to their settings", key.Scalar()));
    return;
  }
  for (const auto& entry : value) {
    if (profile_.connections.count(entry.first.Scalar()) != 0) {
      Problem(KeyLocation(entry.first),
              fmt::format("connection '{}' is defined twice", entry.first.Scalar()),
              "remove one of them");
      continue;
    }
    ParseConnection(entry.first, entry.second);
  }
}

// `connections: {name: {type, ...params}}` and the Python `connectors: {name: {type, params:
// {...}}}` are read alike: a `params` mapping is merged with the other keys, so either form
// works under either section.
void ProfileParser::ParseConnection(const YAML::Node& key, const YAML::Node& value) {
  ConnectionConfig connection;
  connection.name = key.Scalar();
  connection.location = KeyLocation(key);
  connection.params = nlohmann::json::object();
  if (!value.IsMap()) {
    Problem(ValueLocation(value, key),
            fmt::format("connection '{}' must be a mapping with a type and its parameters",
                        connection.name),
            "write e.g. {type: postgres, host: localhost}");
    return;
  }
  for (const auto& entry : value) {
    const std::string& name = entry.first.Scalar();
    if (name == "type") {
      std::optional<std::string> type =
          Scalar(entry.first, entry.second, fmt::format("the type of '{}'", connection.name));
      if (type) connection.type = *type;
    } else if (name == "params" && (entry.second.IsMap() || entry.second.IsNull())) {
      AddParams(connection.name, entry.second, &connection.params);
    } else {
      if (connection.params.contains(name)) {
        Problem(
            KeyLocation(entry.first),
            fmt::format("parameter '{}' of connection '{}' is given twice", name, connection.name));
      }
      connection.params[name] = ToJson(entry.second);
    }
  }
  if (Trim(connection.type).empty()) {
    Problem(connection.location, fmt::format("connection '{}' has no type", connection.name),
            "add `type: <connector>`, e.g. type: postgres (see `sqlflow connectors list`)");
    return;
  }
  profile_.connections[connection.name] = std::move(connection);
}

void ProfileParser::AddParams(const std::string& connection, const YAML::Node& params,
                              nlohmann::json* out) {
  for (const auto& entry : params) {
    const std::string& name = entry.first.Scalar();
    if (out->contains(name)) {
      Problem(KeyLocation(entry.first),
              fmt::format("parameter '{}' of connection '{}' is given twice", name, connection));
    }
    (*out)[name] = ToJson(entry.second);
  }
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) throw ConfigError(fmt::format("cannot read profile {}", path.string()));
  std::ostringstream text;
  text << in.rdbuf();  // Sets failbit on `text` for an empty file, which is a valid profile.
  if (in.bad()) throw ConfigError(fmt::format("cannot read profile {}", path.string()));
  return text.str();
}

/// The ConfigError for a profile that is not there.
ConfigError NotFound(const fs::path& dir, const std::string& name) {
  if (!fs::is_directory(dir)) {
    return ConfigError(
        fmt::format("profile '{}' not found: {} does not exist", name, dir.string()));
  }
  std::vector<std::string> found = ListProfiles(dir.parent_path());
  std::string message = fmt::format("profile '{}' not found in {}; ", name, dir.string());
  message +=
      found.empty() ? "no profiles found" : fmt::format("profiles found: {}", Join(found, ", "));
  return ConfigError(message, Suggest(name, found, ""));
}

}  // namespace

std::vector<std::string> ListProfiles(const fs::path& project_dir) {
  std::set<std::string> names;
  std::error_code error;
  fs::directory_iterator it(project_dir / "profiles", error);
  for (; !error && it != fs::directory_iterator(); it.increment(error)) {
    const fs::path& path = it->path();
    std::string extension = path.extension().string();
    std::error_code not_a_file;  // A broken link is skipped; it does not end the listing.
    if ((extension == ".yml" || extension == ".yaml") && it->is_regular_file(not_a_file)) {
      names.insert(path.stem().string());
    }
  }
  return {names.begin(), names.end()};
}

Profile LoadProfile(const fs::path& project_dir, const std::string& name) {
  fs::path dir = project_dir / "profiles";
  if (!fs::exists(dir) && name == "dev") {
    Profile profile;
    profile.name = name;
    return profile;
  }
  // Only names ListProfiles found are opened, so "../x" cannot reach outside profiles/.
  std::vector<std::string> found = ListProfiles(project_dir);
  if (!Contains(found, name)) throw NotFound(dir, name);
  std::string file_name = name + ".yml";
  if (!fs::is_regular_file(dir / file_name)) file_name = name + ".yaml";
  std::string text = ReadFile(dir / file_name);
  return ParseProfile(name, (fs::path("profiles") / file_name).string(), text);
}

Profile ParseProfile(const std::string& name, const std::string& display_path,
                     const std::string& yaml_text) {
  return ProfileParser(name, display_path, yaml_text).Parse();
}

}  // namespace sqlflow::pipeline
