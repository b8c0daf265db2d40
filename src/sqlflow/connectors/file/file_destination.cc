#include "sqlflow/connectors/file/file_destination.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "sqlflow/common/strings.h"
#include "sqlflow/connectors/file/atomic_file.h"
#include "sqlflow/connectors/file/file_paths.h"
#include "sqlflow/connectors/file/write_plan.h"

namespace sqlflow::file {
namespace {

/// A location naming only the file.
DataLocation AtObject(const std::string& object) {
  DataLocation loc;
  loc.object = object;
  return loc;
}

constexpr const char* kInputView = "__sqlflow_input";

/// Numbers the scratch tables of writes on borrowed connections, so a write never touches an
/// object of the caller's that happens to carry the default names.
std::atomic<int64_t> g_scratch_counter{0};

/// Hands out the chunks of a stream the caller owns (RegisterStream takes ownership).
class BorrowedStream : public ChunkStream {
 public:
  explicit BorrowedStream(ChunkStream& input) : input_(input) {}
  const Schema& schema() const override { return input_.schema(); }
  std::optional<DataChunk> Next() override { return input_.Next(); }
  StreamProgress progress() const override { return input_.progress(); }

 private:
  ChunkStream& input_;
};

/// Reports the progress of the query running on `conn` every 200 ms from a helper thread,
/// as bytes_read / bytes_total = fraction done in parts per million (the sizes are unknown).
class ProgressWatcher {
 public:
  ProgressWatcher(duck::Connection& conn, const ProgressFn& progress) {
    if (!progress) return;
    thread_ = std::thread([this, &conn, progress] {
      std::unique_lock lock(mu_);
      while (!cv_.wait_for(lock, std::chrono::milliseconds(200), [this] { return done_; })) {
        double fraction = conn.Progress();
        if (fraction < 0) continue;
        StreamProgress p;
        p.bytes_total = 1000000;
        p.bytes_read = static_cast<int64_t>(fraction * 1000000);
        progress(p);
      }
    });
  }
  ~ProgressWatcher() {
    if (!thread_.joinable()) return;
    {
      std::lock_guard lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  ProgressWatcher(const ProgressWatcher&) = delete;
  ProgressWatcher& operator=(const ProgressWatcher&) = delete;

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

/// Drops the temporary tables `names` from `conn` when it goes out of scope, whatever happened.
/// Best effort: a failed DROP (e.g. in a transaction of the caller that the failure aborted,
/// whose rollback removes the tables anyway) is ignored, as a destructor must not throw.
class TempTableDropper {
 public:
  TempTableDropper(duck::Connection& conn, std::vector<std::string> names)
      : conn_(conn), names_(std::move(names)) {}
  ~TempTableDropper() {
    for (const auto& name : names_) {
      try {
        conn_.Execute("DROP TABLE IF EXISTS temp.main." + QuoteIdentifier(name));
      } catch (...) {  // NOLINT(bugprone-empty-catch): see the class comment
      }
    }
  }
  TempTableDropper(const TempTableDropper&) = delete;
  TempTableDropper& operator=(const TempTableDropper&) = delete;

 private:
  duck::Connection& conn_;
  std::vector<std::string> names_;
};

int64_t CopyTo(duck::Connection& conn, const std::string& select, const std::string& file,
               const std::string& options) {
  auto count =
      conn.QueryScalar("COPY (" + select + ") TO " + QuoteLiteral(file) + " (" + options + ")");
  return count ? std::stoll(*count) : 0;
}

}  // namespace

void FileDestination::ConfigureFileDestination(const ParameterSet& params) {
  path_ = params.GetString("path");
}

std::string FileDestination::MergeSelect(duck::Connection& conn, const std::string& target,
                                         const std::string& relation, const WriteOptions& options,
                                         const ScratchTables& scratch, int64_t* input_rows) {
  const std::string new_rows = QuoteIdentifier(scratch.new_rows);
  const std::string old_rows = QuoteIdentifier(scratch.old_rows);
  // Both sides are materialised: their rowids keep the input and file orders.
  conn.Execute("CREATE TEMP TABLE " + new_rows + " AS SELECT * FROM " + relation);
  Schema incoming = conn.DescribeQuery("SELECT * FROM " + new_rows);
  *input_rows = std::stoll(conn.QueryScalar("SELECT count(*) FROM " + new_rows).value_or("0"));
  bool existing = FileSize(target) > 0;
  ExistingFile old;
  if (existing) {
    try {
      old = ReadExisting(conn, target, incoming);
      conn.Execute("CREATE TEMP TABLE " + old_rows + " AS SELECT * FROM " + old.reader_sql);
    } catch (const duck::DuckError& e) {
      throw DataError(name(), "write", AtObject(target),
                      std::string("cannot read the existing file to ") +
                          WriteModeName(options.mode) + " into it: " + e.message());
    }
    CheckAppendCompatible(name(), incoming, old.schema, target, old.text);
  }
  std::string select;
  if (options.mode == WriteMode::kAppend) {
    select = existing ? AppendSql(old_rows, new_rows) : "SELECT * FROM " + new_rows;
  } else {
    auto new_keys = ResolveKeys(name(), options.keys, incoming, "the input");
    std::vector<std::string> matches;
    if (existing) {
      auto old_keys =
          ResolveKeys(name(), options.keys, old.schema, "the target file '" + target + "'");
      for (size_t i = 0; i < old_keys.size(); ++i) {
        const Field& key = incoming.field(static_cast<size_t>(incoming.FieldIndex(new_keys[i])));
        matches.push_back(KeyMatchSql(key.name, key.type, old_keys[i], old.text));
      }
    }
    select = UpsertSql(existing ? old_rows : "", matches, new_rows, new_keys);
  }
  return select;
}

WriteResult FileDestination::WriteFrom(duck::Connection& conn, const std::string& object,
                                       const std::string& relation, const WriteOptions& options,
                                       const ScratchTables& scratch) {
  const std::string target = object.empty() ? path_ : object;
  CheckWritableTarget(name(), "write", target);
  if (options.mode == WriteMode::kUpsert && options.keys.empty()) {
    throw ParameterError(name(), "keys", "upsert needs at least one key column");
  }
  AtomicFile file(name(), target);
  WriteResult result;
  if (options.mode == WriteMode::kReplace) {
    result.rows_written =
        CopyTo(conn, "SELECT * FROM " + relation, file.temp_path(), CopyOptionsSql());
    result.bytes_written = file.Commit();
    return result;
  }
  std::string select = MergeSelect(conn, target, relation, options, scratch, &result.rows_written);
  CopyTo(conn, select, file.temp_path(), CopyOptionsSql());
  result.bytes_written = file.Commit();
  return result;
}

WriteResult FileDestination::RunWrite(
    duck::Connection* conn, const std::function<WriteResult(duck::Connection&)>& write,
    const std::function<void(duck::Connection&)>& rethrow_duck_error) {
  const Clock::TimePoint start = clock().Now();
  std::shared_ptr<duck::Database> db;
  std::unique_ptr<duck::Connection> own;
  if (conn == nullptr) {
    db = duck::Database::Open();
    own = std::make_unique<duck::Connection>(db);
    conn = own.get();
  }
  WriteResult result;
  try {
    result = write(*conn);
  } catch (const duck::DuckError&) {
    RecordFailure();
    rethrow_duck_error(*conn);
    throw;
  } catch (...) {
    RecordFailure();
    throw;
  }
  RecordQueryTime(MillisBetween(start, clock().Now()));
  RecordTransfer(result.rows_written, result.bytes_written);
  MarkReady();
  return result;
}

WriteResult FileDestination::Write(const std::string& object, ChunkStream& input,
                                   const WriteOptions& options) {
  return RunWrite(
      nullptr,
      [&](duck::Connection& conn) {
        conn.RegisterStream(kInputView, std::make_unique<BorrowedStream>(input));
        return WriteFrom(conn, object, kInputView, options, ScratchTables{});
      },
      // The input's own error, when the input failed.
      [](duck::Connection& conn) { conn.RethrowStreamError(); });
}

WriteResult FileDestination::WriteRelation(const std::string& object,
                                           const std::string& relation_sql,
                                           DuckDbScannable& scan_errors,
                                           const WriteOptions& options,
                                           const ProgressFn& progress) {
  return RunWrite(
      nullptr,
      [&](duck::Connection& conn) {
        ProgressWatcher watcher(conn, progress);
        return WriteFrom(conn, object, relation_sql, options, ScratchTables{});
      },
      [&](duck::Connection&) { scan_errors.RethrowScanError(std::current_exception()); });
}

WriteResult FileDestination::WriteRelationOn(duck::Connection& conn, const std::string& object,
                                             const std::string& relation_sql,
                                             const WriteOptions& options,
                                             const ProgressFn& progress) {
  const std::string suffix = "_" + std::to_string(g_scratch_counter.fetch_add(1));
  ScratchTables scratch;
  scratch.new_rows += suffix;
  scratch.old_rows += suffix;
  return RunWrite(
      &conn,
      [&](duck::Connection& c) {
        // Declared first, so the tables are dropped after the watcher stopped polling.
        TempTableDropper dropper(c, {scratch.new_rows, scratch.old_rows});
        ProgressWatcher watcher(c, progress);
        return WriteFrom(c, object, relation_sql, options, scratch);
      },
      [](duck::Connection&) {});
}

ConnectionTestResult FileDestination::TestConnection() {
  const Clock::TimePoint start = clock().Now();
  ConnectionTestResult result;
  try {
    CheckWritableTarget(name(), "test_connection", path_);
    result.success = true;
    result.message = "directory '" + ParentDirectory(path_) + "' exists and is writable";
    MarkReady();
  } catch (const std::exception& e) {
    result.message = e.what();
  }
  result.response_time_ms = MillisBetween(start, clock().Now());
  RecordConnectionTime(result.response_time_ms);
  return result;
}

}  // namespace sqlflow::file
