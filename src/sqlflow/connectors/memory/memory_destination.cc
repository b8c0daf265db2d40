#include <algorithm>
#include <cmath>
#include <cstring>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "sqlflow/common/strings.h"
#include "sqlflow/connectors/memory/memory_connector.h"
#include "sqlflow/connectors/memory/memory_internal.h"
#include "sqlflow/connectors/read_after.h"

namespace sqlflow {
namespace {

// Rows per chunk of a table rebuilt by an upsert.
constexpr int64_t kStoredChunkRows = 10000;

// Where a row lives: chunk index and row within the chunk.
struct RowRef {
  size_t chunk;
  int64_t row;
};

// Builds a table row by row from rows of existing chunks, cutting it into chunks. The schema
// has at least one column (an upsert has keys), so the builder counts the rows.
class TableBuilder {
 public:
  explicit TableBuilder(std::shared_ptr<const Schema> schema)
      : schema_(schema), builder_(std::move(schema)) {}

  void Add(const DataChunk& chunk, int64_t row) {
    for (size_t c = 0; c < chunk.num_columns(); ++c) {
      builder_.column(c).AppendFrom(chunk.column(c), row);
    }
    if (builder_.num_rows() == kStoredChunkRows) chunks_.push_back(builder_.Finish());
  }

  MemoryTable Finish() {
    if (builder_.num_rows() > 0) chunks_.push_back(builder_.Finish());
    return {schema_, std::move(chunks_)};
  }

 private:
  std::shared_ptr<const Schema> schema_;
  ChunkBuilder builder_;
  std::vector<DataChunk> chunks_;
};

// Append the key columns of `row` to `key` as bytes that are equal exactly when the values are
// equal (fixed-width values raw, strings length-prefixed). False when a key value is NULL.
bool EncodeKey(const DataChunk& chunk, const std::vector<size_t>& keys, int64_t row,
               std::string* key) {
  key->clear();
  for (const size_t k : keys) {
    const Column& c = chunk.column(k);
    if (c.IsNull(row)) return false;
    const TypeId id = c.type.id();
    if (c.type.is_variable_width()) {
      const std::string_view bytes = c.StringAt(row);
      const uint32_t size = static_cast<uint32_t>(bytes.size());
      key->append(reinterpret_cast<const char*>(&size), sizeof(size));
      key->append(bytes);
    } else if (id == TypeId::kBoolean) {
      key->push_back(c.BoolAt(row) ? 1 : 0);
    } else if (id == TypeId::kDecimal) {
      const Int128 v = c.DecimalAt(row);
      key->append(reinterpret_cast<const char*>(&v), sizeof(v));
    } else if (c.type.is_floating()) {
      double v = id == TypeId::kFloat32 ? c.ValueAt<float>(row) : c.ValueAt<double>(row);
      if (v == 0) v = 0;  // -0.0 and 0.0 are the same key
      if (std::isnan(v)) v = std::nan("");
      key->append(reinterpret_cast<const char*>(&v), sizeof(v));
    } else {
      const size_t width = static_cast<size_t>(c.type.byte_width());
      const uint8_t* data = c.values->data() + static_cast<size_t>(c.offset + row) * width;
      key->append(reinterpret_cast<const char*>(data), width);
    }
  }
  return true;
}

class MemoryDestination final : public DestinationConnector {
 public:
  MemoryDestination(const ConnectorSpec& spec, std::shared_ptr<Clock> clock,
                    std::shared_ptr<MemoryStore> store)
      : DestinationConnector(spec, std::move(clock)), store_(std::move(store)) {}

  WriteResult Write(const std::string& object, ChunkStream& input,
                    const WriteOptions& options) override {
    const std::string table = object.empty() ? table_ : object;
    if (table.empty()) {
      throw ParameterError(name(), "table", "no table to write to",
                           "name the object to write or set the 'table' parameter");
    }
    const Clock::TimePoint start = clock().Now();
    try {
      WriteResult result = WriteTable(table, input, options);
      RecordQueryTime(MillisBetween(start, clock().Now()));
      MarkReady();
      return result;
    } catch (...) {
      RecordFailure();
      throw;
    }
  }

  ConnectionTestResult TestConnection() override {
    return {true, "the memory store is available", 0};
  }

 protected:
  void DoConfigure(const ParameterSet& params) override {
    table_ = params.GetOptionalString("table").value_or("");
  }

 private:
  WriteResult WriteTable(const std::string& table, ChunkStream& input,
                         const WriteOptions& options) {
    auto schema = std::make_shared<const Schema>(input.schema());
    std::vector<size_t> keys;
    if (options.mode == WriteMode::kUpsert) keys = KeyColumns(*schema, options.keys);

    // Read the whole input before touching the table: a stream that fails midway leaves the
    // table as it was (memory_test WriteIsAtomicWhenTheStreamThrows).
    std::vector<DataChunk> incoming;
    int64_t rows = 0;
    int64_t bytes = 0;
    while (std::optional<DataChunk> chunk = input.Next()) {
      if (chunk->schema() != *schema) {
        throw SchemaError(name(), "write",
                          fmt::format("a chunk has schema ({}) but the stream declared ({})",
                                      chunk->schema().ToString(), schema->ToString()));
      }
      if (chunk->num_rows() == 0) continue;
      rows += chunk->num_rows();
      bytes += chunk->ByteSize();
      incoming.emplace_back(schema, chunk->columns(), chunk->num_rows());
    }
    if (!keys.empty()) CheckKeysNotNull(table, incoming, *schema, keys);

    int64_t bytes_after = 0;
    store_->Update(table, [&](const MemoryTable* current) {
      MemoryTable next = Build(table, current, schema, incoming, options.mode, keys);
      bytes_after = next.ByteSize();
      return next;
    });
    RecordTransfer(rows, bytes);
    return {rows, bytes_after};
  }

  MemoryTable Build(const std::string& table, const MemoryTable* current,
                    const std::shared_ptr<const Schema>& schema,
                    const std::vector<DataChunk>& incoming, WriteMode mode,
                    const std::vector<size_t>& keys) const {
    if (mode == WriteMode::kReplace) return {schema, incoming};
    if (current == nullptr) {
      if (mode == WriteMode::kAppend) return {schema, incoming};
      return Upsert(MemoryTable{schema, {}}, incoming, keys);
    }
    const std::vector<DataChunk> aligned = Align(table, *current->schema, *schema, incoming);
    if (mode == WriteMode::kAppend) {
      MemoryTable next{current->schema, current->chunks};
      next.chunks.insert(next.chunks.end(), aligned.begin(), aligned.end());
      return next;
    }
    std::vector<size_t> table_keys;
    for (const size_t k : keys) {
      table_keys.push_back(static_cast<size_t>(current->schema->FieldIndex(schema->field(k).name)));
    }
    return Upsert(*current, aligned, table_keys);
  }

  // Check that `incoming` fits the table's schema (same names and types, any order) and
  // return it with the table's column order and schema.
  std::vector<DataChunk> Align(const std::string& table, const Schema& target, const Schema& source,
                               const std::vector<DataChunk>& incoming) const {
    std::vector<size_t> order;
    for (const Field& field : target.fields()) {
      const int index = source.FieldIndex(field.name);
      if (index < 0) {
        throw SchemaError(
            name(), "write",
            fmt::format("column '{}' of table '{}' is missing from the data", field.name, table));
      }
      const DataType& type = source.field(static_cast<size_t>(index)).type;
      if (type != field.type) {
        throw SchemaError(name(), "write",
                          fmt::format("column '{}' is {} in table '{}' but {} in the data",
                                      field.name, field.type.ToSql(), table, type.ToSql()));
      }
      order.push_back(static_cast<size_t>(index));
    }
    for (const Field& field : source.fields()) {
      if (target.FieldIndex(field.name) < 0) {
        throw SchemaError(name(), "write",
                          fmt::format("column '{}' of the data is not in table '{}'{}", field.name,
                                      table, MissingColumnHint(target, field.name)));
      }
    }
    auto schema = std::make_shared<const Schema>(target);
    std::vector<DataChunk> out;
    for (const DataChunk& chunk : incoming) {
      std::vector<Column> columns;
      for (const size_t i : order) columns.push_back(chunk.column(i));
      out.emplace_back(schema, std::move(columns), chunk.num_rows());
    }
    return out;
  }

  // The key columns of an upsert, as indexes into `schema`.
  std::vector<size_t> KeyColumns(const Schema& schema, const std::vector<std::string>& names) {
    if (names.empty()) {
      throw ParameterError(name(), "keys", "upsert needs at least one key column",
                           "e.g. MODE UPSERT KEY (id)");
    }
    std::vector<size_t> keys;
    for (const std::string& key : names) {
      const int index = schema.FieldIndex(key);
      if (index < 0) {
        throw SchemaError(name(), "write",
                          fmt::format("upsert key column '{}' is not in the data{}", key,
                                      MissingColumnHint(schema, key)));
      }
      if (std::find(keys.begin(), keys.end(), static_cast<size_t>(index)) == keys.end()) {
        keys.push_back(static_cast<size_t>(index));
      }
    }
    return keys;
  }

  void CheckKeysNotNull(const std::string& table, const std::vector<DataChunk>& incoming,
                        const Schema& schema, const std::vector<size_t>& keys) const {
    int64_t row_number = 0;
    for (const DataChunk& chunk : incoming) {
      for (int64_t r = 0; r < chunk.num_rows(); ++r) {
        ++row_number;
        for (const size_t k : keys) {
          if (!chunk.column(k).IsNull(r)) continue;
          DataLocation where{table, row_number, schema.field(k).name, static_cast<int64_t>(k) + 1,
                             ""};
          throw DataError(name(), "write", std::move(where),
                          "upsert key is NULL; every key column needs a value");
        }
      }
    }
  }

  // Old rows keep their place, a matching key takes the incoming row's values (the last
  // occurrence wins); incoming keys not in the table follow, in the order of their last
  // occurrence. Old rows sharing an upserted key collapse into one. Old rows with a NULL key
  // match nothing and stay.
  static MemoryTable Upsert(const MemoryTable& current, const std::vector<DataChunk>& incoming,
                            const std::vector<size_t>& keys) {
    struct Latest {
      RowRef row;
      bool emitted = false;
    };
    std::unordered_map<std::string, Latest> last;
    std::string key;
    for (size_t c = 0; c < incoming.size(); ++c) {
      for (int64_t r = 0; r < incoming[c].num_rows(); ++r) {
        EncodeKey(incoming[c], keys, r, &key);
        last[key].row = RowRef{c, r};
      }
    }
    TableBuilder out(current.schema);
    for (const DataChunk& chunk : current.chunks) {
      for (int64_t r = 0; r < chunk.num_rows(); ++r) {
        if (!EncodeKey(chunk, keys, r, &key)) {
          out.Add(chunk, r);
          continue;
        }
        auto it = last.find(key);
        if (it == last.end()) {
          out.Add(chunk, r);
        } else if (!it->second.emitted) {
          it->second.emitted = true;
          out.Add(incoming[it->second.row.chunk], it->second.row.row);
        }
      }
    }
    for (size_t c = 0; c < incoming.size(); ++c) {
      for (int64_t r = 0; r < incoming[c].num_rows(); ++r) {
        EncodeKey(incoming[c], keys, r, &key);
        const Latest& latest = last.at(key);
        if (latest.row.chunk == c && latest.row.row == r && !latest.emitted) {
          out.Add(incoming[c], r);
        }
      }
    }
    return out.Finish();
  }

  std::shared_ptr<MemoryStore> store_;
  std::string table_;
};

}  // namespace

std::unique_ptr<DestinationConnector> MakeMemoryDestination(const ConnectorSpec& spec,
                                                            std::shared_ptr<Clock> clock,
                                                            std::shared_ptr<MemoryStore> store) {
  if (!store) store = MemoryStore::Default();
  return std::make_unique<MemoryDestination>(spec, std::move(clock), std::move(store));
}

}  // namespace sqlflow
