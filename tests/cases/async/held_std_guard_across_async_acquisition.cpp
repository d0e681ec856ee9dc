// A std::mutex guard is held across an async mutex's acquisition; the async lock is then held across I/O.
#include <mutex>
#include "coro.h"

class Exporter {
 public:
  demo::Task<void> export_batch(int n) {
    std::lock_guard<std::mutex> g(stats_mu_);
    ++batches_;
    auto io_lock = co_await io_mu_.scoped_lock_async();  // expect: lock-across-suspend
    co_await demo::write_socket(n);  // expect: async-lock-across-suspend
  }

 private:
  std::mutex stats_mu_;
  demo::AsyncMutex io_mu_;
  int batches_ = 0;
};
