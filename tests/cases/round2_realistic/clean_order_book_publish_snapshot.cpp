// OrderBook::publish_snapshot copies under a BookLatch in a nested block, hands a
// locking lambda to a thread pool, and only then awaits: nothing is held.
#include <cstdio>
#include <string>
#include <vector>

#include "order_book.h"
#include "thread_pool.h"

namespace trading {

util::ThreadPool& background_pool() {
  static util::ThreadPool pool;
  return pool;
}

demo::Task<void> OrderBook::publish_snapshot() {
  std::vector<Order> bids;
  std::vector<Order> asks;
  long seq = 0;
  {
    BookLatch latch(mu_);
    if (orders_.empty()) {
      std::fprintf(stderr, "[book] empty, skipping snapshot\n");
      co_return;
    }
    for (const auto& [id, order] : orders_) {
      (order.buy ? bids : asks).push_back(order);
    }
    seq = ++sequence_;
  }

  background_pool().submit([this, seq] {
    BookLatch latch(mu_);
    audit_.push_back("snapshot " + std::to_string(seq));
  });

  auto exposure = [&] {
    auto risk = lock_risk();
    return g_open_exposure;
  }();

  int depth = static_cast<int>(bids.size() + asks.size());
  co_await gateway_.publish(depth);
  if (exposure > 1'000'000) {
    std::fprintf(stderr, "[book] exposure high after snapshot %ld\n", seq);
    co_await demo::sleep_for(5);
  }
}

}  // namespace trading
