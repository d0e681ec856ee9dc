// The child on `this` takes a different mutex than the one the parent holds: no deadlock, still a held lock.
#include <mutex>
#include "coro.h"

class Store {
 public:
  demo::Task<void> save(int v) {
    std::lock_guard<std::mutex> g(data_mu_);
    data_ = v;
    co_return;
  }

  demo::Task<void> save_and_count(int v) {
    std::scoped_lock lk(stats_mu_);
    ++writes_;
    co_await save(v);  // expect: lock-across-suspend
  }

 private:
  std::mutex data_mu_;
  std::mutex stats_mu_;
  int data_ = 0;
  int writes_ = 0;
};
