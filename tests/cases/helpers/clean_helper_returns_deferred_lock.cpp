// The helper returns a unique_lock built with defer_lock: it owns nothing until lock() is called.
#include <mutex>
#include "coro.h"

class Spool {
 public:
  std::unique_lock<std::mutex> prepare() { return std::unique_lock<std::mutex>(mu_, std::defer_lock); }

  demo::Task<void> append(int bytes) {
    auto lk = prepare();
    int n = co_await demo::write_socket(bytes);
    lk.lock();
    size_ += n;
  }

 private:
  std::mutex mu_;
  int size_ = 0;
};
