// Entering at `case 1` skips the unlock in `case 0`, so the await may run with the lock held.
#include <mutex>
#include "coro.h"

std::mutex mode_mu;

demo::Task<void> apply(int mode) {
  std::unique_lock<std::mutex> lk(mode_mu);
  switch (mode) {
    case 0:
      lk.unlock();
      [[fallthrough]];
    case 1:
      co_await demo::yield_now();  // expect: lock-across-suspend
      break;
    default:
      lk.unlock();
      break;
  }
}
