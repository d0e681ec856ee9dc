// A named folly::Synchronized write-locked pointer keeps the lock until it goes out of scope.
#include <folly/Synchronized.h>
#include <vector>
#include "coro.h"

struct Queue {
  std::vector<int> items;
};

class Dispatcher {
 public:
  demo::Task<void> dispatch() {
    auto locked = queue_.wlock();
    while (!locked->items.empty()) {
      int next = locked->items.back();
      locked->items.pop_back();
      co_await demo::write_socket(next);  // expect: lock-across-suspend
    }
  }

 private:
  folly::Synchronized<Queue> queue_;
};
