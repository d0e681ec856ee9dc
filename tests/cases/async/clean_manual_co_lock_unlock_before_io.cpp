// folly style, manual: co_lock() then unlock() before the I/O.
#include <folly/coro/Mutex.h>
#include "coro.h"

class Journal {
 public:
  demo::Task<void> append(int record) {
    co_await mu_.co_lock();
    int seq = ++seq_;
    mu_.unlock();
    co_await demo::write_socket(record + seq);
  }

 private:
  folly::coro::Mutex mu_;
  int seq_ = 0;
};
