// A // comment ending in a backslash continues onto the next line, so that "await" is part of the comment.
#include <mutex>
#include "coro.h"

std::mutex disk_mu;
int writes = 0;

demo::Task<void> persist() {
  co_await demo::yield_now();
  std::lock_guard<std::mutex> g(disk_mu);
  ++writes;  // the old code awaited the disk here \
  co_await demo::write_socket(writes);
}
