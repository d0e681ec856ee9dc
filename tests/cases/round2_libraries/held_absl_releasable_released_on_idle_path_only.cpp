// Release() runs only on the idle path; the work path reaches Process() locked.
#include "absl/synchronization/mutex.h"
#include "absl/log/log.h"
#include "worker/task.h"
#include <deque>

namespace worker {

class Queue {
 public:
  Task<void> RunOnce() {
    absl::ReleasableMutexLock lock(&mu_);
    if (items_.empty()) {
      lock.Release();
      co_await idle_.Wait();
      co_return;
    }
    Item item = std::move(items_.front());
    items_.pop_front();
    LOG(INFO) << "processing " << item.id;
    co_await Process(std::move(item));  // expect: lock-across-suspend
  }

 private:
  Task<void> Process(Item item);
  absl::Mutex mu_;
  std::deque<Item> items_ ABSL_GUARDED_BY(mu_);
  AsyncEvent idle_;
};

}  // namespace worker
