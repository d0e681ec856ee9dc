// A try_to_lock lock in an if-initializer with the lock tested as the condition:
// the then-branch awaits while it is held; the else-branch await is not held.
#include <mutex>
#include "coro.h"

std::mutex snapshot_mu;
int snapshots = 0;

demo::Task<void> snapshot() {
  if (std::unique_lock lk{snapshot_mu, std::try_to_lock}; lk) {
    ++snapshots;
    co_await demo::write_socket(snapshots);  // expect: lock-across-suspend
  } else {
    co_await demo::sleep_for(10);
  }
}
