// Abseil's reference-taking lock constructors: ReaderMutexLock(mu_) and
// WriterMutexLock(mu_) in two coroutines, each held across its await.
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "rpc/task.h"

namespace quota {

class Ledger {
 public:
  rpc::Task<int64_t> Remaining(absl::string_view tenant) const {
    absl::ReaderMutexLock lock(mu_);
    const int64_t used = used_.at(tenant);
    co_return limit_ - used - co_await reservations_->Pending(tenant);  // expect: lock-across-suspend
  }

  rpc::Task<void> Charge(absl::string_view tenant, int64_t amount) {
    absl::WriterMutexLock lock(mu_);
    used_[tenant] += amount;
    co_await journal_->Append(tenant, amount);  // expect: lock-across-suspend
  }

 private:
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, int64_t> used_ ABSL_GUARDED_BY(mu_);
  int64_t limit_ = 1000;
  Reservations* reservations_;
  Journal* journal_;
};

}  // namespace quota
