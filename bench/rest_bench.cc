// REST throughput with and without the resilience policy (issue 5, section 5): the REST source
// reads PAGES pages of RECORDS JSON records each from a local HTTP server (cpp-httplib on
// 127.0.0.1), once with every part of the policy off and once with the REST profile (retry,
// circuit breaker, retry budget, and a token bucket whose limit is set high enough never to
// wait), alternating, REPEAT times each. Prints one "name value" line per figure; the medians
// and the difference in percent are what docs/BENCHMARKS.md records.
//
// Usage: bench_rest [pages] [records_per_page] [repeat]   (defaults 200, 1000, 31)

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

#include "sqlflow/connectors/rest/rest_connector.h"
#include "sqlflow/data/stream.h"

#include <nlohmann/json.hpp>

namespace {

/// One page of `records` records, the shape of a typical API: ids, text, numbers, a timestamp
/// and a nested object.
std::string PageBody(int page, int records) {
  std::string out = "{\"data\":[";
  for (int i = 0; i < records; ++i) {
    const long id = static_cast<long>(page - 1) * records + i + 1;
    if (i > 0) out += ',';
    out += "{\"id\":" + std::to_string(id) + ",\"name\":\"customer-" + std::to_string(id) +
           "\",\"amount\":" + std::to_string(id % 1000) + ".25,\"updated_at\":\"2024-01-" +
           std::to_string(10 + id % 18) + "T10:00:00Z\",\"address\":{\"city\":\"Oslo\"," +
           "\"zip\":\"" + std::to_string(1000 + id % 9000) + "\"}}";
  }
  return out + "]}";
}

/// Read every page once; return rows and seconds.
std::pair<long, double> ReadOnce(const std::string& url, int records, const nlohmann::json& res) {
  nlohmann::json params = {{"url", url},
                           {"records_path", "data"},
                           {"pagination", {{"type", "page"}, {"page_size", records}}},
                           {"resilience", res}};
  auto source = sqlflow::MakeRestSource();
  source->Configure(params);
  const auto start = std::chrono::steady_clock::now();
  std::unique_ptr<sqlflow::ChunkStream> stream = source->Read({});
  long rows = 0;
  while (auto chunk = stream->Next()) rows += chunk->num_rows();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return {rows, seconds};
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const int pages = argc > 1 ? std::atoi(argv[1]) : 200;
  const int records = argc > 2 ? std::atoi(argv[2]) : 1000;
  const int repeat = argc > 3 ? std::atoi(argv[3]) : 31;
  std::vector<std::string> bodies;
  for (int page = 1; page <= pages; ++page) bodies.push_back(PageBody(page, records));

  httplib::Server server;
  server.Get("/items", [&](const httplib::Request& req, httplib::Response& res) {
    const int page = req.has_param("page") ? std::atoi(req.get_param_value("page").c_str()) : 1;
    // A content type cpp-httplib does not compress: the client is measured, not the server's
    // brotli encoder (the client asks for every encoding libcurl supports).
    res.set_content(page >= 1 && page <= pages ? bodies[page - 1] : "{\"data\":[]}",
                    "application/octet-stream");
  });
  const int port = server.bind_to_any_port("127.0.0.1");
  std::thread thread([&] { server.listen_after_bind(); });
  while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/items";

  const nlohmann::json off = {{"retry", false}, {"circuit_breaker", false}, {"rate_limit", false}};
  // The REST profile, with a limit no read of this size reaches (it is measured, not waited).
  const nlohmann::json on = {
      {"rate_limit", {{"max_requests_per_minute", 60000000}, {"burst_size", 1000000}}}};
  ReadOnce(url, records, off);  // warm-up: page cache, allocator, connection
  std::vector<double> without_policy, with_policy;
  long rows = 0;
  for (int i = 0; i < repeat; ++i) {
    auto [rows_off, s_off] = ReadOnce(url, records, off);
    auto [rows_on, s_on] = ReadOnce(url, records, on);
    if (rows_off != rows_on || rows_on != static_cast<long>(pages) * records) {
      std::fprintf(stderr, "bench_rest: rows differ: %ld without, %ld with, %ld expected\n",
                   rows_off, rows_on, static_cast<long>(pages) * records);
      return 1;
    }
    rows = rows_on;
    without_policy.push_back(s_off);
    with_policy.push_back(s_on);
  }
  server.stop();
  thread.join();

  const double off_s = Median(without_policy);
  const double on_s = Median(with_policy);
  std::printf("rest_rows %ld\n", rows);
  std::printf("rest_requests_per_read %d\n", pages + 1);
  std::printf("rest_seconds_without_policy");
  for (double s : without_policy) std::printf(" %.3f", s);
  std::printf("\nrest_seconds_with_policy");
  for (double s : with_policy) std::printf(" %.3f", s);
  std::printf("\nrest_rows_per_second_without_policy %.0f\n", rows / off_s);
  std::printf("rest_rows_per_second_with_policy %.0f\n", rows / on_s);
  std::printf("rest_policy_throughput_difference_pct %.1f\n", (on_s - off_s) / off_s * 100.0);
  // Runs alternate, so each pair shares the machine's state of the moment: the median of the
  // pairs' ratios cancels most of the drift that separate medians keep.
  std::vector<double> ratios;
  for (size_t i = 0; i < with_policy.size(); ++i)
    ratios.push_back(with_policy[i] / without_policy[i]);
  std::printf("rest_policy_paired_difference_pct %.1f\n", (Median(ratios) - 1.0) * 100.0);
  return 0;
}
