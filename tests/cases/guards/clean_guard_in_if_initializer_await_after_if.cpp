// The if-initializer guard covers both branches but dies at the end of the if, before the await.
#include <mutex>
#include "coro.h"

std::mutex buffer_mu;
bool buffer_dirty = false;

demo::Task<void> maybe_flush() {
  bool dirty_now;
  if (std::lock_guard g(buffer_mu); buffer_dirty) {
    dirty_now = true;
    buffer_dirty = false;
  } else {
    dirty_now = false;
  }
  if (dirty_now) co_await demo::write_socket(1);
}
