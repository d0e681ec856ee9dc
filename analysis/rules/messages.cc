// Wording shared by the rules: how a lock is named and which fix fits the way
// it was taken.
#include <string>

#include "analysis/rules.h"

namespace lockspan {

std::string describe_lock(const LockSlot& s) {
  std::string what;
  switch (s.how) {
    case AcquireHow::Guard:
    case AcquireHow::Parameter:
      if (!s.source.empty() && s.type == "auto")
        what = "`" + s.variable + "` (the guard from `" + s.source + "`)";
      else
        what = "`" + s.variable + "` (" + s.type + (s.mutex.empty() ? "" : " on `" + s.mutex + "`") + ")";
      break;
    case AcquireHow::Helper:
      what = "`" + s.variable + "` (" + s.type + " returned by `" + (s.helper ? s.helper->name : "") +
             "()`" + (s.mutex.empty() ? "" : ", locking `" + s.mutex + "`") + ")";
      break;
    case AcquireHow::Manual:
      what = "`" + s.mutex + "` (locked by hand)";
      break;
    case AcquireHow::Semaphore:
      what = "a permit of `" + s.mutex + "`";
      break;
    case AcquireHow::Temporary:
      what = "the temporary guard from `" +
             (s.helper ? (s.mutex.empty() ? "" : s.mutex + ".") + s.helper->name + "()" : s.source) + "`";
      break;
  }
  return what;
}

std::string describe_hold(const FunctionIR& fn, int slot, const std::vector<int>& held_at, int primary) {
  const LockSlot& s = fn.slots[slot];
  std::string out = s.how == AcquireHow::Parameter ? "; it was passed in by value at line "
                                                   : "; it was taken at line ";
  out += std::to_string(s.loc.line);
  std::string lines;
  int others = 0;
  for (int idx : held_at) {
    if (idx == primary) continue;
    if (++others <= 5) lines += (others > 1 ? ", " : "") + std::to_string(fn.suspensions[idx].loc.line);
  }
  if (others > 5) lines += " and " + std::to_string(others - 5) + " more";
  if (others > 0) out += std::string(" and is also held at line") + (others > 1 ? "s " : " ") + lines;
  return out;
}

std::string fix_for(const LockSlot& s) {
  switch (s.how) {
    case AcquireHow::Guard:
      return "End the guard's scope before the suspension: put the locked statements in their own "
             "{ } block, or copy what you need into locals and release, or move the locked work "
             "into a plain (non-coroutine) function that returns a value.";
    case AcquireHow::Helper:
      return "`" + (s.helper ? s.helper->name : std::string("the helper")) +
             "()` returns a guard that keeps the lock until `" + s.variable +
             "` goes out of scope. Hold it in a { } block that closes before the suspension, or "
             "call `" + s.variable + ".unlock()` first, or have a plain function take the lock and "
             "return the value you need.";
    case AcquireHow::Manual:
      return "Call `" + s.mutex + ".unlock()` before the suspension on every path (not on one "
             "branch only), or replace the manual pair with a std::lock_guard in a block that "
             "closes before it.";
    case AcquireHow::Semaphore:
      return "Release the permit before suspending, or use a coroutine-aware semaphore whose "
             "acquire is awaited instead of blocking the thread.";
    case AcquireHow::Temporary:
      return "The guard lives until the end of the full expression, and that expression "
             "suspends. Copy the value into a local in a statement of its own, then await.";
    case AcquireHow::Parameter:
      return "A guard passed by value lives in the coroutine frame for the whole body. Pass the "
             "data instead and lock inside plain code, or call `" + s.variable +
             ".unlock()` before the first suspension.";
  }
  return "";
}

}  // namespace lockspan
