// std::exchange(lk, {}) returns the old lock as a temporary that is destroyed at
// the end of the statement, unlocking the mutex before the await.
#include <mutex>
#include <utility>
#include "coro.h"

std::mutex cursor_mu;
long cursor = 0;

demo::Task<long> advance(int step) {
  std::unique_lock<std::mutex> lk(cursor_mu);
  cursor += step;
  const long now = cursor;
  std::exchange(lk, {});
  co_await demo::write_socket(static_cast<int>(now));
  co_return now;
}
