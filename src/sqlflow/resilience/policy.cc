#include "sqlflow/resilience/policy.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <utility>

#include <fmt/format.h>

#include "sqlflow/common/log.h"
#include "sqlflow/resilience/circuit_breaker.h"
#include "sqlflow/resilience/classification.h"
#include "sqlflow/resilience/leaky_bucket.h"
#include "sqlflow/resilience/retry_budget.h"
#include "sqlflow/resilience/retry_policy.h"
#include "sqlflow/resilience/token_bucket.h"

namespace sqlflow::resilience {

struct ResiliencePolicy::Host {
  explicit Host(std::shared_ptr<Clock> clock) : server_budget(std::move(clock)) {}

  std::unique_ptr<CircuitBreaker> breaker;  // null without a breaker
  std::unique_ptr<TokenBucket> own_bucket;  // per_host buckets only
  TokenBucket* bucket = nullptr;            // own_bucket, the shared bucket, or null
  LeakyBucket server_budget;
};

struct ResiliencePolicy::Impl {
  ResilienceOptions options;
  PolicyContext context;
  std::shared_ptr<RetryBudget> budget;
  std::unique_ptr<RetryPolicy> retry;          // null: one attempt only
  std::unique_ptr<TokenBucket> shared_bucket;  // per_host false
  std::atomic<int64_t> waited_ns{0};
  std::atomic<int64_t> retries{0};  // retries planned by this policy (failure path only)
  mutable std::mutex hosts_mu;
  // Never erased, so the Host references Run holds stay valid; found by string_view.
  std::map<std::string, std::unique_ptr<Host>, std::less<>> hosts;

  std::unique_ptr<Host> MakeHost(std::string_view name) const;
};

std::unique_ptr<ResiliencePolicy::Host> ResiliencePolicy::Impl::MakeHost(
    std::string_view name) const {
  auto host = std::make_unique<Host>(context.clock);
  if (options.circuit_breaker) {
    // The seed's sentence names the connector; a second host is told apart in parentheses.
    std::string breaker_name =
        name.empty() ? context.name : fmt::format("{} ({})", context.name, name);
    host->breaker =
        CircuitBreaker::Make(std::move(breaker_name), *options.circuit_breaker, context.clock);
    if (context.metrics) {
      host->breaker->SetTransitionListener(
          [metrics = context.metrics, type = context.connector_type](CircuitState state) {
            metrics->SetBreakerState(type, static_cast<int>(state));
          });
    }
  }
  if (options.rate_limit && options.rate_limit->per_host) {
    host->own_bucket = TokenBucket::Make(context.name, *options.rate_limit, context.clock);
    host->bucket = host->own_bucket.get();
  } else {
    host->bucket = shared_bucket.get();
  }
  return host;
}

std::unique_ptr<ResiliencePolicy> ResiliencePolicy::Make(const ResilienceOptions& options,
                                                         PolicyContext context) {
  options.Validate();
  if (context.clock == nullptr) throw ParameterError("resilience", "clock", "must not be null");
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->context = std::move(context);
  const PolicyContext& ctx = impl->context;
  if (options.retry) {
    impl->budget = RetryBudget::Make(RetryBudgetOptions{}, ctx.clock);
    impl->retry = RetryPolicy::Make(
        *options.retry,
        RetryContext{ctx.connector_type, ctx.clock, impl->budget, ctx.metrics, ctx.seed});
  }
  if (ctx.metrics && !IsEmpty(options)) {
    ctx.metrics->DeclareConnectorType(ctx.connector_type, options.circuit_breaker.has_value(),
                                      options.rate_limit.has_value());
  }
  if (options.rate_limit && !options.rate_limit->per_host) {
    impl->shared_bucket = TokenBucket::Make(ctx.name, *options.rate_limit, ctx.clock);
  }
  return std::unique_ptr<ResiliencePolicy>(new ResiliencePolicy(std::move(impl)));
}

ResiliencePolicy::ResiliencePolicy(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ResiliencePolicy::~ResiliencePolicy() = default;

const ResilienceOptions& ResiliencePolicy::options() const { return impl_->options; }
int64_t ResiliencePolicy::retries() const { return impl_->retries.load(std::memory_order_relaxed); }
const PolicyContext& ResiliencePolicy::context() const { return impl_->context; }

ResiliencePolicy::Host& ResiliencePolicy::FindHost(std::string_view host) {
  std::lock_guard<std::mutex> lock(impl_->hosts_mu);
  auto it = impl_->hosts.find(host);
  if (it == impl_->hosts.end()) {
    it = impl_->hosts.emplace(std::string(host), impl_->MakeHost(host)).first;
  }
  return *it->second;
}

ResiliencePolicy::RunState ResiliencePolicy::Begin() {
  RunState state;
  if (impl_->retry == nullptr) return state;
  impl_->budget->RecordRequest();
  if (impl_->options.retry->deadline.count() > 0) state.start = impl_->context.clock->Now();
  return state;
}

uint64_t ResiliencePolicy::Admit(Host& host, std::string_view operation) {
  Clock::Duration waited = host.server_budget.Acquire();
  if (host.bucket != nullptr) waited += host.bucket->Acquire(operation);
  if (waited > Clock::Duration::zero()) {
    impl_->waited_ns.fetch_add(waited.count(), std::memory_order_relaxed);
    if (impl_->context.metrics) {
      impl_->context.metrics->AddRateLimitWait(impl_->context.connector_type, waited);
    }
  }
  return host.breaker ? host.breaker->Acquire(operation) : 0;
}

void ResiliencePolicy::Prepare(RunState& state, const RecoveryHooks& hooks) {
  if (!state.reconnect_pending) return;
  state.reconnect_pending = false;
  if (impl_->context.metrics)
    impl_->context.metrics->AddRecoveryAttempt(impl_->context.connector_type);
  log::Info("Reconnecting '{}' before the next attempt.", impl_->context.name);
  hooks.reconnect();
}

void ResiliencePolicy::Succeeded(Host& host, uint64_t ticket) {
  if (host.breaker) host.breaker->RecordSuccess(ticket);
}

ResiliencePolicy::Next ResiliencePolicy::Failed(Host& host, uint64_t ticket, const Error& error,
                                                std::string_view operation, int attempt,
                                                RunState& state, const RecoveryHooks& hooks,
                                                Clock::Duration* delay) {
  const FailureClass failure_class = ClassifyError(error);
  if (host.breaker) host.breaker->RecordFailure(ticket, failure_class);
  if (failure_class == FailureClass::kThrottled && host.bucket != nullptr) host.bucket->SlowDown();
  const RecoveryOptions& recovery = impl_->options.recovery;
  if (failure_class == FailureClass::kAuth) {
    if (state.refreshed || !recovery.credential_refresh || !hooks.refresh_credentials) {
      return Next::kRethrow;
    }
    state.refreshed = true;
    // A hook with nothing to refresh (static credentials, a token endpoint that refused them)
    // is no recovery attempt: nothing is logged or counted.
    if (!hooks.refresh_credentials()) return Next::kRethrow;
    if (impl_->context.metrics) {
      impl_->context.metrics->AddRecoveryAttempt(impl_->context.connector_type);
    }
    log::Info("Refreshed the credentials of '{}' after error: {}", impl_->context.name,
              error.message());
    return Next::kRepeat;
  }
  if (impl_->retry == nullptr) return Next::kRethrow;
  const std::optional<Clock::Duration> planned =
      impl_->retry->PlanRetry(error, operation, attempt, state.start);
  if (!planned) return Next::kRethrow;
  state.reconnect_pending = failure_class == FailureClass::kTransient &&
                            recovery.connection_recovery && static_cast<bool>(hooks.reconnect);
  *delay = *planned;
  impl_->retries.fetch_add(1, std::memory_order_relaxed);
  return Next::kRetry;
}

void ResiliencePolicy::FailedOther(Host& host, uint64_t ticket) {
  if (host.breaker) host.breaker->RecordFailure(ticket, FailureClass::kPermanent);
}

void ResiliencePolicy::Sleep(Clock::Duration delay) { impl_->context.clock->SleepFor(delay); }

void ResiliencePolicy::ObserveServerBudget(std::string_view host, int64_t used, int64_t capacity,
                                           double leak_per_second) {
  FindHost(host).server_budget.Observe(used, capacity, leak_per_second);
}

void ResiliencePolicy::ObserveBudgetExhausted(std::string_view host, Clock::Duration until_reset) {
  FindHost(host).server_budget.ObserveExhausted(until_reset);
}

nlohmann::json ResiliencePolicy::State() const {
  nlohmann::json hosts = nlohmann::json::object();
  const bool has_breaker = impl_->options.circuit_breaker.has_value();
  CircuitState worst = CircuitState::kClosed;
  std::optional<int64_t> rate;
  if (impl_->options.rate_limit) rate = impl_->options.rate_limit->requests_per_minute;
  if (impl_->shared_bucket) rate = impl_->shared_bucket->requests_per_minute();
  {
    std::lock_guard<std::mutex> lock(impl_->hosts_mu);
    for (const auto& [name, host] : impl_->hosts) {
      if (host->own_bucket) rate = std::min(*rate, host->own_bucket->requests_per_minute());
      if (!host->breaker) continue;
      const CircuitState state = host->breaker->state();
      hosts[name] = CircuitStateName(state);
      // Worst first: open, then half-open, then closed.
      if (state == CircuitState::kOpen ||
          (state == CircuitState::kHalfOpen && worst == CircuitState::kClosed)) {
        worst = state;
      }
    }
  }
  nlohmann::json out;
  out["circuit_breaker"] = has_breaker ? CircuitStateName(worst) : "NONE";
  out["hosts"] = std::move(hosts);
  out["rate_limit_wait_ms"] = impl_->waited_ns.load(std::memory_order_relaxed) / 1'000'000;
  out["requests_per_minute"] = rate ? nlohmann::json(*rate) : nlohmann::json(nullptr);
  return out;
}

}  // namespace sqlflow::resilience
