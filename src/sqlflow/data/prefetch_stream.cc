#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "sqlflow/data/stream.h"

namespace sqlflow {

namespace {

class PrefetchStream final : public ChunkStream {
 public:
  PrefetchStream(std::unique_ptr<ChunkStream> input, size_t depth, std::function<void()> interrupt)
      : input_(std::move(input)),
        depth_(depth < 1 ? 1 : depth),
        interrupt_(std::move(interrupt)),
        thread_([this] { Produce(); }) {}

  ~PrefetchStream() override {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    changed_.notify_all();
    if (interrupt_) {
      bool running;
      {
        std::lock_guard lock(mu_);
        running = !finished_;
      }
      if (running) interrupt_();
    }
    thread_.join();
  }

  const Schema& schema() const override { return input_->schema(); }

  std::optional<DataChunk> Next() override {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [this] { return !ready_.empty() || finished_; });
    if (!ready_.empty()) {
      DataChunk chunk = std::move(ready_.front());
      ready_.pop_front();
      rows_ += chunk.num_rows();
      changed_.notify_all();
      return chunk;
    }
    if (error_) std::rethrow_exception(error_);
    return std::nullopt;
  }

  StreamProgress progress() const override {
    std::lock_guard lock(mu_);
    return {rows_, -1, -1};
  }

 private:
  void Produce() {
    try {
      for (;;) {
        {
          std::unique_lock lock(mu_);
          changed_.wait(lock, [this] { return ready_.size() < depth_ || stop_; });
          if (stop_) break;
        }
        std::optional<DataChunk> chunk = input_->Next();
        std::lock_guard lock(mu_);
        if (!chunk) break;
        ready_.push_back(std::move(*chunk));
        changed_.notify_all();
      }
    } catch (...) {
      std::lock_guard lock(mu_);
      error_ = std::current_exception();
    }
    std::lock_guard lock(mu_);
    finished_ = true;
    changed_.notify_all();
  }

  std::unique_ptr<ChunkStream> input_;
  const size_t depth_;
  std::function<void()> interrupt_;
  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::deque<DataChunk> ready_;
  std::exception_ptr error_;
  bool stop_ = false;
  bool finished_ = false;
  int64_t rows_ = 0;
  std::thread thread_;  // Last: starts once everything it uses is constructed.
};

}  // namespace

std::unique_ptr<ChunkStream> MakePrefetchStream(std::unique_ptr<ChunkStream> input, size_t depth,
                                                std::function<void()> interrupt) {
  return std::make_unique<PrefetchStream>(std::move(input), depth, std::move(interrupt));
}

}  // namespace sqlflow
