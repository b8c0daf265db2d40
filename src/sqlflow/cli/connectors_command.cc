#include "sqlflow/cli/connectors_command.h"

#include <cmath>
#include <utility>

#include <fmt/format.h>

#include "sqlflow/cli/table.h"
#include "sqlflow/common/strings.h"

#include <CLI/CLI.hpp>

namespace sqlflow::cli {

namespace {

using Flag = std::pair<const char*, bool Capabilities::*>;

// Every capability, in the order `connectors spec` shows them.
constexpr Flag kAllCapabilities[] = {
    {"incremental", &Capabilities::incremental},
    {"batch_reading", &Capabilities::batch_reading},
    {"health_monitoring", &Capabilities::health_monitoring},
    {"projection_pushdown", &Capabilities::projection_pushdown},
    {"filter_pushdown", &Capabilities::filter_pushdown},
    {"discovery", &Capabilities::discovery},
    {"upsert", &Capabilities::upsert},
    {"atomic_write", &Capabilities::atomic_write},
};
// The flags that tell connector types apart, in the short form of `connectors list`.
constexpr Flag kSourceFlags[] = {{"incremental", &Capabilities::incremental},
                                 {"projection", &Capabilities::projection_pushdown},
                                 {"filter", &Capabilities::filter_pushdown},
                                 {"discovery", &Capabilities::discovery}};
constexpr Flag kDestinationFlags[] = {{"upsert", &Capabilities::upsert},
                                      {"atomic", &Capabilities::atomic_write}};

template <size_t N>
std::string CapabilityList(const Capabilities& caps, const Flag (&flags)[N]) {
  std::vector<std::string> names;
  for (const Flag& f : flags) {
    if (caps.*(f.second)) names.emplace_back(f.first);
  }
  return names.empty() ? "-" : Join(names, ", ");
}

// All registered type names, sources first, each once.
std::vector<std::string> KnownTypes(const ConnectorRegistry& registry) {
  std::vector<std::string> names = registry.sources().Types();
  for (const std::string& t : registry.destinations().Types()) {
    if (!registry.sources().Contains(t)) names.push_back(t);
  }
  return names;
}

void RequireKnown(const ConnectorRegistry& registry, const std::string& type) {
  if (registry.sources().Contains(type) || registry.destinations().Contains(type)) return;
  throw InvalidInput(UnknownTypeMessage("", type, KnownTypes(registry)));
}

// A number from a spec (bounds are doubles): "1000000", not "1e+06".
std::string FormatNumber(double value) {
  if (std::isfinite(value) && std::floor(value) == value && std::fabs(value) < 1e15) {
    return fmt::format("{}", static_cast<int64_t>(value));
  }
  return fmt::format("{}", value);
}

std::string DescribeParam(const ParamSpec& p) {
  std::string text = p.description;
  auto add = [&text](const std::string& part) {
    if (!text.empty()) text += ' ';
    text += "[" + part + "]";
  };
  if (!p.allowed.empty()) add("one of: " + Join(p.allowed, ", "));
  if (p.minimum && p.maximum) {
    add(fmt::format("range: {}..{}", FormatNumber(*p.minimum), FormatNumber(*p.maximum)));
  } else if (p.minimum) {
    add(fmt::format("minimum: {}", FormatNumber(*p.minimum)));
  } else if (p.maximum) {
    add(fmt::format("maximum: {}", FormatNumber(*p.maximum)));
  }
  if (!p.aliases.empty()) add("aliases: " + Join(p.aliases, ", "));
  if (!p.deprecated_names.empty()) add("deprecated names: " + Join(p.deprecated_names, ", "));
  if (p.secret) add("secret");
  return text;
}

std::string DescribeConstraint(const ParamConstraint& c) {
  switch (c.kind) {
    case ParamConstraint::Kind::kExactlyOneOf:
      return "exactly one of: " + Join(c.names, ", ");
    case ParamConstraint::Kind::kAtLeastOneOf:
      return "at least one of: " + Join(c.names, ", ");
    case ParamConstraint::Kind::kRequires: {
      if (c.names.empty()) return "";
      std::vector<std::string> rest(c.names.begin() + 1, c.names.end());
      return fmt::format("{} requires: {}", c.names[0], Join(rest, ", "));
    }
  }
  return "";
}

// The type's default resilience profile (ResilienceOptions::ToJson), one line per part in
// the order a call meets them: "retry: max_attempts=3 ...", "none" for a part the profile
// leaves out; a type with nothing to retry says so in one line. Durations are in seconds.
std::string ResilienceSection(const nlohmann::json& profile) {
  if (profile["retry"].is_null() && profile["circuit_breaker"].is_null() &&
      profile["rate_limit"].is_null()) {
    return "  resilience: none (nothing to retry)\n";
  }
  std::string out =
      "\n  resilience defaults (override with the `resilience` parameter; seconds):\n";
  for (const char* part : {"retry", "circuit_breaker", "rate_limit", "recovery"}) {
    std::string line;
    if (profile[part].is_object()) {
      for (const auto& [key, value] : profile[part].items()) {
        if (!line.empty()) line += " ";
        line += key + "=" + (value.is_string() ? value.get<std::string>() : value.dump());
      }
    }
    out += fmt::format("    {}: {}\n", part, line.empty() ? "none" : line);
  }
  return out;
}

std::string SpecSection(const ConnectorSpec& spec, const char* direction) {
  std::string out = fmt::format("{} {}: {}\n\n", spec.type, direction, spec.description);
  if (spec.params.empty()) {
    out += "  (no parameters)\n";
  } else {
    std::vector<std::vector<std::string>> rows = {
        {"NAME", "TYPE", "REQUIRED", "DEFAULT", "DESCRIPTION"}};
    for (const ParamSpec& p : spec.params) {
      // A secret never shows a value, not even a default.
      std::string default_text =
          (p.default_value && !p.secret)
              ? p.default_value->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
              : "-";
      rows.push_back({p.name, ParamTypeName(p.type), p.required ? "yes" : "no", default_text,
                      DescribeParam(p)});
    }
    out += FormatTable(rows);
  }
  for (const ParamConstraint& c : spec.constraints)
    out += "  rule: " + DescribeConstraint(c) + "\n";
  out += "\n  capabilities: " + CapabilityList(spec.capabilities, kAllCapabilities) + "\n";
  out += ResilienceSection(spec.ToJson()["resilience"]);
  return out;
}

// Spec JSON with secret defaults removed, whatever ConnectorSpec::ToJson() does.
nlohmann::json SafeSpecJson(const ConnectorSpec& spec) {
  nlohmann::json json = spec.ToJson();
  if (json.contains("parameters") && json["parameters"].is_array()) {
    for (nlohmann::json& p : json["parameters"]) {
      if (p.value("secret", false)) p.erase("default");
    }
  }
  return json;
}

}  // namespace

nlohmann::json ConnectorListJson(const ConnectorRegistry& registry) {
  auto entries = [](const auto& typed) {
    nlohmann::json list = nlohmann::json::array();
    for (const std::string& type : typed.Types()) {
      const ConnectorSpec& spec = typed.Spec(type);
      list.push_back({{"type", spec.type},
                      {"description", spec.description},
                      {"capabilities", spec.capabilities.ToJson()}});
    }
    return list;
  };
  return {{"sources", entries(registry.sources())},
          {"destinations", entries(registry.destinations())}};
}

std::string ConnectorListText(const ConnectorRegistry& registry) {
  // One table for both directions so the columns line up; split after formatting.
  const std::vector<std::string> header = {"TYPE", "DESCRIPTION", "CAPABILITIES"};
  std::vector<std::vector<std::string>> rows = {header};
  for (const std::string& type : registry.sources().Types()) {
    const ConnectorSpec& spec = registry.sources().Spec(type);
    rows.push_back({spec.type, spec.description, CapabilityList(spec.capabilities, kSourceFlags)});
  }
  size_t source_lines = rows.size();
  rows.push_back(header);
  for (const std::string& type : registry.destinations().Types()) {
    const ConnectorSpec& spec = registry.destinations().Spec(type);
    rows.push_back(
        {spec.type, spec.description, CapabilityList(spec.capabilities, kDestinationFlags)});
  }
  std::vector<std::string> lines = Split(FormatTable(rows), '\n');
  std::string out = "Sources:\n";
  for (size_t i = 0; i < rows.size(); ++i) {
    if (i == source_lines) out += "\nDestinations:\n";
    out += lines[i] + "\n";
  }
  return out;
}

nlohmann::json ConnectorSpecJson(const ConnectorRegistry& registry, const std::string& type) {
  RequireKnown(registry, type);
  nlohmann::json json = nlohmann::json::object();
  if (registry.sources().Contains(type)) {
    const ConnectorSpec& spec = registry.sources().Spec(type);
    json["type"] = spec.type;
    json["source"] = SafeSpecJson(spec);
  }
  if (registry.destinations().Contains(type)) {
    const ConnectorSpec& spec = registry.destinations().Spec(type);
    json["type"] = spec.type;
    json["destination"] = SafeSpecJson(spec);
  }
  return json;
}

std::string ConnectorSpecText(const ConnectorRegistry& registry, const std::string& type) {
  RequireKnown(registry, type);
  std::string out;
  if (registry.sources().Contains(type)) {
    out += SpecSection(registry.sources().Spec(type), "source");
  }
  if (registry.destinations().Contains(type)) {
    if (!out.empty()) out += "\n";
    out += SpecSection(registry.destinations().Spec(type), "destination");
  }
  return out;
}

void AddConnectorsCommand(CLI::App& app, const CliEnv& env, CommandFn* chosen) {
  CLI::App* connectors = app.add_subcommand("connectors", "List connector types and their specs");

  CLI::App* list = connectors->add_subcommand("list", "List source and destination types");
  auto list_json = std::make_shared<bool>(false);
  list->add_flag("--json", *list_json, "Print JSON");
  list->callback([&env, chosen, list_json] {
    *chosen = [&env, list_json] {
      if (*list_json) {
        env.out << ConnectorListJson(env.registry)
                       .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
                << "\n";
      } else {
        env.out << ConnectorListText(env.registry);
      }
      return ExitCode::kSuccess;
    };
  });

  CLI::App* spec = connectors->add_subcommand("spec", "Show the parameters of a connector type");
  auto spec_type = std::make_shared<std::string>();
  auto spec_json = std::make_shared<bool>(false);
  spec->add_option("TYPE", *spec_type, "Connector type, e.g. CSV")->required();
  spec->add_flag("--json", *spec_json, "Print JSON");
  spec->callback([&env, chosen, spec_type, spec_json] {
    *chosen = [&env, spec_type, spec_json] {
      if (*spec_json) {
        env.out << ConnectorSpecJson(env.registry, *spec_type)
                       .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
                << "\n";
      } else {
        env.out << ConnectorSpecText(env.registry, *spec_type);
      }
      return ExitCode::kSuccess;
    };
  });
}

}  // namespace sqlflow::cli
