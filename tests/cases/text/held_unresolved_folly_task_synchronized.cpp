// folly headers are missing: a folly::coro::Task and a named folly::Synchronized wlock() pointer held across an await.
#include <folly/Synchronized.h>
#include <folly/coro/Task.h>
#include <vector>

#include "dispatch/sink.h"

class Dispatcher {
 public:
  folly::coro::Task<void> dispatch() {
    auto locked = queue_.wlock();
    while (!locked->empty()) {
      co_await sink_.push(locked->back());  // expect: lock-across-suspend
      locked->pop_back();
    }
  }

 private:
  folly::Synchronized<std::vector<int>> queue_;
  Sink sink_;
};
