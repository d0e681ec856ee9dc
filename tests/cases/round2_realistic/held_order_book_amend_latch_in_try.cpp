// OrderBook::amend: the header's BookLatch RAII type is declared inside a try
// block; the replace request is awaited while the latch is alive. The risk check
// before it uses the free helper lock_risk() in a closed block.
#include <cstdio>
#include <stdexcept>
#include <string>

#include "order_book.h"

namespace trading {

namespace {
constexpr long kMaxExposure = 5'000'000;
}

demo::Task<bool> OrderBook::amend(const std::string& id, int new_qty) {
  if (new_qty <= 0) {
    std::fprintf(stderr, "[book] amend %s: bad qty %d\n", id.c_str(), new_qty);
    co_return false;
  }

  {
    auto risk = lock_risk();
    if (g_open_exposure + new_qty > kMaxExposure) {
      std::fprintf(stderr, "[book] amend %s: exposure limit\n", id.c_str());
      co_return false;
    }
    g_open_exposure += new_qty;
  }

  bool ok = false;
  try {
    BookLatch latch(mu_);
    auto it = orders_.find(id);
    if (it == orders_.end()) {
      throw std::out_of_range("unknown order " + id);
    }
    Order updated = it->second;
    updated.qty = new_qty;
    const int ack = co_await gateway_.replace(updated);  // expect: lock-across-suspend
    if (ack >= 0) {
      it->second = updated;
      ok = true;
    }
  } catch (const std::out_of_range& e) {
    std::fprintf(stderr, "[book] %s\n", e.what());
  }

  if (!ok) {
    auto risk = lock_risk();
    g_open_exposure -= new_qty;
  }
  co_return ok;
}

}  // namespace trading
