// libcoro style: scoped_lock::unlock() releases the async mutex before the I/O.
#include <coro/mutex.hpp>
#include "coro.h"

coro::mutex printer_mu;
int pages = 0;

demo::Task<void> print(int n) {
  auto lk = co_await printer_mu.scoped_lock();
  pages += n;
  int snapshot = pages;
  lk.unlock();
  co_await demo::write_socket(snapshot);
}
