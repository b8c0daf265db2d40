#include "sqlflow/data/stream.h"

#include <cerrno>

#include <gtest/gtest.h>

#include "sqlflow/common/error.h"
#include "sqlflow/data/data_test_util.h"

namespace sqlflow {
namespace {

using testing_util::ExpectRows;
using testing_util::Row;

std::shared_ptr<const Schema> IdSchema() {
  return std::make_shared<Schema>(
      std::vector<Field>{{"id", DataType::Int64()}, {"tag", DataType::String()}});
}

/// A chunk of ids [first, first + count); every fifth tag is NULL.
DataChunk Ids(int64_t first, int64_t count) {
  ChunkBuilder builder(IdSchema());
  for (int64_t i = first; i < first + count; ++i) {
    builder.AppendRow({Value::Int(i), i % 5 == 0 ? Value::Null(DataType::String())
                                                 : Value::String("t" + std::to_string(i))});
  }
  return builder.Finish();
}

std::vector<DataChunk> IdChunks(const std::vector<int64_t>& sizes) {
  std::vector<DataChunk> chunks;
  int64_t next = 0;
  for (int64_t size : sizes) {
    chunks.push_back(Ids(next, size));
    next += size;
  }
  return chunks;
}

std::vector<int64_t> Sizes(const std::vector<DataChunk>& chunks) {
  std::vector<int64_t> sizes;
  for (const DataChunk& c : chunks) sizes.push_back(c.num_rows());
  return sizes;
}

/// Check the chunks hold ids 0..n-1 in order, with their tags.
void ExpectIds(const std::vector<DataChunk>& chunks, int64_t n) {
  int64_t next = 0;
  for (const DataChunk& chunk : chunks) {
    EXPECT_NO_THROW(chunk.Validate());
    ExpectRows(testing_util::ChunkRows(Ids(next, chunk.num_rows())), chunk);
    next += chunk.num_rows();
  }
  EXPECT_EQ(next, n);
}

/// Yields `good` chunks, then throws `error`.
class FailingStream : public ChunkStream {
 public:
  FailingStream(int good, std::exception_ptr error) : good_(good), error_(std::move(error)) {}
  const Schema& schema() const override { return *schema_; }
  std::optional<DataChunk> Next() override {
    if (good_-- > 0) return Ids(0, 2);
    std::rethrow_exception(error_);
  }

 private:
  std::shared_ptr<const Schema> schema_ = IdSchema();
  int good_;
  std::exception_ptr error_;
};

/// Counts its destruction, to check who owns a stream.
class CountingStream : public ChunkStream {
 public:
  explicit CountingStream(int* destroyed) : destroyed_(destroyed) {}
  ~CountingStream() override { ++*destroyed_; }
  const Schema& schema() const override { return *schema_; }
  std::optional<DataChunk> Next() override { return std::nullopt; }

 private:
  std::shared_ptr<const Schema> schema_ = IdSchema();
  int* destroyed_;
};

TEST(StreamTest, VectorStreamHandsOutChunksAndProgress) {
  auto stream = MakeVectorStream(IdSchema(), IdChunks({3, 0, 4}));
  EXPECT_EQ(stream->schema(), *IdSchema());
  std::vector<DataChunk> chunks = DrainStream(*stream);
  EXPECT_EQ(Sizes(chunks), (std::vector<int64_t>{3, 0, 4}));
  EXPECT_EQ(stream->progress().rows, 7);
  EXPECT_EQ(stream->progress().bytes_total, -1);
  EXPECT_FALSE(stream->Next().has_value());
  ExpectIds(chunks, 7);
  auto inferred = MakeVectorStream(nullptr, IdChunks({1}));
  EXPECT_EQ(inferred->schema(), *IdSchema());
  EXPECT_EQ(MakeVectorStream(nullptr, {})->schema().num_fields(), 0u);
}

TEST(StreamTest, TransformStreamSkipsEmptyResults) {
  auto out_schema = std::make_shared<Schema>(std::vector<Field>{{"id", DataType::Int64()}});
  int calls = 0;
  auto stream = MakeTransformStream(MakeVectorStream(IdSchema(), IdChunks({2, 3, 4})), out_schema,
                                    [&](DataChunk chunk) {
                                      ++calls;
                                      if (chunk.num_rows() == 3) return chunk.Slice(0, 0);
                                      return chunk.Project({"id"});
                                    });
  EXPECT_EQ(stream->schema(), *out_schema);
  std::vector<DataChunk> chunks = DrainStream(*stream);
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(Sizes(chunks), (std::vector<int64_t>{2, 4}));
  EXPECT_EQ(chunks[1].column(0).GetValue(0), Value::Int(5));
  EXPECT_EQ(stream->progress().rows, 6);
}

TEST(StreamTest, RebatchCutsExactSizes) {
  struct Case {
    std::vector<int64_t> input;
    int64_t batch;
    std::vector<int64_t> output;
  };
  const Case cases[] = {
      {{3, 5, 0, 7, 1}, 4, {4, 4, 4, 4}},
      {{3, 5, 0, 7, 1}, 100, {16}},
      {{3, 5}, 1, {1, 1, 1, 1, 1, 1, 1, 1}},
      {{10}, 3, {3, 3, 3, 1}},
      {{2, 2, 2}, 2, {2, 2, 2}},
      {{1, 1, 1, 1, 1}, 2, {2, 2, 1}},
      {{0, 0}, 5, {}},
      {{}, 5, {}},
      {{9, 1}, 5, {5, 5}},
  };
  for (const Case& c : cases) {
    int64_t total = 0;
    for (int64_t n : c.input) total += n;
    auto stream = MakeRebatchStream(MakeVectorStream(IdSchema(), IdChunks(c.input)), c.batch);
    std::vector<DataChunk> chunks = DrainStream(*stream);
    EXPECT_EQ(Sizes(chunks), c.output) << "batch " << c.batch;
    EXPECT_EQ(stream->progress().rows, total);
    ExpectIds(chunks, total);
  }
}

TEST(StreamTest, RebatchSlicesLargeChunksWithoutCopying) {
  DataChunk big = Ids(0, 10);
  const uint8_t* values = big.column(0).values->data();
  auto stream = MakeRebatchStream(MakeVectorStream(IdSchema(), {big}), 4);
  std::vector<DataChunk> chunks = DrainStream(*stream);
  ASSERT_EQ(Sizes(chunks), (std::vector<int64_t>{4, 4, 2}));
  for (size_t i = 0; i < chunks.size(); ++i) {
    EXPECT_EQ(chunks[i].column(0).values->data(), values) << i;
    EXPECT_EQ(chunks[i].column(0).offset, static_cast<int64_t>(i) * 4);
  }
}

TEST(StreamTest, RebatchRejectsBadBatchSize) {
  EXPECT_THROW(MakeRebatchStream(MakeVectorStream(IdSchema(), {}), 0), ConnectorError);
  try {
    MakeRebatchStream(MakeVectorStream(IdSchema(), {}), -3);
  } catch (const ConnectorError& e) {
    EXPECT_STREQ(e.what(), "data rebatch: batch size must be at least 1, got -3");
  }
}

TEST(StreamTest, ArrowStreamRoundTrip) {
  ArrowArrayStream arrow;
  ExportChunkStream(MakeVectorStream(IdSchema(), IdChunks({3, 0, 4})), &arrow);
  auto stream = ImportChunkStream(&arrow);
  EXPECT_EQ(arrow.release, nullptr);
  EXPECT_EQ(stream->schema(), *IdSchema());
  std::vector<DataChunk> chunks = DrainStream(*stream);
  EXPECT_EQ(Sizes(chunks), (std::vector<int64_t>{3, 4}));  // The empty batch is skipped.
  EXPECT_EQ(stream->progress().rows, 7);
  ExpectIds(chunks, 7);
  EXPECT_FALSE(stream->Next().has_value());
}

TEST(StreamTest, ArrowStreamEveryType) {
  auto schema = testing_util::AllTypesSchema();
  DataChunk chunk = testing_util::BuildChunk(schema, testing_util::AllTypesRows());
  ArrowArrayStream arrow;
  ExportChunkStream(MakeVectorStream(schema, {chunk, chunk.Slice(2, 3)}), &arrow);
  auto stream = ImportChunkStream(&arrow);
  std::vector<DataChunk> chunks = DrainStream(*stream);
  ASSERT_EQ(chunks.size(), 2u);
  ExpectRows(testing_util::AllTypesRows(), chunks[0]);
  ExpectRows(testing_util::ChunkRows(chunk.Slice(2, 3)), chunks[1]);
}

TEST(StreamTest, ExportedStreamCallbacks) {
  ArrowArrayStream arrow;
  ExportChunkStream(MakeVectorStream(IdSchema(), IdChunks({2})), &arrow);
  ArrowSchema schema;
  ASSERT_EQ(arrow.get_schema(&arrow, &schema), 0);
  EXPECT_STREQ(schema.format, "+s");
  EXPECT_EQ(schema.n_children, 2);
  schema.release(&schema);
  ArrowArray array;
  ASSERT_EQ(arrow.get_next(&arrow, &array), 0);
  EXPECT_EQ(array.length, 2);
  array.release(&array);
  ASSERT_EQ(arrow.get_next(&arrow, &array), 0);
  EXPECT_EQ(array.release, nullptr);  // End of stream.
  ASSERT_EQ(arrow.get_next(&arrow, &array), 0);
  EXPECT_EQ(array.release, nullptr);
  EXPECT_EQ(arrow.get_last_error(&arrow), nullptr);
  EXPECT_EQ(ArrowStreamException(&arrow), nullptr);
  arrow.release(&arrow);
  EXPECT_EQ(arrow.release, nullptr);
}

TEST(StreamTest, ExportedStreamOwnsTheChunkStream) {
  int destroyed = 0;
  ArrowArrayStream arrow;
  ExportChunkStream(std::make_unique<CountingStream>(&destroyed), &arrow);
  EXPECT_EQ(destroyed, 0);
  arrow.release(&arrow);
  EXPECT_EQ(destroyed, 1);
  ExportChunkStream(std::make_unique<CountingStream>(&destroyed), &arrow);
  {
    auto imported = ImportChunkStream(&arrow);
    EXPECT_FALSE(imported->Next().has_value());
    EXPECT_EQ(destroyed, 1);
  }
  EXPECT_EQ(destroyed, 2);
}

TEST(StreamTest, FailureKeepsTheOriginalException) {
  auto error = std::make_exception_ptr(
      DataError("CSV", "read", DataLocation{"a.csv", 3, "amount", 2, "x"}, "not a number"));
  auto slot = std::make_shared<StreamErrorSlot>();
  ArrowArrayStream arrow;
  ExportChunkStream(std::make_unique<FailingStream>(1, error), &arrow, slot);
  ArrowArray array;
  ASSERT_EQ(arrow.get_next(&arrow, &array), 0);
  array.release(&array);
  EXPECT_EQ(arrow.get_next(&arrow, &array), EIO);
  EXPECT_STREQ(arrow.get_last_error(&arrow),
               "CSV read: a.csv:3: column 'amount' (#2): not a number; value: 'x'");
  EXPECT_EQ(arrow.get_next(&arrow, &array), EIO);  // Stays failed.
  EXPECT_EQ(ArrowStreamException(&arrow), error);
  EXPECT_EQ(slot->Get(), error);
  ArrowArrayStream moved = arrow;  // A consumer may move the stream; it is still recognised.
  arrow.release = nullptr;
  EXPECT_EQ(ArrowStreamException(&moved), error);
  moved.release(&moved);
  EXPECT_EQ(slot->Get(), error);  // Outlives the stream.
}

TEST(StreamTest, ImportRethrowsTheSameExceptionObject) {
  auto error = std::make_exception_ptr(RateLimitError("REST", "read", "slow down"));
  const void* original = nullptr;
  try {
    std::rethrow_exception(error);
  } catch (const RateLimitError& e) {
    original = &e;
  }
  ArrowArrayStream arrow;
  ExportChunkStream(std::make_unique<FailingStream>(2, error), &arrow);
  auto stream = ImportChunkStream(&arrow);
  EXPECT_TRUE(stream->Next().has_value());
  EXPECT_TRUE(stream->Next().has_value());
  try {
    stream->Next();
    FAIL() << "no exception";
  } catch (const RateLimitError& e) {
    EXPECT_EQ(&e, original);
    EXPECT_TRUE(e.retryable());
    EXPECT_STREQ(e.what(), "REST read: slow down");
  }
  EXPECT_THROW(stream->Next(), RateLimitError);
}

TEST(StreamTest, SchemaFailureIsThrownFromImport) {
  class NoSchema : public ChunkStream {
   public:
    const Schema& schema() const override {
      throw SchemaError("Test", "schema", "no schema today");
    }
    std::optional<DataChunk> Next() override { return std::nullopt; }
  };
  ArrowArrayStream arrow;
  ExportChunkStream(std::make_unique<NoSchema>(), &arrow);
  try {
    ImportChunkStream(&arrow);
    FAIL() << "no exception";
  } catch (const SchemaError& e) {
    EXPECT_STREQ(e.what(), "Test schema: no schema today");
  }
  EXPECT_EQ(arrow.release, nullptr);  // Taken and released (ASan reports a leak otherwise).
}

/// A foreign producer: one array, then an error with its own message.
struct ForeignStream {
  static int GetSchema(ArrowArrayStream*, ArrowSchema* out) {
    ExportSchemaToArrow(*IdSchema(), out);
    return 0;
  }
  static int GetNext(ArrowArrayStream* s, ArrowArray* out) {
    int* calls = static_cast<int*>(s->private_data);
    if ((*calls)++ == 0) {
      Ids(0, 3).ExportToArrow(out, nullptr);
      return 0;
    }
    return EINVAL;
  }
  static const char* LastError(ArrowArrayStream*) { return "disk on fire"; }
  static void Release(ArrowArrayStream* s) {
    *static_cast<int*>(s->private_data) = -100;
    s->release = nullptr;
  }
};

TEST(StreamTest, ForeignProducerErrorsBecomeConnectorErrors) {
  int calls = 0;
  ArrowArrayStream arrow{ForeignStream::GetSchema, ForeignStream::GetNext, ForeignStream::LastError,
                         ForeignStream::Release, &calls};
  EXPECT_EQ(ArrowStreamException(&arrow), nullptr);
  {
    auto stream = ImportChunkStream(&arrow);
    ASSERT_TRUE(stream->Next().has_value());
    try {
      stream->Next();
      FAIL() << "no exception";
    } catch (const ConnectorError& e) {
      EXPECT_STREQ(e.what(), "Arrow stream read: get_next failed: disk on fire (error code 22)");
    }
  }
  EXPECT_EQ(calls, -100);  // Released by the importer.
  ArrowArrayStream released{};
  EXPECT_THROW(ImportChunkStream(&released), ConnectorError);
}

}  // namespace
}  // namespace sqlflow
