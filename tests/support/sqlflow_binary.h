// The fixture of the tests that run the real `sqlflow` binary.
#pragma once

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/files.h"
#include "tests/support/process.h"

namespace sqlflow::testing {

/// A test that runs the `sqlflow` binary named by the environment variable SQLFLOW_BIN (set
/// by the test's CMakeLists.txt) and works in a fresh temporary directory `dir_`.
class SqlflowBinaryTest : public ::testing::Test {
 protected:
  /// `temp_prefix` names the temporary directory; `default_bin` is the binary used when
  /// SQLFLOW_BIN is unset or empty (none by default: the test then fails).
  explicit SqlflowBinaryTest(const std::string& temp_prefix, std::string default_bin = "");

  /// Find the binary; a fatal failure when there is none.
  void SetUp() override;

  /// Run `sqlflow ARGS` to completion; see RunProcess().
  ProcessResult Run(const std::vector<std::string>& args, const ProcessOptions& options = {}) const;

  std::string bin_;  ///< The binary's path, known after SetUp().
  TempDir dir_;      ///< Removed after the test.

 private:
  std::string default_bin_;
};

}  // namespace sqlflow::testing
