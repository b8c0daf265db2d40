#pragma once

// Test helpers of data/ and the connectors: a schema with every type, rows of extreme values,
// row comparison, rows as strings and scripted streams.

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sqlflow/common/error.h"
#include "sqlflow/data/chunk.h"
#include "sqlflow/data/stream.h"
#include "sqlflow/data/value.h"

namespace sqlflow {

inline void PrintTo(const Value& v, std::ostream* os) {
  *os << v.type().ToSql() << " " << v.ToString();
}
inline void PrintTo(const DataType& t, std::ostream* os) { *os << t.ToSql(); }

namespace testing_util {

using Row = std::vector<Value>;

/// 10^38 - 1: the largest DECIMAL(38, s) unscaled value.
inline Int128 MaxDecimal38() {
  Int128 v = 1;
  for (int i = 0; i < 38; ++i) v *= 10;
  return v - 1;
}

/// One column per type (and per decimal/timestamp flavour).
inline std::shared_ptr<const Schema> AllTypesSchema() {
  return std::make_shared<Schema>(std::vector<Field>{
      {"b", DataType::Boolean()},           {"i8", DataType::Int8()},
      {"i16", DataType::Int16()},           {"i32", DataType::Int32()},
      {"i64", DataType::Int64()},           {"u8", DataType::UInt8()},
      {"u16", DataType::UInt16()},          {"u32", DataType::UInt32()},
      {"u64", DataType::UInt64()},          {"f32", DataType::Float32()},
      {"f64", DataType::Float64()},         {"d38", DataType::Decimal(38, 10)},
      {"d12", DataType::Decimal(12, 2)},    {"date", DataType::Date()},
      {"time", DataType::Time()},           {"ts", DataType::Timestamp()},
      {"tstz", DataType::Timestamp("UTC")}, {"s", DataType::String()},
      {"bin", DataType::Binary()},          {"json", DataType::Json()},
  });
}

inline Row NullRow(const Schema& schema) {
  Row row;
  for (const Field& f : schema.fields()) row.push_back(Value::Null(f.type));
  return row;
}

/// Seven rows: NULLs at the start, middle and end; minimum, maximum, ordinary and zero/empty
/// values in between.
inline std::vector<Row> AllTypesRows() {
  auto schema = AllTypesSchema();
  const DataType d38 = DataType::Decimal(38, 10);
  const DataType d12 = DataType::Decimal(12, 2);
  Row min_row = {
      Value::Boolean(false),
      Value::Int(INT8_MIN, DataType::Int8()),
      Value::Int(INT16_MIN, DataType::Int16()),
      Value::Int(INT32_MIN, DataType::Int32()),
      Value::Int(INT64_MIN),
      Value::UInt(0, DataType::UInt8()),
      Value::UInt(0, DataType::UInt16()),
      Value::UInt(0, DataType::UInt32()),
      Value::UInt(0),
      Value::Double(-FLT_MAX, DataType::Float32()),
      Value::Double(-DBL_MAX),
      Value::Decimal(-MaxDecimal38(), d38),
      Value::Decimal(-99999999999, d12),
      Value::Date(-719162),  // 0001-01-01
      Value::Time(0),
      Value::Timestamp(-2208988799999999),  // 1900-01-01 00:00:00.000001
      Value::Timestamp(-1, "UTC"),
      Value::String(""),
      Value::Binary(std::string("\0\xff\x01", 3)),
      Value::Json("[]"),
  };
  Row max_row = {
      Value::Boolean(true),
      Value::Int(INT8_MAX, DataType::Int8()),
      Value::Int(INT16_MAX, DataType::Int16()),
      Value::Int(INT32_MAX, DataType::Int32()),
      Value::Int(INT64_MAX),
      Value::UInt(UINT8_MAX, DataType::UInt8()),
      Value::UInt(UINT16_MAX, DataType::UInt16()),
      Value::UInt(UINT32_MAX, DataType::UInt32()),
      Value::UInt(UINT64_MAX),
      Value::Double(FLT_MAX, DataType::Float32()),
      Value::Double(DBL_MAX),
      Value::Decimal(MaxDecimal38(), d38),
      Value::Decimal(99999999999, d12),
      Value::Date(2932896),  // 9999-12-31
      Value::Time(86399999999),
      Value::Timestamp(253402300799999999),  // 9999-12-31 23:59:59.999999
      Value::Timestamp(1704164645123456, "UTC"),
      Value::String("h\xc3\xa9llo w\xc3\xb6rld \xe2\x9c\x93 \xf0\x9d\x84\x9e"),
      Value::Binary(std::string(300, '\x7f')),
      Value::Json(R"({"a": [1, 2], "b": "\u00e9"})"),
  };
  Row ordinary_row = {
      Value::Boolean(true),
      Value::Int(-7, DataType::Int8()),
      Value::Int(1234, DataType::Int16()),
      Value::Int(-123456, DataType::Int32()),
      Value::Int(1234567890123),
      Value::UInt(7, DataType::UInt8()),
      Value::UInt(65000, DataType::UInt16()),
      Value::UInt(4000000000u, DataType::UInt32()),
      Value::UInt(18000000000000000000ull),
      Value::Double(0.1f, DataType::Float32()),
      Value::Double(-2.5e-300),
      Value::Decimal(-12345678901234567, d38),
      Value::Decimal(1250, d12),
      Value::Date(-1),  // 1969-12-31
      Value::Time(11045123456),
      Value::Timestamp(1704164645123456),
      Value::Timestamp(-86400000001, "UTC"),
      Value::String(std::string(1000, 'x') + "it's"),
      Value::Binary("bytes"),
      Value::Json("\"x\""),
  };
  Row zero_row = {
      Value::Boolean(false),
      Value::Int(0, DataType::Int8()),
      Value::Int(0, DataType::Int16()),
      Value::Int(0, DataType::Int32()),
      Value::Int(0),
      Value::UInt(0, DataType::UInt8()),
      Value::UInt(0, DataType::UInt16()),
      Value::UInt(0, DataType::UInt32()),
      Value::UInt(0),
      Value::Double(-0.0, DataType::Float32()),
      Value::Double(std::numeric_limits<double>::denorm_min()),
      Value::Decimal(0, d38),
      Value::Decimal(-1, d12),
      Value::Date(0),
      Value::Time(1),
      Value::Timestamp(0),
      Value::Timestamp(0, "UTC"),
      Value::String("\xe2\x82\xac"),
      Value::Binary(""),
      Value::Json("null"),
  };
  Row null_row = NullRow(*schema);
  return {null_row, min_row, max_row, null_row, ordinary_row, zero_row, null_row};
}

inline DataChunk BuildChunk(std::shared_ptr<const Schema> schema, const std::vector<Row>& rows) {
  ChunkBuilder builder(std::move(schema));
  for (const Row& row : rows) builder.AppendRow(row);
  return builder.Finish();
}

inline std::vector<Row> ChunkRows(const DataChunk& chunk) {
  std::vector<Row> rows;
  for (int64_t r = 0; r < chunk.num_rows(); ++r) {
    Row row;
    for (size_t c = 0; c < chunk.num_columns(); ++c) row.push_back(chunk.column(c).GetValue(r));
    rows.push_back(std::move(row));
  }
  return rows;
}

/// Values equal with the same type and the same text (so -0.0 and 0.0, or scales, differ).
inline void ExpectSameValue(const Value& expected, const Value& actual, const std::string& where) {
  EXPECT_EQ(expected.type(), actual.type()) << where;
  EXPECT_EQ(expected.is_null(), actual.is_null()) << where;
  EXPECT_EQ(expected.ToString(), actual.ToString()) << where;
  if (!expected.is_null() && !actual.is_null()) {
    EXPECT_TRUE(expected == actual) << where;
  }
}

inline void ExpectRows(const std::vector<Row>& expected, const DataChunk& chunk) {
  ASSERT_EQ(static_cast<int64_t>(expected.size()), chunk.num_rows());
  std::vector<Row> actual = ChunkRows(chunk);
  for (size_t r = 0; r < expected.size(); ++r) {
    ASSERT_EQ(expected[r].size(), actual[r].size());
    for (size_t c = 0; c < expected[r].size(); ++c) {
      ExpectSameValue(expected[r][c], actual[r][c],
                      "row " + std::to_string(r) + " column " + chunk.schema().field(c).name);
    }
  }
}

/// Each row of `chunk` as "v1|v2|..." (Value::ToString; NULL for nulls).
inline void AppendRowStrings(const DataChunk& chunk, std::vector<std::string>* out) {
  for (int64_t r = 0; r < chunk.num_rows(); ++r) {
    std::string row;
    for (size_t c = 0; c < chunk.num_columns(); ++c) {
      if (c > 0) row += "|";
      row += chunk.column(c).GetValue(r).ToString();
    }
    out->push_back(std::move(row));
  }
}

/// Read `stream` to the end: its rows as strings; the chunk sizes in `*sizes` when given.
inline std::vector<std::string> DrainRows(ChunkStream& stream,
                                          std::vector<int64_t>* sizes = nullptr) {
  std::vector<std::string> rows;
  while (auto chunk = stream.Next()) {
    if (sizes) sizes->push_back(chunk->num_rows());
    AppendRowStrings(*chunk, &rows);
  }
  return rows;
}

/// A stream handing out `chunks`, then (when `fail_after` ≥ 0 chunks were handed out)
/// throwing a DataError instead of handing out more.
class ScriptedStream final : public ChunkStream {
 public:
  ScriptedStream(Schema schema, std::vector<DataChunk> chunks, int fail_after = -1)
      : schema_(std::move(schema)), chunks_(std::move(chunks)), fail_after_(fail_after) {}

  const Schema& schema() const override { return schema_; }
  std::optional<DataChunk> Next() override {
    if (fail_after_ >= 0 && static_cast<int>(next_) == fail_after_) {
      DataLocation loc;
      loc.object = "input.csv";
      loc.line = 42;
      throw DataError("TEST", "read", loc, "the input broke");
    }
    if (next_ < chunks_.size()) return chunks_[next_++];
    return std::nullopt;
  }

 private:
  Schema schema_;
  std::vector<DataChunk> chunks_;
  int fail_after_;
  size_t next_ = 0;
};

/// Each row of `chunks` as "v1|v2|..." (Value::ToString; NULL for nulls).
inline std::vector<std::string> RowStrings(const std::vector<DataChunk>& chunks) {
  std::vector<std::string> out;
  for (const DataChunk& chunk : chunks) AppendRowStrings(chunk, &out);
  return out;
}

}  // namespace testing_util
}  // namespace sqlflow
