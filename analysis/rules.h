// The rules. Each looks at one lock slot of one function together with the
// suspensions at which it may be held, and says whether it has a finding.
// They run in order and the first hit for a slot wins, which is how a
// deadlock finding replaces the plain hold for the same lock.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "analysis/finding.h"
#include "analysis/ir.h"

namespace lockspan {

// Which mutexes each coroutine in the analyzed files may take, directly or
// through coroutines it awaits; keyed by qualified and bare name.
struct CoroutineLocks {
  std::map<std::string, std::set<std::string>> by_name;
  const std::set<std::string>* find(const Suspension& s) const;
};
CoroutineLocks summarize_coroutine_locks(const std::vector<const FunctionIR*>& functions);

struct RuleInput {
  const FunctionIR& fn;
  int slot;
  const std::vector<int>& held_at;  // suspension indices, source order
  const CoroutineLocks& locks;
};

struct RuleHit {
  int primary = -1;     // suspension index of the reported line
  std::string message;
  std::string why;
  std::string fix;
};

struct Rule {
  const char* id;
  Severity default_severity;
  std::optional<RuleHit> (*check)(const RuleInput&);
};

const std::vector<Rule>& all_rules();
const Rule* find_rule(std::string_view id);

std::optional<RuleHit> check_lock_await_deadlock(const RuleInput& in);
std::optional<RuleHit> check_lock_across_suspend(const RuleInput& in);
std::optional<RuleHit> check_async_lock_across_suspend(const RuleInput& in);

// Shared wording (rules/messages.cc).
std::string describe_lock(const LockSlot& s);
// "; it was taken at line 12 and is also held at lines 20, 31"
std::string describe_hold(const FunctionIR& fn, int slot, const std::vector<int>& held_at, int primary);
std::string fix_for(const LockSlot& s);

}  // namespace lockspan
