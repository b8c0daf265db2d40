#include <algorithm>
#include <charconv>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "sqlflow/common/log.h"
#include "sqlflow/common/strings.h"
#include "sqlflow/connectors/read_after.h"
#include "sqlflow/connectors/rest/rest_connector.h"
#include "sqlflow/connectors/rest/rest_pagination.h"
#include "sqlflow/connectors/rest/rest_records.h"
#include "sqlflow/net/auth.h"
#include "sqlflow/net/http_client.h"
#include "sqlflow/net/url.h"
#include "sqlflow/resilience/leaky_bucket.h"

namespace sqlflow {
namespace {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

/// A JSON scalar as request text: strings as they are, other values as JSON.
std::string ScalarText(const nlohmann::json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

/// The watermark as an API expects it in a query: ISO 8601 for dates and timestamps
/// ("2024-01-02T03:04:05Z" for an instant), the plain text of anything else.
std::string CursorText(const Value& value) {
  if (value.type().id() == TypeId::kTimestamp) {
    const bool utc = !value.type().timezone().empty();
    std::string text = FormatTimestamp(value.int_value(), false);
    if (text.size() > 10) text[10] = 'T';
    return utc ? text + "Z" : text;
  }
  return value.ToString();
}

class RestSource final : public SourceConnector {
 public:
  using SourceConnector::SourceConnector;

  std::vector<std::string> Discover() override { return {RedactedUrl(url_)}; }

  /// The schema of the first page only (one request): a read infers its types over every
  /// page, so a later page may widen them.
  Schema GetSchema(const std::string& /*object*/) override {
    rest::RecordsCollector collector(records_options_);
    FirstPage("get_schema", collector);
    MarkReady();
    return collector.schema();
  }

  bool SchemaIsCheap() const override { return false; }

  std::unique_ptr<ChunkStream> Read(const ReadRequest& request) override {
    return ReadPages(request.columns, request.filters, request.batch_size, {});
  }

  std::unique_ptr<ChunkStream> ReadIncremental(const IncrementalRequest& request) override {
    std::vector<Filter> filters = request.filters;
    QueryParams extra;
    if (request.cursor_value && !request.cursor_value->is_null()) {
      if (!cursor_param_.empty())
        extra.emplace_back(cursor_param_, CursorText(*request.cursor_value));
      // The API's own filter may be coarser (a date) or inclusive: the rule is applied here
      // too, so the rows handed on are exactly those the runner asked for.
      filters.push_back(Filter{request.cursor_field,
                               request.inclusive ? FilterOp::kGe : FilterOp::kGt,
                               {*request.cursor_value}});
    }
    return ReadPages(request.columns, filters, request.batch_size, extra);
  }

  ConnectionTestResult TestConnection() override {
    ConnectionTestResult result;
    const Clock::TimePoint start = clock().Now();
    try {
      rest::RecordsCollector collector(records_options_);
      const auto [status, url] = FirstPage("test_connection", collector);
      const int64_t records = collector.total_records();
      result.success = true;
      result.message = fmt::format("HTTP {} from {} ({} record{} on the first page)", status, url,
                                   records, records == 1 ? "" : "s");
    } catch (const std::exception& e) {
      result.message = client_ ? client_->Redact(e.what()) : e.what();
    }
    result.response_time_ms = MillisBetween(start, clock().Now());
    return result;
  }

 protected:
  void DoConfigure(const ParameterSet& params) override;

  void AdjustResilience(const ParameterSet& params,
                        resilience::ResilienceOptions* options) const override {
    if (!params.Has("max_retries")) return;
    if (!options->retry) options->retry = resilience::RetryOptions{};
    options->retry->max_attempts = static_cast<int>(params.GetInt("max_retries")) + 1;
  }

 private:
  /// The URL of the endpoint with `params` and `extra` in its query.
  std::string BaseUrl(const QueryParams& extra) const {
    QueryParams all = query_;
    all.insert(all.end(), extra.begin(), extra.end());
    return net::WithQueryParams(url_, all);
  }

  std::string RedactedUrl(const std::string& url) const {
    std::vector<std::string> names = secret_params_;
    if (auth_) {
      for (std::string& name : auth_->SecretQueryParams()) names.push_back(std::move(name));
    }
    const std::string redacted = net::RedactUrl(url, names);
    return client_ ? client_->Redact(redacted) : redacted;  // no client before Configure()
  }

  /// Fetch the first page into `collector`; return its status and redacted URL.
  std::pair<int, std::string> FirstPage(const std::string& operation,
                                        rest::RecordsCollector& collector) {
    const std::string url = rest::Paginator(name(), pagination_, BaseUrl({})).FirstUrl();
    net::HttpResponse response = Fetch(url, operation);
    collector.AddPage(std::move(response.body), RedactedUrl(url));
    return {response.status, RedactedUrl(url)};
  }

  /// Fetch one page under the resilience policy: credentials applied at every attempt (a
  /// refreshed token is used by the next one), the server's budget headers observed, and a
  /// status that is not 2xx thrown as its class.
  net::HttpResponse Fetch(const std::string& url, const std::string& operation);
  void ObserveBudget(const std::string& host, const net::HttpResponse& response);
  std::unique_ptr<ChunkStream> ReadPages(const std::vector<std::string>& columns,
                                         const std::vector<Filter>& filters, int64_t batch_size,
                                         const QueryParams& extra);

  std::string url_;
  std::string method_ = "GET";
  std::vector<net::Header> headers_;
  QueryParams query_;
  std::optional<std::string> body_;
  std::vector<std::string> secret_params_;
  std::chrono::milliseconds timeout_{30000};
  std::string cursor_param_;
  int64_t batch_size_ = 10000;
  rest::PaginationOptions pagination_;
  rest::RecordsOptions records_options_;
  std::unique_ptr<net::HttpClient> client_;
  std::unique_ptr<net::AuthProvider> auth_;
};

void RestSource::DoConfigure(const ParameterSet& params) {
  url_ = params.GetString("url");
  if (!StartsWith(ToLower(url_), "http://") && !StartsWith(ToLower(url_), "https://")) {
    throw ParameterError(name(), "url", "must start with http:// or https://");
  }
  method_ = params.GetString("method");
  headers_.clear();
  net::HttpClientOptions client_options;
  client_options.connector = name();
  if (params.Has("headers")) {
    for (const auto& [key, value] : params.Get("headers").items()) {
      headers_.emplace_back(key, ScalarText(value));
      if (LooksLikeSecretName(key)) client_options.secrets.push_back(ScalarText(value));
    }
  }
  query_.clear();
  secret_params_.clear();
  if (params.Has("params")) {
    for (const auto& [key, value] : params.Get("params").items()) {
      query_.emplace_back(key, ScalarText(value));
      if (LooksLikeSecretName(key)) secret_params_.push_back(key);
    }
  }
  body_.reset();
  if (params.Has("body")) body_ = params.Get("body").dump();
  // The request's own `timeout` wins; else the profile's attempt timeout (the seed's
  // circuit_breaker.timeout, 30 s for REST); else 30 s.
  timeout_ = resilience().options().attempt_timeout.count() > 0
                 ? resilience().options().attempt_timeout
                 : std::chrono::milliseconds(30000);
  if (params.Has("timeout")) {
    timeout_ =
        std::chrono::milliseconds(static_cast<int64_t>(params.GetDouble("timeout") * 1000.0 + 0.5));
  }
  client_options.timeout = timeout_;
  client_options.verify_tls = params.GetBool("verify_ssl");
  client_options.max_response_bytes = params.GetInt("max_response_mb") << 20;
  cursor_param_ = params.GetOptionalString("cursor_param").value_or("");
  batch_size_ = params.GetInt("batch_size");
  pagination_ = params.Has("pagination") ? rest::ParsePagination(name(), params.Get("pagination"))
                                         : rest::PaginationOptions{};
  records_options_ = rest::RecordsOptions{};
  records_options_.connector = name();
  records_options_.records_path = params.GetOptionalString("records_path").value_or("");
  records_options_.flatten = params.GetBool("flatten");
  records_options_.batch_size = batch_size_;
  client_ = net::HttpClient::Make(std::move(client_options));
  auth_.reset();
  if (params.Has("auth")) {
    auth_ = net::MakeAuthProvider(name(), params.Get("auth"), client_.get(), clock_ptr());
  }
}

net::HttpResponse RestSource::Fetch(const std::string& url, const std::string& operation) {
  const std::string host = net::UrlHost(url);
  resilience::RecoveryHooks hooks;
  // A token endpoint that refuses the credentials is not cured by asking it again.
  bool token_refused = false;
  if (auth_) hooks.refresh_credentials = [&] { return !token_refused && auth_->Refresh(); };
  return Resilient(
      operation, host,
      [&] {
        net::HttpRequest request;
        request.method = method_;
        request.url = url;
        request.headers = headers_;
        request.timeout = timeout_;
        if (body_ && method_ == "POST") {
          request.body = *body_;
          request.headers.emplace_back("Content-Type", "application/json");
        }
        request.headers.emplace_back("Accept", "application/json");
        if (auth_) {
          try {
            auth_->Apply(request);
          } catch (const AuthenticationError&) {
            token_refused = true;
            throw;
          }
        }
        net::HttpResponse response = client_->Send(request);
        ObserveBudget(host, response);
        net::ThrowForStatus(name(), operation, response, method_, RedactedUrl(url),
                            clock().WallNow(), client_.get());
        return response;
      },
      hooks);
}

void RestSource::ObserveBudget(const std::string& host, const net::HttpResponse& response) {
  if (auto limit = response.Header("x-shopify-shop-api-call-limit")) {
    if (auto parsed = resilience::ParseCallLimit(*limit)) {
      // Shopify's REST bucket leaks two calls a second (its API documentation).
      policy().ObserveServerBudget(host, parsed->first, parsed->second, 2.0);
    }
  }
  auto remaining = response.Header("x-ratelimit-remaining");
  auto reset = response.Header("x-ratelimit-reset");
  if (!remaining || !reset || Trim(*remaining) != "0") return;
  const std::string_view text = Trim(*reset);
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0) return;
  // A reset beyond a billion is an epoch time (GitHub), else a number of seconds.
  const int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(clock().WallNow().time_since_epoch())
          .count();
  const int64_t seconds = value > 1'000'000'000 ? std::max<int64_t>(0, value - now) : value;
  policy().ObserveBudgetExhausted(host, std::chrono::seconds(seconds));
}

std::unique_ptr<ChunkStream> RestSource::ReadPages(const std::vector<std::string>& columns,
                                                   const std::vector<Filter>& filters,
                                                   int64_t batch_size, const QueryParams& extra) {
  rest::RecordsOptions options = records_options_;
  if (batch_size > 0 && batch_size != ReadRequest{}.batch_size) options.batch_size = batch_size;
  rest::RecordsCollector collector(options);
  rest::Paginator paginator(name(), pagination_, BaseUrl(extra));
  const Clock::TimePoint start = clock().Now();
  int64_t bytes = 0;
  for (std::optional<std::string> url = paginator.FirstUrl(); url;) {
    net::HttpResponse response = Fetch(*url, "read");
    bytes += response.bytes_received;
    rest::PageFacts page;
    page.url = *url;
    page.records = collector.AddPage(std::move(response.body), RedactedUrl(*url));
    if (auto link = response.Header("link")) page.link_header = std::string(*link);
    page.body_value = [&collector](const std::string& path) {
      return collector.LastPageValue(path);
    };
    url = paginator.Next(page);
    log::Debug("{}: page {} of {} ({} records)", name(), paginator.pages(), RedactedUrl(page.url),
               page.records);
  }
  log::Info("{}: {} records in {} page{} ({})", name(), paginator.records(), paginator.pages(),
            paginator.pages() == 1 ? "" : "s", paginator.stop_reason());
  RecordQueryTime(MillisBetween(start, clock().Now()));
  RecordTransfer(0, bytes);
  MarkReady();
  std::unique_ptr<ChunkStream> stream = FilterAndProject(
      collector.Finish(), name(), "the response of " + RedactedUrl(url_), columns, filters);
  return std::make_unique<MeteredStream>(std::move(stream), clock(),
                                         [this](double ms, int64_t rows, int64_t /*bytes*/) {
                                           RecordQueryTime(ms);
                                           RecordTransfer(rows, 0);
                                         });
}

}  // namespace

std::unique_ptr<SourceConnector> MakeRestSource(const ConnectorSpec& spec,
                                                std::shared_ptr<Clock> clock) {
  return std::make_unique<RestSource>(spec, std::move(clock));
}

SourceRegistry::Factory RestSourceFactory() {
  return [](const ConnectorSpec& spec, std::shared_ptr<Clock> clock) {
    return MakeRestSource(spec, std::move(clock));
  };
}

}  // namespace sqlflow
