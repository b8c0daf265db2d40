#include "sqlflow/connectors/csv/csv_connector.h"

#include "sqlflow/connectors/csv/csv_destination.h"
#include "sqlflow/connectors/csv/csv_source.h"

namespace sqlflow {

std::unique_ptr<SourceConnector> MakeCsvSource(const ConnectorSpec& spec,
                                               std::shared_ptr<Clock> clock) {
  return std::make_unique<csv::CsvSource>(spec, std::move(clock));
}

std::unique_ptr<DestinationConnector> MakeCsvDestination(const ConnectorSpec& spec,
                                                         std::shared_ptr<Clock> clock) {
  return std::make_unique<csv::CsvDestination>(spec, std::move(clock));
}

SourceRegistry::Factory CsvSourceFactory() {
  return [](const ConnectorSpec& spec, std::shared_ptr<Clock> clock) {
    return MakeCsvSource(spec, std::move(clock));
  };
}

DestinationRegistry::Factory CsvDestinationFactory() {
  return [](const ConnectorSpec& spec, std::shared_ptr<Clock> clock) {
    return MakeCsvDestination(spec, std::move(clock));
  };
}

}  // namespace sqlflow
