// A std::mutex member is held while awaiting `this->refill()`, which locks the same member (defined later).
#include <mutex>
#include "coro.h"

class Pool {
 public:
  demo::Task<void> take();
  demo::Task<void> refill();

 private:
  std::mutex mu_;
  int free_ = 0;
};

demo::Task<void> Pool::take() {
  std::unique_lock<std::mutex> lk(mu_);
  if (free_ == 0) {
    co_await this->refill();  // expect: lock-await-deadlock
  }
  --free_;
}

demo::Task<void> Pool::refill() {
  std::lock_guard<std::mutex> g(mu_);
  free_ += 8;
  co_return;
}
