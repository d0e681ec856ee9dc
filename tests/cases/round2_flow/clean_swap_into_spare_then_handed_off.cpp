// swap() moves ownership from `lk` into `spare`; `spare` is then handed by value
// to a plain function that releases it, so nothing is held at the await.
#include <mutex>
#include <utility>
#include "coro.h"

std::mutex outbox_mu;
int outbox_len = 0;

void finish_enqueue(std::unique_lock<std::mutex> held) {
  ++outbox_len;
}

demo::Task<void> enqueue(int msg) {
  std::unique_lock<std::mutex> lk(outbox_mu);
  std::unique_lock<std::mutex> spare;
  spare.swap(lk);
  finish_enqueue(std::move(spare));
  co_await demo::write_socket(msg);
}
