// Holding an async lock while awaiting a child coroutine that acquires the same lock never completes.
#include "coro.h"

class Journal {
 public:
  demo::Task<void> flush() {
    auto g = co_await mu_.scoped_lock_async();
    pending_ = 0;
  }

  demo::Task<void> append(int n) {
    auto g = co_await mu_.scoped_lock_async();
    pending_ += n;
    if (pending_ > 64) co_await flush();  // expect: lock-await-deadlock
  }

 private:
  demo::AsyncMutex mu_;
  int pending_ = 0;
};
