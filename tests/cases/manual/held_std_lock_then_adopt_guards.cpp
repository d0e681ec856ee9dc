// std::lock takes both mutexes; guards adopt them; only `a` is still held at the await.
#include <mutex>
#include "coro.h"

struct Account {
  std::mutex mu;
  long balance = 0;
};

demo::Task<void> transfer(Account& from, Account& to, long amount) {
  std::lock(from.mu, to.mu);
  std::lock_guard<std::mutex> hold_from(from.mu, std::adopt_lock);
  {
    std::lock_guard<std::mutex> hold_to(to.mu, std::adopt_lock);
    to.balance += amount;
  }
  from.balance -= amount;
  co_await demo::write_socket(static_cast<int>(amount));  // expect: lock-across-suspend
}
