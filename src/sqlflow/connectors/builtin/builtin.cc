#include "sqlflow/connectors/builtin/builtin.h"

#include "sqlflow/connectors/csv/csv_connector.h"
#include "sqlflow/connectors/json/json_connector.h"
#include "sqlflow/connectors/memory/memory_connector.h"
#include "sqlflow/connectors/parquet/parquet_connector.h"
#include "sqlflow/connectors/postgres/pg_connector.h"
#include "sqlflow/connectors/rest/rest_connector.h"

namespace sqlflow {

// Adding a connector takes one line per direction: its spec and its factory, a function
// `std::unique_ptr<SourceConnector>(const ConnectorSpec&, std::shared_ptr<Clock>)` (see
// MemorySourceFactory). Types are listed in the order `connectors list` shows them.
void RegisterBuiltinConnectors(ConnectorRegistry& registry, const BuiltinOptions& options) {
  const std::shared_ptr<MemoryStore> store =
      options.memory_store ? options.memory_store : MemoryStore::Default();

  registry.sources().Register(MemorySourceSpec(), MemorySourceFactory(store));
  registry.destinations().Register(MemoryDestinationSpec(), MemoryDestinationFactory(store));

  registry.sources().Register(CsvSourceSpec(), CsvSourceFactory());
  registry.destinations().Register(CsvDestinationSpec(), CsvDestinationFactory());
  registry.sources().Register(ParquetSourceSpec(), ParquetSourceFactory());
  registry.destinations().Register(ParquetDestinationSpec(), ParquetDestinationFactory());
  registry.sources().Register(JsonSourceSpec(), JsonSourceFactory());
  registry.destinations().Register(JsonDestinationSpec(), JsonDestinationFactory());
  registry.sources().Register(JsonlSourceSpec(), JsonlSourceFactory());
  registry.destinations().Register(JsonlDestinationSpec(), JsonlDestinationFactory());
  registry.sources().Register(PostgresSourceSpec(), PostgresSourceFactory());
  registry.destinations().Register(PostgresDestinationSpec(), PostgresDestinationFactory());
  registry.sources().Register(RestSourceSpec(), RestSourceFactory());
}

}  // namespace sqlflow
