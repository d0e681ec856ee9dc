// std::move into a `unique_lock&&` parameter that is only inspected: nothing is moved out, the lock stays held.
#include <mutex>
#include <utility>
#include "coro.h"

std::mutex ledger_mu;
int commits = 0, audits = 0;

void audit(std::unique_lock<std::mutex>&& lk) {
  if (lk.owns_lock()) ++audits;
}

demo::Task<void> commit() {
  std::unique_lock<std::mutex> lk(ledger_mu);
  ++commits;
  audit(std::move(lk));
  co_await demo::write_socket(commits);  // expect: lock-across-suspend
}
