#pragma once

// JSON helpers of the REST records collector (rest_records.cc); never included from another
// component.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "sqlflow/common/error.h"

namespace sqlflow::rest::internal {

/// Bytes of the body quoted in errors.
constexpr size_t kBodyExcerptBytes = 200;

/// The DataError of a bad response: "<connector> read: <url>: <what>; body (first 200
/// bytes): '<excerpt>'" ("the body is empty" instead of the excerpt for an empty body).
DataError BadResponse(const std::string& connector, const std::string& url, const std::string& what,
                      std::string_view body);

/// simdjson rejects numbers it cannot hold (integers outside int64/uint64, floats beyond
/// double). Return `body` with each such number token outside strings replaced by a string
/// "<kBigNumberMarker><the number's text>", or nullopt when there is none. The marker is the
/// Unicode noncharacter U+FDD0, reserved for internal use, so real text does not carry it.
std::optional<std::string> QuoteBigNumbers(std::string_view body);
/// U+FDD0 in UTF-8.
constexpr std::string_view kBigNumberMarker = "\xEF\xB7\x90";
/// The number's text when `text` is a marked big number, else nullopt.
std::optional<std::string_view> BigNumberText(std::string_view text);

/// Kinds of values, as bits of a column's type state.
enum Kind : uint32_t {
  kKindBool = 1u << 0,
  kKindInt = 1u << 1,     ///< An integer that fits int64.
  kKindDouble = 1u << 2,  ///< A number with a fraction or exponent.
  kKindBig = 1u << 3,     ///< An integer outside int64, or a number beyond double.
  kKindDate = 1u << 4,    ///< "YYYY-MM-DD".
  kKindTsTz = 1u << 5,    ///< An ISO timestamp with Z or an offset.
  kKindTs = 1u << 6,      ///< An ISO timestamp without a zone.
  kKindText = 1u << 7,    ///< Any other string.
  kKindJson = 1u << 8,    ///< An array, or an object kept whole (flatten: false).
  kKindFlat = 1u << 9,    ///< A non-empty object flattened into child columns.
};

/// The kind of a scalar string (date, timestamp with or without zone, other text).
Kind ClassifyString(std::string_view text);
/// The kind of a non-null, non-object value (objects are decided by the caller).
Kind ClassifyScalar(simdjson::dom::element value);

/// The value as text for a VARCHAR column: strings unquoted, big numbers as written, other
/// values as their minified JSON.
std::string ScalarText(simdjson::dom::element value);
/// The value as minified JSON text (big numbers as written).
std::string JsonText(simdjson::dom::element value);

/// The element at dot path `path` ("a.b.0.c": object keys; a number also indexes an array)
/// under `root`; "" is the root itself. nullopt when a step is missing.
std::optional<simdjson::dom::element> AtPath(simdjson::dom::element root, std::string_view path);

}  // namespace sqlflow::rest::internal
