// Headers are missing, and the guard's block closes before the await: nothing to report.
#include <folly/coro/Task.h>
#include "metrics/registry.h"

folly::coro::Task<void> Reporter::report() {
  Snapshot snap;
  {
    std::lock_guard<std::mutex> g(mu_);
    snap = current_;
  }
  co_await sink_->send(snap);
}
