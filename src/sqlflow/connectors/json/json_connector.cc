#include "sqlflow/connectors/json/json_connector.h"

#include "sqlflow/connectors/file/file_spec.h"
#include "sqlflow/connectors/json/json_internal.h"

namespace sqlflow {
namespace {

using json::JsonLayout;

ConnectorSpec MakeSourceSpec(JsonLayout layout) {
  const bool array = layout == JsonLayout::kArray;
  return file::MakeFileSourceSpec(
      array ? "JSON" : "JSONL",
      array ? "Read JSON files holding an array of objects (a file or a glob) with DuckDB's "
              "JSON reader."
            : "Read newline-delimited JSON files, one object per line (a file or a glob), "
              "with DuckDB's JSON reader.",
      array ? "JSON file or glob of files ('data/*.json'), each an array of objects"
            : "JSONL file or glob of files ('data/*.jsonl'), one object per line",
      {MakeParam("column_types", ParamType::kObject, std::nullopt,
                 "Column name to SQL type ({\"amount\": \"DECIMAL(12,2)\"}), overriding type "
                 "detection")});
}

ConnectorSpec MakeDestinationSpec(JsonLayout layout) {
  const bool array = layout == JsonLayout::kArray;
  return file::MakeFileDestinationSpec(
      array ? "JSON" : "JSONL",
      array ? "Write a JSON file holding an array of objects with DuckDB's JSON writer, "
              "atomically."
            : "Write a newline-delimited JSON file, one object per line, with DuckDB's JSON "
              "writer, atomically.",
      array ? "JSON file to write (its directory must exist)"
            : "JSONL file to write (its directory must exist)",
      {});
}

}  // namespace

const ConnectorSpec& JsonSourceSpec() {
  static const ConnectorSpec spec = MakeSourceSpec(JsonLayout::kArray);
  return spec;
}

const ConnectorSpec& JsonDestinationSpec() {
  static const ConnectorSpec spec = MakeDestinationSpec(JsonLayout::kArray);
  return spec;
}

const ConnectorSpec& JsonlSourceSpec() {
  static const ConnectorSpec spec = MakeSourceSpec(JsonLayout::kLines);
  return spec;
}

const ConnectorSpec& JsonlDestinationSpec() {
  static const ConnectorSpec spec = MakeDestinationSpec(JsonLayout::kLines);
  return spec;
}

std::unique_ptr<SourceConnector> MakeJsonSource(const ConnectorSpec& spec,
                                                std::shared_ptr<Clock> clock) {
  return std::make_unique<json::JsonSource>(spec, std::move(clock), JsonLayout::kArray);
}

std::unique_ptr<SourceConnector> MakeJsonlSource(const ConnectorSpec& spec,
                                                 std::shared_ptr<Clock> clock) {
  return std::make_unique<json::JsonSource>(spec, std::move(clock), JsonLayout::kLines);
}

std::unique_ptr<DestinationConnector> MakeJsonDestination(const ConnectorSpec& spec,
                                                          std::shared_ptr<Clock> clock) {
  return std::make_unique<json::JsonDestination>(spec, std::move(clock), JsonLayout::kArray);
}

std::unique_ptr<DestinationConnector> MakeJsonlDestination(const ConnectorSpec& spec,
                                                           std::shared_ptr<Clock> clock) {
  return std::make_unique<json::JsonDestination>(spec, std::move(clock), JsonLayout::kLines);
}

SourceRegistry::Factory JsonSourceFactory() {
  return [](const ConnectorSpec& spec, std::shared_ptr<Clock> clock) {
    return MakeJsonSource(spec, std::move(clock));
  };
}

DestinationRegistry::Factory JsonDestinationFactory() {
  return [](const ConnectorSpec& spec, std::shared_ptr<Clock> clock) {
    return MakeJsonDestination(spec, std::move(clock));
  };
}

SourceRegistry::Factory JsonlSourceFactory() {
  return [](const ConnectorSpec& spec, std::shared_ptr<Clock> clock) {
    return MakeJsonlSource(spec, std::move(clock));
  };
}

DestinationRegistry::Factory JsonlDestinationFactory() {
  return [](const ConnectorSpec& spec, std::shared_ptr<Clock> clock) {
    return MakeJsonlDestination(spec, std::move(clock));
  };
}

}  // namespace sqlflow
