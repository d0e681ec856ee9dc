// A guard in a C++20 range-for init-statement lives for the whole loop.
#include <mutex>
#include <vector>
#include "coro.h"

class Fanout {
 public:
  demo::Task<void> broadcast(int msg) {
    for (std::lock_guard g(mu_); int sub : subscribers_) {
      co_await demo::write_socket(sub ^ msg);  // expect: lock-across-suspend
    }
  }

 private:
  std::mutex mu_;
  std::vector<int> subscribers_;
};
