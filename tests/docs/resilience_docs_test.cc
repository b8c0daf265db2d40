// docs/resilience.md's examples are real: every `<!-- example: NAME -->` block is a
// `resilience` value, parsed over the REST profile; the `<!-- effective: NAME -->` block after
// it is the effective settings (ResilienceOptions::ToJson) and the `<!-- error: NAME -->` block
// the exact ParameterError message.
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "sqlflow/common/error.h"
#include "sqlflow/resilience/config.h"
#include "sqlflow/resilience/profile.h"

#include <nlohmann/json.hpp>

namespace sqlflow {
namespace {

/// The fenced block after each `<!-- KIND: NAME -->` comment, by "KIND: NAME".
std::map<std::string, std::string> MarkedBlocks(const std::string& text) {
  std::map<std::string, std::string> blocks;
  size_t pos = 0;
  while ((pos = text.find("<!-- ", pos)) != std::string::npos) {
    const size_t end = text.find(" -->", pos);
    const std::string marker = text.substr(pos + 5, end - pos - 5);
    const size_t open = text.find("```", end);
    const size_t body = text.find('\n', open) + 1;
    const size_t close = text.find("\n```", body);
    blocks[marker] = text.substr(body, close - body);
    pos = close;
  }
  return blocks;
}

std::string ReadDoc() {
  const char* root = std::getenv("SQLFLOW_SOURCE_DIR");
  EXPECT_NE(root, nullptr) << "SQLFLOW_SOURCE_DIR is not set (ctest sets it)";
  std::ifstream in(std::string(root ? root : ".") + "/docs/resilience.md");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(ResilienceDocsTest, EveryExampleHasTheDocumentedEffect) {
  const std::map<std::string, std::string> blocks = MarkedBlocks(ReadDoc());
  int checked = 0;
  for (const auto& [marker, body] : blocks) {
    if (marker.rfind("example: ", 0) != 0) continue;
    const std::string name = marker.substr(9);
    SCOPED_TRACE(name);
    const nlohmann::json value = nlohmann::json::parse(body);
    const resilience::ResilienceOptions profile = resilience::DefaultProfile("REST");
    if (auto effective = blocks.find("effective: " + name); effective != blocks.end()) {
      EXPECT_EQ(resilience::ParseResilience("api_data", value, profile).ToJson(),
                nlohmann::json::parse(effective->second))
          << resilience::ParseResilience("api_data", value, profile).ToJson().dump(2);
      ++checked;
    } else if (auto error = blocks.find("error: " + name); error != blocks.end()) {
      try {
        resilience::ParseResilience("api_data", value, profile);
        ADD_FAILURE() << "expected ParameterError";
      } catch (const ParameterError& e) {
        EXPECT_EQ(e.what(), error->second);
      }
      ++checked;
    } else {
      ADD_FAILURE() << "example " << name << " has no effective or error block";
    }
  }
  EXPECT_EQ(checked, 4);
}

}  // namespace
}  // namespace sqlflow
