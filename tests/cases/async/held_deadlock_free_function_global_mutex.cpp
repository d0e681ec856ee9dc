// Free coroutines: the parent holds a global mutex and awaits a child that locks the same global.
#include <mutex>
#include "coro.h"

std::mutex log_mu;
int log_lines = 0;

demo::Task<void> log_line(int delta) {
  std::lock_guard<std::mutex> g(log_mu);
  log_lines += delta;
  co_return;
}

demo::Task<void> rotate_log() {
  std::lock_guard<std::mutex> g(log_mu);
  log_lines = 0;
  co_await log_line(-1);  // expect: lock-await-deadlock
}
