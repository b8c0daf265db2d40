#include "sqlflow/resilience/leaky_bucket.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace sqlflow::resilience {
namespace {

/// Slack for floating-point drain arithmetic: a bucket within a billionth of a request of
/// having room has room, so a wait computed to the nanosecond is never followed by another.
constexpr double kEpsilon = 1e-9;

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::optional<int64_t> ParseCount(std::string_view text) {
  text = Trim(text);
  int64_t out = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || out < 0) {
    return std::nullopt;
  }
  return out;
}

}  // namespace

LeakyBucket::LeakyBucket(std::shared_ptr<Clock> clock) : clock_(std::move(clock)) {}

void LeakyBucket::Observe(int64_t used, int64_t capacity, double leak_per_second) {
  if (capacity <= 0 || !(leak_per_second > 0) || used < 0) return;
  const Clock::TimePoint now = clock_->Now();
  std::lock_guard<std::mutex> lock(mu_);
  reported_.store(true, std::memory_order_release);
  level_ = static_cast<double>(used);
  capacity_ = static_cast<double>(capacity);
  leak_per_second_ = leak_per_second;
  at_ = now;
}

void LeakyBucket::ObserveExhausted(Clock::Duration until_reset) {
  const Clock::TimePoint now = clock_->Now();
  std::lock_guard<std::mutex> lock(mu_);
  reported_.store(true, std::memory_order_release);
  blocked_until_ = std::max(blocked_until_, now + until_reset);
}

double LeakyBucket::LevelLocked(Clock::TimePoint now) const {
  if (capacity_ <= 0) return 0;
  const double drained = leak_per_second_ * std::chrono::duration<double>(now - at_).count();
  return std::max(0.0, level_ - drained);
}

Clock::Duration LeakyBucket::TakeOrWaitLocked(Clock::TimePoint now) {
  if (now < blocked_until_) return blocked_until_ - now;
  if (capacity_ <= 0) return Clock::Duration::zero();
  const double level = LevelLocked(now);
  const double excess = level + 1 - capacity_;
  if (excess > kEpsilon) {
    const double seconds = excess / leak_per_second_;
    return Clock::Duration(std::max<int64_t>(1, static_cast<int64_t>(std::ceil(seconds * 1e9))));
  }
  level_ = level + 1;
  at_ = now;
  return Clock::Duration::zero();
}

Clock::Duration LeakyBucket::Acquire() {
  Clock::Duration waited{0};
  if (!reported_.load(std::memory_order_acquire)) return waited;
  for (;;) {
    const Clock::TimePoint now = clock_->Now();
    std::unique_lock<std::mutex> lock(mu_);
    const Clock::Duration wait = TakeOrWaitLocked(now);
    if (wait == Clock::Duration::zero()) return waited;
    lock.unlock();
    clock_->SleepFor(wait);
    waited += wait;
  }
}

double LeakyBucket::level() const {
  const Clock::TimePoint now = clock_->Now();
  std::lock_guard<std::mutex> lock(mu_);
  return LevelLocked(now);
}

std::optional<std::pair<int64_t, int64_t>> ParseCallLimit(std::string_view value) {
  const size_t slash = value.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const std::optional<int64_t> used = ParseCount(value.substr(0, slash));
  const std::optional<int64_t> capacity = ParseCount(value.substr(slash + 1));
  if (!used || !capacity || *capacity == 0) return std::nullopt;
  return std::make_pair(*used, *capacity);
}

}  // namespace sqlflow::resilience
