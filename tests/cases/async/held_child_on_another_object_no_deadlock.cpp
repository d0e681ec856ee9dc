// The child runs on a different (local) object, so it takes another mutex: no deadlock, but still a held lock.
#include <mutex>
#include "coro.h"

class Ledger {
 public:
  demo::Task<void> append(int e) {
    std::lock_guard<std::mutex> g(mu_);
    total_ += e;
    co_return;
  }

  demo::Task<void> mirror(int e) {
    std::lock_guard<std::mutex> g(mu_);
    total_ += e;
    Ledger scratch;
    co_await scratch.append(e);  // expect: lock-across-suspend
  }

 private:
  std::mutex mu_;
  long total_ = 0;
};
