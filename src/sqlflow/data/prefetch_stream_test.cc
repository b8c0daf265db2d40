// MakePrefetchStream: chunks in order from a background thread, bounded read-ahead, failures
// after the chunks before them, and an early destruction that interrupts a blocked input.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <stdexcept>

#include <gtest/gtest.h>

#include "sqlflow/common/error.h"
#include "sqlflow/data/data_test_util.h"
#include "sqlflow/data/stream.h"

namespace sqlflow {
namespace {

using testing_util::BuildChunk;

std::shared_ptr<const Schema> IdSchema() {
  return std::make_shared<Schema>(std::vector<Field>{{"id", DataType::Int64()}});
}

// Chunk i holds the one row i. Counts its calls; fails at call `fail_at` (0: never).
class CountingStream final : public ChunkStream {
 public:
  CountingStream(int chunks, int fail_at) : chunks_(chunks), fail_at_(fail_at) {}
  const Schema& schema() const override { return *schema_; }
  std::optional<DataChunk> Next() override {
    int call = ++calls_;
    if (call == fail_at_) throw ConnectionError("TEST", "read", "the input failed");
    if (call > chunks_) return std::nullopt;
    return BuildChunk(schema_, {{Value::Int(call)}});
  }
  std::atomic<int> calls_{0};

 private:
  std::shared_ptr<const Schema> schema_ = IdSchema();
  int chunks_;
  int fail_at_;
};

TEST(PrefetchStreamTest, HandsOutEveryChunkInOrderAndReadsAheadAtMostDepth) {
  auto input = std::make_unique<CountingStream>(100, 0);
  CountingStream* counting = input.get();
  auto stream = MakePrefetchStream(std::move(input), 3);
  EXPECT_EQ(stream->schema().ToString(), "id BIGINT");
  for (int i = 1; i <= 100; ++i) {
    std::optional<DataChunk> chunk = stream->Next();
    ASSERT_TRUE(chunk.has_value());
    EXPECT_EQ(chunk->column(0).ValueAt<int64_t>(0), i);
    // Read ahead: the chunks handed out, up to 3 ready, and one being read.
    EXPECT_LE(counting->calls_.load(), i + 3 + 1);
  }
  EXPECT_FALSE(stream->Next().has_value());
  EXPECT_FALSE(stream->Next().has_value());
  EXPECT_EQ(stream->progress().rows, 100);
}

TEST(PrefetchStreamTest, AFailureComesAfterTheChunksBeforeIt) {
  auto stream = MakePrefetchStream(std::make_unique<CountingStream>(100, 4), 8);
  for (int i = 1; i <= 3; ++i) ASSERT_TRUE(stream->Next().has_value());
  try {
    stream->Next();
    FAIL() << "expected the input's ConnectionError";
  } catch (const ConnectionError& e) {
    EXPECT_EQ(std::string(e.what()), "TEST read: the input failed");
  }
}

// Blocks in Next() until interrupted, as a read waiting on a silent server would.
class BlockedStream final : public ChunkStream {
 public:
  const Schema& schema() const override { return *schema_; }
  std::optional<DataChunk> Next() override {
    std::unique_lock lock(mu_);
    entered_ = true;
    cv_.notify_all();
    cv_.wait(lock, [this] { return interrupted_; });
    throw ConnectionError("TEST", "read", "cancelled");
  }
  void Interrupt() {
    std::lock_guard lock(mu_);
    interrupted_ = true;
    cv_.notify_all();
  }
  void WaitUntilEntered() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return entered_; });
  }

 private:
  std::shared_ptr<const Schema> schema_ = IdSchema();
  std::mutex mu_;
  std::condition_variable cv_;
  bool entered_ = false;
  bool interrupted_ = false;
};

TEST(PrefetchStreamTest, DestroyingItEarlyInterruptsABlockedInput) {
  auto input = std::make_unique<BlockedStream>();
  BlockedStream* blocked = input.get();
  int interrupts = 0;
  auto stream = MakePrefetchStream(std::move(input), 2, [&] {
    ++interrupts;
    blocked->Interrupt();
  });
  blocked->WaitUntilEntered();
  stream.reset();  // Returns only because the interrupt unblocked the input.
  EXPECT_EQ(interrupts, 1);
}

TEST(PrefetchStreamTest, AFinishedInputIsNotInterrupted) {
  int interrupts = 0;
  auto stream =
      MakePrefetchStream(std::make_unique<CountingStream>(2, 0), 4, [&] { ++interrupts; });
  while (stream->Next()) {
  }
  stream.reset();
  EXPECT_EQ(interrupts, 0);
}

}  // namespace
}  // namespace sqlflow
