// bench_csv_read: read a CSV through the CSV source connector's chunk path and report the
// throughput.
//
//   bench_csv_read CSV [BATCH_SIZE]
//
// The connector comes from the registry exactly as the CLI gets it (RegisterBuiltinConnectors,
// Create("CSV"), Configure({"path": CSV})); then Read() + Next() until the end. Every chunk is
// touched (order_id summed, buffer sizes added up) so nothing can be skipped. Prints one line:
// "rows=... seconds=... mb_per_second=... sum_order_id=... chunks=... chunk_mb=...", where
// MB/s is CSV bytes (10^6) over the seconds from Read() to the end of the stream.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>

#include <sys/stat.h>

#include "sqlflow/connectors/builtin/builtin.h"
#include "sqlflow/connectors/registry.h"
#include "sqlflow/data/chunk.h"

namespace {

/// Add up the order_id column (BIGINT, or INT if the connector narrowed it); false otherwise.
bool SumColumn(const sqlflow::Column& column, int64_t* out) {
  int64_t sum = 0;
  switch (column.type.id()) {
    case sqlflow::TypeId::kInt64:
      for (int64_t i = 0; i < column.length; ++i) sum += column.ValueAt<int64_t>(i);
      break;
    case sqlflow::TypeId::kInt32:
      for (int64_t i = 0; i < column.length; ++i) sum += column.ValueAt<int32_t>(i);
      break;
    default:
      return false;
  }
  *out += sum;
  return true;
}

int Run(const std::string& path, int64_t batch_size) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    std::fprintf(stderr, "bench_csv_read: %s: cannot stat\n", path.c_str());
    return 1;
  }
  sqlflow::ConnectorRegistry registry;
  sqlflow::RegisterBuiltinConnectors(registry);
  auto source = registry.sources().Create("CSV");
  source->Configure({{"path", path}});

  const auto start = std::chrono::steady_clock::now();
  sqlflow::ReadRequest request;
  request.batch_size = batch_size;
  auto stream = source->Read(request);
  const int order_id = stream->schema().FieldIndex("order_id");
  if (order_id < 0) {
    std::fprintf(stderr, "bench_csv_read: %s has no order_id column\n", path.c_str());
    return 1;
  }
  int64_t rows = 0;
  int64_t chunks = 0;
  int64_t sum = 0;
  int64_t chunk_bytes = 0;
  while (auto chunk = stream->Next()) {
    rows += chunk->num_rows();
    ++chunks;
    if (!SumColumn(chunk->column(static_cast<size_t>(order_id)), &sum)) {
      std::fprintf(stderr, "bench_csv_read: order_id is %s, expected an integer\n",
                   sqlflow::TypeIdName(chunk->column(static_cast<size_t>(order_id)).type.id()));
      return 1;
    }
    chunk_bytes += chunk->ByteSize();
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "rows=%lld seconds=%.3f mb_per_second=%.1f sum_order_id=%lld chunks=%lld chunk_mb=%.1f\n",
      static_cast<long long>(rows), seconds, static_cast<double>(st.st_size) / 1e6 / seconds,
      static_cast<long long>(sum), static_cast<long long>(chunks),
      static_cast<double>(chunk_bytes) / 1e6);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: bench_csv_read CSV [BATCH_SIZE]\n");
    return 2;
  }
  try {
    return Run(argv[1], argc == 3 ? std::stoll(argv[2]) : 10000);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_csv_read: %s\n", e.what());
    return 1;
  }
}
