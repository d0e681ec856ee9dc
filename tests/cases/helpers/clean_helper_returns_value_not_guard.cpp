// A helper whose name mentions locking returns a plain int; its guard dies inside it.
#include <mutex>
#include "coro.h"

class Sequencer {
 public:
  int lock_and_next() {
    std::lock_guard<std::mutex> g(mu_);
    return ++next_;
  }

  demo::Task<void> emit() {
    auto id = lock_and_next();
    co_await demo::write_socket(id);
  }

 private:
  std::mutex mu_;
  int next_ = 0;
};
