// Plain lambdas that lock run on a thread pool and on a std::thread; the
// coroutine only schedules them and never holds their mutex itself.
#include <functional>
#include <mutex>
#include <thread>
#include <vector>
#include "coro.h"

class Pool {
 public:
  void submit(std::function<void()> job) { jobs_.push_back(std::move(job)); }

 private:
  std::vector<std::function<void()>> jobs_;
};

class Compressor {
 public:
  demo::Task<void> compress_all(Pool& pool, std::vector<int> blocks) {
    for (int b : blocks) {
      pool.submit([this, b] {
        std::lock_guard<std::mutex> g(mu_);
        done_ += b;
      });
      co_await demo::yield_now();
    }
    std::thread reporter([this] {
      std::unique_lock<std::mutex> lk(mu_);
      last_report_ = done_;
    });
    reporter.detach();
    co_await demo::write_socket(static_cast<int>(blocks.size()));
  }

 private:
  std::mutex mu_;
  long done_ = 0;
  long last_report_ = 0;
};
