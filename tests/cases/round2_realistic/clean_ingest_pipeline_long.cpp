// A long ingest coroutine: every lock (guards, a manual lock, a helper guard and a
// plain lambda that locks) is released before each await on every path.
#include <cstdio>
#include <deque>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "coro.h"

namespace ingest {

struct Record {
  std::string source;
  int size = 0;
};

class Pipeline {
 public:
  demo::Task<int> run(int max_batches);

 private:
  std::unique_lock<std::mutex> lock_queue() { return std::unique_lock<std::mutex>(queue_mu_); }
  std::optional<Record> pop() {
    auto lk = lock_queue();
    if (queue_.empty()) return std::nullopt;
    Record r = queue_.front();
    queue_.pop_front();
    return r;
  }

  std::mutex queue_mu_;
  std::deque<Record> queue_;
  std::mutex stats_mu_;
  long bytes_ = 0;
  long errors_ = 0;
};

demo::Task<int> Pipeline::run(int max_batches) {
  int batches = 0;
  auto note_error = [this](const char* why) {
    std::lock_guard<std::mutex> g(stats_mu_);
    ++errors_;
    std::fprintf(stderr, "ingest: %s\n", why);
  };

  while (batches < max_batches) {
    std::vector<Record> batch;
    while (batch.size() < 16) {
      auto next = pop();
      if (!next) break;
      batch.push_back(*next);
    }
    if (batch.empty()) {
      co_await demo::sleep_for(10);
      continue;
    }

    int batch_bytes = 0;
    try {
      for (const auto& r : batch) {
        if (r.size < 0) throw std::invalid_argument(r.source);
        batch_bytes += r.size;
      }
    } catch (const std::invalid_argument& e) {
      note_error(e.what());
      continue;
    }

    stats_mu_.lock();
    bytes_ += batch_bytes;
    const bool throttle = bytes_ > (1L << 30);
    stats_mu_.unlock();

    if (throttle) {
      std::unique_lock<std::mutex> lk(stats_mu_);
      bytes_ = 0;
      lk.unlock();
      co_await demo::sleep_for(100);
    }

    const int acked = co_await demo::write_socket(batch_bytes);
    if (acked < 0) {
      note_error("sink rejected batch");
      auto lk = lock_queue();
      for (auto& r : batch) queue_.push_front(r);
      continue;
    }
    ++batches;
  }
  co_return batches;
}

}  // namespace ingest
