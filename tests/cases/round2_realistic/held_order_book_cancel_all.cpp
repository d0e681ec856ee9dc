// Out-of-class OrderBook::cancel_all: the guard from the header's lock_book()
// helper is taken after some unguarded work and is alive at the cancel loop.
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "order_book.h"

namespace trading {

namespace {

bool valid_account(const std::string& account) {
  return !account.empty() && account.size() < 32;
}

void log_line(const char* what, const std::string& detail) {
  std::fprintf(stderr, "[book] %s: %s\n", what, detail.c_str());
}

}  // namespace

demo::Task<int> OrderBook::cancel_all(const std::string& account) {
  if (!valid_account(account)) {
    log_line("rejecting cancel_all", account);
    co_return -1;
  }

  // Give the market-data task a turn before touching the book.
  co_await demo::yield_now();

  int cancelled = 0;
  int failed = 0;
  auto book = lock_book();
  std::vector<std::string> ids;
  for (const auto& [id, order] : orders_) {
    if (order.account != account) continue;
    ids.push_back(id);
  }
  if (ids.empty()) {
    log_line("nothing to cancel", account);
    co_return 0;
  }

  for (const auto& id : ids) {
    try {
      int ack = co_await gateway_.cancel(id);  // expect: lock-across-suspend
      if (ack < 0) {
        ++failed;
        continue;
      }
      orders_.erase(id);
      ++cancelled;
    } catch (const std::exception& e) {
      log_line("cancel failed", e.what());
      ++failed;
    }
  }
  audit_.push_back(account + ": cancelled " + std::to_string(cancelled));
  ++sequence_;
  if (failed > 0) {
    log_line("some cancels failed", std::to_string(failed));
  }
  co_return cancelled;
}

}  // namespace trading
