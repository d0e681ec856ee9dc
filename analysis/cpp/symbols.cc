#include "analysis/cpp/symbols.h"

#include <algorithm>
#include <cctype>

namespace lockspan::cpp {
namespace {

bool contains_call(const std::vector<Token>& t, Range r, const std::vector<std::string>& methods,
                   const std::vector<std::string>& functions, std::string* object) {
  for (size_t i = r.begin; i + 1 < r.end; ++i) {
    if (!t[i].is_ident() || !t[i + 1].is("(")) continue;
    bool member = i > r.begin && (t[i - 1].is(".") || t[i - 1].is("->"));
    if (member && in_list(methods, t[i].text)) {
      if (object && i >= r.begin + 2) *object = std::string(t[i - 2].text);
      return true;
    }
    if (!member && std::find(functions.begin(), functions.end(), t[i].text) != functions.end()) {
      if (object && i + 2 < r.end) *object = mutex_leaf(std::string(t[i + 2].text));
      return true;
    }
  }
  return false;
}

// Parameter declarations split at top-level commas.
std::vector<std::string> split_params(const FileModel& m, Range r) {
  std::vector<std::string> out;
  size_t start = r.begin;
  for (size_t k = r.begin; k < r.end;) {
    const Token& tok = m.tokens[k];
    if (tok.is(",")) {
      out.push_back(join_tokens(m.tokens, {start, k}));
      start = ++k;
    } else if (tok.is("<")) {
      size_t e = skip_angles(m.tokens, k, r.end);
      k = e > k ? e : k + 1;
    } else if ((tok.is("(") || tok.is("[") || tok.is("{")) && m.match[k] > static_cast<long>(k)) {
      k = static_cast<size_t>(m.match[k]) + 1;
    } else {
      ++k;
    }
  }
  if (start < r.end) out.push_back(join_tokens(m.tokens, {start, r.end}));
  return out;
}

}  // namespace

std::string normalize_mutex(const std::string& expr) {
  std::string s;
  for (char c : expr)
    if (!std::isspace(static_cast<unsigned char>(c))) s += c;
  if (s.starts_with("this->")) s.erase(0, 6);
  while (!s.empty() && (s[0] == '*' || s[0] == '&')) s.erase(0, 1);
  if (s.starts_with("this->")) s.erase(0, 6);
  if (s.size() > 2 && s.front() == '(' && s.back() == ')') s = s.substr(1, s.size() - 2);
  return s;
}

std::string mutex_leaf(const std::string& expr) {
  std::string s = normalize_mutex(expr);
  // Drop a trailing call "()" (mu() accessor) and take the last member name.
  while (s.size() >= 2 && s.ends_with("()")) s.resize(s.size() - 2);
  size_t cut = s.find_last_of(".>:");
  std::string leaf = cut == std::string::npos ? s : s.substr(cut + 1);
  std::string out;
  for (char c : leaf)
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') out += c;
  return out;
}

namespace {

// "100ms", "2s", "std::chrono::seconds(1)", "timeout_ms"-free: a literal with a
// chrono suffix or a chrono expression.
bool is_duration(const std::string& text) {
  if (text.find("chrono::") != std::string::npos) return true;
  size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  if (digits == 0) return false;
  std::string suffix = text.substr(digits);
  return suffix == "ms" || suffix == "s" || suffix == "us" || suffix == "ns" || suffix == "min" || suffix == "h";
}

}  // namespace

GuardArgs split_guard_args(const std::vector<Token>& t, Range r) {
  GuardArgs out;
  size_t start = r.begin;
  int depth = 0;
  auto flush = [&](size_t end) {
    if (start >= end) return;
    std::string text = join_tokens(t, {start, end});
    std::string head = text;
    if (head.starts_with("std::")) head = head.substr(5);
    if (head == "adopt_lock" || head == "adopt_lock_t{}") out.adopt = true;
    else if (head == "defer_lock" || head == "defer_lock_t{}") out.defer = true;
    else if (head == "try_to_lock" || head == "try_to_lock_t{}") out.try_to = true;
    else if (is_duration(text)) out.try_to = true;  // unique_lock(m, 100ms) tries for a while
    else out.mutexes.push_back(text);
  };
  for (size_t i = r.begin; i < r.end; ++i) {
    std::string_view s = t[i].text;
    if (s == "(" || s == "[" || s == "{" || s == "<") ++depth;
    else if (s == ")" || s == "]" || s == "}" || s == ">") --depth;
    else if (s == "," && depth == 0) {
      flush(i);
      start = i + 1;
    }
  }
  flush(r.end);
  return out;
}

void SymbolIndex::add_file(const FileModel& model) {
  for (const auto& a : model.aliases) aliases_.emplace(a.name, a.target);
  macro_defs_.insert(macro_defs_.end(), model.macros.begin(), model.macros.end());
  for (const auto& c : model.classes) {
    if (c.name.empty()) continue;
    auto& info = classes_[c.name];
    for (const auto& b : c.bases) info.bases.push_back(b);
  }
  for (const auto& f : model.fields) {
    if (f.class_name.empty()) globals_.emplace(f.name, f.type);
    else classes_[f.class_name].fields.emplace(f.name, f.type);
    any_field_.emplace(f.name, f.type);
  }
  for (size_t i = 0; i < model.functions.size(); ++i) {
    const FunctionDef& f = model.functions[i];
    if (f.is_lambda) continue;
    scan_awaited_acquisitions(model, f);
    if (!params_.count(f.name)) params_[f.name] = split_params(model, f.params);
    scan_lock_effect(model, f);
    if (f.is_ctor || f.is_dtor) {
      scan_special_members(model, f);
      special_members_.push_back({&model, i});
    } else {
      pending_.push_back({&model, i});
    }
  }
}

void SymbolIndex::scan_special_members(const FileModel& model, const FunctionDef& f) {
  auto& info = classes_[f.class_name];
  const LockCatalog& c = catalog_;
  if (f.is_ctor) {
    std::string object;
    if (contains_call(model.tokens, f.body, c.lock_methods, c.lock_functions, &object)) {
      info.ctor_locks = true;
      info.ctor_mutex = object;
    }
  } else if (contains_call(model.tokens, f.body, c.unlock_methods, c.unlock_functions, nullptr)) {
    info.dtor_unlocks = true;
  }
}

void SymbolIndex::scan_awaited_acquisitions(const FileModel& model, const FunctionDef& f) {
  const auto& t = model.tokens;
  for (size_t i = f.body.begin; i + 4 < f.body.end; ++i) {
    if (!t[i].is("co_await")) continue;
    size_t k = i + 1;
    while (k + 2 < f.body.end && t[k].is_ident() && (t[k + 1].is(".") || t[k + 1].is("->"))) k += 2;
    if (k == i + 1 || !t[k].is_ident() || !t[k + 1].is("(")) continue;
    if (in_list(catalog_.awaited_manual_acquire, t[k].text) ||
        in_list(catalog_.awaited_guard_acquire, t[k].text))
      awaited_objects_.emplace_back(f.class_name, std::string(t[k - 2].text));
  }
}

void SymbolIndex::learn_async_types() {
  for (const auto& [cls, object] : awaited_objects_) {
    auto type = field_type(cls, object);
    if (!type) continue;
    std::string head = type_head(resolve_alias(*type));
    // A catalogued thread-bound mutex stays one: only unknown types are learned.
    if (catalog_.classify_mutex_type(head) == LockKind::ThreadBound && in_list(catalog_.blocking_mutexes, head))
      continue;
    learned_async_.insert(head);
  }
}

// Net effect of a plain function on the mutexes it names: more lock() than
// unlock() leaves the caller holding it.
void SymbolIndex::scan_lock_effect(const FileModel& model, const FunctionDef& f) {
  const auto& t = model.tokens;
  std::map<std::string, int> net;
  for (size_t i = f.body.begin; i + 1 < f.body.end; ++i) {
    if (t[i].is("co_await") || t[i].is("co_yield") || t[i].is("co_return")) return;
    if (!t[i].is_ident() || !t[i + 1].is("(")) continue;
    bool member = i >= f.body.begin + 2 && (t[i - 1].is(".") || t[i - 1].is("->")) && t[i - 2].is_ident();
    std::string object;
    int delta = 0;
    if (member && in_list(catalog_.lock_methods, t[i].text)) delta = 1, object = std::string(t[i - 2].text);
    else if (member && in_list(catalog_.unlock_methods, t[i].text)) delta = -1, object = std::string(t[i - 2].text);
    else if (!member && i + 2 < f.body.end) {
      auto has = [&](const std::vector<std::string>& l) { return std::find(l.begin(), l.end(), t[i].text) != l.end(); };
      if (has(catalog_.lock_functions)) delta = 1;
      else if (has(catalog_.unlock_functions)) delta = -1;
      if (delta) object = mutex_leaf(std::string(t[i + 2].is("&") && i + 3 < f.body.end ? t[i + 3].text : t[i + 2].text));
    }
    if (delta) net[object] += delta;
  }
  for (const auto& [object, n] : net) {
    if (n == 0 || object.empty()) continue;
    bool member = !f.class_name.empty() && has_field(f.class_name, object);
    lock_effects_[f.name] = LockEffect{object, member ? f.class_name + "::" + object : object, n > 0, f.class_name};
    return;  // one mutex per function keeps the summary honest
  }
}

// Macros whose body awaits, or declares a guard over one of their parameters.
void SymbolIndex::derive_macros() {
  for (const auto& m : macro_defs_) {
    auto word = [&](std::string_view w) {
      for (size_t p = m.body.find(w); p != std::string::npos; p = m.body.find(w, p + 1)) {
        bool left = p == 0 || !(std::isalnum(static_cast<unsigned char>(m.body[p - 1])) || m.body[p - 1] == '_');
        size_t e = p + w.size();
        bool right = e >= m.body.size() || !(std::isalnum(static_cast<unsigned char>(m.body[e])) || m.body[e] == '_');
        if (left && right) return true;
      }
      return false;
    };
    if (word("co_await") || word("co_yield")) suspension_macros_.insert(m.name);
    // "std::lock_guard<std::mutex> name(param)"
    size_t open = m.body.find_first_of("({");
    if (open == std::string::npos) continue;
    std::string head = m.body.substr(0, open);
    size_t name_start = head.find_last_of(" \t>");
    if (name_start == std::string::npos) continue;
    std::string type = head.substr(0, name_start + 1);
    auto g = guard_type(type);
    if (!g) continue;
    size_t close = m.body.find_first_of(")}", open);
    std::string args = m.body.substr(open + 1, close == std::string::npos ? std::string::npos : close - open - 1);
    for (size_t p = 0; p < m.params.size(); ++p) {
      if (normalize_mutex(args).find(m.params[p]) != std::string::npos) {
        guard_macros_[m.name] = GuardMacro{g->written, p};
        break;
      }
    }
  }
}

const std::vector<std::string>* SymbolIndex::param_types(const std::string& function) const {
  auto it = params_.find(function);
  return it == params_.end() ? nullptr : &it->second;
}

const LockEffect* SymbolIndex::lock_effect(const std::string& function) const {
  auto it = lock_effects_.find(function);
  return it == lock_effects_.end() ? nullptr : &it->second;
}

const GuardMacro* SymbolIndex::guard_macro(const std::string& name) const {
  auto it = guard_macros_.find(name);
  return it == guard_macros_.end() ? nullptr : &it->second;
}

// A constructor that locks through a member function (acquire() { m_.lock(); }).
void SymbolIndex::rescan_special_members() {
  for (const auto& p : special_members_) {
    const FunctionDef& f = p.model->functions[p.function];
    auto& info = classes_[f.class_name];
    const auto& t = p.model->tokens;
    for (size_t i = f.body.begin; i + 1 < f.body.end; ++i) {
      if (!t[i].is_ident() || !t[i + 1].is("(")) continue;
      bool via_this = i >= f.body.begin + 2 && t[i - 1].is("->") && t[i - 2].is("this");
      if (i > f.body.begin && (t[i - 1].is(".") || t[i - 1].is("->")) && !via_this) continue;
      const LockEffect* fx = lock_effect(std::string(t[i].text));
      if (!fx || fx->class_name != f.class_name) continue;
      if (f.is_ctor && fx->acquires) info.ctor_locks = true, info.ctor_mutex = fx->mutex;
      if (f.is_dtor && !fx->acquires) info.dtor_unlocks = true;
    }
  }
}

// void seal(std::unique_lock<M>& lk) { ...; lk.unlock(); } releases the caller's guard.
void SymbolIndex::derive_guard_param_effects() {
  for (const auto& p : pending_) {
    const FileModel& m = *p.model;
    const FunctionDef& f = m.functions[p.function];
    auto types = split_params(m, f.params);
    std::vector<int> effects(types.size(), 0);
    bool any = false;
    for (size_t a = 0; a < types.size(); ++a) {
      const std::string& decl = types[a];
      size_t amp = decl.find('&');
      if (amp == std::string::npos || decl.find("&&") != std::string::npos) continue;
      size_t name_start = decl.find_last_of(" &*") + 1;
      std::string name = decl.substr(name_start);
      if (name.empty() || !guard_type(decl.substr(0, amp))) continue;
      int net = 0;
      const auto& t = m.tokens;
      for (size_t i = f.body.begin; i + 3 < f.body.end; ++i) {
        if (!t[i].is(name) || !t[i + 1].is(".") || !t[i + 3].is("(")) continue;
        if (in_list(catalog_.unlock_methods, t[i + 2].text)) --net;
        else if (in_list(catalog_.lock_methods, t[i + 2].text)) ++net;
      }
      effects[a] = net < 0 ? -1 : net > 0 ? 1 : 0;
      any |= net != 0;
    }
    if (any) guard_param_effects_[f.name] = effects;
  }
}

const std::vector<int>* SymbolIndex::guard_param_effects(const std::string& function) const {
  auto it = guard_param_effects_.find(function);
  return it == guard_param_effects_.end() ? nullptr : &it->second;
}

void SymbolIndex::finish() {
  learn_async_types();
  rescan_special_members();
  derive_guard_classes();
  derive_guard_param_effects();
  derive_macros();
  derive_helpers();
  pending_.clear();
}

void SymbolIndex::derive_guard_classes() {
  // A class owning a guard member is a guard; so is one owning such a class.
  for (int round = 0; round < 4; ++round) {
    bool changed = false;
    for (const auto& [name, info] : classes_) {
      if (guard_classes_.count(name)) continue;
      std::optional<GuardType> found;
      if (info.ctor_locks && info.dtor_unlocks) {
        GuardType g;
        g.project_class = true;
        std::string mutex_type;
        if (auto it = info.fields.find(info.ctor_mutex); it != info.fields.end()) mutex_type = it->second;
        g.kind = mutex_kind(mutex_type).value_or(LockKind::ThreadBound);
        found = g;
      }
      for (const auto& [field, type] : info.fields) {
        if (found) break;
        if (type.find('&') != std::string::npos || type.find('*') != std::string::npos) continue;
        if (auto g = guard_type(type)) {
          GuardType own = *g;
          own.project_class = true;
          own.generic = false;
          found = own;
        }
      }
      for (const auto& base : info.bases) {
        if (found) break;
        if (auto it = guard_classes_.find(base); it != guard_classes_.end()) found = it->second;
      }
      if (found) {
        found->written = name;
        guard_classes_.emplace(name, *found);
        changed = true;
      }
    }
    if (!changed) break;
  }
}

std::optional<Helper> SymbolIndex::helper_for(const FileModel& model, const FunctionDef& f) const {
  const auto& t = model.tokens;
  // The return type without attributes such as [[nodiscard]].
  std::string ret;
  size_t piece = f.return_type.begin;
  for (size_t i = f.return_type.begin; i <= f.return_type.end; ++i) {
    bool attr = i < f.return_type.end && t[i].is("[") && i + 1 < f.return_type.end && t[i + 1].is("[") &&
                model.match[i] > static_cast<long>(i);
    if (!attr && i < f.return_type.end) continue;
    std::string part = join_tokens(t, {piece, i});
    if (!part.empty()) ret += (ret.empty() ? "" : " ") + part;
    if (attr) i = static_cast<size_t>(model.match[i]);
    piece = i + 1;
  }
  if (ret.find('&') != std::string::npos || ret.find('*') != std::string::npos) return std::nullopt;
  for (std::string_view word : {"static ", "inline ", "virtual ", "constexpr ", "explicit ", "friend "})
    if (ret.starts_with(word)) ret.erase(0, word.size());
  std::optional<GuardType> g;
  std::string mutex;
  Range args{0, 0};
  // The first `return T(args)` / `return T{args}` names the lock it takes.
  for (size_t i = f.body.begin; i + 2 < f.body.end; ++i) {
    if (!t[i].is("return")) continue;
    size_t k = i + 1;
    while (k < f.body.end && (t[k].is_ident() || t[k].is("::"))) {
      ++k;
      if (k < f.body.end && t[k].is("<")) k = skip_angles(t, k, f.body.end);
    }
    if (k < f.body.end && (t[k].is("(") || t[k].is("{")) && model.match[k] > static_cast<long>(k)) {
      std::string ctor = join_tokens(t, {i + 1, k});
      if (!g && (ret == "auto" || ret.empty())) {
        g = guard_type(ctor);
        if (g) ret = g->written;
      }
      args = {k + 1, static_cast<size_t>(model.match[k])};
    }
    break;
  }
  if (!g && ret != "auto") g = guard_type(ret);
  bool maybe = false;
  if (!g && (type_head(ret) == "std::optional" || type_head(ret) == "optional") && template_args(ret).size() == 1) {
    g = guard_type(template_args(ret)[0]);  // std::optional<std::unique_lock<M>>: maybe a lock
    maybe = g.has_value();
  }
  if (!g) return std::nullopt;
  Helper h;
  h.name = f.name;
  h.qualified = f.qualified();
  h.path = model.path;
  h.line = t[f.name_token].line;
  h.return_type = ret;
  h.kind = g->kind;
  h.maybe = maybe;
  if (!args.empty()) {
    GuardArgs ga = split_guard_args(t, args);
    h.defer = ga.defer;
    for (const auto& m : ga.mutexes) {
      if (m == "*this" || m == "this") continue;
      if (!h.mutex.empty()) h.mutex += ", ";
      h.mutex += normalize_mutex(m);
      std::string leaf = mutex_leaf(m);
      bool member = !f.class_name.empty() && has_field(f.class_name, leaf) &&
                    normalize_mutex(m).find_first_of(".>") == std::string::npos;
      h.mutex_keys.push_back(member ? f.class_name + "::" + leaf : normalize_mutex(m));
      if (g->generic || g->project_class) {
        if (auto ft = field_type(f.class_name, leaf))
          if (auto k = mutex_kind(*ft)) h.kind = *k;
      }
    }
  }
  if (g->generic) {
    for (const auto& arg : template_args(g->written))
      if (auto k = mutex_kind(arg)) h.kind = *k;
  }
  return h;
}

void SymbolIndex::derive_helpers() {
  for (const auto& p : pending_) {
    const FunctionDef& f = p.model->functions[p.function];
    if (auto h = helper_for(*p.model, f)) helpers_.emplace(h->name, *h);
  }
}

std::string SymbolIndex::resolve_alias(std::string type) const {
  for (int i = 0; i < 8; ++i) {
    std::string head = type_head(type);
    size_t cut = head.rfind("::");
    std::string bare = cut == std::string::npos ? head : head.substr(cut + 2);
    auto it = aliases_.find(bare);
    if (it == aliases_.end() || it->second == type) break;
    type = it->second;
  }
  return type;
}

std::optional<GuardType> SymbolIndex::guard_type(const std::string& type_text) const {
  std::string type = resolve_alias(type_text);
  GuardType g;
  g.written = type;
  bool generic = false;
  if (auto kind = catalog_.classify_guard_type(type, &generic)) {
    g.kind = *kind;
    g.generic = generic;
    if (generic) {
      for (const auto& arg : template_args(type))
        if (auto k = mutex_kind(arg)) g.kind = *k;
    }
    return g;
  }
  std::string head = type_head(type);
  size_t cut = head.rfind("::");
  std::string bare = cut == std::string::npos ? head : head.substr(cut + 2);
  if (auto it = guard_classes_.find(bare); it != guard_classes_.end()) {
    GuardType pg = it->second;
    pg.written = type;
    return pg;
  }
  return std::nullopt;
}

std::optional<LockKind> SymbolIndex::mutex_kind(const std::string& type_text) const {
  if (type_text.empty()) return std::nullopt;
  std::string type = resolve_alias(type_text);
  if (learned_async_.count(type_head(type))) return LockKind::Async;
  for (const auto& arg : template_args(type))
    if (learned_async_.count(type_head(arg))) return LockKind::Async;
  return catalog_.classify_mutex_type(type);
}

bool SymbolIndex::is_semaphore(const std::string& type_text) const {
  return catalog_.is_semaphore_type(resolve_alias(type_text));
}

const Helper* SymbolIndex::helper(const std::string& name) const {
  auto it = helpers_.find(name);
  return it == helpers_.end() ? nullptr : &it->second;
}

std::optional<std::string> SymbolIndex::field_type(const std::string& cls, const std::string& name) const {
  if (auto c = classes_.find(cls); c != classes_.end()) {
    if (auto f = c->second.fields.find(name); f != c->second.fields.end()) return f->second;
  }
  if (auto g = globals_.find(name); g != globals_.end()) return g->second;
  if (auto f = any_field_.find(name); f != any_field_.end()) return f->second;
  return std::nullopt;
}

bool SymbolIndex::has_field(const std::string& cls, const std::string& name) const {
  auto c = classes_.find(cls);
  return c != classes_.end() && c->second.fields.count(name) > 0;
}

}  // namespace lockspan::cpp
