#pragma once

// A GoogleTest helper for connector tests (include it from *_test.cc only): checks that the
// parameter table of a connector's README.md agrees with its ConnectorSpec (CONNECTORS.md:
// "parameters ... checked against it by a test").

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "sqlflow/common/strings.h"
#include "sqlflow/connectors/param_table.h"

namespace sqlflow {

/// Expect the parameter table of the README at `readme_path` (relative to the source tree,
/// found through the SQLFLOW_SOURCE_DIR environment variable that ctest sets, e.g.
/// "src/sqlflow/connectors/csv/README.md") to list exactly `spec.params`, with the same types,
/// required flags and defaults. With `section` non-empty, the table under the first heading
/// containing it ("Source parameters"); else the first parameter table of the file.
inline void ExpectReadmeMatchesSpec(const std::string& readme_path, const ConnectorSpec& spec,
                                    const std::string& section = "") {
  SCOPED_TRACE(readme_path + (section.empty() ? "" : " [" + section + "]"));
  std::string path = readme_path;
  if (!StartsWith(path, "/")) {
    const char* root = std::getenv("SQLFLOW_SOURCE_DIR");
    ASSERT_NE(root, nullptr) << "SQLFLOW_SOURCE_DIR is not set (ctest sets it)";
    path = std::string(root) + "/" + readme_path;
  }
  std::ifstream in(path);
  ASSERT_TRUE(in.good()) << "cannot open " << path;
  std::stringstream text;
  text << in.rdbuf();
  std::vector<ParamDocRow> rows;
  try {
    rows = ParseParamTable(text.str(), section);
  } catch (const std::invalid_argument& e) {
    FAIL() << path << ": " << e.what();
  }
  for (const std::string& diff : DiffParamTable(rows, spec.params)) {
    ADD_FAILURE() << path << ": " << diff;
  }
}

}  // namespace sqlflow
