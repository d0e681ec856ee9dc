// A folly::Synchronized read-locked temporary inside the awaited full expression:
// the LockedPtr lives until the co_await completes.
#include <folly/CancellationToken.h>
#include <folly/Synchronized.h>
#include <folly/coro/Task.h>
#include <folly/coro/WithCancellation.h>

#include "routing/table.h"

class RouteAnnouncer {
 public:
  folly::coro::Task<void> announce() {
    co_await folly::coro::co_withCancellation(  // expect: lock-across-suspend
        cancel_.getToken(), peer_->push(table_.rlock()->snapshot()));
  }

 private:
  folly::CancellationSource cancel_;
  folly::Synchronized<RoutingTable> table_;
  Peer* peer_;
};
