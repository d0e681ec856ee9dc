// `continue` destroys the iteration's guard; the other path unlocks before the await.
#include <mutex>
#include <set>
#include <vector>
#include "coro.h"

std::mutex seen_mu;
std::set<int> seen;

demo::Task<void> announce(std::vector<int> ids) {
  for (int id : ids) {
    std::unique_lock<std::mutex> lk(seen_mu);
    if (seen.count(id)) continue;
    seen.insert(id);
    lk.unlock();
    co_await demo::write_socket(id);
  }
}
