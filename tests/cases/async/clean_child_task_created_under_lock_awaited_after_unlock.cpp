// The lazy child task is created under the lock but only awaited after the lock is released.
#include <mutex>
#include "coro.h"

class Pool {
 public:
  demo::Task<void> refill() {
    std::lock_guard<std::mutex> g(mu_);
    free_ += 8;
    co_return;
  }

  demo::Task<void> take() {
    std::unique_lock<std::mutex> lk(mu_);
    auto pending = refill();
    --free_;
    lk.unlock();
    co_await pending;
  }

 private:
  std::mutex mu_;
  int free_ = 0;
};
