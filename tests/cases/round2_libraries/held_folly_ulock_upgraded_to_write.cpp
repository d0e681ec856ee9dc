// folly::Synchronized upgrade lock: ulock() is moved into a write lock with
// moveFromUpgradeToWrite(); the write lock is held at the fetch.
#include <folly/Synchronized.h>
#include <folly/coro/Task.h>
#include <folly/experimental/coro/WithCancellation.h>
#include <string>
#include <unordered_map>

#include "config/fetcher.h"

class ConfigCache {
 public:
  folly::coro::Task<std::string> get(const std::string& key) {
    auto ulock = entries_.ulock();
    if (auto it = ulock->find(key); it != ulock->end()) {
      co_return it->second;
    }
    auto wlock = ulock.moveFromUpgradeToWrite();
    auto value = co_await folly::coro::co_withCancellation(  // expect: lock-across-suspend
        cancel_.getToken(), fetcher_.fetch(key));
    wlock->emplace(key, value);
    co_return value;
  }

 private:
  folly::Synchronized<std::unordered_map<std::string, std::string>> entries_;
  Fetcher fetcher_;
  folly::CancellationSource cancel_;
};
