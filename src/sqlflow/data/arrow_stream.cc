// ChunkStream <-> Arrow C Stream Interface
// (https://arrow.apache.org/docs/format/CStreamInterface.html).

#include <cerrno>
#include <cstring>
#include <new>

#include <fmt/format.h>

#include "sqlflow/common/error.h"
#include "sqlflow/data/stream.h"

namespace sqlflow {

namespace {

/// private_data of an exported ArrowArrayStream.
struct ExportedStream {
  std::unique_ptr<ChunkStream> stream;
  std::shared_ptr<StreamErrorSlot> slot;
  std::exception_ptr error;  ///< The failure that put the stream in its error state.
  std::string last_error;    ///< Its message, for get_last_error().
  bool done = false;
};

ExportedStream* PrivateOf(ArrowArrayStream* stream) {
  return static_cast<ExportedStream*>(stream->private_data);
}

/// Record the exception being handled; return the errno-style code for it.
int RecordFailure(ExportedStream* priv) {
  std::exception_ptr error = std::current_exception();
  int code = EIO;
  try {
    std::rethrow_exception(error);
  } catch (const std::bad_alloc& e) {
    priv->last_error = e.what();
    code = ENOMEM;
  } catch (const std::exception& e) {
    priv->last_error = e.what();
  } catch (...) {
    priv->last_error = "unknown error";
  }
  if (priv->error == nullptr) priv->error = error;
  if (priv->slot != nullptr) priv->slot->Set(error);
  return code;
}

int ExportedGetSchema(ArrowArrayStream* stream, ArrowSchema* out) {
  ExportedStream* priv = PrivateOf(stream);
  try {
    ExportSchemaToArrow(priv->stream->schema(), out);
    return 0;
  } catch (...) {
    return RecordFailure(priv);
  }
}

int ExportedGetNext(ArrowArrayStream* stream, ArrowArray* out) {
  ExportedStream* priv = PrivateOf(stream);
  if (priv->error != nullptr) return EIO;  // Stays failed: the spec leaves the rest undefined.
  try {
    std::optional<DataChunk> chunk;
    if (!priv->done) chunk = priv->stream->Next();
    if (!chunk) {
      priv->done = true;
      std::memset(out, 0, sizeof(*out));  // release == NULL marks the end of the stream.
      return 0;
    }
    chunk->ExportToArrow(out, nullptr);
    return 0;
  } catch (...) {
    return RecordFailure(priv);
  }
}

const char* ExportedGetLastError(ArrowArrayStream* stream) {
  ExportedStream* priv = PrivateOf(stream);
  return priv->last_error.empty() ? nullptr : priv->last_error.c_str();
}

void ExportedRelease(ArrowArrayStream* stream) {
  if (stream == nullptr || stream->release == nullptr) return;
  delete PrivateOf(stream);
  stream->private_data = nullptr;
  stream->release = nullptr;
}

/// Releases an ArrowSchema when it goes out of scope.
struct SchemaGuard {
  ArrowSchema schema{};
  ~SchemaGuard() {
    if (schema.release != nullptr) schema.release(&schema);
  }
};

class ImportedStream : public ChunkStream {
 public:
  explicit ImportedStream(ArrowArrayStream* stream) : stream_(*stream) {
    stream->release = nullptr;  // Moved: released by the destructor.
    try {
      SchemaGuard schema;
      int code = stream_.get_schema(&stream_, &schema.schema);
      if (code != 0) ThrowFailure(code, "get_schema");
      importer_.emplace(&schema.schema);
    } catch (...) {
      stream_.release(&stream_);  // No destructor runs for a constructor that throws.
      throw;
    }
  }

  ~ImportedStream() override {
    if (stream_.release != nullptr) stream_.release(&stream_);
  }
  ImportedStream(const ImportedStream&) = delete;
  ImportedStream& operator=(const ImportedStream&) = delete;

  const Schema& schema() const override { return *importer_->schema(); }

  std::optional<DataChunk> Next() override {
    while (true) {
      ArrowArray array{};
      int code = stream_.get_next(&stream_, &array);
      if (code != 0) ThrowFailure(code, "get_next");
      if (array.release == nullptr) return std::nullopt;
      DataChunk chunk = importer_->Import(&array);
      if (chunk.num_rows() == 0) continue;
      rows_ += chunk.num_rows();
      return chunk;
    }
  }

  StreamProgress progress() const override { return {rows_, -1, -1}; }

 private:
  [[noreturn]] void ThrowFailure(int code, const char* operation) {
    if (std::exception_ptr original = ArrowStreamException(&stream_)) {
      std::rethrow_exception(original);
    }
    const char* message =
        stream_.get_last_error == nullptr ? nullptr : stream_.get_last_error(&stream_);
    throw ConnectorError("Arrow stream", "read",
                         fmt::format("{} failed: {} (error code {})", operation,
                                     message != nullptr ? message : std::strerror(code), code));
  }

  ArrowArrayStream stream_;
  std::optional<ArrowImporter> importer_;
  int64_t rows_ = 0;
};

}  // namespace

void StreamErrorSlot::Set(std::exception_ptr error) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (error_ == nullptr) error_ = std::move(error);
}

std::exception_ptr StreamErrorSlot::Get() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return error_;
}

void ExportChunkStream(std::unique_ptr<ChunkStream> stream, ArrowArrayStream* out) {
  ExportChunkStream(std::move(stream), out, nullptr);
}

void ExportChunkStream(std::unique_ptr<ChunkStream> stream, ArrowArrayStream* out,
                       std::shared_ptr<StreamErrorSlot> error_slot) {
  auto* priv = new ExportedStream();
  priv->stream = std::move(stream);
  priv->slot = std::move(error_slot);
  out->get_schema = ExportedGetSchema;
  out->get_next = ExportedGetNext;
  out->get_last_error = ExportedGetLastError;
  out->release = ExportedRelease;
  out->private_data = priv;
}

std::exception_ptr ArrowStreamException(const ArrowArrayStream* stream) {
  // Recognised by its get_next callback, which a move (copy + release = NULL on the source)
  // keeps; release alone would not do.
  if (stream == nullptr || stream->get_next != ExportedGetNext || stream->private_data == nullptr) {
    return nullptr;
  }
  return static_cast<const ExportedStream*>(stream->private_data)->error;
}

std::unique_ptr<ChunkStream> ImportChunkStream(ArrowArrayStream* stream) {
  if (stream == nullptr || stream->release == nullptr) {
    throw ConnectorError("Arrow stream", "read", "the stream is null or already released");
  }
  return std::make_unique<ImportedStream>(stream);
}

}  // namespace sqlflow
