// `auto lk = std::scoped_lock{m}` (guaranteed copy elision) held across co_yield.
#include <mutex>
#include <vector>
#include "coro.h"

class EventLog {
 public:
  demo::Generator<int> replay() {
    auto lk = std::scoped_lock{mu_};
    for (int e : events_)
      co_yield e;  // expect: lock-across-suspend
  }

 private:
  std::mutex mu_;
  std::vector<int> events_;
};
