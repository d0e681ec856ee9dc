// lock-await-deadlock: while holding a lock, the coroutine awaits a coroutine
// that takes the same lock. The child cannot get it and the parent waits for
// the child, so neither finishes.
#include "analysis/rules.h"

namespace lockspan {

std::optional<RuleHit> check_lock_await_deadlock(const RuleInput& in) {
  const LockSlot& lock = in.fn.slots[in.slot];
  for (int idx : in.held_at) {
    const Suspension& s = in.fn.suspensions[idx];
    const auto* taken = in.locks.find(s);
    if (!taken) continue;
    for (const auto& key : lock.mutex_keys) {
      // A member mutex is the same lock only when the call is on this object.
      bool member_key = key.find("::") != std::string::npos;
      if (!taken->count(key) || (member_key && !s.callee_on_self)) continue;
      RuleHit hit;
      hit.primary = idx;
      std::string callee = s.callees.empty() ? s.text : s.callees.back();
      hit.message = describe_lock(lock) + " is held while this " + s.keyword + " waits for `" + callee +
                    "`, which takes the same lock" + describe_hold(in.fn, in.slot, in.held_at, idx) + ".";
      hit.why = "`" + callee + "` needs `" + lock.mutex +
                "` to finish, and this coroutine keeps holding it until `" + callee +
                "` finishes: neither side can make progress. With a std::mutex the child blocks the "
                "thread in lock(); with a coroutine-aware mutex it suspends forever.";
      hit.fix = "Release the lock before awaiting `" + callee +
                "` (end the guard's scope or unlock()), or split `" + callee +
                "` into a part that expects the lock to be held (a plain function called under the "
                "lock) and the coroutine part that awaits.";
      return hit;
    }
  }
  return std::nullopt;
}

}  // namespace lockspan
