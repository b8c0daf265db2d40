#pragma once

#include <string>

#include "sqlflow/cli/cli.h"
#include "sqlflow/cli/project.h"
#include "sqlflow/connectors/connector.h"

#include <nlohmann/json.hpp>

namespace CLI {
class App;
}

namespace sqlflow::cli {

/// Add `connect list` and `connect test NAME` with the project flags to `app`; the parsed
/// command is stored in `*chosen`.
void AddConnectCommand(CLI::App& app, const CliEnv& env, CommandFn* chosen);

/// `connect list`: the connections of the profile with their type and parameters (secrets
/// shown as "***") and whether the parameters are valid.
ExitCode ListConnections(const ProjectFlags& flags, const CliEnv& env);

/// `connect test NAME`: create the connection's connector, configure it (`${VAR}` resolved
/// through --vars, the profile's variables and the environment; relative paths against the
/// project) and check its health. kSuccess when healthy, kFailure when not; an unknown
/// connection or type, or invalid parameters, throw InvalidInput.
ExitCode TestConnection(const ProjectFlags& flags, const std::string& name, const CliEnv& env);

/// `params` as written with the value of every secret parameter of `spec` replaced by "***";
/// a name that is not in the spec but is close to a secret's name, or looks like a credential
/// ("password", "token", ...), is redacted too: a typo of "password" still holds a password.
/// Without a spec (unknown type) every value is redacted.
nlohmann::json RedactConnectionParams(const nlohmann::json& params, const ConnectorSpec* spec);

}  // namespace sqlflow::cli
