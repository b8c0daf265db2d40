#include "sqlflow/cli/progress.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "sqlflow/common/strings.h"

namespace sqlflow::cli {

std::string FormatCount(int64_t value) {
  // Work on the magnitude as an unsigned number so INT64_MIN is safe.
  uint64_t magnitude = value < 0 ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
  std::string digits = std::to_string(magnitude);
  std::string out;
  out.reserve(digits.size() + digits.size() / 3 + 1);
  if (value < 0) out += '-';
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

double RowsPerSecond(int64_t rows, double seconds) {
  return seconds > 0 ? static_cast<double>(rows) / seconds : 0.0;
}

std::string FormatProgress(const CopyProgress& progress, double seconds) {
  std::vector<std::string> parts;
  if (progress.rows >= 0) parts.push_back(FormatCount(progress.rows) + " rows");
  if (progress.bytes >= 0) parts.push_back(FormatBytes(static_cast<double>(progress.bytes)));
  if (progress.rows >= 0 && seconds > 0) {
    parts.push_back(FormatCount(static_cast<int64_t>(RowsPerSecond(progress.rows, seconds))) +
                    " rows/s");
  }
  if (progress.fraction >= 0) {
    parts.push_back(fmt::format("{:.0f}%", std::min(progress.fraction, 1.0) * 100));
  }
  if (progress.rows < 0) parts.push_back(fmt::format("{:.1f} s", seconds));
  return Join(parts, "  ");
}

ProgressLine::ProgressLine(std::ostream& out, const Clock& clock, bool enabled,
                           std::chrono::milliseconds interval)
    : out_(out),
      clock_(clock),
      enabled_(enabled),
      interval_(interval),
      start_(clock.Now()),
      last_draw_(start_) {}

ProgressLine::~ProgressLine() { Clear(); }

void ProgressLine::Update(const CopyProgress& progress) {
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(mu_);
  Clock::TimePoint now = clock_.Now();
  if (now - last_draw_ < interval_) return;
  last_draw_ = now;
  double seconds = std::chrono::duration<double>(now - start_).count();
  // "\x1b[K" erases what a longer previous line left to the right.
  out_ << '\r' << FormatProgress(progress, seconds) << "\x1b[K" << std::flush;
  drawn_ = true;
  ++draws_;
}

void ProgressLine::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!drawn_) return;
  out_ << "\r\x1b[K" << std::flush;
  drawn_ = false;
}

int ProgressLine::draws() const {
  std::lock_guard<std::mutex> lock(mu_);
  return draws_;
}

}  // namespace sqlflow::cli
