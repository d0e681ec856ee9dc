// mutex::try_lock() in a condition; the await inside the branch runs with the mutex locked.
#include <mutex>
#include "coro.h"

std::mutex gc_mu;
int collected = 0;

demo::Task<void> maybe_collect() {
  if (gc_mu.try_lock()) {
    collected += 1;
    co_await demo::sleep_for(1);  // expect: lock-across-suspend
    gc_mu.unlock();
  }
  co_await demo::yield_now();
}
