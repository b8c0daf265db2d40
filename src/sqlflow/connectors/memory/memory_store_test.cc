#include "sqlflow/connectors/memory/memory_store.h"

#include <stdexcept>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqlflow/connectors/memory/memory_test_util.h"

namespace sqlflow {
namespace {

using memory_test::MakeChunk;
using memory_test::TableRows;
using ::testing::ElementsAre;

const Schema& IdSchema() {
  static const Schema schema({{"id", DataType::Int64()}});
  return schema;
}

MemoryTable IdTable(std::vector<int64_t> ids) {
  auto schema = std::make_shared<const Schema>(IdSchema());
  std::vector<std::vector<Value>> rows;
  for (int64_t id : ids) rows.push_back({Value::Int(id)});
  return {schema, {MakeChunk(*schema, rows)}};
}

TEST(MemoryStoreTest, PutGetDropAndList) {
  MemoryStore store;
  EXPECT_EQ(store.Get("a"), nullptr);
  store.Put("b", IdTable({1, 2}));
  store.Put("a", IdTable({3}));
  EXPECT_TRUE(store.Contains("a"));
  EXPECT_FALSE(store.Contains("A"));  // names are case-sensitive
  EXPECT_THAT(store.TableNames(), ElementsAre("a", "b"));
  EXPECT_THAT(TableRows(store, "b"), ElementsAre("1", "2"));
  EXPECT_EQ(store.Get("b")->num_rows(), 2);
  EXPECT_EQ(*store.Get("b")->schema, IdSchema());

  store.Put("b", IdTable({9}));
  EXPECT_THAT(TableRows(store, "b"), ElementsAre("9"));
  EXPECT_TRUE(store.Drop("b"));
  EXPECT_FALSE(store.Drop("b"));
  store.Clear();
  EXPECT_THAT(store.TableNames(), ElementsAre());
}

TEST(MemoryStoreTest, SnapshotsOutliveReplacement) {
  MemoryStore store;
  store.Put("t", IdTable({1}));
  MemoryStore::Snapshot before = store.Get("t");
  store.Put("t", IdTable({2}));
  EXPECT_EQ(memory_test::RowStrings(before->chunks), std::vector<std::string>{"1"});
}

TEST(MemoryStoreTest, EmptyChunksAreDroppedAndForeignChunksRejected) {
  MemoryStore store;
  MemoryTable table = IdTable({1});
  table.chunks.push_back(table.chunks[0].Slice(0, 0));
  store.Put("t", table);
  EXPECT_EQ(store.Get("t")->chunks.size(), 1u);

  MemoryTable bad = IdTable({1});
  bad.chunks.push_back(MakeChunk(Schema({{"name", DataType::String()}}), {{Value::String("x")}}));
  EXPECT_THROW(store.Put("u", bad), std::invalid_argument);
  EXPECT_FALSE(store.Contains("u"));
}

TEST(MemoryStoreTest, UpdateSwapsOrLeavesTheTableAlone) {
  MemoryStore store;
  store.Update("t", [](const MemoryTable* current) {
    EXPECT_EQ(current, nullptr);
    return IdTable({1});
  });
  EXPECT_THROW(
      store.Update("t",
                   [](const MemoryTable*) -> MemoryTable { throw std::runtime_error("half way"); }),
      std::runtime_error);
  EXPECT_THAT(TableRows(store, "t"), ElementsAre("1"));
}

TEST(MemoryStoreTest, UpdateRebuildsOnAConcurrentChange) {
  MemoryStore store;
  store.Put("t", IdTable({1}));
  int calls = 0;
  store.Update("t", [&](const MemoryTable* current) {
    if (++calls == 1) store.Put("t", IdTable({1, 2}));  // another writer gets in first
    MemoryTable next{current->schema, current->chunks};
    next.chunks.push_back(IdTable({3}).chunks[0]);
    return next;
  });
  EXPECT_EQ(calls, 2);
  EXPECT_THAT(TableRows(store, "t"), ElementsAre("1", "2", "3"));
}

TEST(MemoryStoreTest, ConcurrentAppendsLoseNothing) {
  MemoryStore store;
  store.Put("t", IdTable({}));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&store, t] {
      for (int i = 0; i < 50; ++i) {
        store.Update("t", [&](const MemoryTable* current) {
          MemoryTable next{current->schema, current->chunks};
          next.chunks.push_back(IdTable({t * 100 + i}).chunks[0]);
          return next;
        });
        (void)store.Get("t")->num_rows();
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(store.Get("t")->num_rows(), 200);
}

TEST(MemoryStoreTest, DefaultIsOneStore) {
  EXPECT_NE(MemoryStore::Default(), nullptr);
  EXPECT_EQ(MemoryStore::Default(), MemoryStore::Default());
}

}  // namespace
}  // namespace sqlflow
