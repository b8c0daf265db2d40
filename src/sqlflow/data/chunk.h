#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sqlflow/data/arrow_abi.h"
#include "sqlflow/data/types.h"
#include "sqlflow/data/value.h"

namespace sqlflow {

/// A contiguous, immutable block of memory shared by columns and Arrow exports.
class Buffer {
 public:
  /// Allocate `size` zeroed bytes, 64-byte aligned (Arrow's recommendation).
  static std::shared_ptr<Buffer> Allocate(size_t size);
  /// Wrap memory owned by `owner` (kept alive as long as the buffer): zero-copy import.
  static std::shared_ptr<Buffer> Wrap(const void* data, size_t size, std::shared_ptr<void> owner);

  ~Buffer();
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  const uint8_t* data() const { return data_; }
  /// Writable access; only for buffers made by Allocate and not yet shared.
  uint8_t* mutable_data() { return data_; }
  size_t size() const { return size_; }

 private:
  Buffer(uint8_t* data, size_t size, bool owned, std::shared_ptr<void> owner);

  uint8_t* data_;
  size_t size_;
  bool owned_;
  std::shared_ptr<void> owner_;
};

/// One column of a chunk in Arrow layout. Cheap to copy (buffers are shared).
///
/// Buffers follow the Arrow spec for the type: `validity` is a bitmap (null = all valid);
/// `values` holds fixed-width values, bit-packed booleans, or int32 offsets (length+1 of
/// them) for variable-width types, whose bytes are in `data`. `offset` is the Arrow array
/// offset: logical row i is physical slot offset + i.
struct Column {
  DataType type;
  int64_t length = 0;
  int64_t null_count = 0;
  int64_t offset = 0;
  std::shared_ptr<Buffer> validity;
  std::shared_ptr<Buffer> values;
  std::shared_ptr<Buffer> data;

  bool IsNull(int64_t i) const;
  bool IsValid(int64_t i) const { return !IsNull(i); }
  /// Fixed-width value of row i (T must match byte_width(): int32_t for kDate, ...).
  template <typename T>
  T ValueAt(int64_t i) const {
    return reinterpret_cast<const T*>(values->data())[offset + i];
  }
  bool BoolAt(int64_t i) const;
  Int128 DecimalAt(int64_t i) const;
  /// Bytes of row i of a string, binary or JSON column.
  std::string_view StringAt(int64_t i) const;
  /// Row i as a Value (slow path: filters, cursors, tests).
  Value GetValue(int64_t i) const;
  /// Return rows [start, start + count) without copying.
  Column Slice(int64_t start, int64_t count) const;
};

/// A columnar batch of rows with a schema, laid out as Arrow arrays.
class DataChunk {
 public:
  DataChunk() = default;
  DataChunk(std::shared_ptr<const Schema> schema, std::vector<Column> columns, int64_t num_rows);

  const Schema& schema() const { return *schema_; }
  const std::shared_ptr<const Schema>& schema_ptr() const { return schema_; }
  int64_t num_rows() const { return num_rows_; }
  size_t num_columns() const { return columns_.size(); }
  const Column& column(size_t i) const { return columns_[i]; }
  const std::vector<Column>& columns() const { return columns_; }
  /// Bytes held by the chunk's buffers (for metrics; shared buffers count fully).
  int64_t ByteSize() const;

  /// Return rows [start, start + count) without copying.
  DataChunk Slice(int64_t start, int64_t count) const;
  /// Return only the columns named (in that order); throws SchemaError for an unknown name.
  DataChunk Project(const std::vector<std::string>& names) const;

  /// Check every structural invariant (buffer sizes, offsets monotonic and in range, null
  /// counts, NULLs in NOT NULL columns, UTF-8 of string and JSON columns, decimal
  /// precision). Throws SchemaError naming the column and (0-based) row of the first
  /// violation.
  void Validate() const;

  /// Export as an Arrow struct array + schema without copying: the exported structures keep
  /// the buffers alive until released. Either pointer may be null to skip it.
  void ExportToArrow(ArrowArray* out_array, ArrowSchema* out_schema) const;
  /// Import a struct array (as produced by any Arrow producer) without copying: takes
  /// ownership of `array` (moved out, its release left to the chunk). `schema` is only read.
  /// Throws SchemaError for a type SQLFlow cannot represent.
  ///
  /// Zero-copy: the columns point into the producer's buffers, and `array` is released once,
  /// when the last column (or slice, or export) referencing it is gone. Layouts SQLFlow does
  /// not store natively are converted by copying: large strings ("U", "Z"), string views
  /// ("vu", "vz"), other time units ("tss:", "tsn:", "tts", "ttn", "tdm"), UUIDs ("w:16" with
  /// arrow.uuid, formatted), fixed-size binary and the null type. Ownership is taken even when
  /// this throws (the array is then released before the exception leaves).
  static DataChunk ImportFromArrow(ArrowArray* array, const ArrowSchema* schema);
  /// Same, with a schema already converted (saves parsing the Arrow schema per chunk). The
  /// array must use the canonical layout of each column's type (DataType::ArrowFormat(), as
  /// ExportToArrow produces): the Schema does not say whether a producer sent "tsn:" or "U".
  /// For another producer's arrays, parse its schema once into an ArrowImporter instead.
  static DataChunk ImportFromArrow(ArrowArray* array, std::shared_ptr<const Schema> schema);

 private:
  std::shared_ptr<const Schema> schema_ = std::make_shared<Schema>();
  std::vector<Column> columns_;
  int64_t num_rows_ = 0;
};

/// Imports struct arrays that share one Arrow schema (a stream's batches): parses the schema
/// once and remembers each column's physical layout ("tsn:", "U", "w:16", ...), which the
/// logical Schema does not carry. Cheap to copy; immutable, so usable from several threads.
class ArrowImporter {
 public:
  /// Parse an Arrow struct schema (only read). Throws SchemaError naming the column and the
  /// format of a type SQLFlow cannot represent.
  explicit ArrowImporter(const ArrowSchema* schema);
  /// Import arrays in the canonical layout of `schema` (DataType::ArrowFormat()).
  explicit ArrowImporter(std::shared_ptr<const Schema> schema);

  const std::shared_ptr<const Schema>& schema() const { return schema_; }
  /// Import one struct array, exactly as DataChunk::ImportFromArrow does.
  DataChunk Import(ArrowArray* array) const;

 private:
  struct Plan;
  std::shared_ptr<const Schema> schema_;
  std::shared_ptr<const Plan> plan_;
};

/// Export a schema as an Arrow struct schema ("+s"): one child per field with its name and
/// ARROW_FLAG_NULLABLE; JSON columns are "u" tagged with the canonical extension "arrow.json".
void ExportSchemaToArrow(const Schema& schema, ArrowSchema* out);
/// Convert an Arrow struct schema; throws SchemaError for unsupported types.
Schema ImportSchemaFromArrow(const ArrowSchema* schema);

/// Append values to one column; Finish() hands out the Arrow buffers.
class ColumnBuilder {
 public:
  explicit ColumnBuilder(DataType type);

  const DataType& type() const { return type_; }
  int64_t length() const { return length_; }

  void AppendNull();
  void AppendBool(bool v);
  /// Integers of any width, date (days), time and timestamp (micros). No range check: the
  /// caller converts.
  void AppendInt(int64_t v);
  void AppendUInt(uint64_t v);
  void AppendDouble(double v);
  void AppendDecimal(Int128 unscaled);
  void AppendString(std::string_view v);
  /// Append a Value, converting between compatible types; throws SchemaError otherwise.
  ///
  /// Conversions: integers (signed or unsigned) to any integer type that holds the value, to
  /// float and to decimal (exact); float to float; decimal to decimal (rescaled, exact only)
  /// and to float; date to date or timestamp (midnight); timestamp to timestamp (any zone);
  /// string and JSON to string, JSON or binary; binary to binary. Out-of-range or inexact
  /// conversions throw SchemaError.
  void AppendValue(const Value& v);
  /// Append row `row` of `column` (same type: copied without making a Value; otherwise as
  /// AppendValue(column.GetValue(row))).
  void AppendFrom(const Column& column, int64_t row);

  /// Make room for `rows` more rows and `data_bytes` more string bytes, so appending them
  /// does not reallocate.
  void Reserve(int64_t rows, int64_t data_bytes = 0);
  /// Drop every row after the first `length` (undoes a partially appended row).
  void Truncate(int64_t length);

  /// Return the column built so far (exactly sized, 64-byte aligned buffers; a validity
  /// bitmap only when there are nulls) and start over empty, keeping the capacity.
  Column Finish();

 private:
  void AppendValidity(bool valid);
  template <typename T>
  void PushFixed(T v);
  template <typename T>
  void AppendInteger(T v);
  void PushZeros(size_t bytes);
  void AppendIntegerValue(const Value& v);
  void AppendDecimalValue(const Value& v);
  [[noreturn]] void ThrowMismatch(const std::string& what) const;

  DataType type_;
  int64_t length_ = 0;
  int64_t null_count_ = 0;
  std::vector<uint8_t> validity_;
  std::vector<uint8_t> values_;
  std::vector<uint8_t> data_;
};

/// Build a chunk row by row or column by column.
class ChunkBuilder {
 public:
  explicit ChunkBuilder(std::shared_ptr<const Schema> schema);
  explicit ChunkBuilder(Schema schema)
      : ChunkBuilder(std::make_shared<Schema>(std::move(schema))) {}

  const Schema& schema() const { return *schema_; }
  ColumnBuilder& column(size_t i) { return builders_[i]; }
  /// Append a whole row (one value per column). Throws SchemaError naming the column when a
  /// value cannot be converted or is NULL in a NOT NULL column; the row is then not added.
  void AppendRow(const std::vector<Value>& row);
  /// Make room for `rows` more rows in every column.
  void Reserve(int64_t rows);
  /// Rows appended so far (the length of column 0).
  int64_t num_rows() const;
  /// Return the chunk and start over empty.
  DataChunk Finish();

 private:
  std::shared_ptr<const Schema> schema_;
  std::vector<ColumnBuilder> builders_;
};

/// Concatenate chunks of the same schema into one (copies). Throws SchemaError when the
/// schemas differ; an empty list gives an empty chunk with no columns.
DataChunk ConcatenateChunks(const std::vector<DataChunk>& chunks);
/// Return the rows of `chunk` at `rows` (0-based, in that order, repeats allowed) as a new
/// chunk (copies). For filters a source cannot push down.
DataChunk TakeRows(const DataChunk& chunk, const std::vector<int64_t>& rows);

}  // namespace sqlflow
