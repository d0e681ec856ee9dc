// defer_lock owns nothing at the first await; after lock() the second await is held.
#include <mutex>
#include "coro.h"

std::mutex cursor_mu;
int cursor = 0;

demo::Task<void> advance() {
  std::unique_lock<std::mutex> lk(cursor_mu, std::defer_lock);
  int step = co_await demo::read_socket();
  lk.lock();
  cursor += step;
  co_await demo::write_socket(cursor);  // expect: lock-across-suspend
}
