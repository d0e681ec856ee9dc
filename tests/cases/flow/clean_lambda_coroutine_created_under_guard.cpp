// The guard is in a plain function (it uses `return`); the lazy coroutine lambda it returns holds no lock.
#include <mutex>
#include "coro.h"

std::mutex outbox_mu;
int outbox_seq = 0;

demo::Task<int> start_send() {
  std::lock_guard<std::mutex> g(outbox_mu);
  int msg = ++outbox_seq;
  return [](int v) -> demo::Task<int> {
    co_return co_await demo::write_socket(v);
  }(msg);
}

demo::Task<void> caller() {
  co_await start_send();
}
