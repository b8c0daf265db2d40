#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "sqlflow/data/arrow_abi.h"
#include "sqlflow/data/chunk.h"

namespace sqlflow {

/// How far a stream has got, for progress lines. Unknown parts are -1.
struct StreamProgress {
  int64_t rows = 0;          ///< Rows handed out so far.
  int64_t bytes_read = -1;   ///< Input bytes consumed so far (-1 unknown).
  int64_t bytes_total = -1;  ///< Input bytes in all (-1 unknown).
};

/// A pull-based stream of chunks sharing one schema, like Arrow's RecordBatchReader.
/// Memory stays bounded: a stream holds at most a few chunks at a time.
class ChunkStream {
 public:
  virtual ~ChunkStream() = default;
  /// The schema of every chunk (known before the first Next()).
  virtual const Schema& schema() const = 0;
  /// Return the next chunk, or nullopt at the end. Throws sqlflow::Error on failure.
  virtual std::optional<DataChunk> Next() = 0;
  /// Progress so far.
  virtual StreamProgress progress() const { return {}; }
};

/// A stream over chunks already in memory.
std::unique_ptr<ChunkStream> MakeVectorStream(std::shared_ptr<const Schema> schema,
                                              std::vector<DataChunk> chunks);

/// A stream that calls `transform` on each chunk of `input` (projection, filtering, counting).
/// `transform` may return an empty chunk, which is skipped.
std::unique_ptr<ChunkStream> MakeTransformStream(std::unique_ptr<ChunkStream> input,
                                                 std::shared_ptr<const Schema> output_schema,
                                                 std::function<DataChunk(DataChunk)> transform);

/// Re-cut a stream into chunks of exactly `batch_size` rows (the last may be shorter).
std::unique_ptr<ChunkStream> MakeRebatchStream(std::unique_ptr<ChunkStream> input,
                                               int64_t batch_size);

/// Read a whole stream into memory (tests and small tables).
std::vector<DataChunk> DrainStream(ChunkStream& stream);

/// Export a stream through the Arrow C Stream Interface. The ArrowArrayStream owns `stream`;
/// errors become get_next error codes with get_last_error() telling the message, and the
/// original exception is kept so ImportChunkStream can rethrow it unchanged.
void ExportChunkStream(std::unique_ptr<ChunkStream> stream, ArrowArrayStream* out);
/// Wrap an ArrowArrayStream (taking ownership) as a ChunkStream.
std::unique_ptr<ChunkStream> ImportChunkStream(ArrowArrayStream* stream);

}  // namespace sqlflow
