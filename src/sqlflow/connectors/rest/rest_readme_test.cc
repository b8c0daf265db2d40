// The parameter table of README.md lists exactly the REST source's parameters as the registry
// holds them (the spec plus the `resilience` parameter every network connector takes).
#include <gtest/gtest.h>

#include "sqlflow/connectors/readme_check.h"
#include "sqlflow/connectors/registry.h"
#include "sqlflow/connectors/rest/rest_connector.h"

namespace sqlflow {
namespace {

TEST(RestReadmeTest, ParameterTableMatchesTheSpec) {
  ConnectorRegistry registry;
  registry.sources().Register(RestSourceSpec(), RestSourceFactory());
  ExpectReadmeMatchesSpec("src/sqlflow/connectors/rest/README.md", registry.sources().Spec("REST"),
                          "Source parameters");
}

}  // namespace
}  // namespace sqlflow
