// Declarations and assignments: which guards a statement creates, moves or
// replaces, and where their lock comes from (a constructor's arguments, a
// helper, an awaited acquisition, another guard).
#include <algorithm>
#include <set>

#include "analysis/cpp/lower_internal.h"

namespace lockspan::cpp {

void EventBuilder::declaration() {
  auto d = L.declarator(r);
  if (!d) {
    if (!structured_binding()) guard_macro_statement();
    return;
  }
  // `T a(m1, defer_lock), b(m2, defer_lock);` declares two guards of one type.
  while (true) {
    size_t next = d->end;
    declare_one(*d);
    if (!is(next, ",")) break;
    Declarator more;
    more.type = d->type;
    size_t k = next + 1;
    while (k < r.end && (is(k, "*") || is(k, "&") || is(k, "&&"))) {
      more.reference = true;
      ++k;
    }
    if (k >= r.end || !t[k].is_ident()) break;
    more.name = k;
    if (!L.declarator_rest(r, k + 1, more)) break;
    d = more;
  }
}

void EventBuilder::declare_one(const Declarator& decl) {
  const Declarator* d = &decl;
  std::string type = join_tokens(t, d->type);
  std::string name(t[d->name].text);
  L.local_types_[name] = type;
  if (d->reference && !d->forwarding) return;
  Range init = d->init;
  bool is_auto = type_head(type) == "auto" || type.starts_with("decltype");
  std::optional<GuardType> g = is_auto ? std::nullopt : L.idx_.guard_type(type);
  size_t end = d->end;
  LockSlot s;
  s.variable = name;
  s.statement = L.statement_text(r);
  s.loc = {t[r.begin].line, t[r.begin].column};
  s.type = g ? g->written : type;
  if (lambda_declaration(*d, s, name)) return;
  if (!g) {
    // std::optional<std::lock_guard<M>>: a guard that emplace() takes later.
    std::string head = type_head(type);
    auto args = template_args(type);
    static const std::set<std::string> holders = {
        "std::optional", "optional", "boost::optional", "std::vector", "vector", "std::deque", "deque",
        "std::list", "list", "absl::InlinedVector", "folly::small_vector", "boost::container::small_vector"};
    if (holders.count(head) && !args.empty()) {
      if (auto inner = L.idx_.guard_type(args[0])) {
        s.how = AcquireHow::Guard;
        s.kind = inner->kind;
        s.type = type;
        declare(s, name);
        return;
      }
    }
  }

  // co_await m.scoped_lock_async(): the guard is held once the await resumes.
  if (d->init_kind == Declarator::Init::Assign && is(init.begin, "co_await")) {
    size_t e = operand_end(init.begin + 1);
    size_t call = whole_call(init.begin + 1, e);
    if (call != std::string::npos && e == init.end) {
      if (const auto* acq = awaited_at(group_end(call + 1) - 1)) {
        consumed_.insert(call);
        s.how = AcquireHow::Guard;
        s.kind = LockKind::Async;
        s.mutex = acq->object;
        s.mutex_keys = L.mutex_keys(acq->object);
        s.source = "co_await " + join_tokens(t, {init.begin + 1, init.end});
        if (is_auto) s.type = "auto";
        int slot = declare(s, name);
        emit(end, kAfterSuspend, Op{OpKind::Acquire, slot});
        return;
      }
    }
  }
  // Moved from another guard: ownership follows.
  Range args = init;
  if (d->init_kind == Declarator::Init::Assign) {
    if (int from = moved_guard(init); from >= 0) return transfer(from, s, name, end);
    size_t call = whole_call(init.begin, init.end);
    if (call != std::string::npos) {
      std::string callee(t[call].text);
      if (callee == "exchange") {
        // auto old = std::exchange(lk, {}): the old lock moves into `old`.
        GuardArgs ga = split_guard_args(t, {call + 2, group_end(call + 1) - 1});
        int from = ga.mutexes.empty() ? -1 : L.guard_slot(normalize_mutex(ga.mutexes[0]));
        if (from >= 0) {
          consumed_.insert(call);
          return transfer(from, s, name, end);
        }
      }
      const Helper* h = L.idx_.helper(callee);
      if (h && object_is_not(call, h->class_name())) h = nullptr;  // weak_ptr::lock() is no helper
      if (h) {
        consumed_.insert(call);
        s.how = AcquireHow::Helper;
        s.kind = h->kind;
        s.type = is_auto || !g ? h->return_type : g->written;
        s.mutex = h->mutex;
        s.mutex_keys = h->mutex_keys;
        s.helper = HelperRef{h->name, h->path, h->line};
        int slot = declare(s, name);
        if (!h->defer) emit(end, kBefore, Op{h->maybe ? OpKind::MayAcquire : OpKind::Acquire, slot});
        return;
      }
      if (in_list(L.idx_.catalog().guard_returning_methods, callee)) {
        consumed_.insert(call);
        size_t ob = object_begin(call);
        s.how = AcquireHow::Guard;
        s.kind = LockKind::ThreadBound;
        s.mutex = object_text(ob, call);
        s.mutex_keys = L.mutex_keys(s.mutex);
        s.source = join_tokens(t, init);
        if (is_auto) s.type = "auto";
        emit(end, kBefore, Op{OpKind::Acquire, declare(s, name)});
        return;
      }
      // auto g = std::unique_lock<std::mutex>(mu);
      size_t open = call + 1;
      std::string ctor = join_tokens(t, {init.begin, open});
      if (!g) {
        g = L.idx_.guard_type(ctor);
        if (g) s.type = g->written;
      }
      if (g) args = {open + 1, group_end(open) - 1};
    } else if (g || is_auto) {
      // auto g = std::unique_lock{mu};  const auto& g = std::lock_guard<std::mutex>(mu);
      long open = init.end > init.begin ? L.m_.match[init.end - 1] : -1;
      if (open > static_cast<long>(init.begin) && (is(open, "{") || is(open, "("))) {
        size_t o = static_cast<size_t>(open);
        if (!g) g = L.idx_.guard_type(join_tokens(t, {init.begin, o}));
        if (g) s.type = g->written, args = {o + 1, init.end - 1};
      }
    }
  }
  if (!g) return;
  if (d->init_kind != Declarator::Init::Assign) {
    if (int from = moved_guard(init); from >= 0) return transfer(from, s, name, end);
  }
  guard_from_args(*g, args, d->init_kind, s, name, end);
}

void EventBuilder::guard_from_args(const GuardType& g, Range args, Declarator::Init init_kind, LockSlot& s, const std::string& name, size_t end) {
  GuardArgs ga = split_guard_args(t, args);
  s.how = AcquireHow::Guard;
  for (const auto& m : ga.mutexes) {
    std::string mx = normalize_mutex(m);
    s.mutex += (s.mutex.empty() ? "" : ", ") + mx;
    for (auto& k : L.mutex_keys(m)) s.mutex_keys.push_back(k);
  }
  s.kind = g.kind;
  if (g.generic) {
    bool from_template = false;
    for (const auto& arg : template_args(g.written))
      from_template |= L.idx_.mutex_kind(arg).has_value();
    if (!from_template) {
      s.kind = LockKind::ThreadBound;
      for (const auto& m : ga.mutexes) {
        if (auto k = L.mutex_kind_of(m)) s.kind = *k;
        auto it = L.manual_slots_.find(normalize_mutex(m));
        if (it != L.manual_slots_.end() && L.fn_.slots[it->second].kind == LockKind::Async)
          s.kind = LockKind::Async;
      }
    }
  }
  int slot = declare(s, name);
  if (init_kind == Declarator::Init::None || ga.defer) return;
  if (ga.adopt) {
    bool adopted = false;
    for (const auto& m : ga.mutexes) {
      auto it = L.manual_slots_.find(normalize_mutex(m));
      if (it == L.manual_slots_.end()) continue;
      Op op{OpKind::Transfer, it->second, slot};
      emit(end, kAfterSuspend, op);
      adopted = true;
    }
    if (adopted) return;
  }
  emit(end, kAfterSuspend, Op{ga.try_to ? OpKind::MayAcquire : OpKind::Acquire, slot});
}

int EventBuilder::declare(LockSlot& s, const std::string& name) {
  int slot = L.new_slot(s);
  L.scope_slots_.back()->push_back(slot);
  L.guards_.back()[name] = slot;
  return slot;
}

void EventBuilder::transfer(int from, LockSlot s, const std::string& name, size_t end) {
  LockSlot moved = L.fn_.slots[from];
  moved.variable = s.variable;
  moved.statement = s.statement;
  moved.loc = s.loc;
  int slot = declare(moved, name);
  emit(end, kAfterSuspend, Op{OpKind::Transfer, from, slot});
}

int EventBuilder::moved_guard(Range init) {
  size_t i = init.begin;
  if (is(i, "std") && is(i + 1, "::")) i += 2;
  if (!is(i, "move") || !is(i + 1, "(") || group_end(i + 1) != init.end) return -1;
  if (i + 3 != init.end - 1 || !t[i + 2].is_ident()) return -1;
  int slot = L.guard_slot(std::string(t[i + 2].text));
  if (slot >= 0) consumed_.insert(i);
  return slot;
}

}  // namespace lockspan::cpp

namespace lockspan::cpp {

bool EventBuilder::structured_binding() {
  // auto [a, b] = folly::acquireLocked(x, y);  (also const auto&, auto&&)
  size_t k = r.begin;
  while (k < r.end && (t[k].is("const") || t[k].is("auto") || t[k].is("&") || t[k].is("&&"))) ++k;
  if (k == r.begin || !is(k, "[")) return false;
  size_t close = group_end(k);
  if (!is(close, "=")) return false;
  Range init{close + 1, r.end};
  size_t call = whole_call(init.begin, init.end);
  if (call == std::string::npos) return false;
  std::string callee(t[call].text);
  if (callee != "acquireLocked" && callee != "acquireLockedPair") return false;
  GuardArgs args = split_guard_args(t, {call + 2, group_end(call + 1) - 1});
  LockSlot s;
  s.how = AcquireHow::Guard;
  s.kind = LockKind::ThreadBound;
  s.variable = join_tokens(t, {k, close});
  s.type = "folly::LockedPtr";
  s.statement = L.statement_text(r);
  s.loc = {t[r.begin].line, t[r.begin].column};
  for (const auto& m : args.mutexes) {
    s.mutex += (s.mutex.empty() ? "" : ", ") + normalize_mutex(m);
    for (auto& key : L.mutex_keys(m)) s.mutex_keys.push_back(key);
  }
  int slot = L.new_slot(s);
  L.scope_slots_.back()->push_back(slot);
  consumed_.insert(call);
  emit(r.end, kAfterSuspend, Op{OpKind::Acquire, slot});
  return true;
}

bool EventBuilder::object_is_not(size_t call, const std::string& cls) const {
  if (cls.empty()) return false;
  size_t ob = object_begin(call);
  if (ob == call) return false;
  std::string object = object_text(ob, call);
  if (object.find_first_of(".>()") != std::string::npos) return false;
  auto type = L.type_of(object);
  if (!type) return false;
  std::string head = type_head(*type);
  size_t cut = head.rfind("::");
  std::string bare = cut == std::string::npos ? head : head.substr(cut + 2);
  size_t ccut = cls.rfind("::");
  return bare != (ccut == std::string::npos ? cls : cls.substr(ccut + 2));
}

bool EventBuilder::lambda_declaration(const Declarator& d, LockSlot& s, const std::string& name) {
  Range init = d.init;
  if (d.init_kind != Declarator::Init::Assign || init.empty() || !masked(init.begin)) return false;
  size_t k = init.begin;
  while (k < init.end && masked(k)) ++k;
  auto it = L.lambda_at_.find(init.begin);
  if (it == L.lambda_at_.end()) return false;
  const FunctionDef& lambda = L.nested_[it->second];
  if (k == init.end) {
    // auto child = [&]() -> Task<> {...}; later `co_await child()` awaits it.
    L.lambda_vars_[name] = lambda.qualified();
    return true;
  }
  if (!is(k, "(") || group_end(k) != init.end) return false;
  // auto g = [&] { return std::unique_lock<std::mutex>(m); }();
  auto h = L.idx_.helper_for(L.m_, lambda);
  if (!h) return false;
  s.how = AcquireHow::Guard;
  s.kind = h->kind;
  s.type = h->return_type;
  s.mutex = h->mutex;
  s.mutex_keys = h->mutex_keys;
  if (h->mutex_keys.size() == 1 && h->mutex_keys[0].find("::") == std::string::npos)
    s.mutex_keys = L.mutex_keys(h->mutex);
  int slot = declare(s, name);
  if (!h->defer) emit(r.end, kBefore, Op{OpKind::Acquire, slot});
  return true;
}

// LOCK_SCOPE(mu); where the macro declares a guard over its argument.
void EventBuilder::guard_macro_statement() {
  size_t call = whole_call(r.begin, r.end);
  if (call == std::string::npos || call != r.begin) return;
  const GuardMacro* gm = L.idx_.guard_macro(std::string(t[call].text));
  if (!gm) return;
  std::vector<std::string> all;
  size_t start = call + 2, end = group_end(call + 1) - 1;
  int depth = 0;
  for (size_t i = start; i <= end; ++i) {
    if (i == end || (t[i].is(",") && depth == 0)) {
      all.push_back(join_tokens(t, {start, i}));
      start = i + 1;
    } else if (t[i].is("(") || t[i].is("[") || t[i].is("{")) {
      ++depth;
    } else if (t[i].is(")") || t[i].is("]") || t[i].is("}")) {
      --depth;
    }
  }
  if (gm->mutex_param >= all.size()) return;
  auto g = L.idx_.guard_type(gm->type);
  if (!g) return;
  LockSlot s;
  s.how = AcquireHow::Guard;
  s.variable = std::string(t[call].text) + "(...)";
  s.statement = L.statement_text(r);
  s.loc = {t[r.begin].line, t[r.begin].column};
  s.type = g->written;
  s.mutex = normalize_mutex(all[gm->mutex_param]);
  s.mutex_keys = L.mutex_keys(all[gm->mutex_param]);
  s.kind = g->generic ? L.mutex_kind_of(all[gm->mutex_param]).value_or(g->kind) : g->kind;
  int slot = L.new_slot(s);
  L.scope_slots_.back()->push_back(slot);
  emit(r.end, kAfterSuspend, Op{OpKind::Acquire, slot});
}

// g = <expr> for a guard g already declared: the lock it held is released
// first; the new value decides what it holds now.
bool EventBuilder::assignment() {
  if (r.end < r.begin + 3 || !t[r.begin].is_ident() || !is(r.begin + 1, "=")) return false;
  Range rhs{r.begin + 2, r.end};
  int slot = L.guard_slot(std::string(t[r.begin].text));
  if (slot < 0) {
    // member_ = std::move(lk): the lock lives on in something we do not track.
    size_t i = rhs.begin;
    if (is(i, "std") && is(i + 1, "::")) i += 2;
    if (is(i, "move") && is(i + 1, "(") && group_end(i + 1) == rhs.end) consumed_.insert(i);
    return false;
  }
  emit(r.begin + 1, kBefore, Op{OpKind::Release, slot});
  if (int from = moved_guard(rhs); from >= 0) {
    emit(r.end, kAfterSuspend, Op{OpKind::Transfer, from, slot});
    return true;
  }
  size_t call = whole_call(rhs.begin, rhs.end);
  Range args{0, 0};
  if (call != std::string::npos) {
    if (const Helper* h = L.idx_.helper(std::string(t[call].text))) {
      consumed_.insert(call);
      if (!h->defer) emit(r.end, kAfterSuspend, Op{OpKind::Acquire, slot});
      return true;
    }
    if (L.idx_.guard_type(join_tokens(t, {rhs.begin, call + 1}))) args = {call + 2, group_end(call + 1) - 1};
  } else {
    size_t brace = rhs.begin;
    while (brace < rhs.end && !is(brace, "{")) ++brace;
    if (brace < rhs.end && group_end(brace) == rhs.end) args = {brace + 1, rhs.end - 1};
  }
  GuardArgs ga = split_guard_args(t, args);
  if (!ga.mutexes.empty() && !ga.defer) {
    LockSlot& g = L.fn_.slots[slot];
    if (g.mutex.empty()) {
      g.mutex = normalize_mutex(ga.mutexes[0]);
      g.mutex_keys = L.mutex_keys(ga.mutexes[0]);
    }
    emit(r.end, kAfterSuspend, Op{ga.try_to ? OpKind::MayAcquire : OpKind::Acquire, slot});
  }
  return true;
}

}  // namespace lockspan::cpp
