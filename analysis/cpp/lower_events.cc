// What one full expression (or declaration) does to locks, in evaluation
// order: guards declared, helpers called, manual lock()/unlock(), permits,
// moves, temporaries that live to the end of the expression, and the
// suspension points themselves.
#include <algorithm>
#include <set>

#include "analysis/cpp/lower_internal.h"

namespace lockspan::cpp {

namespace {

bool is_plain_identifier(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

bool name_suggests_lock(const std::string& name) {
  std::string lower;
  for (char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* w : {"mutex", "mtx", "lock", "sem", "slots", "permit", "mu"})
    if (lower.find(w) != std::string::npos) return true;
  return false;
}

}  // namespace

Node EventBuilder::build() {
  suspensions();
  released_then_unlocked();
  if (!assignment()) declaration();
  calls();
  if (has_suspension_) temporaries();
  std::stable_sort(events_.begin(), events_.end(), [](const Event& a, const Event& b) {
    return a.pos != b.pos ? a.pos < b.pos : a.order < b.order;
  });
  Node n{Node::Kind::Ops};
  for (const auto& e : events_) n.ops.push_back(e.op);
  return n;
}

size_t EventBuilder::operand_end(size_t i) const {
  while (i < r.end && (is(i, "*") || is(i, "&") || is(i, "!") || is(i, "-") || is(i, "~") ||
                       is(i, "co_await") || is(i, "::")))
    ++i;
  if (i >= r.end) return i;
  if (masked(i)) {
    while (i < r.end && masked(i)) ++i;
  } else if (is(i, "(")) {
    i = group_end(i);
  } else {
    ++i;
  }
  while (i < r.end) {
    if (is(i, "(") || is(i, "[") || is(i, "{")) {
      i = group_end(i);
    } else if ((is(i, ".") || is(i, "->") || is(i, "::")) && i + 1 < r.end) {
      i += is(i + 1, "template") ? 3 : 2;
    } else if (is(i, "<")) {
      size_t k = skip_angles(t, i, r.end);
      if (k == i || !(is(k, "(") || is(k, "::") || is(k, "{"))) break;
      i = k;
    } else if (is(i, "++") || is(i, "--")) {
      ++i;
    } else {
      break;
    }
  }
  return i;
}

size_t EventBuilder::object_begin(size_t name) const {
  if (name < r.begin + 2 || !(t[name - 1].is(".") || t[name - 1].is("->"))) return name;
  size_t j = name - 2;
  while (true) {
    // table.shard(key).lock(): step over the call to the name before it.
    if ((t[j].is(")") || t[j].is("]")) && L.m_.match[j] > static_cast<long>(r.begin)) j = L.m_.match[j] - 1;
    if (!t[j].is_ident() && !t[j].is("this")) return name;
    if (j >= r.begin + 2 && (t[j - 1].is(".") || t[j - 1].is("->") || t[j - 1].is("::"))) {
      j -= 2;
      continue;
    }
    break;
  }
  if (j > r.begin && t[j - 1].is("*")) --j;
  return j;
}

std::string EventBuilder::object_text(size_t begin, size_t name) const {
  if (begin >= name) return "";
  return normalize_mutex(join_tokens(t, {begin, name - 1}));
}

void EventBuilder::suspensions() {
  for (size_t i = r.begin; i + 1 < r.end; ++i) {
    // AWAIT(x) where `#define AWAIT(e) co_await (e)`: a suspension where it is used.
    if (masked(i) || !t[i].is_ident() || !is(i + 1, "(") || !L.idx_.is_suspension_macro(t[i].text)) continue;
    size_t e = group_end(i + 1);
    Suspension s;
    s.loc = {t[i].line, t[i].column};
    s.keyword = "co_await";
    s.text = join_tokens(t, {i, e});
    callee(i + 2, e - 1, s);
    L.fn_.suspensions.push_back(s);
    has_suspension_ = true;
    Op op{OpKind::Suspend};
    op.suspension = static_cast<int>(L.fn_.suspensions.size()) - 1;
    emit(e, kSuspend, op);
  }
  for (size_t i = r.begin; i < r.end; ++i) {
    if (masked(i) || !(t[i].is("co_await") || t[i].is("co_yield"))) continue;
    size_t e = operand_end(i + 1);
    Suspension s;
    s.loc = {t[i].line, t[i].column};
    s.keyword = std::string(t[i].text);
    s.text = join_tokens(t, {i + 1, e});
    callee(i + 1, e, s);
    L.fn_.suspensions.push_back(s);
    has_suspension_ = true;
    Op op{OpKind::Suspend};
    op.suspension = static_cast<int>(L.fn_.suspensions.size()) - 1;
    emit(e, kSuspend, op);
  }
}

void EventBuilder::callee(size_t b, size_t e, Suspension& s) {
  if (auto it = L.lambda_at_.find(b); it != L.lambda_at_.end()) {
    // co_await [&]() -> Task<> { ... }(): the lambda is the coroutine awaited.
    s.callees.push_back(L.nested_[it->second].qualified());
    s.callee_on_self = true;
    return;
  }
  size_t i = b;
  if (is(i, "this") && is(i + 1, "->")) i += 2;
  size_t first = i;
  size_t last_name = e;
  bool member = false;
  while (i < e && (t[i].is_ident() || is(i, "::") || is(i, ".") || is(i, "->") || is(i, "<"))) {
    if (is(i, "<")) {
      size_t k = skip_angles(t, i, e);
      if (k == i) break;
      i = k;
      continue;
    }
    if (is(i, ".") || is(i, "->")) member = true;
    if (t[i].is_ident()) last_name = i;
    ++i;
  }
  if (last_name >= e || !is(i, "(")) return;
  std::string name(t[last_name].text);
  size_t close = group_end(i) - 1;
  if (member) {
    size_t ob = object_begin(last_name);
    std::string object = object_text(ob, last_name);
    if (auto type = L.type_of(mutex_leaf(object))) {
      std::string head = type_head(*type);
      size_t cut = head.rfind("::");
      s.callees.push_back((cut == std::string::npos ? head : head.substr(cut + 2)) + "::" + name);
    }
    s.callees.push_back(name);
    const LockCatalog& c = L.idx_.catalog();
    if (close + 1 == e && (in_list(c.awaited_manual_acquire, name) || in_list(c.awaited_guard_acquire, name)))
      awaited_[close] = AwaitedAcquisition{object, name, close, e};
    return;
  }
  s.callee_on_self = true;
  if (auto it = L.lambda_vars_.find(name); it != L.lambda_vars_.end()) s.callees.push_back(it->second);
  if (last_name > first + 1 && is(last_name - 1, "::") && t[last_name - 2].is_ident())
    s.callees.push_back(std::string(t[last_name - 2].text) + "::" + name);
  if (!L.def_.class_name.empty()) s.callees.push_back(L.def_.class_name + "::" + name);
  s.callees.push_back(name);
  if (close + 1 == e && in_list(L.idx_.catalog().awaited_guard_acquire, name) && name.starts_with("get_")) {
    GuardArgs args = split_guard_args(t, {i + 1, close});
    if (!args.mutexes.empty()) awaited_[close] = AwaitedAcquisition{args.mutexes[0], name, close, e};
  }
}

size_t EventBuilder::enclosing_call(size_t tok, size_t* arg_index) const {
  size_t commas = 0;
  size_t i = tok;
  while (i > r.begin) {
    --i;
    if ((t[i].is(")") || t[i].is("]") || t[i].is("}")) && L.m_.match[i] >= static_cast<long>(r.begin)) {
      i = static_cast<size_t>(L.m_.match[i]);
      continue;
    }
    if (t[i].is(",")) ++commas;
    if (t[i].is("(")) {
      *arg_index = commas;
      return i > r.begin && t[i - 1].is_ident() ? i - 1 : std::string::npos;
    }
    if (t[i].is("[") || t[i].is("{") || t[i].is(";")) break;
  }
  return std::string::npos;
}

void EventBuilder::released_then_unlocked() {
  for (size_t i = r.begin; i + 7 < r.end; ++i) {
    if (!t[i].is_ident() || !is(i + 1, ".") || !is(i + 2, "release") || !is(i + 3, "(") || !is(i + 4, ")") ||
        !(is(i + 5, "->") || is(i + 5, ".")) || !in_list(L.idx_.catalog().unlock_methods, t[i + 6].text))
      continue;
    int slot = L.guard_slot(std::string(t[i].text));
    if (slot < 0) continue;
    consumed_.insert(i + 2);
    consumed_.insert(i + 6);
    emit(group_end(i + 7) - 1, kBefore, Op{OpKind::Release, slot});
  }
}

const AwaitedAcquisition* EventBuilder::awaited_at(size_t close) const {
  auto it = awaited_.find(close);
  return it == awaited_.end() ? nullptr : &it->second;
}

size_t EventBuilder::whole_call(size_t b, size_t e) const {
  if (b >= e || !is(e - 1, ")")) return std::string::npos;
  size_t open = static_cast<size_t>(L.m_.match[e - 1]);
  if (open <= b || open >= e || !t[open - 1].is_ident()) return std::string::npos;
  size_t name = open - 1;
  size_t ob = object_begin(name);
  if (ob == name) {
    while (ob >= b + 2 && t[ob - 1].is("::") && t[ob - 2].is_ident()) ob -= 2;
    if (ob > b && t[ob - 1].is("::")) --ob;
  }
  return ob == b ? name : std::string::npos;
}

void EventBuilder::calls() {
  for (size_t i = r.begin; i + 1 < r.end; ++i) {
    if (masked(i) || !t[i].is_ident() || !is(i + 1, "(") || consumed_.count(i)) continue;
    size_t close = group_end(i + 1) - 1;
    guard_arguments(i, close);
    bool member = i > r.begin && (t[i - 1].is(".") || t[i - 1].is("->"));
    if (member) member_call(i, close);
    else free_call(i, close);
  }
}

void EventBuilder::member_call(size_t name_tok, size_t close) {
  std::string method(t[name_tok].text);
  size_t ob = object_begin(name_tok);
  if (ob == name_tok) return;
  std::string object = object_text(ob, name_tok);
  const AwaitedAcquisition* acq = awaited_at(close);
  size_t pos = acq ? acq->operand_end : close;
  int order = acq ? kAfterSuspend : kBefore;
  const LockCatalog& c = L.idx_.catalog();
  if (is_plain_identifier(object)) {
    if (int slot = L.guard_slot(object); slot >= 0) return guard_call(slot, method, pos, order, {name_tok + 2, close});
  }
  bool whole = (ob == r.begin || (ob == r.begin + 1 && is(r.begin, "co_await"))) && close + 1 == r.end;
  if (!in_list(c.lock_methods, method) && !in_list(c.unlock_methods, method) && !in_list(c.try_lock_methods, method) &&
      !in_list(c.acquire_methods, method) && !in_list(c.release_methods, method) && lock_effect_call(name_tok, close))
    return;
  std::optional<std::string> type = L.type_of(mutex_leaf(object));
  bool semaphore = type ? L.idx_.is_semaphore(*type) : false;
  std::optional<LockKind> kind = type ? L.idx_.mutex_kind(*type) : std::nullopt;
  bool known_other = type && !kind && !semaphore;
  if (known_other) return;  // weak_ptr::lock(), unique_ptr::release() and friends
  std::string key = normalize_mutex(object);
  auto existing = L.manual_slots_.find(key);
  if (acq && in_list(c.awaited_manual_acquire, method) && !in_list(c.unlock_methods, method)) {
    bool specific = method != "lock" && method != "lock_shared" && method != "acquire" && method != "wait";
    if (!specific && !kind && !semaphore && !name_suggests_lock(object)) return;
    if (!whole) return;
    bool permit = semaphore || method == "acquire" || method == "wait" || method == "co_wait";
    AcquireHow how = permit ? AcquireHow::Semaphore : AcquireHow::Manual;
    int slot = L.manual_slot(object, LockKind::Async, how, t[ob], r);
    emit(pos, order, Op{OpKind::Acquire, slot});
    return;
  }
  if (semaphore || (existing != L.manual_slots_.end() && L.fn_.slots[existing->second].how == AcquireHow::Semaphore)) {
    LockKind k = kind.value_or(LockKind::ThreadBound);
    if (in_list(c.acquire_methods, method) && whole) {
      emit(pos, order, Op{OpKind::Acquire, L.manual_slot(object, k, AcquireHow::Semaphore, t[ob], r)});
    } else if (in_list(c.try_acquire_methods, method)) {
      emit(pos, order, Op{OpKind::MayAcquire, L.manual_slot(object, k, AcquireHow::Semaphore, t[ob], r)});
    } else if (in_list(c.release_methods, method) && existing != L.manual_slots_.end()) {
      emit(pos, order, Op{OpKind::Release, existing->second});
    }
    return;
  }
  LockKind k = kind.value_or(LockKind::ThreadBound);
  if (in_list(c.lock_methods, method) && whole) {
    emit(pos, order, Op{OpKind::Acquire, L.manual_slot(object, k, AcquireHow::Manual, t[ob], r)});
  } else if (in_list(c.try_lock_methods, method) && (kind || name_suggests_lock(object))) {
    emit(pos, order, Op{OpKind::MayAcquire, L.manual_slot(object, k, AcquireHow::Manual, t[ob], r)});
  } else if (in_list(c.unlock_methods, method) && existing != L.manual_slots_.end()) {
    emit(pos, order, Op{OpKind::Release, existing->second});
  }
}

void EventBuilder::guard_call(int slot, const std::string& method, size_t pos, int order, Range args) {
  const LockCatalog& c = L.idx_.catalog();
  if (method == "emplace_back" || method == "push_back" || method == "emplace") {
    // std::optional<std::lock_guard<M>>, std::vector<std::unique_lock<M>>
    LockSlot& g = L.fn_.slots[slot];
    GuardArgs ga = split_guard_args(t, args);
    if (g.mutex.empty() && !ga.mutexes.empty()) {
      g.mutex = normalize_mutex(ga.mutexes[0]);
      g.mutex_keys = L.mutex_keys(ga.mutexes[0]);
    }
    if (!ga.defer) emit(pos, order, Op{ga.try_to ? OpKind::MayAcquire : OpKind::Acquire, slot});
  } else if (method == "reset" || method == "clear") {
    emit(pos, order, Op{OpKind::ReleaseAll, slot});
  } else if (method == "swap") {
    GuardArgs ga = split_guard_args(t, args);
    if (ga.mutexes.size() == 1)
      if (int other = L.guard_slot(normalize_mutex(ga.mutexes[0])); other >= 0)
        emit(pos, order, Op{OpKind::Swap, slot, other});
  } else if (in_list(c.unlock_methods, method)) {
    emit(pos, order, Op{OpKind::Release, slot});
  } else if (in_list(c.lock_methods, method) || in_list(c.awaited_manual_acquire, method)) {
    emit(pos, order, Op{OpKind::Acquire, slot});
  } else if (in_list(c.try_lock_methods, method)) {
    emit(pos, order, Op{OpKind::MayAcquire, slot});
  } else if (method == "release" || method == "return_all") {
    // unique_lock::release() gives up the guard but leaves the mutex locked.
    // So do seastar's semaphore_units::release() and concurrencpp's: the permits stay taken.
    const LockSlot& g = L.fn_.slots[slot];
    if (method == "release" && g.how != AcquireHow::Temporary && !g.mutex.empty()) {
      LockSlot copy = g;
      int manual = L.manual_slot(copy.mutex, copy.kind, AcquireHow::Manual, t[r.begin], r);
      emit(pos, order, Op{OpKind::Transfer, slot, manual});
    } else {
      emit(pos, order, Op{OpKind::Release, slot});
    }
  }
}

// seal(lk) where seal unlocks the guard it takes by reference.
void EventBuilder::guard_arguments(size_t name_tok, size_t close) {
  const auto* effects = L.idx_.guard_param_effects(std::string(t[name_tok].text));
  if (!effects) return;
  GuardArgs args = split_guard_args(t, {name_tok + 2, close});
  for (size_t a = 0; a < args.mutexes.size() && a < effects->size(); ++a) {
    if ((*effects)[a] == 0) continue;
    int slot = L.guard_slot(normalize_mutex(args.mutexes[a]));
    if (slot >= 0) emit(close, kBefore, Op{(*effects)[a] < 0 ? OpKind::Release : OpKind::Acquire, slot});
  }
}

// begin_update(); leaves the mutex locked for us, end_update(); unlocks it.
bool EventBuilder::lock_effect_call(size_t name_tok, size_t close) {
  const LockEffect* fx = L.idx_.lock_effect(std::string(t[name_tok].text));
  if (!fx || close + 1 != r.end || whole_call(r.begin, r.end) != name_tok) return false;
  auto it = L.manual_slots_.find(fx->mutex);
  if (fx->acquires) {
    int slot = L.manual_slot(fx->mutex, L.mutex_kind_of(fx->mutex).value_or(LockKind::ThreadBound),
                             AcquireHow::Manual, t[name_tok], r);
    L.fn_.slots[slot].mutex_keys = {fx->key};
    emit(close, kBefore, Op{OpKind::Acquire, slot});
  } else if (it != L.manual_slots_.end()) {
    emit(close, kBefore, Op{OpKind::Release, it->second});
  }
  return true;
}

void EventBuilder::free_call(size_t name_tok, size_t close) {
  std::string name(t[name_tok].text);
  const LockCatalog& c = L.idx_.catalog();
  // A plain `lock()` call is std::lock or a member of this class: never a wrapper's effect.
  if (!in_list(c.lock_methods, name) && !in_list(c.unlock_methods, name) && !in_list(c.try_lock_methods, name) &&
      lock_effect_call(name_tok, close))
    return;
  GuardArgs args;
  auto first_arg = [&]() -> std::string {
    args = split_guard_args(t, {name_tok + 2, close});
    return args.mutexes.empty() ? "" : args.mutexes[0];
  };
  if (name == "move" && close == name_tok + 3 && t[name_tok + 2].is_ident()) {
    int slot = L.guard_slot(std::string(t[name_tok + 2].text));
    size_t arg = 0;
    size_t call = enclosing_call(name_tok, &arg);
    if (call != std::string::npos) {
      // A parameter taken by reference (T&&) binds; nothing is moved out.
      const auto* params = L.idx_.param_types(std::string(t[call].text));
      if (params && arg < params->size() && (*params)[arg].find('&') != std::string::npos) return;
    }
    if (slot >= 0) emit(close, kBefore, Op{OpKind::Release, slot});
    return;
  }
  if (name == "swap" || name == "exchange") {
    // std::swap(a, b) exchanges two guards; std::exchange(g, {}) leaves g empty.
    first_arg();
    if (args.mutexes.size() != 2) return;
    int a = L.guard_slot(normalize_mutex(args.mutexes[0]));
    int b = L.guard_slot(normalize_mutex(args.mutexes[1]));
    if (name == "swap" && a >= 0 && b >= 0) emit(close, kBefore, Op{OpKind::Swap, a, b});
    if (name == "exchange" && a >= 0) emit(close, kBefore, Op{OpKind::Release, a});
    return;
  }
  bool sem = name.starts_with("sem_");
  AcquireHow how = sem ? AcquireHow::Semaphore : AcquireHow::Manual;
  if (std::find(c.lock_functions.begin(), c.lock_functions.end(), name) != c.lock_functions.end()) {
    std::string m = first_arg();
    if (!m.empty()) emit(close, kBefore, Op{OpKind::Acquire, L.manual_slot(m, LockKind::ThreadBound, how, t[name_tok], r)});
  } else if (std::find(c.try_lock_functions.begin(), c.try_lock_functions.end(), name) != c.try_lock_functions.end()) {
    std::string m = first_arg();
    if (!m.empty()) emit(close, kBefore, Op{OpKind::MayAcquire, L.manual_slot(m, LockKind::ThreadBound, how, t[name_tok], r)});
  } else if (std::find(c.unlock_functions.begin(), c.unlock_functions.end(), name) != c.unlock_functions.end()) {
    std::string m = first_arg();
    auto it = L.manual_slots_.find(normalize_mutex(m));
    if (it != L.manual_slots_.end()) emit(close, kBefore, Op{OpKind::Release, it->second});
  } else if (name == "lock" || name == "try_lock") {
    // std::lock(a, b, ...): every argument is locked (later adopted by guards).
    first_arg();
    if (args.mutexes.size() < 2) return;
    for (const auto& m : args.mutexes) {
      if (int guard = L.guard_slot(normalize_mutex(m)); guard >= 0) {
        // std::lock(a, b) over deferred unique_locks: the guards now own their mutexes.
        emit(close, kBefore, Op{name == "lock" ? OpKind::Acquire : OpKind::MayAcquire, guard});
        continue;
      }
      LockKind k = L.mutex_kind_of(m).value_or(LockKind::ThreadBound);
      int slot = L.manual_slot(m, k, AcquireHow::Manual, t[name_tok], r);
      emit(close, kBefore, Op{name == "lock" ? OpKind::Acquire : OpKind::MayAcquire, slot});
    }
  }
}

void EventBuilder::temporaries() {
  const LockCatalog& c = L.idx_.catalog();
  for (size_t i = r.begin; i + 1 < r.end; ++i) {
    if (masked(i) || !t[i].is_ident() || !is(i + 1, "(") || consumed_.count(i)) continue;
    std::string name(t[i].text);
    const Helper* h = L.idx_.helper(name);
    bool library = !h && in_list(c.guard_returning_methods, name) && i > r.begin &&
                   (t[i - 1].is(".") || t[i - 1].is("->"));
    if (!h && !library) continue;
    size_t close = group_end(i + 1) - 1;
    size_t ob = object_begin(i);
    LockSlot s;
    s.how = AcquireHow::Temporary;
    s.statement = L.statement_text(r);
    s.loc = {t[ob].line, t[ob].column};
    std::string object = object_text(ob, i);
    if (h) {
      s.kind = h->kind;
      s.type = h->return_type;
      s.mutex = object.empty() ? h->mutex : object;
      s.mutex_keys = h->mutex_keys;
      s.helper = HelperRef{h->name, h->path, h->line};
    } else {
      s.kind = LockKind::ThreadBound;
      s.type = "LockedPtr";
      s.source = join_tokens(t, {ob, close + 1});
      s.mutex = object;
      s.mutex_keys = L.mutex_keys(object);
    }
    int slot = L.new_slot(s);
    emit(close, kBefore, Op{OpKind::Acquire, slot});
    emit(r.end, kStatementEnd, Op{OpKind::Release, slot});
  }
}

Node FunctionLowerer::ops(Range r) {
  if (r.empty()) return Node{Node::Kind::Ops};
  return EventBuilder(*this, r).build();
}

std::optional<Declarator> FunctionLowerer::declarator(Range r) const {
  size_t k = r.begin;
  auto at = [&](size_t i, std::string_view s) { return i < r.end && t_[i].is(s); };
  bool leading_const = false;
  while (k < r.end && (at(k, "const") || at(k, "constexpr") || at(k, "static") || at(k, "volatile") ||
                       at(k, "thread_local") || at(k, "register") || at(k, "inline"))) {
    leading_const |= at(k, "const");
    ++k;
  }
  while (at(k, "[") && at(k + 1, "[")) k = group_end(k);
  Declarator d;
  d.type.begin = k;
  if (at(k, "auto")) {
    ++k;
  } else if (at(k, "decltype") && at(k + 1, "(")) {
    k = group_end(k + 1);
  } else {
    if (at(k, "typename") || at(k, "::")) ++k;
    if (k >= r.end || !t_[k].is_ident() || is_keyword(t_[k].text)) return std::nullopt;
    ++k;
    while (k < r.end) {
      if (at(k, "<")) {
        size_t e = skip_angles(t_, k, r.end);
        if (e == k) return std::nullopt;
        k = e;
      } else if (at(k, "::") && k + 1 < r.end && t_[k + 1].is_ident()) {
        k += 2;
      } else {
        break;
      }
    }
  }
  while (k < r.end && (at(k, "const") || at(k, "volatile") || at(k, "&") || at(k, "&&") || at(k, "*"))) {
    if (at(k, "&") || at(k, "*")) d.reference = true;
    if (at(k, "&&")) d.forwarding = d.reference = true;
    // A temporary bound to `const T&` lives as long as the reference.
    if (at(k, "&") && (leading_const || (k > r.begin && t_[k - 1].is("const")))) d.forwarding = true;
    ++k;
  }
  d.type.end = k;
  if (k >= r.end || !t_[k].is_ident() || is_keyword(t_[k].text)) return std::nullopt;
  d.name = k++;
  if (!declarator_rest(r, k, d)) return std::nullopt;
  return d;
}

// After the name: the initializer, up to the end or the comma before the next declarator.
bool FunctionLowerer::declarator_rest(Range r, size_t k, Declarator& d) const {
  auto at = [&](size_t i, std::string_view s) { return i < r.end && t_[i].is(s); };
  d.end = r.end;
  if (k >= r.end) return true;
  if (at(k, "(") || at(k, "{")) {
    size_t close = group_end(k);
    if (close != r.end && !at(close, ",")) return false;  // a call, not a declaration
    d.init_kind = at(k, "(") ? Declarator::Init::Paren : Declarator::Init::Brace;
    d.init = {k + 1, close - 1};
    d.end = close;
    return true;
  }
  if (at(k, "=")) {
    d.init_kind = Declarator::Init::Assign;
    d.end = top_level({k + 1, r.end}, ",");
    d.init = {k + 1, d.end};
    return true;
  }
  if (at(k, ",")) {
    d.end = k;
    return true;
  }
  return at(k, ":") || at(k, "[");
}

int FunctionLowerer::guard_slot(const std::string& name) const {
  for (auto it = guards_.rbegin(); it != guards_.rend(); ++it) {
    auto f = it->find(name);
    if (f != it->end()) return f->second;
  }
  return -1;
}

int FunctionLowerer::new_slot(LockSlot slot) {
  fn_.slots.push_back(std::move(slot));
  return static_cast<int>(fn_.slots.size()) - 1;
}

int FunctionLowerer::manual_slot(const std::string& expr, LockKind kind, AcquireHow how,
                                 const Token& at, Range stmt) {
  std::string key = normalize_mutex(expr);
  if (auto it = manual_slots_.find(key); it != manual_slots_.end()) {
    if (kind == LockKind::Async) fn_.slots[it->second].kind = LockKind::Async;
    return it->second;
  }
  LockSlot s;
  s.how = how;
  s.kind = kind;
  s.type = type_of(mutex_leaf(expr)).value_or("");
  s.mutex = key;
  s.mutex_keys = mutex_keys(expr);
  s.statement = statement_text(stmt);
  s.loc = {at.line, at.column};
  int slot = new_slot(s);
  manual_slots_[key] = slot;
  return slot;
}

std::vector<std::string> FunctionLowerer::mutex_keys(const std::string& expr) const {
  std::string n = normalize_mutex(expr);
  if (is_plain_identifier(n) && !def_.class_name.empty() && !local_types_.count(n))
    return {def_.class_name + "::" + n};
  return {n};
}

std::optional<std::string> FunctionLowerer::type_of(const std::string& name) const {
  if (auto it = local_types_.find(name); it != local_types_.end()) return it->second;
  return idx_.field_type(def_.class_name, name);
}

std::optional<LockKind> FunctionLowerer::mutex_kind_of(const std::string& expr) const {
  auto type = type_of(mutex_leaf(expr));
  if (!type) return std::nullopt;
  return idx_.mutex_kind(*type);
}

std::string FunctionLowerer::statement_text(Range r) const { return join_tokens(t_, r); }

}  // namespace lockspan::cpp
