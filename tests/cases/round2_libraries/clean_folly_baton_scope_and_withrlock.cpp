// folly::coro::Baton and AsyncScope are not locks; withRLock/withWLock run their
// lambdas synchronously and a wlock() temporary dies at the end of its statement.
#include <folly/Synchronized.h>
#include <folly/coro/AsyncScope.h>
#include <folly/coro/Baton.h>
#include <folly/coro/Task.h>
#include <vector>

#include "index/segment.h"

class Indexer {
 public:
  folly::coro::Task<void> run() {
    stats_.wlock()->runs++;
    co_await ready_;
    auto segments = pending_.withWLock([](std::vector<Segment>& q) {
      std::vector<Segment> out;
      out.swap(q);
      return out;
    });
    for (auto& seg : segments) {
      scope_.add(writeSegment(std::move(seg)));
    }
    const auto total = stats_.withRLock([](const Stats& s) { return s.runs; });
    co_await scope_.joinAsync();
    co_await publishProgress(total);
  }

  void markReady() { ready_.post(); }

 private:
  folly::coro::Task<void> writeSegment(Segment seg);
  folly::coro::Task<void> publishProgress(long runs);

  folly::coro::Baton ready_;
  folly::coro::AsyncScope scope_;
  folly::Synchronized<std::vector<Segment>> pending_;
  folly::Synchronized<Stats> stats_;
};
