#include "sqlflow/net/http_client.h"

#include <algorithm>
#include <cerrno>
#include <mutex>

#include <curl/curl.h>
#include <fmt/format.h>

#include "sqlflow/common/error.h"
#include "sqlflow/common/log.h"
#include "sqlflow/common/strings.h"
#include "sqlflow/net/url.h"

namespace sqlflow::net {
namespace {

/// The operation named in the errors the client raises.
constexpr char kOperation[] = "request";

/// Initialise libcurl once per process, whichever thread creates the first client.
void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

/// What the callbacks of one transfer share.
struct Transfer {
  HttpResponse* response = nullptr;
  const std::function<bool(std::string_view)>* on_data = nullptr;  ///< Null: keep the body.
  int64_t max_bytes = 0;
  int64_t body_bytes = 0;  ///< Decompressed bytes so far.
  bool too_large = false;  ///< The write callback stopped the transfer for the size limit.
  bool stopped = false;    ///< `on_data` asked to stop.
};

size_t WriteBody(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  size_t bytes = size * count;
  transfer->body_bytes += static_cast<int64_t>(bytes);
  if (transfer->body_bytes > transfer->max_bytes) {
    transfer->too_large = true;
    return 0;  // Anything but `bytes` aborts the transfer with CURLE_WRITE_ERROR.
  }
  if (transfer->on_data == nullptr) {
    transfer->response->body.append(data, bytes);
  } else if (!(*transfer->on_data)(std::string_view(data, bytes))) {
    transfer->stopped = true;
    return 0;
  }
  return bytes;
}

size_t WriteHeader(char* data, size_t size, size_t count, void* user) {
  auto* response = static_cast<HttpResponse*>(user);
  size_t bytes = size * count;
  std::string_view line(data, bytes);
  if (StartsWith(line, "HTTP/")) {
    response->headers.clear();  // A new response: after a redirect or "100 Continue".
    return bytes;
  }
  if (!line.empty() && (line[0] == ' ' || line[0] == '\t') && !response->headers.empty()) {
    response->headers.back().second += " " + std::string(Trim(line));
    return bytes;
  }
  size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    response->headers.emplace_back(ToLower(Trim(line.substr(0, colon))),
                                   std::string(Trim(line.substr(colon + 1))));
  }
  return bytes;
}

/// A curl_slist freed when it goes out of scope.
class HeaderList {
 public:
  HeaderList() = default;
  ~HeaderList() { curl_slist_free_all(list_); }
  HeaderList(const HeaderList&) = delete;
  HeaderList& operator=(const HeaderList&) = delete;
  void Add(const std::string& line) { list_ = curl_slist_append(list_, line.c_str()); }
  curl_slist* get() const { return list_; }

 private:
  curl_slist* list_ = nullptr;
};

/// How a libcurl failure is reported.
enum class Failure { kTransient, kCertificate, kTimeout, kPermanent };

bool IsCertificateProblem(CURLcode code) {
  switch (code) {
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
      return true;
    default:
      return false;
  }
}

}  // namespace

struct HttpClient::Impl {
  HttpClientOptions options;
  std::mutex call_mu;  ///< One transfer at a time on `curl`.
  CURL* curl = nullptr;
  char error_buffer[CURL_ERROR_SIZE] = {};
  mutable std::mutex secrets_mu;
  std::vector<std::string> secrets;

  ~Impl() {
    if (curl != nullptr) curl_easy_cleanup(curl);
  }

  HttpResponse Perform(const HttpRequest& request,
                       const std::function<bool(std::string_view)>* on_data);
  void SetOptions(const HttpRequest& request, Transfer* transfer, const HeaderList& headers);
  [[noreturn]] void Fail(CURLcode code, const HttpRequest& request, const Transfer& transfer);
  std::pair<Failure, std::string> Describe(CURLcode code, const HttpRequest& request);
  std::string Redact(std::string_view text) const;
};

// Every option is set again on each call after curl_easy_reset, which keeps the handle's live
// connections (HttpClientTest.ReusesTheConnection), its DNS cache and TLS session cache. No
// CURLOPT_PROXY is set on purpose: libcurl then reads http_proxy, https_proxy and no_proxy
// from the environment itself.
void HttpClient::Impl::SetOptions(const HttpRequest& request, Transfer* transfer,
                                  const HeaderList& headers) {
  curl_easy_reset(curl);
  std::chrono::milliseconds timeout =
      request.timeout.count() > 0 ? request.timeout : options.timeout;
  error_buffer[0] = '\0';
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, options.verify_tls ? 1L : 0L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, options.verify_tls ? 2L : 0L);
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");  // Every decoder libcurl has.
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, options.follow_redirects ? 1L : 0L);
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, options.user_agent.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &WriteBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, transfer);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &WriteHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, transfer->response);
  std::string method = ToUpper(request.method);
  if (method == "GET") {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  } else if (method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else {
    if (method != "POST") curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
    if (method == "POST" || !request.body.empty()) {
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.c_str());
    }
  }
}

HttpResponse HttpClient::Impl::Perform(const HttpRequest& request,
                                       const std::function<bool(std::string_view)>* on_data) {
  std::lock_guard<std::mutex> lock(call_mu);
  HttpResponse response;
  Transfer transfer{&response, on_data, options.max_response_bytes};
  HeaderList headers;
  for (const auto& [name, value] : request.headers) headers.Add(name + ": " + value);
  headers.Add("Expect:");  // No "100-continue" round trip before large bodies.
  SetOptions(request, &transfer, headers);
  CURLcode code = curl_easy_perform(curl);
  if (code != CURLE_OK && !(code == CURLE_WRITE_ERROR && transfer.stopped)) {
    Fail(code, request, transfer);
  }
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  char* effective = nullptr;
  curl_easy_getinfo(curl, CURLINFO_EFFECTIVE_URL, &effective);
  response.effective_url = effective != nullptr ? effective : request.url;
  curl_off_t downloaded = 0;
  curl_easy_getinfo(curl, CURLINFO_SIZE_DOWNLOAD_T, &downloaded);
  response.bytes_received = static_cast<int64_t>(downloaded);
  return response;
}

std::pair<Failure, std::string> HttpClient::Impl::Describe(CURLcode code,
                                                           const HttpRequest& request) {
  std::string detail = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
  switch (code) {
    case CURLE_COULDNT_CONNECT: {
      long os_errno = 0;
      curl_easy_getinfo(curl, CURLINFO_OS_ERRNO, &os_errno);
      if (os_errno == ECONNREFUSED) return {Failure::kTransient, "connection refused"};
      return {Failure::kTransient, "cannot connect: " + detail};
    }
    case CURLE_COULDNT_RESOLVE_HOST:
      return {Failure::kTransient, fmt::format("cannot resolve host '{}'", UrlHost(request.url))};
    case CURLE_COULDNT_RESOLVE_PROXY:
      return {Failure::kTransient, "cannot resolve the proxy: " + detail};
    case CURLE_SEND_ERROR:
      return {Failure::kTransient, "connection lost while sending the request: " + detail};
    case CURLE_RECV_ERROR:
      return {Failure::kTransient, "connection lost while receiving the response: " + detail};
    case CURLE_GOT_NOTHING:
      return {Failure::kTransient, "the server closed the connection without answering"};
    case CURLE_PARTIAL_FILE:
      return {Failure::kTransient, "connection dropped mid-body: " + detail};
    case CURLE_OPERATION_TIMEDOUT: {
      if (StartsWith(detail, "Connection timed out")) {
        return {Failure::kTimeout,
                fmt::format("connecting timed out after {} ms", options.connect_timeout.count())};
      }
      auto limit = request.timeout.count() > 0 ? request.timeout : options.timeout;
      return {Failure::kTimeout, fmt::format("timed out after {} ms", limit.count())};
    }
    case CURLE_SSL_CONNECT_ERROR:
      return {Failure::kTransient, "TLS handshake failed: " + detail};
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return {Failure::kPermanent, "malformed or unsupported URL: " + detail};
    case CURLE_TOO_MANY_REDIRECTS:
      return {Failure::kPermanent, "too many redirects (at most 5 are followed)"};
    case CURLE_BAD_CONTENT_ENCODING:
      return {Failure::kPermanent, "cannot decode the response body: " + detail};
    default:
      break;
  }
  if (IsCertificateProblem(code)) {
    return {Failure::kCertificate, "the server's TLS certificate is not trusted: " + detail};
  }
  return {Failure::kTransient, detail};
}

void HttpClient::Impl::Fail(CURLcode code, const HttpRequest& request, const Transfer& transfer) {
  std::string prefix =
      fmt::format("{} {} failed: ", ToUpper(request.method), RedactUrl(request.url));
  if (code == CURLE_WRITE_ERROR && transfer.too_large) {
    throw ConnectorError(options.connector, kOperation,
                         Redact(prefix + fmt::format("the response body exceeds the limit of {} "
                                                     "bytes (max_response_bytes)",
                                                     options.max_response_bytes)));
  }
  auto [failure, what] = Describe(code, request);
  std::string message = Redact(prefix + what);
  switch (failure) {
    case Failure::kTimeout:
      throw TimeoutError(options.connector, kOperation, std::move(message));
    case Failure::kCertificate:
      throw ConnectionError(options.connector, kOperation, std::move(message),
                            ErrorClass::kPermanent);
    case Failure::kPermanent:
      throw ConnectorError(options.connector, kOperation, std::move(message));
    case Failure::kTransient:
      break;
  }
  throw ConnectionError(options.connector, kOperation, std::move(message));
}

std::string HttpClient::Impl::Redact(std::string_view text) const {
  std::string out(text);
  std::lock_guard<std::mutex> lock(secrets_mu);
  for (const std::string& secret : secrets) {
    for (const std::string& form : {secret, UrlEncode(secret)}) {
      for (size_t pos = out.find(form); pos != std::string::npos; pos = out.find(form, pos + 3)) {
        out.replace(pos, form.size(), "***");
      }
    }
  }
  return out;
}

std::unique_ptr<HttpClient> HttpClient::Make(HttpClientOptions options) {
  options.Validate();
  GlobalInit();
  auto impl = std::make_unique<Impl>();
  impl->curl = curl_easy_init();
  if (impl->curl == nullptr) {
    throw ConnectorError(options.connector, kOperation, "cannot create a libcurl handle");
  }
  if (!options.verify_tls) {
    log::Warning(
        "{}: TLS certificate verification is off (verify_tls: false); the server's "
        "identity is not checked",
        options.connector);
  }
  std::vector<std::string> secrets = options.secrets;
  impl->options = std::move(options);
  auto client = std::unique_ptr<HttpClient>(new HttpClient(std::move(impl)));
  for (std::string& secret : secrets) client->AddSecret(std::move(secret));
  return client;
}

HttpClient::HttpClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpClient::~HttpClient() = default;

HttpResponse HttpClient::Send(const HttpRequest& request) {
  return impl_->Perform(request, nullptr);
}

HttpResponse HttpClient::SendStreaming(const HttpRequest& request,
                                       const std::function<bool(std::string_view)>& on_data) {
  return impl_->Perform(request, &on_data);
}

void HttpClient::AddSecret(std::string secret) {
  if (secret.empty()) return;
  std::lock_guard<std::mutex> lock(impl_->secrets_mu);
  auto& secrets = impl_->secrets;
  if (std::find(secrets.begin(), secrets.end(), secret) != secrets.end()) return;
  secrets.push_back(std::move(secret));
  // Longest first, so a secret that contains another is replaced whole.
  std::stable_sort(secrets.begin(), secrets.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

std::string HttpClient::Redact(std::string_view text) const { return impl_->Redact(text); }

const HttpClientOptions& HttpClient::options() const { return impl_->options; }

}  // namespace sqlflow::net
