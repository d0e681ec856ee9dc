// lock-across-suspend: a thread-bound lock may be held at a co_await or
// co_yield.
#include "analysis/rules.h"

namespace lockspan {

std::optional<RuleHit> check_lock_across_suspend(const RuleInput& in) {
  const LockSlot& lock = in.fn.slots[in.slot];
  if (lock.kind != LockKind::ThreadBound || in.held_at.empty()) return std::nullopt;
  RuleHit hit;
  hit.primary = in.held_at.front();
  const Suspension& s = in.fn.suspensions[hit.primary];
  hit.message = describe_lock(lock) + " may still be held at this " + s.keyword +
                describe_hold(in.fn, in.slot, in.held_at, hit.primary) + ".";
  hit.why = "A suspended coroutine keeps its locks. Every other task that needs this lock blocks its "
            "thread until the coroutine resumes (on a single-threaded executor that is a deadlock), "
            "and if the coroutine resumes on another thread the unlock runs on a thread that does "
            "not own the mutex, which is undefined behaviour.";
  hit.fix = fix_for(lock);
  return hit;
}

}  // namespace lockspan
