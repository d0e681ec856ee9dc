// The await is inside an if condition, evaluated while the guard is alive.
#include <mutex>
#include "coro.h"

std::mutex flags_mu;
bool ready_flag = false;

demo::Task<void> check() {
  std::lock_guard<std::mutex> g(flags_mu);
  if (co_await demo::check_ready()) {  // expect: lock-across-suspend
    ready_flag = true;
  }
}
