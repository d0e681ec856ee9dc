// The first async lock is held across the second lock's acquisition; the second is held across the I/O.
#include "coro.h"

class Mover {
 public:
  demo::Task<void> move_entry(int id) {
    auto index_lock = co_await index_mu_.scoped_lock_async();
    auto data_lock = co_await data_mu_.scoped_lock_async();  // expect: async-lock-across-suspend
    ++moved_;
    co_await demo::write_socket(id);  // expect: async-lock-across-suspend
  }

 private:
  demo::AsyncMutex index_mu_;
  demo::AsyncMutex data_mu_;
  int moved_ = 0;
};
