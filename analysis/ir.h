// The language-neutral model of one function that the flow analysis reads.
// A frontend (C++ today, Rust later) lowers source into this: lock slots, the
// operations on them in evaluation order, and structured control flow. Nothing
// here knows about C++ syntax.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace lockspan {

struct Loc {
  int line = 0;
  int column = 0;
  bool operator<(const Loc& o) const { return line != o.line ? line < o.line : column < o.column; }
  bool operator==(const Loc& o) const = default;
};

// What kind of lock a slot stands for, decided by the mutex, not the guard.
enum class LockKind { ThreadBound, Async };

// How the lock came to be held, as the finding reports it.
enum class AcquireHow { Guard, Helper, Manual, Semaphore, Temporary, Parameter };
const char* to_string(AcquireHow how);

struct HelperRef {
  std::string name;
  std::string path;
  int line = 0;
};

// One thing a function may hold: a guard variable, a manual hold of a mutex,
// a semaphore permit, a guard-typed temporary, a guard parameter.
struct LockSlot {
  AcquireHow how = AcquireHow::Guard;
  LockKind kind = LockKind::ThreadBound;
  std::string type;                     // as written or deduced: "std::unique_lock<std::mutex>"
  std::string mutex;                    // as written: "mu_", "from.mu, to.mu"
  std::vector<std::string> mutex_keys;  // identities for matching across functions: "Ledger::mu_"
  std::string variable;                 // guard variable name; empty for manual holds and temporaries
  std::string statement;                // normalized text of the acquiring statement (for fingerprints)
  std::string source;                   // how it was obtained when no type says it: "co_await mu.scoped_lock_async()"
  Loc loc;
  std::optional<HelperRef> helper;
};

// A co_await / co_yield (or another language's suspension point).
struct Suspension {
  Loc loc;
  std::string keyword;               // "co_await" | "co_yield"
  std::string text;                  // normalized text of the awaited operand (for messages and fingerprints)
  std::vector<std::string> callees;  // coroutine names this may await, most specific first ("Ledger::append")
  bool callee_on_self = false;       // the awaited call is on this object (or a free function)
};

enum class OpKind {
  Acquire,   // slot becomes held
  MayAcquire,  // try_lock and friends: slot may become held
  Release,   // slot is held once less (unlock, moved away)
  ReleaseAll,  // slot is not held at all (optional::reset, vector::clear)
  Transfer,  // ownership moves from `slot` to `target` (adopt_lock, move into a new guard)
  Swap,      // `slot` and `target` exchange what they hold (a.swap(b))
  Suspend,   // suspension point `suspension`
};

struct Op {
  OpKind kind = OpKind::Acquire;
  int slot = -1;
  int target = -1;
  int suspension = -1;
};

// Structured control flow. Scopes release their slots when control leaves them
// by any way: falling off the end, break, continue, return or throw.
struct Node {
  enum class Kind {
    Block,     // children in order
    Ops,       // ops in order
    If,        // children: condition, then, else (else may be an empty Block)
    Loop,      // children: init, condition, body, step; see cond_first
    Switch,    // children: condition, body (a Block whose Case children are entry points)
    Case,      // a case/default label inside a switch body
    Try,       // children: body, handlers...
    Break,
    Continue,
    Return,    // return, co_return
    Throw,
  };
  Kind kind = Kind::Block;
  std::vector<Op> ops;
  std::vector<Node> children;
  std::vector<int> scoped_slots;  // released when control leaves this node
  bool cond_first = true;         // Loop: false for do-while
  bool infinite = false;          // Loop: no condition (for(;;), while(true)); leaves only by a jump
  bool is_default = false;        // Case: the default label
  // If: the condition tests whether `refine_slot` holds its lock (`lk.owns_lock()`,
  // `!lk`, `m.try_lock()`); `refine_then_held` says which branch has it.
  int refine_slot = -1;
  bool refine_then_held = true;
};

struct FunctionIR {
  std::string name;           // qualified where known: "Ledger::rebalance"
  std::string path;
  Loc loc;
  bool is_coroutine = false;
  std::vector<LockSlot> slots;
  std::vector<Suspension> suspensions;
  Node body;                  // parameters' slots are acquired by the first ops of body
};

}  // namespace lockspan
