// The coroutine comes first in the class body; the guard-returning helper is defined after it.
#include <mutex>
#include "coro.h"

class JobQueue {
 public:
  demo::Task<int> pop_and_ack() {
    std::unique_lock<std::mutex> lk = acquire();
    int job = --depth_;
    int acked = co_await demo::write_socket(job);  // expect: lock-across-suspend
    co_return acked;
  }

  std::unique_lock<std::mutex> acquire() {
    return std::unique_lock<std::mutex>(mu_);
  }

 private:
  std::mutex mu_;
  int depth_ = 0;
};
