// Manual lock_shared()/unlock_shared() on a std::shared_mutex.
#include <shared_mutex>
#include <vector>
#include "coro.h"

std::shared_mutex routes_mu;
std::vector<int> routes;

demo::Task<int> export_routes() {
  int sent = 0;
  routes_mu.lock_shared();
  for (int r : routes) sent += co_await demo::write_socket(r);  // expect: lock-across-suspend
  routes_mu.unlock_shared();
  co_return sent;
}
