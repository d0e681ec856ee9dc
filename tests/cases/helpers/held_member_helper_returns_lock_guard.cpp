// A member helper defined before use returns a std::lock_guard by guaranteed copy elision.
#include <mutex>
#include "coro.h"

class Mailbox {
 public:
  std::lock_guard<std::mutex> locked() { return std::lock_guard<std::mutex>(mu_); }

  demo::Task<void> deliver(int msg) {
    auto g = locked();
    unread_ += msg;
    co_await demo::write_socket(unread_);  // expect: lock-across-suspend
  }

 private:
  std::mutex mu_;
  int unread_ = 0;
};
