// The locked-pointer temporaries die at the end of their own full expressions, before each await.
#include "coro.h"

struct Counters {
  int sent = 0;
};

demo::Synchronized<Counters> counters;

demo::Task<void> send() {
  auto v = counters.wlock()->sent;
  co_await demo::write_socket(v);
  if (counters.rlock()->sent > 10) {
    co_await demo::yield_now();
  }
}
