// ConcatenateChunks and TakeRows: the two operations that copy rows into new buffers.

#include <cstring>
#include <limits>

#include <fmt/format.h>

#include "sqlflow/common/error.h"
#include "sqlflow/data/chunk.h"
#include "sqlflow/data/data_internal.h"

namespace sqlflow {

namespace {

using data_internal::BitmapBytes;

std::shared_ptr<Buffer> ConcatenateValidity(const std::vector<const Column*>& parts,
                                            int64_t total) {
  auto out = Buffer::Allocate(static_cast<size_t>(BitmapBytes(total)));
  uint8_t* bits = out->mutable_data();
  int64_t pos = 0;
  for (const Column* c : parts) {
    if (c->validity != nullptr) {
      data_internal::CopyBits(c->validity->data(), c->offset, c->length, bits, pos);
    } else {
      for (int64_t i = 0; i < c->length; ++i) data_internal::SetBit(bits, pos + i);
    }
    pos += c->length;
  }
  return out;
}

std::shared_ptr<Buffer> ConcatenateFixed(const std::vector<const Column*>& parts, int64_t total,
                                         int width) {
  auto out = Buffer::Allocate(static_cast<size_t>(width == 0 ? BitmapBytes(total) : total * width));
  uint8_t* dst = out->mutable_data();
  int64_t pos = 0;
  for (const Column* c : parts) {
    if (width == 0) {
      data_internal::CopyBits(c->values->data(), c->offset, c->length, dst, pos);
    } else if (c->length > 0) {
      std::memcpy(dst + pos * width, c->values->data() + c->offset * width,
                  static_cast<size_t>(c->length * width));
    }
    pos += c->length;
  }
  return out;
}

/// Offsets and bytes of string-like parts; each part's offsets are rebased onto the new data.
void ConcatenateVariable(const std::vector<const Column*>& parts, int64_t total, Column* out) {
  int64_t bytes = 0;
  for (const Column* c : parts) {
    const auto* offsets = reinterpret_cast<const int32_t*>(c->values->data());
    bytes += offsets[c->offset + c->length] - offsets[c->offset];
  }
  if (bytes > std::numeric_limits<int32_t>::max()) {
    data_internal::ThrowSchemaError(
        "concatenate",
        fmt::format("{} bytes of strings exceed the 2 GB a chunk column can hold", bytes));
  }
  out->values = Buffer::Allocate(static_cast<size_t>(total + 1) * sizeof(int32_t));
  out->data = Buffer::Allocate(static_cast<size_t>(bytes));
  auto* new_offsets = reinterpret_cast<int32_t*>(out->values->mutable_data());
  uint8_t* data = out->data->mutable_data();
  int64_t row = 0;
  int32_t pos = 0;
  for (const Column* c : parts) {
    const auto* offsets = reinterpret_cast<const int32_t*>(c->values->data()) + c->offset;
    int32_t base = offsets[0];
    int32_t size = offsets[c->length] - base;
    if (size > 0) std::memcpy(data + pos, c->data->data() + base, static_cast<size_t>(size));
    for (int64_t i = 0; i < c->length; ++i) new_offsets[row + i] = offsets[i] - base + pos;
    row += c->length;
    pos += size;
  }
  new_offsets[total] = pos;
}

Column ConcatenateColumns(const DataType& type, const std::vector<const Column*>& parts) {
  Column out;
  out.type = type;
  for (const Column* c : parts) {
    out.length += c->length;
    out.null_count += c->null_count;
  }
  if (out.null_count > 0) out.validity = ConcatenateValidity(parts, out.length);
  if (type.is_variable_width()) {
    ConcatenateVariable(parts, out.length, &out);
  } else {
    out.values = ConcatenateFixed(parts, out.length, type.byte_width());
  }
  return out;
}

}  // namespace

DataChunk ConcatenateChunks(const std::vector<DataChunk>& chunks) {
  if (chunks.empty()) return DataChunk();
  const auto& schema = chunks[0].schema_ptr();
  int64_t rows = 0;
  for (const DataChunk& chunk : chunks) {
    if (chunk.schema_ptr() != schema && !(chunk.schema() == *schema)) {
      data_internal::ThrowSchemaError(
          "concatenate", fmt::format("schemas differ: ({}) and ({})", schema->ToString(),
                                     chunk.schema().ToString()));
    }
    rows += chunk.num_rows();
  }
  std::vector<Column> columns;
  std::vector<const Column*> parts(chunks.size());
  for (size_t col = 0; col < schema->num_fields(); ++col) {
    for (size_t i = 0; i < chunks.size(); ++i) parts[i] = &chunks[i].column(col);
    columns.push_back(ConcatenateColumns(schema->field(col).type, parts));
  }
  return DataChunk(schema, std::move(columns), rows);
}

DataChunk TakeRows(const DataChunk& chunk, const std::vector<int64_t>& rows) {
  for (int64_t row : rows) {
    if (row < 0 || row >= chunk.num_rows()) {
      data_internal::ThrowSchemaError(
          "take",
          fmt::format("row {} is out of range for a chunk of {} rows", row, chunk.num_rows()));
    }
  }
  ChunkBuilder builder(chunk.schema_ptr());
  builder.Reserve(static_cast<int64_t>(rows.size()));
  for (size_t col = 0; col < chunk.num_columns(); ++col) {
    const Column& column = chunk.column(col);
    ColumnBuilder& out = builder.column(col);
    for (int64_t row : rows) out.AppendFrom(column, row);
  }
  if (chunk.num_columns() == 0) {
    return DataChunk(chunk.schema_ptr(), {}, static_cast<int64_t>(rows.size()));
  }
  return builder.Finish();
}

}  // namespace sqlflow
