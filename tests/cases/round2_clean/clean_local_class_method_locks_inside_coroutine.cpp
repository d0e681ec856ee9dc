// A local class defined inside the coroutine has a member function that locks;
// that member is a plain function, and its guard never spans the coroutine's awaits.
#include <mutex>
#include "coro.h"

demo::Task<int> count_twice() {
  struct Counter {
    std::mutex mu;
    int n = 0;
    int bump() {
      std::lock_guard<std::mutex> g(mu);
      return ++n;
    }
  };
  Counter c;
  c.bump();
  co_await demo::yield_now();
  int last = c.bump();
  co_await demo::write_socket(last);
  co_return last;
}
