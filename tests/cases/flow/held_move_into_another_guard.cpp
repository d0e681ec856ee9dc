// Moving the lock into a second guard that is still alive keeps the mutex locked.
#include <mutex>
#include <utility>
#include "coro.h"

std::mutex ledger_mu;
int entries = 0;

demo::Task<void> append() {
  std::unique_lock<std::mutex> first(ledger_mu);
  ++entries;
  std::unique_lock<std::mutex> second(std::move(first));
  co_await demo::write_socket(entries);  // expect: lock-across-suspend
}
