#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sqlflow/common/clock.h"
#include "sqlflow/connectors/connector.h"
#include "sqlflow/data/stream.h"

/// For sources that cannot push projection and filters down (memory tables, REST
/// responses): apply them to the stream after reading, and meter what is read.
namespace sqlflow {

/// " (did you mean 'x'?)" or " (columns: a, b)" for a column missing from `schema`.
std::string MissingColumnHint(const Schema& schema, const std::string& column);

/// `stream` with `filters` applied and then `columns` selected (a filter may test a column
/// that is not selected). Checks both when called, not at the first chunk: a column that is
/// not in the stream's schema, or a filter value of the wrong type, throws SchemaError
/// naming `connector`, what is read (`what`: "table 'orders'") and the column with a
/// suggestion.
std::unique_ptr<ChunkStream> FilterAndProject(std::unique_ptr<ChunkStream> stream,
                                              const std::string& connector, const std::string& what,
                                              const std::vector<std::string>& columns,
                                              const std::vector<Filter>& filters);

/// Counts rows, bytes and time of a read and reports them (to the source) per chunk.
class MeteredStream final : public ChunkStream {
 public:
  /// Called after every Next(): its duration, and the rows and bytes of the chunk (0 at the
  /// end).
  using Report = std::function<void(double ms, int64_t rows, int64_t bytes)>;

  MeteredStream(std::unique_ptr<ChunkStream> input, Clock& clock, Report report)
      : input_(std::move(input)), clock_(clock), report_(std::move(report)) {}

  const Schema& schema() const override { return input_->schema(); }
  std::optional<DataChunk> Next() override;
  StreamProgress progress() const override { return {rows_, -1, -1}; }

 private:
  std::unique_ptr<ChunkStream> input_;
  Clock& clock_;
  Report report_;
  int64_t rows_ = 0;
};

}  // namespace sqlflow
