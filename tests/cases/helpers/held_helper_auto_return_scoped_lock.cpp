// The helper's return type is deduced (`auto`) and is a std::scoped_lock.
#include <mutex>
#include "coro.h"

class Gauge {
 public:
  auto locked() { return std::scoped_lock(mu_); }

  demo::Task<void> sample() {
    auto g = locked();
    ++samples_;
    co_await demo::write_socket(samples_);  // expect: lock-across-suspend
  }

 private:
  std::mutex mu_;
  int samples_ = 0;
};
