// A NOLINT on the guard's declaration is not on the reported line (the first suspension), so it does not suppress.
#include <mutex>
#include "coro.h"

std::mutex lease_mu;
int leases = 0;

demo::Task<void> renew() {
  std::lock_guard<std::mutex> g(lease_mu);  // NOLINT(lockspan)
  ++leases;
  co_await demo::write_socket(leases);  // expect: lock-across-suspend
}
