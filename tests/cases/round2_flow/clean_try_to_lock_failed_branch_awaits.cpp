// The lock is taken in the if-initializer with try_to_lock; only the branch where
// it was NOT obtained awaits, and the lock is gone after the if.
#include <mutex>
#include "coro.h"

std::mutex compaction_mu;
int compactions = 0;

demo::Task<void> maybe_compact() {
  if (std::unique_lock lk{compaction_mu, std::try_to_lock}; !lk.owns_lock()) {
    co_await demo::sleep_for(100);
  } else {
    ++compactions;
  }
  co_await demo::write_socket(compactions);
}
