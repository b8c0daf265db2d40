#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sqlflow/common/clock.h"
#include "sqlflow/connectors/connector.h"

namespace sqlflow {

/// A registry of one kind of connector (sources or destinations), keyed by type name,
/// case-insensitive ("CSV" == "csv"). Filled explicitly; registering a name twice throws.
template <typename T>
class TypedRegistry {
 public:
  using Factory = std::function<std::unique_ptr<T>(const ConnectorSpec&, std::shared_ptr<Clock>)>;

  explicit TypedRegistry(std::string kind) : kind_(std::move(kind)) {}

  /// Register `spec.type`. Throws std::invalid_argument when the name is taken.
  void Register(ConnectorSpec spec, Factory factory);
  bool Contains(std::string_view type) const;
  /// The spec of `type`; throws ParameterError("unknown source connector type 'cvs'", "did you
  /// mean 'CSV'?") when absent.
  const ConnectorSpec& Spec(std::string_view type) const;
  /// A new, unconfigured connector of `type` (same error as Spec when unknown).
  std::unique_ptr<T> Create(std::string_view type,
                            std::shared_ptr<Clock> clock = SystemClock::Instance()) const;
  /// Registered type names in registration order.
  std::vector<std::string> Types() const;
  const std::string& kind() const { return kind_; }

 private:
  struct Entry {
    std::unique_ptr<ConnectorSpec> spec;  // stable address: connectors keep a reference
    Factory factory;
  };
  const Entry& Find(std::string_view type) const;

  std::string kind_;
  std::vector<std::string> order_;
  std::map<std::string, Entry> entries_;  // key: lower-case type
};

using SourceRegistry = TypedRegistry<SourceConnector>;
using DestinationRegistry = TypedRegistry<DestinationConnector>;

/// The source and destination registries, passed to whoever needs connectors.
class ConnectorRegistry {
 public:
  ConnectorRegistry() : sources_("source"), destinations_("destination") {}

  SourceRegistry& sources() { return sources_; }
  const SourceRegistry& sources() const { return sources_; }
  DestinationRegistry& destinations() { return destinations_; }
  const DestinationRegistry& destinations() const { return destinations_; }

 private:
  SourceRegistry sources_;
  DestinationRegistry destinations_;
};

extern template class TypedRegistry<SourceConnector>;
extern template class TypedRegistry<DestinationConnector>;

}  // namespace sqlflow
