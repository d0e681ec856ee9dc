// A const CTAD lock_guard (parentheses) in an out-of-class coroutine definition.
#include <mutex>
#include "coro.h"

class Throttle {
 public:
  demo::Task<int> admit(int cost);

 private:
  std::mutex mu_;
  int budget_ = 100;
};

demo::Task<int> Throttle::admit(int cost)
{
    const std::lock_guard lock(mu_);
    budget_ -= cost;
    int reply = co_await demo::write_socket(budget_);  // expect: lock-across-suspend
    co_return reply;
}
