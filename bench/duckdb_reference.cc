// bench_duckdb_reference: the DuckDB reference measurements, straight over DuckDB's C API
// (no SQLFlow code), so SQLFlow's figures can be given as ratios against them.
//
//   bench_duckdb_reference copy CSV OUT.parquet   COPY (SELECT * FROM read_csv(CSV)) TO OUT
//                                                 (FORMAT parquet)
//   bench_duckdb_reference scan CSV               stream SELECT * FROM read_csv(CSV) chunk by
//                                                 chunk (duckdb_fetch_chunk), summing order_id
//   bench_duckdb_reference ctas CSV               CREATE TABLE t AS SELECT * FROM read_csv(CSV)
//   bench_duckdb_reference version               DuckDB's library version
//   bench_duckdb_reference script FILE.sql        run a SQL script (the pipeline benchmark's
//                                                 reference: the same SQL as the pipeline)
//   bench_duckdb_reference digest FILE.parquet    rows and a hash of every value of the
//                                                 pipeline benchmark's summary, revenue
//                                                 rounded to cents: a parallel DOUBLE sum
//                                                 differs in its last bits from run to run
//   bench_duckdb_reference check FILE.parquet     rows, columns and a fingerprint of the
//                                                 values (equal files give equal lines)
//
// Each prints one line of key=value pairs (seconds covers the statement only, not opening the
// database). The database is in memory with DuckDB's defaults (all cores, 80% memory limit).
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <sys/stat.h>

#include <duckdb.h>

namespace {

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "bench_duckdb_reference: %s\n", message.c_str());
  std::exit(1);
}

/// A single-quoted SQL string literal.
std::string Quote(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

double FileMegabytes(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) Die(path + ": cannot stat");
  return static_cast<double>(st.st_size) / 1e6;
}

class Duck {
 public:
  Duck() {
    if (duckdb_open(nullptr, &db_) != DuckDBSuccess) Die("cannot open an in-memory database");
    if (duckdb_connect(db_, &conn_) != DuckDBSuccess) Die("cannot connect");
  }
  ~Duck() {
    duckdb_disconnect(&conn_);
    duckdb_close(&db_);
  }
  Duck(const Duck&) = delete;
  Duck& operator=(const Duck&) = delete;

  /// Run `sql` and return the first column of the first row as int64 (0 when none).
  int64_t QueryInt(const std::string& sql) {
    duckdb_result result;
    if (duckdb_query(conn_, sql.c_str(), &result) != DuckDBSuccess) {
      std::string error = duckdb_result_error(&result);
      duckdb_destroy_result(&result);
      Die(sql + ": " + error);
    }
    int64_t value = 0;
    if (duckdb_column_count(&result) > 0 && duckdb_row_count(&result) > 0) {
      value = duckdb_value_int64(&result, 0, 0);
    }
    duckdb_destroy_result(&result);
    return value;
  }

  /// Run `sql` and return the first column of the first row as text ("" when none).
  std::string QueryText(const std::string& sql) {
    duckdb_result result;
    if (duckdb_query(conn_, sql.c_str(), &result) != DuckDBSuccess) {
      std::string error = duckdb_result_error(&result);
      duckdb_destroy_result(&result);
      Die(sql + ": " + error);
    }
    std::string value;
    if (duckdb_column_count(&result) > 0 && duckdb_row_count(&result) > 0) {
      char* text = duckdb_value_varchar(&result, 0, 0);
      if (text != nullptr) value = text;
      duckdb_free(text);
    }
    duckdb_destroy_result(&result);
    return value;
  }

  /// Stream `sql` chunk by chunk; return rows and add column 0 (BIGINT) into *sum.
  int64_t StreamSum(const std::string& sql, int64_t* sum) {
    duckdb_prepared_statement prepared;
    if (duckdb_prepare(conn_, sql.c_str(), &prepared) != DuckDBSuccess) {
      Die(sql + ": " + duckdb_prepare_error(prepared));
    }
    duckdb_pending_result pending;
    if (duckdb_pending_prepared_streaming(prepared, &pending) != DuckDBSuccess) {
      Die(sql + ": " + duckdb_pending_error(pending));
    }
    duckdb_result result;
    if (duckdb_execute_pending(pending, &result) != DuckDBSuccess) {
      Die(sql + ": " + duckdb_result_error(&result));
    }
    if (duckdb_column_type(&result, 0) != DUCKDB_TYPE_BIGINT) Die("column 0 is not BIGINT");
    int64_t rows = 0;
    while (duckdb_data_chunk chunk = duckdb_fetch_chunk(result)) {
      const idx_t n = duckdb_data_chunk_get_size(chunk);
      duckdb_vector vector = duckdb_data_chunk_get_vector(chunk, 0);
      const auto* values = static_cast<const int64_t*>(duckdb_vector_get_data(vector));
      for (idx_t i = 0; i < n; ++i) *sum += values[i];
      rows += static_cast<int64_t>(n);
      duckdb_destroy_data_chunk(&chunk);
    }
    if (const char* error = duckdb_result_error(&result)) Die(sql + ": " + error);
    duckdb_destroy_result(&result);
    duckdb_destroy_pending(&pending);
    duckdb_destroy_prepare(&prepared);
    return rows;
  }

 private:
  duckdb_database db_ = nullptr;
  duckdb_connection conn_ = nullptr;
};

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int Usage() {
  std::fprintf(stderr,
               "usage: bench_duckdb_reference copy CSV OUT.parquet | scan CSV | ctas CSV | "
               "check FILE.parquet | script FILE.sql | digest FILE.parquet | version\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && std::string_view(argv[1]) == "version") {
    std::printf("%s\n", duckdb_library_version());
    return 0;
  }
  if (argc < 3) return Usage();
  if (std::string_view(argv[1]) == "script" && argc == 3) {
    Duck duck;
    std::FILE* file = std::fopen(argv[2], "rb");
    if (file == nullptr) Die(std::string(argv[2]) + ": cannot open");
    std::string sql;
    char buffer[4096];
    size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof(buffer), file)) > 0) sql.append(buffer, n);
    std::fclose(file);
    const auto start = std::chrono::steady_clock::now();
    duck.QueryText(sql);
    std::printf("seconds=%.3f\n", SecondsSince(start));
    return 0;
  }
  if (std::string_view(argv[1]) == "digest" && argc == 3) {
    Duck duck;
    std::printf("%s\n", duck.QueryText("SELECT 'rows=' || count(*) || ' hash=' || "
                                       "(sum(hash(customer_group, status, orders, "
                                       "round(revenue, 2), first_order, last_order)) % "
                                       "1000000007) FROM read_parquet(" +
                                       Quote(argv[2]) + ")")
                            .c_str());
    return 0;
  }
  const std::string mode = argv[1];
  const std::string input = argv[2];
  Duck duck;
  const std::string read_csv = "read_csv(" + Quote(input) + ")";
  const auto start = std::chrono::steady_clock::now();
  if (mode == "copy" && argc == 4) {
    const int64_t rows = duck.QueryInt("COPY (SELECT * FROM " + read_csv + ") TO " +
                                       Quote(argv[3]) + " (FORMAT parquet)");
    const double seconds = SecondsSince(start);
    std::printf("rows=%lld seconds=%.3f mb_per_second=%.1f\n", static_cast<long long>(rows),
                seconds, FileMegabytes(input) / seconds);
  } else if (mode == "scan" && argc == 3) {
    int64_t sum = 0;
    const int64_t rows = duck.StreamSum("SELECT * FROM " + read_csv, &sum);
    const double seconds = SecondsSince(start);
    std::printf("rows=%lld seconds=%.3f mb_per_second=%.1f sum_order_id=%lld\n",
                static_cast<long long>(rows), seconds, FileMegabytes(input) / seconds,
                static_cast<long long>(sum));
  } else if (mode == "ctas" && argc == 3) {
    const int64_t rows = duck.QueryInt("CREATE TABLE t AS SELECT * FROM " + read_csv);
    const double seconds = SecondsSince(start);
    std::printf("rows=%lld seconds=%.3f mb_per_second=%.1f\n", static_cast<long long>(rows),
                seconds, FileMegabytes(input) / seconds);
  } else if (mode == "check" && argc == 3) {
    // Types are normalised first: SQLFlow may type amount as DECIMAL where DuckDB's sniffer
    // says DOUBLE, and the fingerprint must not depend on that.
    const std::string scan = "read_parquet(" + Quote(input) + ")";
    const std::string columns =
        duck.QueryText("SELECT count(*) FROM (DESCRIBE SELECT * FROM " + scan + ")");
    const std::string fingerprint = duck.QueryText(
        "SELECT concat_ws(' ', 'rows=' || count(*), 'sum_order_id=' || sum(order_id), "
        "'sum_amount=' || sum(amount::DECIMAL(18, 2)), "
        "'hash=' || sum(hash(customer_id::BIGINT, status::VARCHAR, created_at::TIMESTAMP, "
        "token::VARCHAR)) % 1000000007) FROM " +
        scan);
    std::printf("columns=%s %s\n", columns.c_str(), fingerprint.c_str());
  } else {
    return Usage();
  }
  return 0;
}
