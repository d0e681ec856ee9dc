// While the guard is held the coroutine only stores coroutine lambdas; their
// co_await and co_yield belong to the lambdas, which hold no lock.
#include <functional>
#include <mutex>
#include <vector>
#include "coro.h"

class Scheduler {
 public:
  demo::Task<void> arm(int delay_ms) {
    co_await demo::yield_now();
    std::lock_guard<std::mutex> g(mu_);
    timers_.push_back([this, delay_ms]() -> demo::Task<void> {
      co_await demo::sleep_for(delay_ms);
      co_await demo::write_socket(fired_);
    });
    auto ticks = [](int n) -> demo::Generator<int> {
      for (int i = 0; i < n; ++i) co_yield i;
    };
    ticks_ = ticks;
    ++armed_;
  }

 private:
  std::mutex mu_;
  std::vector<std::function<demo::Task<void>()>> timers_;
  std::function<demo::Generator<int>(int)> ticks_;
  int armed_ = 0;
  int fired_ = 0;
};
