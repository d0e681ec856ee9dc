// folly::fibers::Semaphore taken with co_wait(); SCOPE_EXIT signals it only when
// the coroutine leaves, so the permit is held across the RPC.
#include <folly/ScopeGuard.h>
#include <folly/coro/Task.h>
#include <folly/fibers/Semaphore.h>

#include "thrift/client.h"

class Fanout {
 public:
  folly::coro::Task<Reply> call(Request req) {
    co_await inflight_.co_wait();
    SCOPE_EXIT {
      inflight_.signal();
    };
    auto reply = co_await client_->co_call(std::move(req));  // expect: async-lock-across-suspend
    co_return reply;
  }

 private:
  folly::fibers::Semaphore inflight_{64};
  ThriftClient* client_;
};
