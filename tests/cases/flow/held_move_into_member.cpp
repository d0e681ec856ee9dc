// The lock is moved into a data member, which keeps the mutex locked across the await.
#include <mutex>
#include <utility>
#include "coro.h"

class Batch {
 public:
  demo::Task<void> begin() {
    std::unique_lock<std::mutex> lk(mu_);
    open_ = true;
    held_ = std::move(lk);
    co_await demo::yield_now();  // expect: lock-across-suspend
  }
  void end() {
    open_ = false;
    held_.unlock();
  }

 private:
  std::mutex mu_;
  std::unique_lock<std::mutex> held_;
  bool open_ = false;
};
