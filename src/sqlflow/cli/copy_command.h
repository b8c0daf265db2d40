#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sqlflow/cli/cli.h"
#include "sqlflow/cli/progress.h"
#include "sqlflow/connectors/connector.h"
#include "sqlflow/connectors/file/pushdown.h"
#include "sqlflow/connectors/registry.h"

#include <nlohmann/json.hpp>

namespace CLI {
class App;
}

namespace sqlflow::cli {

/// The flags of `sqlflow copy`, as typed.
struct CopyFlags {
  std::string source;                     ///< Source type ("CSV").
  std::string source_params = "{}";       ///< JSON object.
  std::string destination;                ///< Destination type ("PARQUET").
  std::string destination_params = "{}";  ///< JSON object.
  std::string mode = "replace";           ///< replace | append | upsert.
  std::vector<std::string> keys;          ///< Upsert keys (--key, repeatable or a,b).
  std::vector<std::string> columns;       ///< Projection (--columns a,b); empty = all.
  std::string filter;                     ///< JSON filters for ParseFilters(); "" = none.
  std::optional<int64_t> batch_size;      ///< Rows per chunk; nullopt = the source's own.
  bool json = false;                      ///< Print the summary as JSON.
};

/// A validated copy: both connectors created and configured, nothing read yet.
struct CopyPlan {
  std::unique_ptr<SourceConnector> source;
  std::unique_ptr<DestinationConnector> destination;
  ReadRequest request;
  WriteOptions write_options;
};

/// Parse `text` as the JSON object given to `flag`. On failure append a message naming the
/// flag and the parse position (never the text itself, which may hold secrets) to
/// `problems` and return nullopt.
std::optional<nlohmann::json> ParseJsonObjectFlag(const std::string& flag, const std::string& text,
                                                  std::vector<std::string>* problems);

/// Validate every flag, create both connectors and Configure() them, before anything is read.
/// Throws InvalidInput listing every problem found (flags, JSON, unknown types, the parameter
/// problems of both connectors) at once.
CopyPlan PrepareCopy(const CopyFlags& flags, const ConnectorRegistry& registry,
                     const std::shared_ptr<Clock>& clock, const EnvLookup& env = ProcessEnv());

/// What a copy did.
struct CopyOutcome {
  int64_t rows = 0;
  int64_t bytes = 0;          ///< Bytes written as the destination reported them; when it did not,
                              ///< bytes read from the source, else the bytes of the chunks copied.
  int64_t bytes_written = 0;  ///< As the destination reported it (0 when unknown).
  double seconds = 0;
  std::string path;  ///< "pushdown" (DuckDB scans and writes) or "stream" (chunks).
};

/// Run a prepared copy: the DuckDB pushdown path when the source can describe its scan and
/// the destination can write a relation, otherwise Read() → Write() with a counting stream.
/// `progress` (may be empty) sees rows and bytes as they pass; on the pushdown path it may be
/// called from another thread. Ctrl-C stops a stream at the next chunk (Interrupted) and ends
/// the process during a pushdown (see HardInterruptScope).
CopyOutcome ExecuteCopy(CopyPlan& plan, const Clock& clock, const CopyProgressFn& progress);

/// "Copied 5,000,000 rows (412.3 MB) in 4.21 s — 1,187,648 rows/s".
std::string CopySummaryText(const CopyOutcome& outcome);
/// {"rows", "bytes", "bytes_written", "seconds", "rows_per_second", "path"}.
nlohmann::json CopySummaryJson(const CopyOutcome& outcome);

/// Add `copy` to `app`; the parsed command is stored in `*chosen`.
void AddCopyCommand(CLI::App& app, const CliEnv& env, const GlobalOptions& global,
                    CommandFn* chosen);

}  // namespace sqlflow::cli
