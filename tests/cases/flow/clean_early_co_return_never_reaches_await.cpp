// The path that keeps the lock co_returns before any await; the other path unlocks first.
#include <mutex>
#include "coro.h"

class Feed {
 public:
  demo::Task<void> publish() {
    std::unique_lock<std::mutex> lk(mu_);
    if (!ready_) {
      co_return;
    }
    int snapshot = value_;
    lk.unlock();
    co_await demo::write_socket(snapshot);
  }

 private:
  std::mutex mu_;
  bool ready_ = false;
  int value_ = 0;
};
