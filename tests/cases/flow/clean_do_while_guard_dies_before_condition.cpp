// The do-while body's guard is destroyed before the condition (which awaits) is evaluated.
#include <mutex>
#include "coro.h"

std::mutex work_mu;
int work_left = 10;

demo::Task<void> chew() {
  int left;
  do {
    std::lock_guard<std::mutex> g(work_mu);
    left = --work_left;
  } while (left > 0 && co_await demo::check_ready());
}
