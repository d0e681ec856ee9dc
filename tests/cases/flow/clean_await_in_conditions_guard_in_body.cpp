// Awaits in if/while conditions run before the body's guard exists or after it is destroyed.
#include <mutex>
#include "coro.h"

std::mutex flags_mu;
int polls = 0;

demo::Task<void> poll() {
  if (co_await demo::check_ready()) {
    std::lock_guard<std::mutex> g(flags_mu);
    ++polls;
  }
  while (co_await demo::check_ready()) {
    std::lock_guard<std::mutex> g(flags_mu);
    if (++polls > 10) break;
  }
}
