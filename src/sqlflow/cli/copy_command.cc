#include "sqlflow/cli/copy_command.h"

#include <fmt/format.h>

#include "sqlflow/cli/interrupt.h"
#include "sqlflow/common/log.h"
#include "sqlflow/common/strings.h"

#include <CLI/CLI.hpp>

namespace sqlflow::cli {

namespace {

// nlohmann's parse messages end in "; last read: '<text>'", which would echo the user's
// input (maybe a password) back: keep the position and the reason, drop the echo.
std::string ParseErrorWithoutInput(const nlohmann::json::parse_error& e) {
  std::string text = e.what();
  if (StartsWith(text, "[json.exception.")) {
    size_t end = text.find("] ");
    if (end != std::string::npos) text.erase(0, end + 2);
  }
  const std::string echo = "; last read: '";
  size_t start = text.find(echo);
  if (start != std::string::npos) {
    size_t stop = text.rfind("'; expected ");
    text.erase(start,
               stop == std::string::npos || stop < start ? std::string::npos : stop + 1 - start);
  }
  return text;
}

// Trimmed names; an empty name is a problem reported for `flag`.
std::vector<std::string> CleanNames(const std::vector<std::string>& names, const char* flag,
                                    std::vector<std::string>* problems) {
  std::vector<std::string> out;
  for (const std::string& name : names) {
    std::string_view trimmed = Trim(name);
    if (trimmed.empty()) {
      problems->push_back(fmt::format("{} has an empty column name", flag));
      continue;
    }
    out.emplace_back(trimmed);
  }
  return out;
}

template <typename Registry>
std::string UnknownRoleMessage(const char* role, const std::string& type, const Registry& wanted,
                               bool exists_other_way) {
  if (exists_other_way) {
    return fmt::format("'{}' cannot be used as a {} (the {} types are: {})", type, role, role,
                       Join(wanted.Types(), ", "));
  }
  return UnknownTypeMessage(std::string(role) + " ", type, wanted.Types());
}

// Configure `connector` with `params`; its ParameterError becomes one problem block.
void ConfigureInto(Connector& connector, const char* role, const nlohmann::json& params,
                   const EnvLookup& env, std::vector<std::string>* problems) {
  try {
    connector.Configure(params, env);
    log::Debug("{} {} parameters: {}", role, connector.type_name(),
               connector.params().Redacted().dump(-1, ' ', false,
                                                  nlohmann::json::error_handler_t::replace));
  } catch (const ParameterError& e) {
    problems->push_back(fmt::format("invalid parameters for {} {}:\n{}", role,
                                    connector.type_name(), FormatProblems(e.problems())));
  }
}

}  // namespace

std::optional<nlohmann::json> ParseJsonObjectFlag(const std::string& flag, const std::string& text,
                                                  std::vector<std::string>* problems) {
  nlohmann::json value;
  try {
    value = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    problems->push_back(fmt::format("{} is not valid JSON: {}", flag, ParseErrorWithoutInput(e)));
    return std::nullopt;
  }
  if (!value.is_object()) {
    problems->push_back(
        fmt::format("{} must be a JSON object like {{\"path\": \"data.csv\"}}, got {}", flag,
                    value.type_name()));
    return std::nullopt;
  }
  return value;
}

namespace {

// Create and configure one side of the copy. `extra` is merged into its parameters
// (the --batch-size flag) when the connector declares them.
template <typename Registry>
auto PrepareConnector(const char* role, const std::string& type, const Registry& wanted,
                      bool exists_other_way, const std::string& params_flag,
                      const std::string& params_text, const nlohmann::json& extra,
                      const std::shared_ptr<Clock>& clock, const EnvLookup& env,
                      std::vector<std::string>* problems) -> decltype(wanted.Create(type, clock)) {
  decltype(wanted.Create(type, clock)) connector;
  if (wanted.Contains(type)) {
    connector = wanted.Create(type, clock);
  } else {
    problems->push_back(UnknownRoleMessage(role, type, wanted, exists_other_way));
  }
  std::optional<nlohmann::json> params = ParseJsonObjectFlag(params_flag, params_text, problems);
  if (connector && params) {
    for (const ParamSpec& p : connector->spec().params) {
      // A flag wins over the same parameter: it is the more specific, later choice.
      if (extra.contains(p.name)) (*params)[p.name] = extra[p.name];
    }
    ConfigureInto(*connector, role, *params, env, problems);
  }
  return connector;
}

WriteOptions PrepareWrite(const CopyFlags& flags, const DestinationConnector* destination,
                          std::vector<std::string>* problems) {
  WriteOptions options;
  if (!ParseWriteMode(flags.mode, &options.mode)) {
    problems->push_back(
        fmt::format("--mode must be replace, append or upsert, got '{}'", flags.mode));
  }
  options.keys = CleanNames(flags.keys, "--key", problems);
  if (options.mode == WriteMode::kUpsert) {
    if (options.keys.empty()) {
      problems->push_back(
          "--mode upsert needs the key columns: add --key COLUMN (repeat it for a composite key)");
    }
    if (destination != nullptr && !destination->spec().capabilities.upsert) {
      problems->push_back(
          fmt::format("destination {} does not support --mode upsert", destination->type_name()));
    }
  } else if (!options.keys.empty()) {
    log::Warning("--key is only used with --mode upsert; ignored with --mode {}",
                 WriteModeName(options.mode));
  }
  return options;
}

ReadRequest PrepareRequest(const CopyFlags& flags, const SourceConnector* source,
                           std::vector<std::string>* problems) {
  ReadRequest request;
  request.columns = CleanNames(flags.columns, "--columns", problems);
  if (flags.batch_size) {
    if (*flags.batch_size < 1) {
      problems->push_back(
          fmt::format("--batch-size must be at least 1, got {}", *flags.batch_size));
    }
    request.batch_size = *flags.batch_size;
  } else if (source != nullptr && source->state() == ConnectorState::kConfigured &&
             source->params().Has("batch_size")) {
    request.batch_size = source->params().GetInt("batch_size");
  }
  if (flags.filter.empty()) return request;
  std::optional<nlohmann::json> filter = ParseJsonObjectFlag("--filter", flags.filter, problems);
  if (!filter) return request;
  try {
    request.filters = ParseFilters(source != nullptr ? source->type_name() : flags.source, *filter);
  } catch (const ParameterError& e) {
    problems->push_back("invalid --filter:\n" + FormatProblems(e.problems()));
  }
  return request;
}

}  // namespace

CopyPlan PrepareCopy(const CopyFlags& flags, const ConnectorRegistry& registry,
                     const std::shared_ptr<Clock>& clock, const EnvLookup& env) {
  std::vector<std::string> problems;
  CopyPlan plan;
  nlohmann::json source_extra = nlohmann::json::object();
  if (flags.batch_size && *flags.batch_size >= 1) source_extra["batch_size"] = *flags.batch_size;
  plan.source = PrepareConnector("source", flags.source, registry.sources(),
                                 registry.destinations().Contains(flags.source), "--source-params",
                                 flags.source_params, source_extra, clock, env, &problems);
  plan.destination =
      PrepareConnector("destination", flags.destination, registry.destinations(),
                       registry.sources().Contains(flags.destination), "--destination-params",
                       flags.destination_params, nlohmann::json::object(), clock, env, &problems);
  plan.write_options = PrepareWrite(flags, plan.destination.get(), &problems);
  plan.request = PrepareRequest(flags, plan.source.get(), &problems);
  if (!problems.empty()) throw InvalidInput(std::move(problems));
  return plan;
}

std::string CopySummaryText(const CopyOutcome& outcome) {
  return fmt::format(
      "Copied {} {} ({}) in {:.2f} s \u2014 {} rows/s", FormatCount(outcome.rows),
      outcome.rows == 1 ? "row" : "rows", FormatBytes(static_cast<double>(outcome.bytes)),
      outcome.seconds,
      FormatCount(static_cast<int64_t>(RowsPerSecond(outcome.rows, outcome.seconds))));
}

nlohmann::json CopySummaryJson(const CopyOutcome& outcome) {
  return {{"rows", outcome.rows},
          {"bytes", outcome.bytes},
          {"bytes_written", outcome.bytes_written},
          {"seconds", outcome.seconds},
          {"rows_per_second", RowsPerSecond(outcome.rows, outcome.seconds)},
          {"path", outcome.path}};
}

void AddCopyCommand(CLI::App& app, const CliEnv& env, const GlobalOptions& global,
                    CommandFn* chosen) {
  struct State {
    CopyFlags flags;
    int64_t batch_size = 0;
    CLI::Option* batch_option = nullptr;
  };
  auto state = std::make_shared<State>();
  CopyFlags& f = state->flags;

  CLI::App* copy =
      app.add_subcommand("copy", "Copy data from a source connector to a destination connector");
  copy->add_option("--source", f.source, "Source connector type (see `sqlflow connectors list`)")
      ->required()
      ->type_name("TYPE");
  copy->add_option("--source-params", f.source_params, "Source parameters as a JSON object")
      ->type_name("JSON");
  copy->add_option("--destination", f.destination, "Destination connector type")
      ->required()
      ->type_name("TYPE");
  copy->add_option("--destination-params", f.destination_params,
                   "Destination parameters as a JSON object")
      ->type_name("JSON");
  copy->add_option("--mode", f.mode, "Write mode: replace, append or upsert")
      ->type_name("MODE")
      ->capture_default_str();
  copy->add_option("--key", f.keys, "Upsert key column (repeat, or a,b, for a composite key)")
      ->type_name("COL")
      ->delimiter(',')
      ->allow_extra_args(false);
  copy->add_option("--columns", f.columns, "Columns to copy, comma-separated (default: all)")
      ->type_name("A,B")
      ->delimiter(',')
      ->allow_extra_args(false);
  copy->add_option("--filter", f.filter,
                   R"(Rows to copy, as JSON: {"col": value} or {"col": {">=": v, "in": [..]}})")
      ->type_name("JSON");
  state->batch_option =
      copy->add_option("--batch-size", state->batch_size, "Rows per chunk (default 10000)")
          ->type_name("N");
  copy->add_flag("--json", f.json, "Print the summary as JSON");

  copy->callback([&env, &global, chosen, state] {
    *chosen = [&env, &global, state] {
      CopyFlags flags = state->flags;
      if (state->batch_option->count() > 0) flags.batch_size = state->batch_size;
      CopyPlan plan = PrepareCopy(flags, env.registry, env.clock, env.env_lookup);

      ProgressLine line(env.err, *env.clock, env.err_is_terminal && !global.quiet);
      CopyOutcome outcome;
      try {
        outcome = ExecuteCopy(plan, *env.clock, [&line](const CopyProgress& p) { line.Update(p); });
      } catch (...) {
        line.Clear();
        throw;
      }
      line.Clear();
      if (flags.json) {
        env.out << CopySummaryJson(outcome).dump() << "\n";
      } else if (!global.quiet) {
        env.out << CopySummaryText(outcome) << "\n";
      }
      return ExitCode::kSuccess;
    };
  });
}

}  // namespace sqlflow::cli
