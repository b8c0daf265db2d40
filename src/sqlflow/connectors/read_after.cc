#include "sqlflow/connectors/read_after.h"

#include <fmt/format.h>

#include "sqlflow/common/strings.h"

namespace sqlflow {

std::string MissingColumnHint(const Schema& schema, const std::string& column) {
  const std::string near = ClosestMatch(column, schema.names());
  if (!near.empty()) return fmt::format(" (did you mean '{}'?)", near);
  return fmt::format(" (columns: {})", Join(schema.names(), ", "));
}

std::unique_ptr<ChunkStream> FilterAndProject(std::unique_ptr<ChunkStream> stream,
                                              const std::string& connector, const std::string& what,
                                              const std::vector<std::string>& columns,
                                              const std::vector<Filter>& filters) {
  const Schema& schema = stream->schema();
  std::vector<std::string> names;
  std::vector<Field> fields;
  for (const std::string& column : columns) {
    const int index = schema.FieldIndex(column);
    if (index < 0) {
      throw SchemaError(connector, "read",
                        fmt::format("column '{}' is not in {}{}", column, what,
                                    MissingColumnHint(schema, column)));
    }
    fields.push_back(schema.field(static_cast<size_t>(index)));
    names.push_back(fields.back().name);
  }
  for (const Filter& filter : filters) {
    if (schema.FieldIndex(filter.column) < 0) {
      throw SchemaError(connector, "read",
                        fmt::format("filter column '{}' is not in {}{}", filter.column, what,
                                    MissingColumnHint(schema, filter.column)));
    }
  }
  try {
    ApplyFilters(ChunkBuilder(schema).Finish(), filters);  // operand types, on no rows
  } catch (const ConnectorError& e) {
    throw SchemaError(connector, "read", e.message());
  }
  if (filters.empty() && names.empty()) return stream;
  auto out_schema = names.empty() ? std::make_shared<const Schema>(schema)
                                  : std::make_shared<const Schema>(std::move(fields));
  return MakeTransformStream(std::move(stream), std::move(out_schema),
                             [filters, names](DataChunk chunk) {
                               if (!filters.empty()) chunk = ApplyFilters(chunk, filters);
                               if (!names.empty()) chunk = chunk.Project(names);
                               return chunk;
                             });
}

std::optional<DataChunk> MeteredStream::Next() {
  const Clock::TimePoint start = clock_.Now();
  std::optional<DataChunk> chunk = input_->Next();
  const double ms = MillisBetween(start, clock_.Now());
  if (chunk) {
    rows_ += chunk->num_rows();
    report_(ms, chunk->num_rows(), chunk->ByteSize());
  } else {
    report_(ms, 0, 0);
  }
  return chunk;
}

}  // namespace sqlflow
