#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <ostream>
#include <string>

#include "sqlflow/common/clock.h"

namespace sqlflow::cli {

/// Format a count with thousands separators: 5000000 → "5,000,000".
std::string FormatCount(int64_t value);

/// Return rows per second, or 0 when no time has passed.
double RowsPerSecond(int64_t rows, double seconds);

/// How far a copy has got. Unknown parts are -1: a DuckDB pushdown knows only the fraction
/// done, a stream knows rows and often bytes.
struct CopyProgress {
  int64_t rows = -1;     ///< Rows copied so far.
  int64_t bytes = -1;    ///< Input bytes read so far.
  double fraction = -1;  ///< Share of the work done, in [0, 1].
};

/// Called with progress while a copy runs; may be called from another thread.
using CopyProgressFn = std::function<void(const CopyProgress&)>;

/// The text of one progress line: "1,234,567 rows  98.2 MB  1,187,648 rows/s  45%"; parts
/// that are unknown are left out. Without a row count, the elapsed time is shown instead.
std::string FormatProgress(const CopyProgress& progress, double seconds);

/// One status line on a terminal, rewritten in place with '\r' at most once per interval.
/// Disabled (not a terminal, --quiet) it writes nothing. Thread-safe: a pushdown write may
/// report progress from DuckDB's side of the work.
class ProgressLine {
 public:
  /// `out` is standard error on a terminal. Nothing is drawn before `interval` has passed,
  /// so quick operations do not flicker.
  ProgressLine(std::ostream& out, const Clock& clock, bool enabled,
               std::chrono::milliseconds interval = std::chrono::milliseconds(250));
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  /// Draw `progress` if the interval has passed since the last draw.
  void Update(const CopyProgress& progress);
  /// Erase the line (if one was drawn), before a summary or an error is printed.
  void Clear();
  /// How many times the line was drawn (tests).
  int draws() const;

 private:
  std::ostream& out_;
  const Clock& clock_;
  const bool enabled_;
  const std::chrono::milliseconds interval_;
  const Clock::TimePoint start_;
  mutable std::mutex mu_;
  Clock::TimePoint last_draw_;
  bool drawn_ = false;
  int draws_ = 0;
};

}  // namespace sqlflow::cli
