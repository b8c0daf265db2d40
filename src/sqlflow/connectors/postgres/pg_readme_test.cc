// README.md's parameter tables list exactly the POSTGRES source's and destination's
// parameters.
#include <gtest/gtest.h>

#include "sqlflow/connectors/postgres/pg_connector.h"
#include "sqlflow/connectors/readme_check.h"

namespace sqlflow {
namespace {

TEST(PostgresReadmeTest, ParameterTablesMatchTheSpecs) {
  ExpectReadmeMatchesSpec("src/sqlflow/connectors/postgres/README.md", PostgresSourceSpec(),
                          "Source parameters");
  ExpectReadmeMatchesSpec("src/sqlflow/connectors/postgres/README.md", PostgresDestinationSpec(),
                          "Destination parameters");
}

}  // namespace
}  // namespace sqlflow
