// Session manager declared in a header; its coroutines are defined in a .cpp.
#pragma once
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "coro.h"

namespace auth {

struct Session {
  std::string user;
  long expires_at = 0;
  bool pinned = false;
};

class SessionManager {
 public:
  demo::Task<void> evict(const std::string& id);
  demo::Task<int> expire_all(long now);
  demo::Task<void> touch(const std::string& id, long now);

 private:
  std::mutex sessions_mu_;
  std::map<std::string, Session> sessions_;
  std::mutex stats_mu_;
  long evictions_ = 0;
};

}  // namespace auth
