#include <algorithm>

#include "analysis/rules.h"

namespace lockspan {

const std::vector<Rule>& all_rules() {
  static const std::vector<Rule> rules = {
      {"lock-await-deadlock", Severity::Error, check_lock_await_deadlock},
      {"lock-across-suspend", Severity::Error, check_lock_across_suspend},
      {"async-lock-across-suspend", Severity::Notice, check_async_lock_across_suspend},
  };
  return rules;
}

const Rule* find_rule(std::string_view id) {
  for (const auto& r : all_rules())
    if (id == r.id) return &r;
  return nullptr;
}

const std::set<std::string>* CoroutineLocks::find(const Suspension& s) const {
  for (const auto& name : s.callees)
    if (auto it = by_name.find(name); it != by_name.end()) return &it->second;
  return nullptr;
}

CoroutineLocks summarize_coroutine_locks(const std::vector<const FunctionIR*>& functions) {
  CoroutineLocks out;
  auto bare = [](const std::string& q) {
    size_t cut = q.rfind("::");
    return cut == std::string::npos ? q : q.substr(cut + 2);
  };
  for (const FunctionIR* fn : functions) {
    if (!fn->is_coroutine) continue;
    std::set<std::string> keys;
    for (const auto& slot : fn->slots)
      if (slot.how != AcquireHow::Parameter)
        keys.insert(slot.mutex_keys.begin(), slot.mutex_keys.end());
    out.by_name[fn->name].insert(keys.begin(), keys.end());
    out.by_name[bare(fn->name)].insert(keys.begin(), keys.end());
  }
  // A coroutine also takes what the coroutines it awaits take.
  for (int round = 0; round < 8; ++round) {
    bool changed = false;
    for (const FunctionIR* fn : functions) {
      if (!fn->is_coroutine) continue;
      auto& mine = out.by_name[fn->name];
      for (const auto& s : fn->suspensions) {
        const auto* theirs = out.find(s);
        if (!theirs || theirs == &mine) continue;
        for (const auto& k : *theirs) changed |= mine.insert(k).second;
      }
      auto& bare_set = out.by_name[bare(fn->name)];
      for (const auto& k : mine) changed |= bare_set.insert(k).second;
    }
    if (!changed) break;
  }
  return out;
}

}  // namespace lockspan
