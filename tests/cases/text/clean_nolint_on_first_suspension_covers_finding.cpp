// The lock spans two awaits; its one finding is reported at the first, which carries the suppression.
#include <mutex>
#include "coro.h"

std::mutex migrate_mu;
int migrated = 0;

demo::Task<void> migrate() {
  std::lock_guard<std::mutex> g(migrate_mu);
  co_await demo::read_socket();  // NOLINT(lockspan): offline migration, single task
  ++migrated;
  co_await demo::write_socket(migrated);
}
