#include "sqlflow/resilience/config.h"

#include <array>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <utility>
#include <vector>

#include <fmt/format.h>

namespace sqlflow::resilience {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

/// The longest duration accepted anywhere, in seconds (one year): keeps every conversion to
/// milliseconds far from overflow.
constexpr double kMaxSeconds = 31'536'000;

/// The shortest positive duration, in seconds (one millisecond).
constexpr double kMinSeconds = 0.001;

/// The tier-3 objects, in the order their problems are reported (alphabetical, as the
/// validator reports names).
constexpr std::array<const char*, 4> kParts = {"circuit_breaker", "rate_limit", "recovery",
                                               "retry"};

ParamSpec Spec(std::string name, ParamType type, std::string description,
               std::optional<double> minimum = std::nullopt,
               std::optional<double> maximum = std::nullopt) {
  ParamSpec spec = MakeParam(std::move(name), type, std::nullopt, std::move(description));
  spec.minimum = minimum;
  spec.maximum = maximum;
  return spec;
}

std::vector<ParamSpec> TopSpecs() {
  return {
      Spec("retry_attempts", ParamType::kInteger, "attempts in total", 1, 100),
      Spec("timeout", ParamType::kNumber, "seconds across all attempts", kMinSeconds, kMaxSeconds),
      Spec("rate_limit", ParamType::kAny, "requests per minute, an object or false"),
      Spec("retry", ParamType::kAny, "an object or false"),
      Spec("circuit_breaker", ParamType::kAny, "an object or false"),
      Spec("recovery", ParamType::kAny, "an object or false")};
}

std::vector<ParamSpec> RetrySpecs() {
  return {Spec("max_attempts", ParamType::kInteger, "attempts in total", 1, 100),
          Spec("initial_delay", ParamType::kNumber, "seconds", kMinSeconds, kMaxSeconds),
          Spec("max_delay", ParamType::kNumber, "seconds", kMinSeconds, kMaxSeconds),
          Spec("backoff_multiplier", ParamType::kNumber, "factor per retry", 1),
          Spec("jitter", ParamType::kBoolean, "full jitter"),
          Spec("timeout", ParamType::kNumber, "seconds across all attempts", 0, kMaxSeconds)};
}

std::vector<ParamSpec> BreakerSpecs() {
  return {Spec("failure_threshold", ParamType::kInteger, "failures", 1, 1'000'000),
          Spec("recovery_timeout", ParamType::kNumber, "seconds", kMinSeconds, kMaxSeconds),
          Spec("success_threshold", ParamType::kInteger, "successes", 1, 1'000'000),
          Spec("half_open_max_probes", ParamType::kInteger, "probes", 1, 1'000'000),
          Spec("timeout", ParamType::kNumber, "seconds per attempt", 0, kMaxSeconds)};
}

std::vector<ParamSpec> LimitSpecs() {
  ParamSpec strategy = Spec("backpressure_strategy", ParamType::kString, "wait or fail");
  strategy.allowed = {"wait", "fail"};
  return {Spec("max_requests_per_minute", ParamType::kInteger, "rate", 1, 60'000'000),
          Spec("burst_size", ParamType::kInteger, "tokens", 1, 1'000'000), std::move(strategy),
          Spec("per_host", ParamType::kBoolean, "one bucket per host")};
}

std::vector<ParamSpec> RecoverySpecs() {
  return {Spec("enable_connection_recovery", ParamType::kBoolean, "reconnect"),
          Spec("enable_credential_refresh", ParamType::kBoolean, "refresh credentials")};
}

/// Describe a value for "got ..." the way the validator does.
std::string Describe(const json& value) {
  if (value.is_string()) return fmt::format("string '{}'", value.get<std::string>());
  if (value.is_boolean()) return fmt::format("boolean {}", value.dump());
  if (value.is_number_float()) return fmt::format("number {}", value.dump());
  if (value.is_number()) return fmt::format("integer {}", value.dump());
  if (value.is_array()) return "an array";
  return value.is_object() ? "an object" : "null";
}

/// Whether a value reads as a number (a JSON number or a numeric string from `${ENV}`).
bool IsNumeric(const json& value) {
  if (value.is_number()) return true;
  if (!value.is_string()) return false;
  const std::string& text = value.get_ref<const std::string&>();
  char* end = nullptr;
  std::strtod(text.c_str(), &end);
  return !text.empty() && end == text.c_str() + text.size();
}

/// One call of ParseResilience: the options being built and every problem found.
class Parser {
 public:
  Parser(const std::string& connector, const ResilienceOptions& profile, const EnvLookup& env)
      : connector_(connector), env_(env), out_(profile), rest_(DefaultProfile("REST")) {}

  ResilienceOptions Run(const json& value);

 private:
  /// Validate `object` against `specs`; problems are named by their path under `path`.
  std::optional<ParameterSet> Check(const std::string& path, std::vector<ParamSpec> specs,
                                    const json& object);
  void Problem(std::string field, std::string message) {
    problems_.push_back({std::move(field), std::move(message), ""});
  }
  /// A duration field in seconds (range-checked by its spec) as milliseconds.
  static std::optional<milliseconds> Seconds(const ParameterSet& set, const std::string& name);

  void ApplyTier2(const ParameterSet& set);
  /// Report a max_delay below initial_delay, naming the field the user gave.
  void CheckDelays(const json& parts);
  void ApplySwitch(const std::string& part, const json& value);
  void ApplyPart(const std::string& part, const json& object);
  void ApplyRetry(const ParameterSet& set);
  void ApplyBreaker(const ParameterSet& set);
  void ApplyLimit(const ParameterSet& set);
  void ApplyRecovery(const ParameterSet& set);
  void TurnOn(const std::string& part);
  void TurnOff(const std::string& part);

  const std::string& connector_;
  const EnvLookup& env_;
  ResilienceOptions out_;
  const ResilienceOptions rest_;
  std::vector<ParameterProblem> problems_;
};

ResilienceOptions Parser::Run(const json& value) {
  // The tier-3 objects get their own validator; everything else is checked at the top level.
  json top = json::object();
  json parts = json::object();
  for (const auto& item : value.items()) {
    bool is_part = false;
    for (const char* part : kParts) is_part = is_part || item.key() == part;
    (is_part && item.value().is_object() ? parts : top)[item.key()] = item.value();
  }
  std::optional<ParameterSet> top_set = Check("resilience", TopSpecs(), top);
  if (top_set) ApplyTier2(*top_set);
  const json& switches = top_set ? top_set->values() : top;
  for (const char* part : kParts) {
    if (switches.contains(part) && !switches.at(part).is_null()) {
      ApplySwitch(part, switches.at(part));
    }
    if (parts.contains(part)) ApplyPart(part, parts.at(part));
  }
  CheckDelays(parts);
  if (!problems_.empty()) throw ParameterError(connector_, std::move(problems_));
  out_.Validate();
  return out_;
}

void Parser::CheckDelays(const json& parts) {
  if (!out_.retry) return;
  const double initial = out_.retry->backoff.initial_delay.count() / 1000.0;
  const double max = out_.retry->backoff.max_delay.count() / 1000.0;
  if (max >= initial) return;
  if (parts.contains("retry") && parts["retry"].contains("max_delay")) {
    Problem("resilience.retry.max_delay",
            fmt::format("must not be below initial_delay ({}s), got {}s", initial, max));
  } else {
    Problem("resilience.retry.initial_delay",
            fmt::format("must not exceed max_delay ({}s), got {}s", max, initial));
  }
}

// Validate, and on problems validate again without the offending fields: the fields that
// are fine still apply, so checks across fields (max_delay below initial_delay) are made and
// every problem is reported in one error (ConfigTest.EveryProblemAtOnce).
std::optional<ParameterSet> Parser::Check(const std::string& path, std::vector<ParamSpec> specs,
                                          const json& object) {
  const ParameterValidator validator(connector_, std::move(specs));
  try {
    return validator.Validate(object, env_);
  } catch (const ParameterError& error) {
    json good = object;
    for (const ParameterProblem& problem : error.problems()) good.erase(problem.parameter);
    for (ParameterProblem& problem : ProblemsUnder(path, error.problems())) {
      problems_.push_back(std::move(problem));
    }
    try {
      return validator.Validate(good, env_);
    } catch (const ParameterError&) {
      return std::nullopt;
    }
  }
}

std::optional<milliseconds> Parser::Seconds(const ParameterSet& set, const std::string& name) {
  if (!set.Has(name)) return std::nullopt;
  return milliseconds(std::llround(set.GetDouble(name) * 1000));
}

void Parser::ApplyTier2(const ParameterSet& set) {
  if (set.Has("retry_attempts")) {
    TurnOn("retry");
    out_.retry->max_attempts = static_cast<int>(set.GetInt("retry_attempts"));
  }
  if (std::optional<milliseconds> timeout = Seconds(set, "timeout")) {
    TurnOn("retry");
    out_.retry->deadline = *timeout;
  }
}

void Parser::ApplySwitch(const std::string& part, const json& value) {
  if (value.is_boolean()) {
    value.get<bool>() ? TurnOn(part) : TurnOff(part);
    return;
  }
  if (part == "rate_limit" && IsNumeric(value)) {
    std::vector<ParamSpec> specs = {
        Spec("rate_limit", ParamType::kInteger, "requests per minute", 1, 60'000'000)};
    if (std::optional<ParameterSet> set =
            Check("resilience", std::move(specs), json{{"rate_limit", value}});
        set && set->Has("rate_limit")) {
      TurnOn(part);
      out_.rate_limit->requests_per_minute = set->GetInt("rate_limit");
    }
    return;
  }
  Problem(
      "resilience." + part,
      fmt::format("must be {}an object or false, got {}",
                  part == "rate_limit" ? "a number (requests per minute), " : "", Describe(value)));
}

void Parser::ApplyPart(const std::string& part, const json& object) {
  const std::string path = "resilience." + part;
  if (part == "retry") {
    if (std::optional<ParameterSet> set = Check(path, RetrySpecs(), object)) ApplyRetry(*set);
  } else if (part == "circuit_breaker") {
    if (std::optional<ParameterSet> set = Check(path, BreakerSpecs(), object)) {
      ApplyBreaker(*set);
    }
  } else if (part == "rate_limit") {
    if (std::optional<ParameterSet> set = Check(path, LimitSpecs(), object)) ApplyLimit(*set);
  } else if (std::optional<ParameterSet> set = Check(path, RecoverySpecs(), object)) {
    ApplyRecovery(*set);
  }
}

void Parser::ApplyRetry(const ParameterSet& set) {
  std::optional<milliseconds> initial = Seconds(set, "initial_delay");
  std::optional<milliseconds> max = Seconds(set, "max_delay");
  std::optional<milliseconds> deadline = Seconds(set, "timeout");
  TurnOn("retry");
  RetryOptions& retry = *out_.retry;
  if (set.Has("max_attempts")) retry.max_attempts = static_cast<int>(set.GetInt("max_attempts"));
  if (initial) retry.backoff.initial_delay = *initial;
  if (max) retry.backoff.max_delay = *max;
  if (set.Has("backoff_multiplier")) retry.backoff.multiplier = set.GetDouble("backoff_multiplier");
  if (set.Has("jitter")) retry.backoff.jitter = set.GetBool("jitter");
  if (deadline) retry.deadline = *deadline;
}

void Parser::ApplyBreaker(const ParameterSet& set) {
  std::optional<milliseconds> recovery = Seconds(set, "recovery_timeout");
  std::optional<milliseconds> timeout = Seconds(set, "timeout");
  TurnOn("circuit_breaker");
  CircuitBreakerOptions& breaker = *out_.circuit_breaker;
  auto count = [&set](const char* name, int* field) {
    if (set.Has(name)) *field = static_cast<int>(set.GetInt(name));
  };
  count("failure_threshold", &breaker.failure_threshold);
  count("success_threshold", &breaker.success_threshold);
  count("half_open_max_probes", &breaker.half_open_max_probes);
  if (recovery) breaker.recovery_timeout = *recovery;
  if (timeout) out_.attempt_timeout = *timeout;
}

void Parser::ApplyLimit(const ParameterSet& set) {
  TurnOn("rate_limit");
  RateLimitOptions& limit = *out_.rate_limit;
  if (set.Has("max_requests_per_minute")) {
    limit.requests_per_minute = set.GetInt("max_requests_per_minute");
  }
  if (set.Has("burst_size")) limit.burst = set.GetInt("burst_size");
  if (set.Has("backpressure_strategy")) {
    limit.strategy = set.GetString("backpressure_strategy") == "fail" ? BackpressureStrategy::kFail
                                                                      : BackpressureStrategy::kWait;
  }
  if (set.Has("per_host")) limit.per_host = set.GetBool("per_host");
}

void Parser::ApplyRecovery(const ParameterSet& set) {
  if (set.Has("enable_connection_recovery")) {
    out_.recovery.connection_recovery = set.GetBool("enable_connection_recovery");
  }
  if (set.Has("enable_credential_refresh")) {
    out_.recovery.credential_refresh = set.GetBool("enable_credential_refresh");
  }
}

void Parser::TurnOn(const std::string& part) {
  if (part == "retry" && !out_.retry) out_.retry = rest_.retry;
  if (part == "circuit_breaker" && !out_.circuit_breaker) {
    out_.circuit_breaker = rest_.circuit_breaker;
    // The attempt timeout is the breaker's `timeout` field, so it comes along.
    if (out_.attempt_timeout.count() == 0) out_.attempt_timeout = rest_.attempt_timeout;
  }
  if (part == "rate_limit" && !out_.rate_limit) out_.rate_limit = rest_.rate_limit;
  if (part == "recovery") out_.recovery = rest_.recovery;
}

void Parser::TurnOff(const std::string& part) {
  if (part == "retry") out_.retry.reset();
  if (part == "circuit_breaker") out_.circuit_breaker.reset();
  if (part == "rate_limit") out_.rate_limit.reset();
  if (part == "recovery") out_.recovery = RecoveryOptions{false, false};
}

}  // namespace

ParamSpec ResilienceParam() {
  return MakeParam("resilience", ParamType::kObject, std::nullopt,
                   "retries, circuit breaker, rate limit and recovery: tier 2 (retry_attempts, "
                   "timeout, rate_limit) or tier 3 (retry, circuit_breaker, rate_limit, "
                   "recovery objects, or false to switch one off); see docs/resilience.md");
}

ResilienceOptions ParseResilience(const std::string& connector, const json& value,
                                  const ResilienceOptions& profile, const EnvLookup& env) {
  if (value.is_null()) return profile;
  if (!value.is_object()) {
    throw ParameterError(connector, "resilience",
                         fmt::format("must be an object, got {}", Describe(value)));
  }
  return Parser(connector, profile, env).Run(value);
}

}  // namespace sqlflow::resilience
