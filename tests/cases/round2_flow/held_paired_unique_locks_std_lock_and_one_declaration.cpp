// Two ways to hold two unique_locks: deferred locks later locked together by
// std::lock(a, b), and two locks declared in a single declaration statement.
#include <mutex>
#include "coro.h"

struct Account {
  std::mutex mu;
  long balance = 0;
};

demo::Task<void> transfer(Account& from, Account& to, long amount) {
  std::unique_lock<std::mutex> a(from.mu, std::defer_lock);
  std::unique_lock<std::mutex> b(to.mu, std::defer_lock);
  std::lock(a, b);
  from.balance -= amount;
  to.balance += amount;
  co_await demo::write_socket(static_cast<int>(amount));  // expect: lock-across-suspend
}

demo::Task<void> audit(Account& x, Account& y) {
  std::unique_lock<std::mutex> first(x.mu), second(y.mu);
  const long total = x.balance + y.balance;
  co_await demo::write_socket(static_cast<int>(total));  // expect: lock-across-suspend
}
