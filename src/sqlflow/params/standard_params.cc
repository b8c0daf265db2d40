#include <stdexcept>

#include <fmt/format.h>

#include "sqlflow/params/parameter_validator.h"

namespace sqlflow {
namespace {

using nlohmann::json;

ParamSpec Spec(std::string name, ParamType type, std::string description) {
  ParamSpec spec;
  spec.name = std::move(name);
  spec.type = type;
  spec.description = std::move(description);
  return spec;
}

ParamSpec Text(std::string name, std::string description) {
  return Spec(std::move(name), ParamType::kString, std::move(description));
}

ParamSpec Integer(std::string name, std::string description, std::optional<int64_t> dflt,
                  double minimum, double maximum) {
  ParamSpec spec = Spec(std::move(name), ParamType::kInteger, std::move(description));
  if (dflt) spec.default_value = json(*dflt);
  spec.minimum = minimum;
  spec.maximum = maximum;
  return spec;
}

/// The table of connector-interface-spec.md, in its order. Port has no default: it differs
/// per connector (5432 for PostgreSQL), so each connector sets its own.
std::vector<ParamSpec> BuildStandardParams() {
  std::vector<ParamSpec> specs;
  specs.push_back(Text("host", "Server host name or IP address"));
  specs.push_back(Integer("port", "Server TCP port", std::nullopt, 1, 65535));
  specs.push_back(Text("database", "Database name"));
  ParamSpec& username = specs.emplace_back(Text("username", "User name to log in as"));
  username.aliases = {"user"};
  specs.emplace_back(Text("password", "Password to log in with")).secret = true;
  ParamSpec& sync_mode =
      specs.emplace_back(Text("sync_mode", "How to read: full_refresh, incremental or cdc"));
  sync_mode.default_value = json("full_refresh");
  sync_mode.allowed = {"full_refresh", "incremental", "cdc"};
  specs.push_back(Text("cursor_field", "Column whose growing values drive incremental reads"));
  specs.push_back(Spec("primary_key", ParamType::kStringList,
                       "Key column or columns: upsert keys, and how incremental reads tell rows "
                       "at the watermark apart"));
  specs.push_back(Text("initial_value",
                       "Cursor value the first incremental run starts from (rows with a cursor "
                       ">= it); default: every row"));
  specs.push_back(Integer("batch_size", "Rows per chunk read or written", 10000, 1, 1000000));
  specs.push_back(
      Integer("timeout_seconds", "Seconds before an operation times out", 300, 1, 86400));
  specs.push_back(Integer("max_retries", "Retries after a transient failure (0: none)", 3, 0, 100));
  specs.push_back(Text("schema", "Schema (namespace) of the table"));
  specs.push_back(Text("table", "Table or object name"));
  specs.push_back(Text("query", "SQL query to run instead of reading a whole table"));
  specs.push_back(Text("path", "File path or glob pattern"));
  specs
      .emplace_back(
          Spec("has_header", ParamType::kBoolean, "Whether the first line holds the column names"))
      .default_value = json(true);
  return specs;
}

const std::vector<ParamSpec>& StandardParams() {
  static const std::vector<ParamSpec> specs = BuildStandardParams();
  return specs;
}

}  // namespace

ParamSpec StandardParam(const std::string& name) {
  for (const ParamSpec& spec : StandardParams()) {
    if (spec.name == name) return spec;
  }
  throw std::logic_error(fmt::format("'{}' is not a standard parameter", name));
}

const std::vector<std::string>& StandardParamNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const ParamSpec& spec : StandardParams()) out.push_back(spec.name);
    return out;
  }();
  return names;
}

ParamSpec StandardParam(const std::string& name, std::string description) {
  ParamSpec p = StandardParam(name);
  if (!description.empty()) p.description = std::move(description);
  return p;
}

ParamSpec MakeParam(std::string name, ParamType type, std::optional<nlohmann::json> default_value,
                    std::string description, std::vector<std::string> allowed) {
  ParamSpec p;
  p.name = std::move(name);
  p.type = type;
  p.default_value = std::move(default_value);
  p.description = std::move(description);
  p.allowed = std::move(allowed);
  return p;
}

}  // namespace sqlflow
