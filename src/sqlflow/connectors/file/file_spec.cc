#include "sqlflow/connectors/file/file_spec.h"

#include <utility>

namespace sqlflow::file {
namespace {

/// The spec of `type` with the required `path` followed by `format_params`.
ConnectorSpec WithPath(std::string type, std::string description, std::string path_description,
                       std::vector<ParamSpec> format_params) {
  ConnectorSpec spec;
  spec.type = std::move(type);
  spec.description = std::move(description);
  ParamSpec path = StandardParam("path", std::move(path_description));
  path.required = true;
  path.default_value.reset();
  spec.params.push_back(std::move(path));
  for (auto& p : format_params) spec.params.push_back(std::move(p));
  spec.params.push_back(StandardParam("batch_size"));
  return spec;
}

}  // namespace

ConnectorSpec MakeFileSourceSpec(std::string type, std::string description,
                                 std::string path_description,
                                 std::vector<ParamSpec> format_params) {
  ConnectorSpec spec = WithPath(std::move(type), std::move(description),
                                std::move(path_description), std::move(format_params));
  spec.params.push_back(SnapshotSyncModeParam());
  spec.params.push_back(StandardParam("cursor_field"));
  spec.params.push_back(StandardParam("primary_key"));
  spec.params.push_back(StandardParam("initial_value"));
  spec.capabilities.incremental = true;
  spec.capabilities.projection_pushdown = true;
  spec.capabilities.filter_pushdown = true;
  spec.capabilities.discovery = true;
  return spec;
}

ConnectorSpec MakeFileDestinationSpec(std::string type, std::string description,
                                      std::string path_description,
                                      std::vector<ParamSpec> format_params) {
  ConnectorSpec spec = WithPath(std::move(type), std::move(description),
                                std::move(path_description), std::move(format_params));
  spec.capabilities.upsert = true;
  spec.capabilities.atomic_write = true;
  return spec;
}

}  // namespace sqlflow::file
