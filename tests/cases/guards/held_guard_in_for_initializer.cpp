// A unique_lock declared in a for-init lives through every iteration of the loop.
#include <mutex>
#include "coro.h"

std::mutex retry_mu;
int failures = 0;

demo::Task<void> retry_connect() {
  int attempts = 0;
  for (std::unique_lock lk(retry_mu); attempts < 3; ++attempts) {
    ++failures;
    co_await demo::sleep_for(100 * attempts);  // expect: lock-across-suspend
  }
  co_await demo::write_socket(failures);
}
