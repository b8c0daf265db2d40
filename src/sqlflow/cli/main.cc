// The `sqlflow` executable: wires the real world (terminal, built-in connectors, SIGINT) into
// RunCli(), where everything else lives.
#include <iostream>

#include <unistd.h>

#include "sqlflow/cli/cli.h"
#include "sqlflow/cli/interrupt.h"
#include "sqlflow/connectors/builtin/builtin.h"

int main(int argc, char** argv) {
  sqlflow::cli::InstallInterruptHandler();
  sqlflow::ConnectorRegistry registry;
  try {
    sqlflow::RegisterBuiltinConnectors(registry);
  } catch (const std::exception& e) {
    std::cerr << "error: internal error: cannot register the built-in connectors: " << e.what()
              << "\n";
    return 1;
  }
  sqlflow::cli::CliEnv env{.out = std::cout,
                           .err = std::cerr,
                           .registry = registry,
                           .err_is_terminal = isatty(STDERR_FILENO) != 0};
  return sqlflow::cli::RunCli(argc, argv, env);
}
