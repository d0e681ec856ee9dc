// Only the `continue` path unlocks; the path that falls through reaches the await locked.
#include <mutex>
#include <set>
#include <vector>
#include "coro.h"

std::mutex seen_mu;
std::set<int> seen;

demo::Task<void> announce(std::vector<int> ids) {
  for (int id : ids) {
    std::unique_lock<std::mutex> lk(seen_mu);
    if (seen.count(id)) {
      lk.unlock();
      continue;
    }
    seen.insert(id);
    co_await demo::write_socket(id);  // expect: lock-across-suspend
  }
}
