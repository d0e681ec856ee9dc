// The awaited child does not lock, but the grandchild it awaits locks the mutex the parent holds.
#include <mutex>
#include "coro.h"

namespace cache {

std::mutex table_mu;
int evictions = 0;

demo::Task<void> evict_one() {
  std::lock_guard<std::mutex> g(table_mu);
  ++evictions;
  co_return;
}

demo::Task<void> make_room(int n) {
  for (int i = 0; i < n; ++i) co_await evict_one();
}

demo::Task<void> insert(int key) {
  std::lock_guard<std::mutex> g(table_mu);
  if (key > evictions) co_await make_room(1);  // expect: lock-await-deadlock
}

}  // namespace cache
