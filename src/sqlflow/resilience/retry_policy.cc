#include "sqlflow/resilience/retry_policy.h"

#include <fmt/format.h>

#include "sqlflow/common/log.h"
#include "sqlflow/resilience/classification.h"
#include "sqlflow/resilience/retry_after.h"

namespace sqlflow::resilience {
namespace {

/// The error's own message without a closing period, since the log sentence adds one.
std::string_view Sentence(const Error& error) {
  std::string_view text = error.message();
  while (!text.empty() && (text.back() == '.' || text.back() == ' ')) text.remove_suffix(1);
  return text;
}

double Seconds(Clock::Duration duration) { return std::chrono::duration<double>(duration).count(); }

}  // namespace

void RetryOptions::Validate() const {
  if (max_attempts < 1) {
    throw ParameterError("resilience", "retry.max_attempts",
                         fmt::format("must be at least 1, got {}", max_attempts));
  }
  backoff.Validate();
  if (deadline.count() < 0) {
    throw ParameterError("resilience", "timeout",
                         fmt::format("must not be negative, got {} ms", deadline.count()));
  }
}

std::unique_ptr<RetryPolicy> RetryPolicy::Make(const RetryOptions& options, RetryContext context) {
  options.Validate();
  if (context.clock == nullptr) throw ParameterError("resilience", "clock", "must not be null");
  return std::make_unique<RetryPolicy>(options, std::move(context));
}

RetryPolicy::RetryPolicy(const RetryOptions& options, RetryContext context)
    : options_(options), context_(std::move(context)), backoff_(options.backoff, context_.seed) {}

std::optional<Clock::Duration> RetryPolicy::PlanRetry(const Error& error,
                                                      std::string_view operation, int attempt,
                                                      Clock::TimePoint start) {
  // An open breaker is transient but must fail fast, not be waited out here.
  if (!IsRetryable(ClassifyError(error)) || dynamic_cast<const CircuitOpenError*>(&error)) {
    return std::nullopt;
  }
  if (attempt >= options_.max_attempts) {
    LogGiveUp(error, operation, attempt, "no attempts left");
    return std::nullopt;
  }
  std::optional<Clock::Duration> remaining;
  if (options_.deadline.count() > 0) {
    remaining = start + options_.deadline - context_.clock->Now();
  }
  const std::optional<Clock::Duration> delay = DelayFor(error, attempt, remaining);
  if (!delay) {
    LogGiveUp(error, operation, attempt, "the server asked to wait longer than allowed");
    return std::nullopt;
  }
  if (remaining && *delay >= *remaining) {
    LogGiveUp(error, operation, attempt, "the deadline would pass before the next attempt");
    return std::nullopt;
  }
  if (context_.budget && !context_.budget->TryAcquireRetry()) {
    LogGiveUp(error, operation, attempt, "the retry budget is exhausted");
    return std::nullopt;
  }
  if (context_.metrics) context_.metrics->AddRetry(context_.connector_type, operation);
  log::Info("Retrying operation '{}' (attempt {}/{}) after error: {}. Next retry in {:.1f}s.",
            operation, attempt + 1, options_.max_attempts, Sentence(error), Seconds(*delay));
  return delay;
}

std::optional<Clock::Duration> RetryPolicy::DelayFor(const Error& error, int attempt,
                                                     std::optional<Clock::Duration> remaining) {
  Clock::Duration delay;
  {
    std::lock_guard<std::mutex> lock(backoff_mu_);
    delay = backoff_.NextDelay(attempt);
  }
  const auto* throttled = dynamic_cast<const RateLimitError*>(&error);
  if (throttled == nullptr || !throttled->retry_after()) return delay;
  return DelayHonouringHint(delay, *throttled->retry_after(), options_.backoff.max_delay,
                            remaining);
}

void RetryPolicy::LogGiveUp(const Error& error, std::string_view operation, int attempt,
                            std::string_view reason) const {
  log::Warning("Giving up on operation '{}' after {} attempt{} ({}): {}.", operation, attempt,
               attempt == 1 ? "" : "s", reason, Sentence(error));
}

}  // namespace sqlflow::resilience
