// std::unique_lock<std::mutex> g{m}; the lock spans two awaits, only the first is the primary line.
#include <mutex>
#include "coro.h"

struct Channel {
  std::mutex mu;
  int seq = 0;
};

demo::Task<void> send_twice(Channel& ch) {
  std::unique_lock<std::mutex> g{ch.mu};
  ++ch.seq;
  co_await demo::write_socket(ch.seq);  // expect: lock-across-suspend
  ++ch.seq;
  co_await demo::write_socket(ch.seq);
}
