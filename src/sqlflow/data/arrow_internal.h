#pragma once

// Arrow import plumbing shared by arrow.cc (schemas) and arrow_import.cc (arrays).

#include <cstdint>
#include <string>
#include <vector>

#include "sqlflow/data/chunk.h"

namespace sqlflow {

/// How one column's Arrow buffers become a Column.
enum class ArrowLayout : uint8_t {
  kFixed,          ///< Fixed-width values used in place (zero-copy).
  kBoolean,        ///< Bit-packed values used in place.
  kVariable,       ///< int32 offsets + bytes used in place ("u", "z").
  kLargeVariable,  ///< int64 offsets ("U", "Z"): copied to int32 offsets.
  kView,           ///< String views ("vu", "vz"): copied to offsets + bytes.
  kRescale,        ///< Integers in another unit: converted (value * multiply / divide).
  kFixedBinary,    ///< "w:N": copied to offsets + bytes.
  kUuid,           ///< "w:16" with arrow.uuid: formatted as 36-character strings.
  kNull,           ///< "n": every row NULL.
};

/// The import recipe of one column.
struct ArrowColumnPlan {
  ArrowLayout layout = ArrowLayout::kFixed;
  std::string format;    ///< The producer's format string, for messages.
  int source_width = 0;  ///< kRescale: bytes per source value (4 or 8); kFixedBinary: N.
  int64_t multiply = 1;  ///< kRescale.
  int64_t divide = 1;    ///< kRescale (floor division).
};

struct ArrowImporter::Plan {
  std::vector<ArrowColumnPlan> columns;
};

/// Decode the Arrow metadata encoding (int32 count, then int32-length-prefixed key and value
/// pairs) and return the value of `key`, or "" when absent or `metadata` is null.
std::string ArrowMetadataValue(const char* metadata, std::string_view key);
/// Encode key/value pairs in the Arrow metadata encoding.
std::string EncodeArrowMetadata(const std::vector<std::pair<std::string, std::string>>& pairs);

/// Import child `index` of the struct array held by `holder` (rows [parent_offset,
/// parent_offset + length) of the child). Throws SchemaError naming `field`.
Column ImportArrowColumn(const ArrowColumnPlan& plan, const Field& field, const ArrowArray& child,
                         int64_t parent_offset, int64_t length,
                         const std::shared_ptr<void>& holder);

}  // namespace sqlflow
