#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
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

/// A stream over chunks already in memory, handed out as they are. A null `schema` means
/// the schema of the first chunk (or an empty schema when there is none).
std::unique_ptr<ChunkStream> MakeVectorStream(std::shared_ptr<const Schema> schema,
                                              std::vector<DataChunk> chunks);

/// A stream that calls `transform` on each chunk of `input` (projection, filtering, counting).
/// `transform` may return an empty chunk, which is skipped. A null `output_schema` means the
/// input's schema.
std::unique_ptr<ChunkStream> MakeTransformStream(std::unique_ptr<ChunkStream> input,
                                                 std::shared_ptr<const Schema> output_schema,
                                                 std::function<DataChunk(DataChunk)> transform);

/// Re-cut a stream into chunks of exactly `batch_size` rows (the last may be shorter). A
/// chunk that alone covers a batch is sliced (no copy); smaller ones are concatenated. Holds
/// at most one input chunk plus one batch of rows. Throws ConnectorError when batch_size < 1.
std::unique_ptr<ChunkStream> MakeRebatchStream(std::unique_ptr<ChunkStream> input,
                                               int64_t batch_size);

/// Pull `input` in a background thread, keeping up to `depth` chunks ready, so that reading
/// (a network source decoding its bytes) overlaps with what the consumer does with the chunks
/// (a DuckDB scan compressing Parquet). Chunks come out in order; a failure of the input is
/// thrown from Next() once the chunks before it have been handed out. The input is only ever
/// called from the background thread. Destroying the stream early calls `interrupt` (from the
/// destroying thread; it must be safe to call while the input's Next() runs, e.g. cancelling a
/// query) and then waits for the thread. Memory stays bounded by depth + 1 chunks.
std::unique_ptr<ChunkStream> MakePrefetchStream(std::unique_ptr<ChunkStream> input, size_t depth,
                                                std::function<void()> interrupt = {});

/// Read a whole stream into memory (tests and small tables).
std::vector<DataChunk> DrainStream(ChunkStream& stream);

/// Export a stream through the Arrow C Stream Interface. The ArrowArrayStream owns `stream`;
/// errors become get_next error codes with get_last_error() telling the message, and the
/// original exception is kept so ImportChunkStream can rethrow it unchanged.
///
/// After a failure every further get_next returns the same error. Like every Arrow stream,
/// the callbacks must not be called concurrently.
void ExportChunkStream(std::unique_ptr<ChunkStream> stream, ArrowArrayStream* out);

/// The first failure of an exported stream, shared between the stream and its exporter, so the
/// exporter can read it even after the consumer has moved or released the ArrowArrayStream
/// (as DuckDB's arrow scan may). Thread-safe.
class StreamErrorSlot {
 public:
  /// Keep `error` unless an earlier failure is already kept.
  void Set(std::exception_ptr error);
  /// The first failure, or null when the stream has not failed.
  std::exception_ptr Get() const;

 private:
  mutable std::mutex mutex_;
  std::exception_ptr error_;
};

/// Same as ExportChunkStream(stream, out), also recording the first failure in `error_slot`.
void ExportChunkStream(std::unique_ptr<ChunkStream> stream, ArrowArrayStream* out,
                       std::shared_ptr<StreamErrorSlot> error_slot);

/// Return the original exception behind the last failed get_schema / get_next of `stream`,
/// when `stream` (or a struct it was moved from) was made by ExportChunkStream in this process
/// and has not been released; otherwise null. The DuckDB layer uses it to rethrow a source's
/// own error instead of DuckDB's generic message: `if (auto e = ArrowStreamException(s))
/// std::rethrow_exception(e);`. When the consumer may release the stream first, use a
/// StreamErrorSlot instead.
std::exception_ptr ArrowStreamException(const ArrowArrayStream* stream);

/// Wrap an ArrowArrayStream (taking ownership) as a ChunkStream. Arrays with no rows are
/// skipped. A failure of the producer is thrown from the constructor (schema) or Next(): the
/// original exception when the producer is an ExportChunkStream of this process, otherwise a
/// ConnectorError ("Arrow stream") carrying get_last_error()'s message.
std::unique_ptr<ChunkStream> ImportChunkStream(ArrowArrayStream* stream);

}  // namespace sqlflow
