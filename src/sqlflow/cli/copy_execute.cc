// ExecuteCopy(): the two ways data moves in `sqlflow copy` (declared in copy_command.h).
#include <algorithm>

#include "sqlflow/cli/copy_command.h"
#include "sqlflow/cli/interrupt.h"
#include "sqlflow/common/log.h"

namespace sqlflow::cli {

namespace {

/// Pass chunks through unchanged, counting rows and bytes and reporting progress. Polls the
/// interrupt flag between chunks, so Ctrl-C stops a copy at a chunk boundary and the
/// destination's failed-write cleanup runs.
class CountingStream final : public ChunkStream {
 public:
  CountingStream(std::unique_ptr<ChunkStream> input, const CopyProgressFn& progress)
      : input_(std::move(input)), progress_(progress) {}

  const Schema& schema() const override { return input_->schema(); }

  std::optional<DataChunk> Next() override {
    ThrowIfInterrupted();
    std::optional<DataChunk> chunk = input_->Next();
    if (chunk) {
      rows_ += chunk->num_rows();
      chunk_bytes_ += chunk->ByteSize();
      if (progress_) progress_(copy_progress());
    }
    return chunk;
  }

  StreamProgress progress() const override {
    StreamProgress p = input_->progress();
    p.rows = rows_;  // What has passed through here, whatever the source counts.
    return p;
  }

  CopyProgress copy_progress() const {
    StreamProgress p = input_->progress();
    CopyProgress out;
    out.rows = rows_;
    out.bytes = p.bytes_read;
    if (p.bytes_read >= 0 && p.bytes_total > 0) {
      out.fraction = static_cast<double>(p.bytes_read) / static_cast<double>(p.bytes_total);
    }
    return out;
  }

  int64_t rows() const { return rows_; }
  int64_t chunk_bytes() const { return chunk_bytes_; }

 private:
  std::unique_ptr<ChunkStream> input_;
  const CopyProgressFn& progress_;
  int64_t rows_ = 0;
  int64_t chunk_bytes_ = 0;
};

double SecondsSince(const Clock& clock, Clock::TimePoint start) {
  return std::chrono::duration<double>(clock.Now() - start).count();
}

// DuckDB reads the source and writes the destination itself; nullopt when the pair cannot.
std::optional<CopyOutcome> TryPushdown(CopyPlan& plan, const Clock& clock,
                                       const CopyProgressFn& progress) {
  auto* scannable = dynamic_cast<DuckDbScannable*>(plan.source.get());
  auto* writable = dynamic_cast<DuckDbWritable*>(plan.destination.get());
  if (scannable == nullptr || writable == nullptr) return std::nullopt;
  Clock::TimePoint start = clock.Now();
  std::optional<std::string> relation = scannable->DuckDbRelation(plan.request);
  if (!relation) {
    log::Debug("copy: {} cannot push this read down; streaming chunks", plan.source->type_name());
    return std::nullopt;
  }
  log::Debug("copy: DuckDB pushdown {} -> {}", plan.source->type_name(),
             plan.destination->type_name());

  // DuckDB reports only how far its query has got (as bytes_read of bytes_total), from its
  // own thread: pass the fraction on, nothing else.
  ProgressFn on_progress;
  if (progress) {
    on_progress = [&progress](const StreamProgress& p) {
      CopyProgress out;
      if (p.bytes_read >= 0 && p.bytes_total > 0) {
        out.fraction = static_cast<double>(p.bytes_read) / static_cast<double>(p.bytes_total);
      }
      progress(out);
    };
  }
  WriteResult result;
  {
    HardInterruptScope hard_interrupt;
    result = writable->WriteRelation("", *relation, *scannable, plan.write_options, on_progress);
  }
  CopyOutcome outcome;
  outcome.path = "pushdown";
  outcome.seconds = SecondsSince(clock, start);
  outcome.rows = result.rows_written;
  outcome.bytes_written = result.bytes_written;
  outcome.bytes = result.bytes_written;
  return outcome;
}

CopyOutcome Stream(CopyPlan& plan, const Clock& clock, const CopyProgressFn& progress) {
  Clock::TimePoint start = clock.Now();
  CountingStream counting(plan.source->Read(plan.request), progress);
  WriteResult result = plan.destination->Write("", counting, plan.write_options);
  CopyOutcome outcome;
  outcome.path = "stream";
  outcome.seconds = SecondsSince(clock, start);
  outcome.rows = result.rows_written > 0 ? result.rows_written : counting.rows();
  outcome.bytes_written = result.bytes_written;
  int64_t bytes_read = counting.progress().bytes_read;
  if (result.bytes_written > 0) {
    outcome.bytes = result.bytes_written;
  } else {
    outcome.bytes = bytes_read >= 0 ? bytes_read : counting.chunk_bytes();
  }
  return outcome;
}

}  // namespace

CopyOutcome ExecuteCopy(CopyPlan& plan, const Clock& clock, const CopyProgressFn& progress) {
  ThrowIfInterrupted();
  if (std::optional<CopyOutcome> outcome = TryPushdown(plan, clock, progress)) return *outcome;
  return Stream(plan, clock, progress);
}

}  // namespace sqlflow::cli
