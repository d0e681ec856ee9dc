// absl::Mutex::Await() is a blocking condition wait inside Lock()/Unlock(), not a
// coroutine suspension; the mutex is unlocked before the real co_await.
#include "absl/synchronization/mutex.h"
#include "exec/task.h"
#include <vector>

namespace exec {

class Batcher {
 public:
  Task<void> Drain() {
    mu_.Lock();
    mu_.Await(absl::Condition(this, &Batcher::HasWork));
    std::vector<Job> batch;
    batch.swap(pending_);
    mu_.Unlock();
    co_await sink_->Submit(std::move(batch));
  }

 private:
  bool HasWork() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return !pending_.empty(); }
  absl::Mutex mu_;
  std::vector<Job> pending_ ABSL_GUARDED_BY(mu_);
  Sink* sink_;
};

}  // namespace exec
