// The if init-statement's guard is constructed before the awaiting condition is evaluated.
#include <mutex>
#include "coro.h"

std::mutex flags_mu;
int polls = 0;

demo::Task<void> poll_once() {
  if (std::unique_lock lk(flags_mu); co_await demo::check_ready()) {  // expect: lock-across-suspend
    ++polls;
  }
}
