#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sqlflow/connectors/file/file_testing.h"
#include "sqlflow/connectors/json/json_connector.h"

/// Helpers for the JSON/JSONL connector tests (header-only, for test binaries).
namespace sqlflow::json::testing {

/// The type under test: "JSON" (an array of objects) or "JSONL" (one object per line).
struct Kind {
  std::string type;       ///< "JSON" or "JSONL".
  std::string extension;  ///< "json" or "jsonl".
  bool lines = false;     ///< JSONL.

  /// `objects` (JSON texts of objects) laid out as a file of this kind.
  std::string Layout(const std::vector<std::string>& objects) const {
    std::string out = lines ? "" : "[\n";
    for (size_t i = 0; i < objects.size(); ++i) {
      out += lines ? objects[i] + "\n" : "  " + objects[i] + (i + 1 < objects.size() ? "," : "");
      if (!lines) out += "\n";
    }
    return lines ? out : out + "]\n";
  }
  /// `objects` laid out as DuckDB's writer does: JSONL as Layout(), an array with a tab before
  /// each object.
  std::string DuckDbLayout(const std::vector<std::string>& objects) const {
    std::string out = lines ? "" : "[\n";
    for (size_t i = 0; i < objects.size(); ++i) {
      out +=
          lines ? objects[i] + "\n" : "\t" + objects[i] + (i + 1 < objects.size() ? ",\n" : "\n");
    }
    return lines ? out : out + "]\n";
  }
};

inline void PrintTo(const Kind& kind, std::ostream* out) { *out << kind.type; }

inline const Kind kJson{"JSON", "json", false};
inline const Kind kJsonl{"JSONL", "jsonl", true};

inline std::unique_ptr<SourceConnector> MakeSource(const Kind& kind, const nlohmann::json& params) {
  auto source = kind.lines ? MakeJsonlSource() : MakeJsonSource();
  source->Configure(params);
  return source;
}

inline std::unique_ptr<DestinationConnector> MakeDestination(const Kind& kind,
                                                             const nlohmann::json& params) {
  auto destination = kind.lines ? MakeJsonlDestination() : MakeJsonDestination();
  destination->Configure(params);
  return destination;
}

inline std::vector<std::string> ReadRows(SourceConnector& source, const ReadRequest& request = {}) {
  auto stream = source.Read(request);
  return file::testing::DrainRows(*stream);
}

/// A fixture parameterised by the kind, with a temporary directory.
class JsonTest : public ::testing::TestWithParam<Kind> {
 protected:
  const Kind& kind() const { return GetParam(); }
  /// "<stem>.<extension>" in the temporary directory.
  std::string PathOf(const std::string& stem) const {
    return dir_.Path(stem + "." + kind().extension);
  }
  /// Write `objects` as a file of the kind; returns its path.
  std::string WriteObjects(const std::string& stem, const std::vector<std::string>& objects) {
    return dir_.Write(stem + "." + kind().extension, kind().Layout(objects));
  }
  std::unique_ptr<SourceConnector> Source(const std::string& path, nlohmann::json params = {}) {
    params["path"] = path;
    return MakeSource(kind(), params);
  }
  std::unique_ptr<DestinationConnector> Destination(const std::string& path) {
    return MakeDestination(kind(), {{"path", path}});
  }

  file::testing::TempDir dir_;
};

/// The name of a test instance: the type.
inline std::string KindName(const ::testing::TestParamInfo<Kind>& param) {
  return param.param.type;
}

}  // namespace sqlflow::json::testing
