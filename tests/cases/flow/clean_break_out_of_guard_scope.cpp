// `break` leaves the loop body and destroys its guard before the await after the loop.
#include <mutex>
#include <vector>
#include "coro.h"

std::mutex q_mu;
std::vector<int> q;

demo::Task<int> drain() {
  int drained = 0;
  for (;;) {
    std::lock_guard<std::mutex> g(q_mu);
    if (q.empty()) break;
    q.pop_back();
    ++drained;
  }
  co_return co_await demo::write_socket(drained);
}
