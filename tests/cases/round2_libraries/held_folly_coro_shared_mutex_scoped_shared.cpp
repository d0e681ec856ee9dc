// folly::coro::SharedMutex reader lock from co_scoped_lock_shared() is held
// across the backend read that follows its acquisition.
#include <folly/coro/SharedMutex.h>
#include <folly/coro/Task.h>
#include <string>

#include "storage/backend.h"

namespace kv {

class Namespace {
 public:
  folly::coro::Task<std::string> read(std::string key) {
    auto rlock = co_await mutex_.co_scoped_lock_shared();
    if (dropped_) {
      co_return std::string{};
    }
    auto blob = co_await backend_->get(prefix_ + key);  // expect: async-lock-across-suspend
    co_return decode(blob);
  }

 private:
  folly::coro::SharedMutex mutex_;
  Backend* backend_;
  std::string prefix_;
  bool dropped_ = false;
};

}  // namespace kv
