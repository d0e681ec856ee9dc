// The inner `lk` shadows the outer one; unlocking the inner does not release the outer mutex.
#include <mutex>
#include "coro.h"

std::mutex outer_mu;
std::mutex inner_mu;
int count = 0;

demo::Task<void> nested() {
  std::unique_lock<std::mutex> lk(outer_mu);
  {
    std::unique_lock<std::mutex> lk(inner_mu);
    ++count;
    lk.unlock();
    co_await demo::yield_now();  // expect: lock-across-suspend
  }
}
