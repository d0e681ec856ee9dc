// absl::MutexLock (takes a Mutex*) held across an await.
#include "absl/synchronization/mutex.h"
#include "coro.h"

class RateLimiter {
 public:
  demo::Task<bool> allow(int client) {
    absl::MutexLock l(&mu_);
    if (tokens_ <= 0) co_return false;
    --tokens_;
    co_await demo::write_socket(client);  // expect: lock-across-suspend
    co_return true;
  }

 private:
  absl::Mutex mu_;
  int tokens_ = 10;
};
