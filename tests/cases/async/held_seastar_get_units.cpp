// seastar style: semaphore units from `co_await get_units(sem, 1)` are held across the request.
#include <seastar/core/semaphore.hh>
#include "coro.h"

class Client {
 public:
  demo::Task<int> request(int payload) {
    auto units = co_await seastar::get_units(limit_, 1);
    ++outstanding_;
    int reply = co_await demo::write_socket(payload);  // expect: async-lock-across-suspend
    --outstanding_;
    co_return reply;
  }

 private:
  seastar::semaphore limit_{16};
  int outstanding_ = 0;
};
