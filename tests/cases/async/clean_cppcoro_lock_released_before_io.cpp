// cppcoro style: the async lock lives in a block that ends before the I/O; its own acquisition is not reported.
#include <cppcoro/async_mutex.hpp>
#include "coro.h"

cppcoro::async_mutex members_mu;
int members = 0;

demo::Task<int> join(int id) {
  int count;
  {
    auto lock = co_await members_mu.scoped_lock_async();
    count = ++members;
  }
  co_await demo::write_socket(id);
  co_return count;
}
