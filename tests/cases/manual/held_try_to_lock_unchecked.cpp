// try_to_lock without checking owns_lock(): the lock may be held at the await.
#include <mutex>
#include "coro.h"

std::mutex stats_mu;
int samples = 0;

demo::Task<void> sample() {
  std::unique_lock<std::mutex> lk(stats_mu, std::try_to_lock);
  ++samples;
  co_await demo::yield_now();  // expect: lock-across-suspend
}
