// folly::acquireLocked() locks two Synchronized objects and returns a tuple of
// LockedPtrs; the structured bindings keep both write locks until scope end.
#include <folly/Synchronized.h>
#include <folly/coro/Task.h>
#include <folly/container/F14Map.h>

#include "ledger/journal_client.h"

namespace ledger {

class Transfers {
 public:
  folly::coro::Task<void> move(AccountId from, AccountId to, int64_t cents) {
    auto [src, dst] = folly::acquireLocked(balances_[from], balances_[to]);
    if (src->available < cents) {
      co_return;
    }
    src->available -= cents;
    dst->available += cents;
    co_await journal_.append(from, to, cents);  // expect: lock-across-suspend
  }

 private:
  folly::F14FastMap<AccountId, folly::Synchronized<Balance>> balances_;
  JournalClient journal_;
};

}  // namespace ledger
