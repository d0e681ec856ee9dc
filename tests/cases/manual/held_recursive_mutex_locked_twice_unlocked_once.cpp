// A recursive_mutex locked twice and unlocked once is still held at the await.
#include <mutex>
#include "coro.h"

std::recursive_mutex tree_mu;
int depth = 0;

demo::Task<void> rebalance() {
  tree_mu.lock();
  tree_mu.lock();
  ++depth;
  tree_mu.unlock();
  co_await demo::yield_now();  // expect: lock-across-suspend
  tree_mu.unlock();
}
