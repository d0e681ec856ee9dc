// NOLINT(lockspan-lock-across-suspend) on the reported line, and NOLINTNEXTLINE(lockspan) on the line before it.
#include <mutex>
#include "coro.h"

std::mutex init_mu;
int initialised = 0;

demo::Task<void> init_once(int v) {
  std::lock_guard<std::mutex> g(init_mu);
  initialised = v;
  co_await demo::write_socket(v);  // NOLINT(lockspan-lock-across-suspend): runs before any other task exists
}

demo::Task<void> shutdown_once() {
  std::unique_lock<std::mutex> lk(init_mu);
  initialised = 0;
  // NOLINTNEXTLINE(lockspan)
  co_await demo::yield_now();
}
