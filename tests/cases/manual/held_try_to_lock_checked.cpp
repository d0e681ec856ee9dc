// try_to_lock: when the lock was not obtained the coroutine returns; otherwise it is held at the await.
#include <mutex>
#include "coro.h"

class Compactor {
 public:
  demo::Task<bool> try_compact() {
    std::unique_lock lk(mu_, std::try_to_lock);
    if (!lk) co_return false;
    ++runs_;
    co_await demo::resume_on_pool();  // expect: lock-across-suspend
    co_return true;
  }

 private:
  std::mutex mu_;
  int runs_ = 0;
};
