// A local lambda acts as the helper that returns a guard.
#include <mutex>
#include "coro.h"

class Counter {
 public:
  demo::Task<void> add(int n) {
    auto lock = [this] { return std::unique_lock(mu_); };
    auto held = lock();
    value_ += n;
    co_await demo::yield_now();  // expect: lock-across-suspend
  }

 private:
  std::mutex mu_;
  int value_ = 0;
};
