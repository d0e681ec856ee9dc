// SessionManager::expire_all holds sessions_mu_ and awaits evict(), which locks
// sessions_mu_ itself; touch() holds only stats_mu_ when it awaits evict().
#include <cstdio>
#include <string>
#include <vector>

#include "session_manager.h"

namespace auth {

demo::Task<void> SessionManager::evict(const std::string& id) {
  std::unique_lock<std::mutex> lk(sessions_mu_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) co_return;
  sessions_.erase(it);
}

demo::Task<int> SessionManager::expire_all(long now) {
  std::vector<std::string> expired;
  int skipped_pinned = 0;

  std::lock_guard<std::mutex> guard(sessions_mu_);
  for (const auto& [id, s] : sessions_) {
    if (s.expires_at > now) continue;
    if (s.pinned) {
      ++skipped_pinned;
      continue;
    }
    expired.push_back(id);
  }
  if (expired.empty()) {
    std::fprintf(stderr, "expire_all: nothing expired (%d pinned)\n", skipped_pinned);
    co_return 0;
  }

  int evicted = 0;
  for (const auto& id : expired) {
    co_await evict(id);  // expect: lock-await-deadlock
    ++evicted;
  }
  std::fprintf(stderr, "expire_all: evicted %d\n", evicted);
  co_return evicted;
}

demo::Task<void> SessionManager::touch(const std::string& id, long now) {
  bool expired = false;
  {
    std::lock_guard<std::mutex> g(sessions_mu_);
    auto it = sessions_.find(id);
    if (it == sessions_.end()) co_return;
    expired = it->second.expires_at <= now;
    if (!expired) it->second.expires_at = now + 3600;
  }
  if (expired) {
    std::lock_guard<std::mutex> stats(stats_mu_);
    ++evictions_;
    co_await evict(id);  // expect: lock-across-suspend
  }
}

}  // namespace auth
