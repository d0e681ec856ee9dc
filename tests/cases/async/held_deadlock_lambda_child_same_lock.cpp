// The parent holds an async lock and awaits a coroutine lambda that acquires the same lock.
#include "coro.h"

demo::AsyncMutex registry_mu;
int registry_size = 0;

demo::Task<void> register_pair() {
  auto g = co_await registry_mu.scoped_lock_async();
  ++registry_size;
  co_await []() -> demo::Task<void> {  // expect: lock-await-deadlock
    auto inner = co_await registry_mu.scoped_lock_async();
    ++registry_size;
  }();
}
