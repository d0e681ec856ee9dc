// clang-tidy's NOLINT(cppcoreguidelines-no-suspend-with-lock) is honoured too.
#include <mutex>
#include "coro.h"

class Bootstrap {
 public:
  demo::Task<void> run() {
    std::lock_guard<std::mutex> g(mu_);
    started_ = true;
    co_await demo::yield_now();  // NOLINT(cppcoreguidelines-no-suspend-with-lock)
  }

 private:
  std::mutex mu_;
  bool started_ = false;
};
