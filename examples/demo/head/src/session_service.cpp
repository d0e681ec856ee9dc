// Request handlers of the session service.
#include <mutex>
#include <string>

#include "session_cache.h"
#include "task.h"

SessionCache cache;
std::mutex stats_mu;
long refreshed = 0;

demo::Task<int> touch(std::string id) {
  int v = cache.version(id);
  co_return co_await demo::publish(v);
}

// New: refresh one session from the backend.
demo::Task<void> refresh(std::string id) {
  auto hold = cache.lock_entries();
  int fresh = co_await demo::fetch_from_backend(cache.entries()[id]);
  cache.entries()[id] = fresh;
}

// New: count refreshes and tell the backend.
demo::Task<void> record_refresh() {
  std::lock_guard<std::mutex> guard(stats_mu);
  ++refreshed;
  co_await demo::publish(static_cast<int>(refreshed));
}

// New: the same bookkeeping, done right: copy under the lock, then await.
demo::Task<void> record_refresh_fixed() {
  long snapshot;
  {
    std::lock_guard<std::mutex> guard(stats_mu);
    snapshot = ++refreshed;
  }
  co_await demo::publish(static_cast<int>(snapshot));
}
