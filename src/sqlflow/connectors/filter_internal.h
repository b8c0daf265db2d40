#pragma once

// Private to connectors/filter*.cc: turning filter operands into values of a column's type.

#include <optional>
#include <string>
#include <string_view>

#include "sqlflow/data/types.h"
#include "sqlflow/data/value.h"

#include <nlohmann/json.hpp>

namespace sqlflow::filter_internal {

/// Convert a JSON scalar to a Value without a schema: booleans, int64 (uint64 above
/// INT64_MAX), double, string. Returns nullopt (with `why`) for objects and arrays.
std::optional<Value> JsonScalarToValue(const nlohmann::json& json, std::string* why);

/// Convert non-null `value` to a value that compares with a column of `type`: "2024-01-01" for
/// a DATE column becomes a DATE, 12.5 for a DECIMAL(12,2) column the exact decimal 12.50, "42"
/// for an integer column 42. Integers too wide for the column stay int64 (they compare, they
/// just never match), and decimals finer than the column's scale keep their own scale, so
/// the comparison is never rounded. Returns nullopt with `why` ("'abc' is not a valid date")
/// when no exact conversion exists.
std::optional<Value> CoerceValue(const Value& value, const DataType& type, std::string* why);

/// Parse "-12.50", "1e-3", "42" exactly: unscaled digits and scale (≥ 0, ≤ 38).
bool ParseDecimalText(std::string_view text, Int128* unscaled, int* scale);

/// 10^n for 0 ≤ n ≤ 38.
Int128 Pow10(int n);
/// Rescale `unscaled` from scale `from` to scale `to` exactly; false if digits would be lost
/// or the result would need more than 38 digits.
bool RescaleDecimal(Int128 unscaled, int from, int to, Int128* out);
/// Number of decimal digits of |v| (1 for 0).
int DecimalDigits(Int128 v);

}  // namespace sqlflow::filter_internal
