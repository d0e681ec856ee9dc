// folly style: co_scoped_lock() yields a std::unique_lock<folly::coro::Mutex> that is held across I/O.
#include <folly/coro/Mutex.h>
#include "coro.h"

namespace store {

class Cache {
 public:
  demo::Task<int> fill(int key) {
    auto lock = co_await mutex_.co_scoped_lock();
    int value = co_await demo::read_socket();  // expect: async-lock-across-suspend
    last_ = key + value;
    co_return last_;
  }

 private:
  folly::coro::Mutex mutex_;
  int last_ = 0;
};

}  // namespace store
