#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sqlflow/connectors/connector.h"

#include <nlohmann/json.hpp>

namespace sqlflow {

/// One row of the parameter table of a connector README.
struct ParamDocRow {
  std::string name;
  std::string type;  ///< As ParamTypeName() spells it ("integer").
  bool required = false;
  std::string default_text;  ///< The cell without backticks; "" when there is no default.
  std::string description;
};

/// Render `params` as the Markdown table every connector README carries:
///
///   | name | type | required | default | description |
///
/// Names and defaults are in backticks; string defaults are shown without quotes, other
/// defaults as JSON (`10000`, `true`); secrets show no default.
std::string ParamTableMarkdown(const std::vector<ParamSpec>& params);

/// Parse the first Markdown parameter table (header: name | type | required | default |
/// description, case-insensitive) of `markdown`. With `section` non-empty, the first such table
/// after a heading ("#" line) containing `section` (case-insensitive). Throws
/// std::invalid_argument naming what is missing or malformed.
std::vector<ParamDocRow> ParseParamTable(std::string_view markdown, std::string_view section = "");

/// Compare documented rows with `params` by name, type, required and default. Returns one
/// sentence per difference ("parameter 'batch_size': default is `500` in the README but
/// `10000` in the spec"); empty when they agree. Types compare ignoring case, '_' and '-'
/// ("string_list" == "string list"); descriptions and row order are not compared.
std::vector<std::string> DiffParamTable(const std::vector<ParamDocRow>& rows,
                                        const std::vector<ParamSpec>& params);

}  // namespace sqlflow
