#include "sqlflow/data/stream.h"

#include <algorithm>
#include <deque>

#include <fmt/format.h>

#include "sqlflow/common/error.h"

namespace sqlflow {

namespace {

class VectorStream : public ChunkStream {
 public:
  VectorStream(std::shared_ptr<const Schema> schema, std::vector<DataChunk> chunks)
      : schema_(std::move(schema)), chunks_(std::move(chunks)) {
    if (schema_ == nullptr) {
      schema_ = chunks_.empty() ? std::make_shared<Schema>() : chunks_[0].schema_ptr();
    }
  }

  const Schema& schema() const override { return *schema_; }

  std::optional<DataChunk> Next() override {
    if (next_ >= chunks_.size()) return std::nullopt;
    DataChunk chunk = std::move(chunks_[next_++]);
    rows_ += chunk.num_rows();
    return chunk;
  }

  StreamProgress progress() const override { return {rows_, -1, -1}; }

 private:
  std::shared_ptr<const Schema> schema_;
  std::vector<DataChunk> chunks_;
  size_t next_ = 0;
  int64_t rows_ = 0;
};

class TransformStream : public ChunkStream {
 public:
  TransformStream(std::unique_ptr<ChunkStream> input, std::shared_ptr<const Schema> schema,
                  std::function<DataChunk(DataChunk)> transform)
      : input_(std::move(input)), schema_(std::move(schema)), transform_(std::move(transform)) {
    if (schema_ == nullptr) schema_ = std::make_shared<Schema>(input_->schema());
  }

  const Schema& schema() const override { return *schema_; }

  std::optional<DataChunk> Next() override {
    while (std::optional<DataChunk> chunk = input_->Next()) {
      DataChunk out = transform_(std::move(*chunk));
      if (out.num_rows() == 0) continue;
      rows_ += out.num_rows();
      return out;
    }
    return std::nullopt;
  }

  StreamProgress progress() const override {
    StreamProgress p = input_->progress();
    p.rows = rows_;
    return p;
  }

 private:
  std::unique_ptr<ChunkStream> input_;
  std::shared_ptr<const Schema> schema_;
  std::function<DataChunk(DataChunk)> transform_;
  int64_t rows_ = 0;
};

class RebatchStream : public ChunkStream {
 public:
  RebatchStream(std::unique_ptr<ChunkStream> input, int64_t batch_size)
      : input_(std::move(input)), batch_size_(batch_size) {}

  const Schema& schema() const override { return input_->schema(); }

  std::optional<DataChunk> Next() override {
    Fill();
    if (pending_rows_ == 0) return std::nullopt;
    int64_t take = std::min(batch_size_, pending_rows_);
    pending_rows_ -= take;
    rows_ += take;
    if (pending_.front().num_rows() >= take) return TakeFront(take);  // No copy.
    std::vector<DataChunk> parts;
    for (int64_t need = take; need > 0;) {
      int64_t n = std::min(need, pending_.front().num_rows());
      parts.push_back(TakeFront(n));
      need -= n;
    }
    return ConcatenateChunks(parts);
  }

  StreamProgress progress() const override {
    StreamProgress p = input_->progress();
    p.rows = rows_;
    return p;
  }

 private:
  /// Pull input until a whole batch is pending or the input ends; empty chunks are dropped.
  void Fill() {
    while (pending_rows_ < batch_size_ && !input_done_) {
      std::optional<DataChunk> chunk = input_->Next();
      if (!chunk) {
        input_done_ = true;
      } else if (chunk->num_rows() > 0) {
        pending_rows_ += chunk->num_rows();
        pending_.push_back(std::move(*chunk));
      }
    }
  }

  /// Remove the first `n` rows of the first pending chunk (n ≤ its rows) and return them.
  DataChunk TakeFront(int64_t n) {
    DataChunk& front = pending_.front();
    if (n == front.num_rows()) {
      DataChunk out = std::move(front);
      pending_.pop_front();
      return out;
    }
    DataChunk out = front.Slice(0, n);
    front = front.Slice(n, front.num_rows() - n);
    return out;
  }

  std::unique_ptr<ChunkStream> input_;
  int64_t batch_size_;
  std::deque<DataChunk> pending_;
  int64_t pending_rows_ = 0;
  bool input_done_ = false;
  int64_t rows_ = 0;
};

}  // namespace

std::unique_ptr<ChunkStream> MakeVectorStream(std::shared_ptr<const Schema> schema,
                                              std::vector<DataChunk> chunks) {
  return std::make_unique<VectorStream>(std::move(schema), std::move(chunks));
}

std::unique_ptr<ChunkStream> MakeTransformStream(std::unique_ptr<ChunkStream> input,
                                                 std::shared_ptr<const Schema> output_schema,
                                                 std::function<DataChunk(DataChunk)> transform) {
  return std::make_unique<TransformStream>(std::move(input), std::move(output_schema),
                                           std::move(transform));
}

std::unique_ptr<ChunkStream> MakeRebatchStream(std::unique_ptr<ChunkStream> input,
                                               int64_t batch_size) {
  if (batch_size < 1) {
    throw ConnectorError("data", "rebatch",
                         fmt::format("batch size must be at least 1, got {}", batch_size));
  }
  return std::make_unique<RebatchStream>(std::move(input), batch_size);
}

std::vector<DataChunk> DrainStream(ChunkStream& stream) {
  std::vector<DataChunk> chunks;
  while (std::optional<DataChunk> chunk = stream.Next()) chunks.push_back(std::move(*chunk));
  return chunks;
}

}  // namespace sqlflow
