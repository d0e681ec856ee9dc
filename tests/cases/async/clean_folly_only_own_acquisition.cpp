// folly style: the only suspension while the lock is held is its own acquisition.
#include <folly/coro/Mutex.h>
#include "coro.h"

class Counter {
 public:
  demo::Task<int> increment() {
    co_await demo::yield_now();
    auto lock = co_await mutex_.co_scoped_lock();
    co_return ++value_;
  }

 private:
  folly::coro::Mutex mutex_;
  int value_ = 0;
};
