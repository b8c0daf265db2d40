// PostgreSQL's COPY binary format (https://www.postgresql.org/docs/15/sql-copy.html, "Binary
// Format") decoded straight into DataChunks, and DataChunks encoded into it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sqlflow/data/chunk.h"

namespace sqlflow::pg {

/// Where decoding errors are reported: the connector, and the table or query read.
struct CopyContext {
  std::string connector = "POSTGRES";  ///< Instance name for messages.
  std::string object;                  ///< Table or "query", for DataLocation::object.
};

/// Decodes a `COPY ... TO STDOUT (FORMAT binary)` stream into chunks of at most `batch_size`
/// rows. Bytes are fed as they arrive, split anywhere (libpq hands out one row per message,
/// the header with the first). Column i of the stream is decoded as `oids[i]` into the type of
/// schema field i, which must be DecodedType(oids[i], typmod) for that column.
///
/// Errors: a malformed stream (bad signature, a field length past the row, a field count that
/// differs from the schema, data after the trailer) is a DataError naming the object and the
/// 1-based row; a value that does not fit (numeric NaN or ±Infinity into DECIMAL, a numeric
/// with more digits than its DECIMAL) is a DataError naming the row, the column and the value.
class CopyBinaryDecoder {
 public:
  CopyBinaryDecoder(std::shared_ptr<const Schema> schema, std::vector<uint32_t> oids,
                    int64_t batch_size, CopyContext context);
  ~CopyBinaryDecoder();
  CopyBinaryDecoder(const CopyBinaryDecoder&) = delete;
  CopyBinaryDecoder& operator=(const CopyBinaryDecoder&) = delete;

  /// Decode every complete row in `bytes` (plus what was buffered before); keep a partial row
  /// for the next call. Returns true when a chunk of batch_size rows is ready (TakeChunk()).
  /// Feeding again before taking a ready chunk keeps appending (the chunk may then exceed
  /// batch_size only by the rows of that call).
  bool Feed(std::string_view bytes);
  /// Whether the trailer (field count -1) has been decoded.
  bool done() const;
  /// Rows decoded so far, over every chunk.
  int64_t rows() const;
  /// Rows decoded and not yet taken.
  int64_t pending_rows() const;
  /// Return the rows decoded and not yet taken as a chunk (possibly empty) and start a new
  /// one. Call once done() for the last chunk; throws DataError when the stream ended in the
  /// middle of a row or before the trailer and `at_end` is true.
  DataChunk TakeChunk(bool at_end = false);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Encodes chunks as `COPY ... FROM STDIN (FORMAT binary)` rows for target columns of the
/// given OIDs (CannotEncode(type, oid) must be "" for each). Values that do not fit the target
/// (INT64 3000000000 into int4, a DECIMAL(20,0) past int8, a malformed UUID string, an invalid
/// JSON document for jsonb is left to the server) throw DataError naming the 1-based row of
/// the write, the column and the value.
class CopyBinaryEncoder {
 public:
  CopyBinaryEncoder(std::shared_ptr<const Schema> schema, std::vector<uint32_t> target_oids,
                    CopyContext context);
  ~CopyBinaryEncoder();
  CopyBinaryEncoder(const CopyBinaryEncoder&) = delete;
  CopyBinaryEncoder& operator=(const CopyBinaryEncoder&) = delete;

  /// The 19-byte header: signature, flags 0, extension length 0.
  static std::string_view Header();
  /// The trailer: field count -1.
  static std::string_view Trailer();
  /// Append the rows of `chunk` (same schema as the constructor's) to `out`.
  void Encode(const DataChunk& chunk, std::string* out);
  /// Rows encoded so far.
  int64_t rows() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sqlflow::pg
