// The guard lives in a braced case block that the `break` leaves; the await in
// another case label is never reached with it alive.
#include <mutex>
#include "coro.h"

std::mutex counters_mu;
int hits = 0, misses = 0;

demo::Task<void> record(int kind) {
  switch (kind) {
    case 0: {
      std::lock_guard<std::mutex> g(counters_mu);
      ++hits;
      break;
    }
    case 1:
      co_await demo::write_socket(misses);
      break;
    default: {
      std::lock_guard<std::mutex> g(counters_mu);
      ++misses;
    }
  }
  co_await demo::yield_now();
}
