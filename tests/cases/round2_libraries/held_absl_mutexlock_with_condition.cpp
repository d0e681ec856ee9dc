// absl::MutexLock with an absl::Condition waits until the condition holds and
// then keeps the lock for the rest of the scope, including the await.
#include "absl/synchronization/mutex.h"
#include "sched/task.h"

namespace sched {

class Slot {
 public:
  Task<void> RunWhenFree(Job job) {
    absl::MutexLock lock(&mu_, absl::Condition(&free_));
    free_ = false;
    co_await executor_->Run(std::move(job));  // expect: lock-across-suspend
    free_ = true;
  }

 private:
  absl::Mutex mu_;
  bool free_ ABSL_GUARDED_BY(mu_) = true;
  Executor* executor_;
};

}  // namespace sched
