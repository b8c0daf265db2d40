#pragma once

#include <ostream>
#include <string>

#include "sqlflow/cli/cli.h"
#include "sqlflow/connectors/registry.h"

#include <nlohmann/json.hpp>

namespace CLI {
class App;
}

namespace sqlflow::cli {

/// Add `connectors list [--json]` and `connectors spec TYPE [--json]` to `app`; the parsed
/// command is stored in `*chosen`.
void AddConnectorsCommand(CLI::App& app, const CliEnv& env, CommandFn* chosen);

/// {"sources": [{"type", "description", "capabilities"}], "destinations": [...]}.
nlohmann::json ConnectorListJson(const ConnectorRegistry& registry);
/// The human form of `connectors list`: one aligned table per direction.
std::string ConnectorListText(const ConnectorRegistry& registry);

/// {"type", "source": spec, "destination": spec} (a direction the type lacks is absent).
/// Throws InvalidInput for an unknown type, with a suggestion.
nlohmann::json ConnectorSpecJson(const ConnectorRegistry& registry, const std::string& type);
/// The human form of `connectors spec TYPE`: description, an aligned parameter table and the
/// capabilities, for each direction. Throws InvalidInput for an unknown type.
std::string ConnectorSpecText(const ConnectorRegistry& registry, const std::string& type);

}  // namespace sqlflow::cli
