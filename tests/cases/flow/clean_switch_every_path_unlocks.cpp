// Every case (including the fallthrough into case 1) unlocks before the await after the switch.
#include <mutex>
#include "coro.h"

std::mutex mode_mu;
int resets = 0;

demo::Task<void> apply(int mode) {
  std::unique_lock<std::mutex> lk(mode_mu);
  switch (mode) {
    case 0:
      ++resets;
      [[fallthrough]];
    case 1:
      lk.unlock();
      break;
    default:
      lk.unlock();
      break;
  }
  co_await demo::yield_now();
}
