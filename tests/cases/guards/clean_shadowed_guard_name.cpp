// The outer `lk` is unlocked; the shadowing inner guard dies before the await.
#include <mutex>
#include "coro.h"

std::mutex outer_mu;
std::mutex inner_mu;
int count = 0;

demo::Task<void> nested() {
  std::unique_lock<std::mutex> lk(outer_mu);
  ++count;
  lk.unlock();
  {
    std::lock_guard<std::mutex> lk(inner_mu);
    ++count;
  }
  co_await demo::yield_now();
}
