// Identifiers that merely contain "co_await" / "co_yield" are not suspension points.
#include <mutex>
#include "coro.h"

struct Stats {
  int co_await_count = 0;
  int co_yielded = 0;
};

std::mutex stats_mu;

demo::Task<void> tally(Stats& s) {
  co_await demo::yield_now();
  std::lock_guard<std::mutex> g(stats_mu);
  s.co_await_count++;
  s.co_yielded += 1;
  int my_co_await = s.co_await_count;
  s.co_yielded += my_co_await;
}
