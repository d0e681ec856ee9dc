// Statements and control flow. Each statement form becomes the IR node that
// says how control can move through it; what a full expression does to locks
// is lower_events.cc's business.
#include <algorithm>

#include "analysis/cpp/lower_internal.h"

namespace lockspan::cpp {
namespace {

constexpr int kMaxStatementDepth = 256;

Node ops_node() { return Node{Node::Kind::Ops}; }
Node block_node() { return Node{Node::Kind::Block}; }

}  // namespace

// While alive, new guard variables are scoped to `slots` (released when control leaves it).
struct FunctionLowerer::ScopeFrame {
  FunctionLowerer& l;
  ScopeFrame(FunctionLowerer& lowerer, std::vector<int>& slots) : l(lowerer) {
    l.guards_.emplace_back();
    l.scope_slots_.push_back(&slots);
  }
  ~ScopeFrame() {
    l.scope_slots_.pop_back();
    l.guards_.pop_back();
  }
};

namespace {

bool body_suspends(const std::vector<Token>& t, Range r, const std::vector<char>& masked) {
  for (size_t i = r.begin; i < r.end; ++i)
    if (!masked[i] && (t[i].is("co_await") || t[i].is("co_yield") || t[i].is("co_return"))) return true;
  return false;
}

}  // namespace

FunctionLowerer::FunctionLowerer(const FileModel& model, const SymbolIndex& index,
                                 const FunctionDef& def, std::vector<std::string>& problems)
    : m_(model), t_(model.tokens), idx_(index), def_(def), problems_(problems) {}

size_t FunctionLowerer::group_end(size_t i) const {
  long j = m_.match[i];
  return j > static_cast<long>(i) ? static_cast<size_t>(j) + 1 : i + 1;
}

// One past the ';' ending the statement that starts at i (or end).
size_t FunctionLowerer::statement_end(size_t i, size_t end) const {
  while (i < end && !t_[i].is(";")) {
    const auto& s = t_[i].text;
    i = (s == "(" || s == "[" || s == "{") ? group_end(i) : i + 1;
  }
  return std::min(end, i + 1);
}

size_t FunctionLowerer::top_level(Range r, std::string_view what) const {
  for (size_t i = r.begin; i < r.end;) {
    if (t_[i].is(what)) return i;
    const auto& s = t_[i].text;
    i = (s == "(" || s == "[" || s == "{") ? group_end(i) : i + 1;
  }
  return r.end;
}

FunctionIR FunctionLowerer::run() {
  masked_.assign(t_.size(), 0);
  for (const LambdaSpan& l : find_lambdas(m_, def_.body)) {
    std::fill(masked_.begin() + l.intro, masked_.begin() + l.end, 1);
    FunctionDef f;
    f.name = def_.name + "::lambda@" + std::to_string(t_[l.intro].line);
    f.class_name = def_.class_name;
    f.is_lambda = true;
    f.return_type = l.trailing_return;
    f.params = l.params;
    f.body = l.body;
    f.name_token = l.intro;
    lambda_at_[l.intro] = nested_.size();
    nested_.push_back(f);
  }
  fn_.name = def_.is_lambda && !def_.class_name.empty() ? def_.class_name + "::" + def_.name
                                                         : def_.qualified();
  fn_.path = m_.path;
  fn_.loc = {t_[def_.name_token].line, t_[def_.name_token].column};
  fn_.is_coroutine = body_suspends(t_, def_.body, masked_);
  fn_.body.kind = Node::Kind::Block;
  {
    ScopeFrame frame(*this, fn_.body.scoped_slots);  // parameters live for the whole body
    parameters();
    Node body = block(def_.body);
    fn_.body.children.push_back(std::move(body));
  }
  return std::move(fn_);
}

// Guards passed by value live in the coroutine frame for the whole body.
void FunctionLowerer::parameters() {
  Node entry = ops_node();
  size_t start = def_.params.begin;
  auto one = [&](size_t end) {
    if (start >= end) return;
    Range r{start, end};
    size_t eq = top_level(r, "=");
    if (eq < end) r.end = eq;
    auto d = declarator(r);
    if (!d) return;
    std::string type = join_tokens(t_, d->type);
    std::string name(t_[d->name].text);
    local_types_[name] = type;
    if (d->reference) return;
    auto g = idx_.guard_type(type);
    if (!g) return;
    LockSlot s;
    s.how = AcquireHow::Parameter;
    s.kind = g->kind;
    s.type = g->written;
    s.variable = name;
    s.mutex = name;
    s.mutex_keys = {name};
    s.statement = statement_text(r);
    s.loc = {t_[start].line, t_[start].column};
    int slot = new_slot(s);
    guards_.back()[name] = slot;
    fn_.body.scoped_slots.push_back(slot);
    entry.ops.push_back(Op{OpKind::Acquire, slot});
  };
  for (size_t i = def_.params.begin; i < def_.params.end;) {
    if (t_[i].is(",")) {
      one(i);
      start = ++i;
      continue;
    }
    const auto& s = t_[i].text;
    if (s == "<") {
      size_t k = skip_angles(t_, i, def_.params.end);
      i = k > i ? k : i + 1;
      continue;
    }
    i = (s == "(" || s == "[" || s == "{") ? group_end(i) : i + 1;
  }
  one(def_.params.end);
  if (!entry.ops.empty()) fn_.body.children.push_back(std::move(entry));
}

Node FunctionLowerer::block(Range r) {
  Node n = block_node();
  if (depth_ >= kMaxStatementDepth) {
    if (!depth_reported_)
      problems_.push_back("statements nested deeper than " + std::to_string(kMaxStatementDepth) +
                          " levels at line " + std::to_string(t_[r.begin].line) + " were not analyzed");
    depth_reported_ = true;
    return n;
  }
  ++depth_;
  ScopeFrame frame(*this, n.scoped_slots);
  for (size_t i = r.begin; i < r.end;) {
    size_t before = i;
    n.children.push_back(statement(i, r.end));
    if (i <= before) i = before + 1;  // never loop on input we do not understand
  }
  --depth_;
  return n;
}

// A statement that is its own scope: the body of if/for/while.
Node FunctionLowerer::sub_statement(size_t& i, size_t end) {
  if (i >= end) return block_node();
  if (t_[i].is("{")) {
    size_t close = group_end(i);
    Node n = block({i + 1, close - 1});
    i = close;
    return n;
  }
  Node n = block_node();
  ScopeFrame frame(*this, n.scoped_slots);
  ++depth_;
  if (depth_ < kMaxStatementDepth) n.children.push_back(statement(i, end));
  else i = statement_end(i, end);
  --depth_;
  return n;
}

Node FunctionLowerer::statement(size_t& i, size_t end) {
  const Token& tk = t_[i];
  std::string_view s = tk.text;
  if (s == "{") return sub_statement(i, end);
  if (s == ";") return ++i, block_node();
  if (s == "if") return if_statement(i, end);
  if (s == "for") return for_statement(i, end);
  if (s == "while") return while_statement(i, end);
  if (s == "do") return do_statement(i, end);
  if (s == "switch") return switch_statement(i, end);
  if (s == "try") return try_statement(i, end);
  if (s == "return" || s == "co_return") return jump(Node::Kind::Return, i, end, i + 1);
  if (s == "throw") return jump(Node::Kind::Throw, i, end, i + 1);
  if (s == "break") return jump(Node::Kind::Break, i, end, i + 1);
  if (s == "continue") return jump(Node::Kind::Continue, i, end, i + 1);
  if (s == "case" || s == "default") {
    Node c{Node::Kind::Case};
    c.is_default = s == "default";
    size_t k = i + 1;
    while (k < end && !t_[k].is(":")) k = t_[k].is("(") ? group_end(k) : k + 1;
    i = std::min(end, k + 1);
    return c;
  }
  if (s == "SCOPE_EXIT" || s == "SCOPE_FAIL" || s == "SCOPE_SUCCESS" || s == "BOOST_SCOPE_EXIT" || s == "DEFER") {
    // Runs when the scope ends, not here: an unlock inside does not release now.
    i = statement_end(i, end);
    return block_node();
  }
  if (s == "goto" || s == "using" || s == "typedef" || s == "static_assert" || s == "asm") {
    i = statement_end(i, end);
    return block_node();
  }
  if ((s == "struct" || s == "class" || s == "union" || s == "enum")) {
    // Local type definitions do not run.
    i = statement_end(i, end);
    return block_node();
  }
  if (s == "[" && i + 1 < end && t_[i + 1].is("[")) {
    i = group_end(i);
    return block_node();
  }
  if (tk.is_ident() && i + 1 < end && t_[i + 1].is(":")) {
    i += 2;  // a label
    return block_node();
  }
  size_t stop = statement_end(i, end);
  size_t expr_end = (stop > i && t_[stop - 1].is(";")) ? stop - 1 : stop;
  Node n = ops({i, expr_end});
  i = stop;
  return n;
}

Node FunctionLowerer::jump(Node::Kind kind, size_t& i, size_t end, size_t expr_begin) {
  size_t stop = statement_end(i, end);
  size_t expr_end = (stop > expr_begin && t_[stop - 1].is(";")) ? stop - 1 : stop;
  Node n = block_node();
  if (expr_begin < expr_end) n.children.push_back(ops({expr_begin, expr_end}));
  n.children.push_back(Node{kind});
  i = stop;
  return n;
}

Node FunctionLowerer::if_statement(size_t& i, size_t end) {
  size_t k = i + 1;
  if (k < end && t_[k].is("constexpr")) ++k;
  if (k < end && t_[k].is("!")) ++k;
  Node n{Node::Kind::If};
  ScopeFrame frame(*this, n.scoped_slots);
  Node cond = block_node();
  if (k < end && t_[k].is("consteval")) {
    ++k;
  } else if (k < end && t_[k].is("(")) {
    size_t close = group_end(k) - 1;
    Range inside{k + 1, close};
    size_t semi = top_level(inside, ";");
    if (semi < close) {
      cond.children.push_back(ops({inside.begin, semi}));
      cond.children.push_back(ops({semi + 1, close}));
    } else {
      cond.children.push_back(ops(inside));
    }
    refine(n, {semi < close ? semi + 1 : inside.begin, close});
    k = close + 1;
  }
  n.children.push_back(std::move(cond));
  n.children.push_back(sub_statement(k, end));
  if (k < end && t_[k].is("else")) {
    ++k;
    n.children.push_back(sub_statement(k, end));
  } else {
    n.children.push_back(block_node());
  }
  i = k;
  return n;
}

// `if (lk)`, `if (!lk.owns_lock())`, `if (m.try_lock())`, `if (opt.has_value())`:
// the branches differ in what they hold.
void FunctionLowerer::refine(Node& n, Range cond) {
  size_t k = cond.begin;
  bool negated = false;
  while (k < cond.end && t_[k].is("!")) negated = !negated, ++k;
  if (k >= cond.end || !t_[k].is_ident()) return;
  std::string name(t_[k].text);
  std::string rest = join_tokens(t_, {k + 1, cond.end});
  int slot = -1;
  if (rest.empty() || rest == ".owns_lock()" || rest == ".has_value()") {
    slot = guard_slot(name);
  } else if (rest == ".try_lock()" || rest == "->try_lock()") {
    auto it = manual_slots_.find(name);
    slot = it == manual_slots_.end() ? guard_slot(name) : it->second;
  }
  if (slot < 0) return;
  n.refine_slot = slot;
  n.refine_then_held = !negated;
}

Node FunctionLowerer::for_statement(size_t& i, size_t end) {
  size_t k = i + 1;
  Node n{Node::Kind::Loop};
  ScopeFrame frame(*this, n.scoped_slots);
  Node init = block_node(), cond = block_node(), step = block_node();
  if (k < end && t_[k].is("(")) {
    size_t close = group_end(k) - 1;
    Range inside{k + 1, close};
    size_t semi = top_level(inside, ";");
    size_t semi2 = semi < close ? top_level({semi + 1, close}, ";") : close;
    if (semi < close && semi2 < close) {
      init.children.push_back(ops({inside.begin, semi}));
      cond.children.push_back(ops({semi + 1, semi2}));
      step.children.push_back(ops({semi2 + 1, close}));
      n.infinite = semi + 1 == semi2;
    } else {
      // Range-for: the range is evaluated once; the loop variable each round.
      size_t from = semi < close ? semi + 1 : inside.begin;
      if (semi < close) init.children.push_back(ops({inside.begin, semi}));
      size_t colon = top_level({from, close}, ":");
      if (colon < close) init.children.push_back(ops({colon + 1, close}));
    }
    k = close + 1;
  }
  n.children.push_back(std::move(init));
  n.children.push_back(std::move(cond));
  n.children.push_back(sub_statement(k, end));
  n.children.push_back(std::move(step));
  i = k;
  return n;
}

// while/do-while conditions; `while (true)` leaves the loop only by a jump.
Node FunctionLowerer::loop_condition(Node& loop, Range inside) {
  std::string text = join_tokens(t_, inside);
  loop.infinite = text == "true" || text == "1";
  Node cond = block_node();
  cond.children.push_back(ops(inside));
  return cond;
}

Node FunctionLowerer::while_statement(size_t& i, size_t end) {
  size_t k = i + 1;
  Node n{Node::Kind::Loop};
  ScopeFrame frame(*this, n.scoped_slots);
  Node cond = block_node();
  if (k < end && t_[k].is("(")) {
    size_t close = group_end(k) - 1;
    cond = loop_condition(n, {k + 1, close});
    k = close + 1;
  }
  n.children.push_back(block_node());
  n.children.push_back(std::move(cond));
  n.children.push_back(sub_statement(k, end));
  n.children.push_back(block_node());
  i = k;
  return n;
}

Node FunctionLowerer::do_statement(size_t& i, size_t end) {
  size_t k = i + 1;
  Node n{Node::Kind::Loop};
  n.cond_first = false;
  Node body = sub_statement(k, end);
  Node cond = block_node();
  if (k < end && t_[k].is("while") && k + 1 < end && t_[k + 1].is("(")) {
    size_t close = group_end(k + 1) - 1;
    cond = loop_condition(n, {k + 2, close});
    k = close + 1;
  }
  if (k < end && t_[k].is(";")) ++k;
  n.children.push_back(block_node());
  n.children.push_back(std::move(cond));
  n.children.push_back(std::move(body));
  n.children.push_back(block_node());
  i = k;
  return n;
}

Node FunctionLowerer::switch_statement(size_t& i, size_t end) {
  size_t k = i + 1;
  Node n{Node::Kind::Switch};
  ScopeFrame frame(*this, n.scoped_slots);
  Node cond = block_node();
  if (k < end && t_[k].is("(")) {
    size_t close = group_end(k) - 1;
    Range inside{k + 1, close};
    size_t semi = top_level(inside, ";");
    if (semi < close) {
      cond.children.push_back(ops({inside.begin, semi}));
      inside.begin = semi + 1;
    }
    cond.children.push_back(ops(inside));
    k = close + 1;
  }
  n.children.push_back(std::move(cond));
  if (k < end && t_[k].is("{")) {
    size_t close = group_end(k);
    n.children.push_back(block({k + 1, close - 1}));
    k = close;
  } else {
    n.children.push_back(sub_statement(k, end));
  }
  i = k;
  return n;
}

Node FunctionLowerer::try_statement(size_t& i, size_t end) {
  size_t k = i + 1;
  Node n{Node::Kind::Try};
  n.children.push_back(sub_statement(k, end));
  while (k < end && t_[k].is("catch")) {
    ++k;
    if (k < end && t_[k].is("(")) k = group_end(k);
    n.children.push_back(sub_statement(k, end));
  }
  i = k;
  return n;
}

std::vector<FunctionIR> lower_file(const FileModel& model, const SymbolIndex& index,
                                   std::vector<std::string>& problems) {
  std::vector<FunctionIR> out;
  std::vector<FunctionDef> work(model.functions.begin(), model.functions.end());
  for (size_t w = 0; w < work.size(); ++w) {
    FunctionDef def = work[w];
    if (def.body.empty()) continue;
    FunctionLowerer lowerer(model, index, def, problems);
    FunctionIR ir = lowerer.run();
    for (const auto& inner : lowerer.nested()) work.push_back(inner);
    if (ir.is_coroutine || !ir.slots.empty()) out.push_back(std::move(ir));
  }
  return out;
}

}  // namespace lockspan::cpp
