// A write-locked temporary in the awaited expression is alive at the suspension; the earlier one is not.
#include "coro.h"

struct Counters {
  int sent = 0;
};

demo::Synchronized<Counters> counters;

demo::Task<void> send() {
  counters.wlock()->sent = 0;
  co_await demo::yield_now();
  co_await demo::write_socket(++counters.wlock()->sent);  // expect: lock-across-suspend
}
