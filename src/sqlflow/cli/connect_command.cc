#include "sqlflow/cli/connect_command.h"

#include <optional>

#include <fmt/format.h>

#include "sqlflow/cli/table.h"
#include "sqlflow/common/strings.h"
#include "sqlflow/pipeline/variables.h"
#include "sqlflow/runner/planner.h"

#include <CLI/CLI.hpp>

namespace sqlflow::cli {

namespace {

constexpr const char* kRedacted = "***";

// Every name `spec` accepts for a secret parameter (canonical, aliases, deprecated names).
std::vector<std::string> SecretNames(const ConnectorSpec& spec) {
  std::vector<std::string> names;
  for (const ParamSpec& p : spec.params) {
    if (!p.secret) continue;
    names.push_back(p.name);
    names.insert(names.end(), p.aliases.begin(), p.aliases.end());
    names.insert(names.end(), p.deprecated_names.begin(), p.deprecated_names.end());
  }
  return names;
}

// Whether an unknown parameter name looks like it holds a credential: it is shown redacted
// even though the connector would reject it ("password" given to CSV).
bool LooksSecret(const std::string& name) {
  static const char* const kWords[] = {"password",   "passwd",  "secret",  "token",
                                       "credential", "private", "api_key", "access_key"};
  std::string lower = ToLower(name);
  for (const char* word : kWords) {
    if (lower.find(word) != std::string::npos) return true;
  }
  return false;
}

bool IsKnownName(const ConnectorSpec& spec, const std::string& name) {
  for (const ParamSpec& p : spec.params) {
    if (EqualsIgnoreCase(p.name, name)) return true;
    for (const std::string& a : p.aliases) {
      if (EqualsIgnoreCase(a, name)) return true;
    }
    for (const std::string& d : p.deprecated_names) {
      if (EqualsIgnoreCase(d, name)) return true;
    }
  }
  return false;
}

// The spec of `type` (sources first), or null when no registry has it.
const ConnectorSpec* FindSpec(const ConnectorRegistry& registry, const std::string& type) {
  if (registry.sources().Contains(type)) return &registry.sources().Spec(type);
  if (registry.destinations().Contains(type)) return &registry.destinations().Spec(type);
  return nullptr;
}

std::vector<std::string> KnownTypes(const ConnectorRegistry& registry) {
  std::vector<std::string> names = registry.sources().Types();
  for (const std::string& t : registry.destinations().Types()) {
    if (!registry.sources().Contains(t)) names.push_back(t);
  }
  return names;
}

// "host=localhost, password=***, port=5432": parameters on one line.
std::string ParamsText(const nlohmann::json& params) {
  std::vector<std::string> parts;
  for (const auto& [key, value] : params.items()) {
    std::string text = value.is_string()
                           ? value.get<std::string>()
                           : value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    parts.push_back(key + "=" + text);
  }
  return parts.empty() ? "-" : Join(parts, ", ");
}

// "'name': message (suggestion)": one validator problem on one line.
std::string ProblemText(const ParameterProblem& p) {
  std::string text =
      p.parameter.empty() ? p.message : fmt::format("'{}': {}", p.parameter, p.message);
  if (!p.suggestion.empty()) text += fmt::format(" ({})", p.suggestion);
  return text;
}

// A new connector of `type`, a source when the type reads, else a destination; null when no
// registry has the type.
std::unique_ptr<Connector> CreateAny(const ConnectorRegistry& registry, const std::string& type,
                                     const std::shared_ptr<Clock>& clock) {
  if (registry.sources().Contains(type)) return registry.sources().Create(type, clock);
  if (registry.destinations().Contains(type)) return registry.destinations().Create(type, clock);
  return nullptr;
}

// The problems the connector's validator finds in a connection's parameters (empty when
// valid). An unknown type is one problem.
std::vector<std::string> ConnectionProblems(const pipeline::ConnectionConfig& connection,
                                            const CliEnv& env, const EnvLookup& lookup) {
  std::unique_ptr<Connector> connector = CreateAny(env.registry, connection.type, env.clock);
  if (!connector) return {UnknownTypeMessage("", connection.type, KnownTypes(env.registry))};
  try {
    connector->ValidateParams(connection.params, lookup);
    return {};
  } catch (const ParameterError& e) {
    std::vector<std::string> problems;
    for (const ParameterProblem& p : e.problems()) problems.push_back(ProblemText(p));
    return problems;
  }
}

pipeline::VariableScope ScopeOf(const ProjectFlags& flags, const pipeline::Profile& profile,
                                const CliEnv& env) {
  return pipeline::VariableScope(ParseVarsFlag(flags.vars), profile.variables, env.env_lookup);
}

const pipeline::ConnectionConfig& FindConnection(const pipeline::Profile& profile,
                                                 const std::string& name) {
  auto it = profile.connections.find(name);
  if (it != profile.connections.end()) return it->second;
  std::string message =
      fmt::format("connection '{}' not found in profile {} ({})", name, profile.name, profile.path);
  std::vector<std::string> names;
  for (const auto& [known, unused] : profile.connections) names.push_back(known);
  if (names.empty()) throw InvalidInput(message + "; the profile has no connections");
  std::string suggestion = ClosestMatch(name, names);
  if (!suggestion.empty()) message += fmt::format(" (did you mean '{}'?)", suggestion);
  throw InvalidInput(message + "; connections: " + Join(names, ", "));
}

// Configure a connector of one direction for `connection` and check its health.
template <typename Registry>
HealthReport CheckAs(const Registry& registry, const pipeline::ConnectionConfig& connection,
                     const Project& project, const EnvLookup& env, const CliEnv& cli) {
  auto connector = registry.Create(connection.type, cli.clock);
  connector->set_name(connection.name);
  ParameterSet validated;
  try {
    validated = connector->ValidateParams(connection.params, env);
  } catch (const ParameterError& e) {
    throw InvalidInput(fmt::format("invalid parameters for connection '{}' ({}):\n{}",
                                   connection.name, connector->type_name(),
                                   FormatProblems(e.problems())));
  }
  // The file a run would use, whatever the current directory (as the planner resolves it).
  nlohmann::json values = validated.values();
  runner::ResolveProjectPath(connector->spec(), project.dir(), &values);
  connector->Configure(values, env);
  return connector->CheckHealth();
}

// The rest of the health report on one indented line: connected, last check, capabilities.
std::string HealthDetails(const HealthReport& health) {
  std::vector<std::string> capabilities;
  if (health.capabilities.incremental) capabilities.push_back("incremental");
  if (health.capabilities.batch_reading) capabilities.push_back("batch_reading");
  if (health.capabilities.health_monitoring) capabilities.push_back("health_monitoring");
  return fmt::format("  connected: {}, last check: {}, capabilities: {}\n",
                     health.connected ? "yes" : "no", health.last_check,
                     capabilities.empty() ? "-" : Join(capabilities, ", "));
}

std::string HealthText(const pipeline::ConnectionConfig& connection, const std::string& type,
                       const char* role, const HealthReport& health) {
  if (health.healthy) {
    return fmt::format("\u2713 {} ({} {}): healthy, {:.1f} ms\n", connection.name, type, role,
                       health.response_time_ms) +
           HealthDetails(health);
  }
  return fmt::format("\u2717 {} ({} {}): unhealthy: {}\n", connection.name, type, role,
                     health.error.empty() ? "no details" : health.error) +
         HealthDetails(health);
}

}  // namespace

nlohmann::json RedactConnectionParams(const nlohmann::json& params, const ConnectorSpec* spec) {
  nlohmann::json out = nlohmann::json::object();
  if (!params.is_object()) return out;
  std::vector<std::string> secrets =
      spec != nullptr ? SecretNames(*spec) : std::vector<std::string>{};
  for (const auto& [key, value] : params.items()) {
    bool secret = spec == nullptr;
    for (const std::string& s : secrets) secret = secret || EqualsIgnoreCase(s, key);
    if (!secret && !IsKnownName(*spec, key)) {
      secret = LooksSecret(key) || !ClosestMatch(key, secrets).empty();
    }
    out[key] = secret ? nlohmann::json(kRedacted) : value;
  }
  return out;
}

ExitCode ListConnections(const ProjectFlags& flags, const CliEnv& env) {
  Project project = Project::Open(flags.project_dir);
  pipeline::Profile profile = project.LoadProfile(flags.profile);
  pipeline::VariableScope scope = ScopeOf(flags, profile, env);
  nlohmann::json list = nlohmann::json::array();
  std::vector<std::vector<std::string>> rows = {{"NAME", "TYPE", "PARAMETERS", "STATUS"}};
  std::string details;
  for (const auto& [name, connection] : profile.connections) {
    const ConnectorSpec* spec = FindSpec(env.registry, connection.type);
    nlohmann::json params = RedactConnectionParams(connection.params, spec);
    std::vector<std::string> problems = ConnectionProblems(connection, env, scope.AsEnvLookup());
    list.push_back({{"name", name},
                    {"type", spec != nullptr ? spec->type : connection.type},
                    {"params", params},
                    {"valid", problems.empty()},
                    {"problems", problems}});
    rows.push_back({name, spec != nullptr ? spec->type : connection.type, ParamsText(params),
                    problems.empty() ? "valid" : "invalid"});
    if (!problems.empty())
      details += fmt::format("\n{}:\n  - {}\n", name, Join(problems, "\n  - "));
  }
  if (flags.json) {
    env.out << JsonOutput(
        {{"profile", profile.name}, {"path", profile.path}, {"connections", list}});
  } else if (profile.connections.empty()) {
    env.out << fmt::format("Profile {} ({}) has no connections\n", profile.name, profile.path);
  } else {
    env.out << fmt::format("Connections of profile {} ({}):\n", profile.name, profile.path)
            << FormatTable(rows) << details;
  }
  return ExitCode::kSuccess;
}

ExitCode TestConnection(const ProjectFlags& flags, const std::string& name, const CliEnv& env) {
  Project project = Project::Open(flags.project_dir);
  pipeline::Profile profile = project.LoadProfile(flags.profile);
  pipeline::VariableScope scope = ScopeOf(flags, profile, env);
  const pipeline::ConnectionConfig& connection = FindConnection(profile, name);
  const ConnectorSpec* spec = FindSpec(env.registry, connection.type);
  if (spec == nullptr) {
    throw InvalidInput(
        fmt::format("connection '{}': {}", name,
                    UnknownTypeMessage("", connection.type, KnownTypes(env.registry))));
  }
  EnvLookup lookup = scope.AsEnvLookup();
  const char* role = "source";
  std::optional<HealthReport> health;
  if (env.registry.sources().Contains(connection.type)) {
    health = CheckAs(env.registry.sources(), connection, project, lookup, env);
  }
  // A type that also writes (CSV) may name a file that does not exist yet: a connection
  // used by EXPORT. It is usable when its destination side is.
  if ((!health || !health->healthy) && env.registry.destinations().Contains(connection.type)) {
    std::optional<HealthReport> as_destination;
    try {
      as_destination = CheckAs(env.registry.destinations(), connection, project, lookup, env);
    } catch (const InvalidInput&) {
      // Source-only parameters: the connection is a source; its report stands.
      if (!health) throw;
    }
    if (as_destination && (as_destination->healthy || !health)) {
      health = as_destination;
      role = "destination";
    }
  }
  if (flags.json) {
    nlohmann::json json = health->ToJson();
    json["connection"] = name;
    json["type"] = spec->type;
    json["role"] = role;
    env.out << JsonOutput(json);
  } else {
    env.out << HealthText(connection, spec->type, role, *health);
  }
  return health->healthy ? ExitCode::kSuccess : ExitCode::kFailure;
}

void AddConnectCommand(CLI::App& app, const CliEnv& env, CommandFn* chosen) {
  struct State {
    ProjectFlags flags;
    std::string name;
  };
  auto state = std::make_shared<State>();
  CLI::App* group = app.add_subcommand("connect", "List and test the profile's connections");
  AddProjectFlags(*group, &state->flags);

  group->add_subcommand("list", "List the connections of the profile")
      ->callback([&env, chosen, state] {
        *chosen = [&env, state] { return ListConnections(state->flags, env); };
      });

  CLI::App* test = group->add_subcommand("test", "Connect to a connection and report its health");
  test->add_option("NAME", state->name, "Connection name (see `sqlflow connect list`)")->required();
  test->callback([&env, chosen, state] {
    *chosen = [&env, state] { return TestConnection(state->flags, state->name, env); };
  });
}

}  // namespace sqlflow::cli
