#pragma once

#include <string>
#include <vector>

#include "sqlflow/connectors/connector.h"

/// The parts every file connector's spec shares (CSV, Parquet).
namespace sqlflow::file {

/// The spec of a file source `type`: the required `path` (described by `path_description`),
/// then `format_params`, then batch_size, sync_mode (full_refresh | incremental),
/// cursor_field and primary_key; capabilities incremental, projection and filter pushdown,
/// discovery.
ConnectorSpec MakeFileSourceSpec(std::string type, std::string description,
                                 std::string path_description,
                                 std::vector<ParamSpec> format_params);

/// The spec of a file destination `type`: the required `path`, then `format_params`, then
/// batch_size; capabilities upsert and atomic writes.
ConnectorSpec MakeFileDestinationSpec(std::string type, std::string description,
                                      std::string path_description,
                                      std::vector<ParamSpec> format_params);

}  // namespace sqlflow::file
