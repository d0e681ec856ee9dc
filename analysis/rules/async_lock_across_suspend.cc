// async-lock-across-suspend: a coroutine-aware lock or permit is held across
// a suspension other than its own acquisition.
#include "analysis/rules.h"

namespace lockspan {

std::optional<RuleHit> check_async_lock_across_suspend(const RuleInput& in) {
  const LockSlot& lock = in.fn.slots[in.slot];
  if (lock.kind != LockKind::Async || in.held_at.empty()) return std::nullopt;
  RuleHit hit;
  hit.primary = in.held_at.front();
  const Suspension& s = in.fn.suspensions[hit.primary];
  hit.message = describe_lock(lock) + ", a coroutine-aware lock, is held across this " + s.keyword +
                describe_hold(in.fn, in.slot, in.held_at, hit.primary) + ".";
  hit.why = "A coroutine-aware lock may be held across suspensions without blocking a thread, but "
            "every other task that wants it waits for whatever this coroutine awaits meanwhile: "
            "holding it across unrelated I/O serializes all of them behind that I/O.";
  hit.fix = "Keep the critical section to the state it protects: end the guard's scope (or unlock) "
            "before the I/O, copy what the I/O needs first, or hand the work to an owner task. If "
            "the hold is deliberate, suppress it with `// NOLINT(lockspan-async-lock-across-suspend)` "
            "and say why.";
  return hit;
}

}  // namespace lockspan
