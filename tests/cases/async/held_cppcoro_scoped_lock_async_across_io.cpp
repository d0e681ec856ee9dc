// cppcoro style: the lock object from scoped_lock_async() is held across unrelated I/O.
#include <cppcoro/async_mutex.hpp>
#include "coro.h"

class Session {
 public:
  demo::Task<void> send(int frame) {
    cppcoro::async_mutex_lock lock = co_await write_mu_.scoped_lock_async();
    ++frames_;
    co_await demo::write_socket(frame);  // expect: async-lock-across-suspend
    co_await demo::read_socket();
  }

 private:
  cppcoro::async_mutex write_mu_;
  int frames_ = 0;
};
