// std::exchange moves the owning lock into a named local, which stays alive, so
// the mutex is still locked at the await even though `lk` is now empty.
#include <mutex>
#include <utility>
#include "coro.h"

std::mutex cursor_mu;
long cursor = 0;

demo::Task<long> advance(int step) {
  std::unique_lock<std::mutex> lk(cursor_mu);
  cursor += step;
  auto owned = std::exchange(lk, std::unique_lock<std::mutex>());
  co_await demo::write_socket(static_cast<int>(cursor));  // expect: lock-across-suspend
  co_return cursor;
}
