// An abstract interpreter over the structured IR. The state is, per slot, how
// many times it may be held (recursive mutexes count; capped, so loops reach
// a fixed point in a few rounds); joins take the maximum. Jumps carry their state to the frame they target after releasing
// every scope they leave.
#include "analysis/flow.h"

#include <algorithm>
#include <set>

namespace lockspan {
namespace {

constexpr int kMaxCount = 4;

struct State {
  bool live = false;
  std::vector<unsigned char> held;  // lock count, 0 = not held

  static State dead(size_t n) { return State{false, std::vector<unsigned char>(n, 0)}; }
  bool operator==(const State& o) const { return live == o.live && held == o.held; }
};

State join(const State& a, const State& b) {
  if (!a.live) return b;
  if (!b.live) return a;
  State out = a;
  for (size_t i = 0; i < out.held.size(); ++i) out.held[i] = std::max(a.held[i], b.held[i]);
  return out;
}

struct Frame {
  enum class Kind { Loop, Switch, Try } kind;
  size_t scope_depth;  // scopes at or above this index are left by a jump out of the frame
  State brk, cont, handler;
};

class Interpreter {
 public:
  explicit Interpreter(const FunctionIR& fn) : fn_(fn), found_(fn.slots.size()) {}

  Holds run() {
    State s{true, std::vector<unsigned char>(fn_.slots.size(), 0)};
    exec(fn_.body, s);
    Holds holds;
    for (const auto& set : found_) {
      std::vector<int> v(set.begin(), set.end());
      std::sort(v.begin(), v.end(), [&](int a, int b) {
        return fn_.suspensions[a].loc < fn_.suspensions[b].loc;
      });
      holds.at.push_back(std::move(v));
    }
    return holds;
  }

 private:
  const FunctionIR& fn_;
  std::vector<std::set<int>> found_;
  std::vector<const std::vector<int>*> scopes_;
  std::vector<Frame> frames_;

  State dead() const { return State::dead(fn_.slots.size()); }

  // The state as seen after leaving every scope from `depth` upward.
  State leaving(State s, size_t depth) const {
    for (size_t i = depth; i < scopes_.size(); ++i)
      for (int slot : *scopes_[i]) s.held[slot] = 0;
    return s;
  }

  Frame* innermost(bool loops_only) {
    for (auto it = frames_.rbegin(); it != frames_.rend(); ++it) {
      if (it->kind == Frame::Kind::Loop) return &*it;
      if (it->kind == Frame::Kind::Switch && !loops_only) return &*it;
    }
    return nullptr;
  }

  // Any operation inside a try body may throw into its handlers.
  void may_throw(const State& s) {
    for (auto it = frames_.rbegin(); it != frames_.rend(); ++it) {
      if (it->kind == Frame::Kind::Try) {
        it->handler = join(it->handler, leaving(s, it->scope_depth));
        return;
      }
    }
  }

  State exec(const Node& n, State s) {
    if (!s.live) return s;
    scopes_.push_back(&n.scoped_slots);
    State out = exec_kind(n, std::move(s));
    scopes_.pop_back();
    if (out.live)
      for (int slot : n.scoped_slots) out.held[slot] = 0;
    return out;
  }

  State exec_kind(const Node& n, State s) {
    switch (n.kind) {
      case Node::Kind::Block:
        for (const auto& child : n.children) s = exec(child, std::move(s));
        return s;
      case Node::Kind::Ops:
        return exec_ops(n, std::move(s));
      case Node::Kind::If: {
        State c = exec(n.children[0], std::move(s));
        State then_in = c, else_in = c;
        if (n.refine_slot >= 0 && c.live) {
          // Only one branch can hold what the condition tested.
          (n.refine_then_held ? else_in : then_in).held[n.refine_slot] = 0;
        }
        return join(exec(n.children[1], then_in), exec(n.children[2], else_in));
      }
      case Node::Kind::Loop:
        return exec_loop(n, std::move(s));
      case Node::Kind::Switch:
        return exec_switch(n, std::move(s));
      case Node::Kind::Try:
        return exec_try(n, std::move(s));
      case Node::Kind::Case:
        return s;
      case Node::Kind::Break:
      case Node::Kind::Continue: {
        bool is_break = n.kind == Node::Kind::Break;
        if (Frame* f = innermost(!is_break)) {
          State left = leaving(s, f->scope_depth);
          State& target = is_break ? f->brk : f->cont;
          target = join(target, left);
        }
        return dead();
      }
      case Node::Kind::Return:
        return dead();
      case Node::Kind::Throw:
        may_throw(s);
        return dead();
    }
    return s;
  }

  State exec_ops(const Node& n, State s) {
    for (const Op& op : n.ops) {
      switch (op.kind) {
        case OpKind::Acquire:
        case OpKind::MayAcquire:
          s.held[op.slot] = static_cast<unsigned char>(std::min(s.held[op.slot] + 1, kMaxCount));
          break;
        case OpKind::Release:
          if (s.held[op.slot] > 0) --s.held[op.slot];
          break;
        case OpKind::ReleaseAll:
          s.held[op.slot] = 0;
          break;
        case OpKind::Transfer:
          s.held[op.target] = std::max(s.held[op.target], s.held[op.slot]);
          s.held[op.slot] = 0;
          break;
        case OpKind::Swap:
          std::swap(s.held[op.slot], s.held[op.target]);
          break;
        case OpKind::Suspend:
          for (size_t slot = 0; slot < s.held.size(); ++slot)
            if (s.held[slot]) found_[slot].insert(op.suspension);
          break;
      }
      may_throw(s);
    }
    return s;
  }

  // children: init, condition, body, step.
  State exec_loop(const Node& n, State s) {
    s = exec(n.children[0], std::move(s));
    if (!s.live) return s;
    frames_.push_back(Frame{Frame::Kind::Loop, scopes_.size(), dead(), dead(), dead()});
    State head = s;
    State exits = dead();
    for (int round = 0; round < 64; ++round) {
      State at = head;
      if (n.cond_first) {
        at = exec(n.children[1], at);
        if (!n.infinite) exits = join(exits, at);
      }
      at = exec(n.children[2], at);
      at = join(at, frames_.back().cont);
      at = exec(n.children[3], at);
      if (!n.cond_first) {
        at = exec(n.children[1], at);
        if (!n.infinite) exits = join(exits, at);
      }
      State next = join(head, at);
      if (next == head) break;
      head = std::move(next);
    }
    State out = join(exits, frames_.back().brk);
    frames_.pop_back();
    return out;
  }

  // children: condition, body. Case children of the body are entry points.
  State exec_switch(const Node& n, State s) {
    State entry = exec(n.children[0], std::move(s));
    if (!entry.live) return entry;
    frames_.push_back(Frame{Frame::Kind::Switch, scopes_.size(), dead(), dead(), dead()});
    const Node& body = n.children[1];
    scopes_.push_back(&body.scoped_slots);
    State cur = dead();
    bool has_default = false;
    for (const auto& child : body.children) {
      if (child.kind == Node::Kind::Case) {
        cur = join(cur, entry);
        has_default |= child.is_default;
        continue;
      }
      cur = exec(child, std::move(cur));
    }
    scopes_.pop_back();
    State out = join(cur, frames_.back().brk);
    frames_.pop_back();
    if (!has_default) out = join(out, entry);
    for (int slot : body.scoped_slots)
      if (out.live) out.held[slot] = 0;
    return out;
  }

  // children: body, handlers...
  State exec_try(const Node& n, State s) {
    frames_.push_back(Frame{Frame::Kind::Try, scopes_.size(), dead(), dead(), dead()});
    frames_.back().handler = s;  // a throw before anything ran
    State out = exec(n.children[0], std::move(s));
    State handler_entry = frames_.back().handler;
    frames_.pop_back();
    for (size_t i = 1; i < n.children.size(); ++i)
      out = join(out, exec(n.children[i], handler_entry));
    return out;
  }
};

}  // namespace

const char* to_string(AcquireHow how) {
  switch (how) {
    case AcquireHow::Guard: return "guard";
    case AcquireHow::Helper: return "helper";
    case AcquireHow::Manual: return "manual";
    case AcquireHow::Semaphore: return "semaphore";
    case AcquireHow::Temporary: return "temporary";
    case AcquireHow::Parameter: return "parameter";
  }
  return "guard";
}

Holds find_holds(const FunctionIR& fn) { return Interpreter(fn).run(); }

}  // namespace lockspan
