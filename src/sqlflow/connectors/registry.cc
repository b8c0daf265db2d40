#include "sqlflow/connectors/registry.h"

#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "sqlflow/common/strings.h"
#include "sqlflow/resilience/config.h"

namespace sqlflow {
namespace {

// Every type whose profile does anything takes the `resilience` parameter (RESILIENCE.md,
// "Configuration"); declaring it here keeps the specs from each repeating it.
void AddResilienceParam(ConnectorSpec& spec) {
  const resilience::ResilienceOptions profile = resilience::DefaultProfile(spec.type);
  if (!profile.retry && !profile.circuit_breaker && !profile.rate_limit) return;
  for (const ParamSpec& param : spec.params) {
    if (param.name == "resilience") return;
  }
  spec.params.push_back(resilience::ResilienceParam());
}

}  // namespace

template <typename T>
void TypedRegistry<T>::Register(ConnectorSpec spec, Factory factory) {
  if (Trim(spec.type).empty()) {
    throw std::invalid_argument(fmt::format("a {} connector type needs a name", kind_));
  }
  if (!factory) {
    throw std::invalid_argument(
        fmt::format("{} connector type '{}' has no factory", kind_, spec.type));
  }
  const std::string key = ToLower(spec.type);
  if (auto it = entries_.find(key); it != entries_.end()) {
    throw std::invalid_argument(
        fmt::format("{} connector type '{}' is already registered", kind_, it->second.spec->type));
  }
  AddResilienceParam(spec);
  order_.push_back(spec.type);
  entries_.emplace(key,
                   Entry{std::make_unique<ConnectorSpec>(std::move(spec)), std::move(factory)});
}

template <typename T>
bool TypedRegistry<T>::Contains(std::string_view type) const {
  return entries_.count(ToLower(type)) > 0;
}

template <typename T>
const typename TypedRegistry<T>::Entry& TypedRegistry<T>::Find(std::string_view type) const {
  auto it = entries_.find(ToLower(type));
  if (it != entries_.end()) return it->second;
  std::string suggestion;
  if (order_.empty()) {
    suggestion = fmt::format("no {} connector types are registered", kind_);
  } else if (std::string near = ClosestMatch(type, order_); !near.empty()) {
    suggestion = fmt::format("did you mean '{}'?", near);
  } else {
    suggestion = fmt::format("known {} types: {}", kind_, Join(order_, ", "));
  }
  throw ParameterError("sqlflow", "type",
                       fmt::format("unknown {} connector type '{}'", kind_, type), suggestion);
}

template <typename T>
const ConnectorSpec& TypedRegistry<T>::Spec(std::string_view type) const {
  return *Find(type).spec;
}

template <typename T>
std::unique_ptr<T> TypedRegistry<T>::Create(std::string_view type,
                                            std::shared_ptr<Clock> clock) const {
  const Entry& entry = Find(type);
  std::unique_ptr<T> connector =
      entry.factory(*entry.spec, clock ? clock : SystemClock::Instance());
  if (!connector) {
    throw std::logic_error(fmt::format("the factory of {} connector type '{}' returned nothing",
                                       kind_, entry.spec->type));
  }
  return connector;
}

template <typename T>
std::vector<std::string> TypedRegistry<T>::Types() const {
  return order_;
}

template class TypedRegistry<SourceConnector>;
template class TypedRegistry<DestinationConnector>;

}  // namespace sqlflow
