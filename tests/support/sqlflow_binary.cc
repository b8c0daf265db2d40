#include "tests/support/sqlflow_binary.h"

#include <utility>

namespace sqlflow::testing {

SqlflowBinaryTest::SqlflowBinaryTest(const std::string& temp_prefix, std::string default_bin)
    : dir_(temp_prefix), default_bin_(std::move(default_bin)) {}

void SqlflowBinaryTest::SetUp() {
  bin_ = EnvOr("SQLFLOW_BIN", default_bin_);
  ASSERT_FALSE(bin_.empty()) << "SQLFLOW_BIN must name the sqlflow binary";
}

ProcessResult SqlflowBinaryTest::Run(const std::vector<std::string>& args,
                                     const ProcessOptions& options) const {
  std::vector<std::string> argv = {bin_};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProcess(argv, options);
}

}  // namespace sqlflow::testing
