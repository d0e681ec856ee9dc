// libcoro style: `co_await m.scoped_lock()` returns a coro::scoped_lock held across a sleep.
#include <coro/mutex.hpp>
#include "coro.h"

coro::mutex printer_mu;
int pages = 0;

demo::Task<void> print(int n) {
  auto lk = co_await printer_mu.scoped_lock();
  for (int i = 0; i < n; ++i) {
    ++pages;
    co_await demo::sleep_for(10);  // expect: async-lock-across-suspend
  }
}
