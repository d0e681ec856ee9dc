// this->mu_.lock() / unlock() in a member coroutine with the await in between.
#include <mutex>
#include <string>
#include "coro.h"

class AuditTrail {
 public:
  demo::Task<void> record(std::string line) {
    this->mu_.lock();
    lines_ += 1;
    last_ = std::move(line);
    co_await demo::write_socket(lines_);  // expect: lock-across-suspend
    this->mu_.unlock();
  }

 private:
  std::mutex mu_;
  int lines_ = 0;
  std::string last_;
};
