// Shared between lower.cc (statements and control flow) and lower_events.cc
// (what one full expression does to locks). Not part of the public interface.
#pragma once

#include <map>
#include <set>
#include <optional>
#include <string>
#include <vector>

#include "analysis/cpp/lower.h"

namespace lockspan::cpp {

// One operation at a token position; `order` breaks ties so that an awaited
// acquisition happens after its own suspension and temporaries die last.
struct Event {
  size_t pos = 0;
  int order = 0;
  Op op;
};

enum Order { kBefore = 0, kSuspend = 1, kAfterSuspend = 2, kStatementEnd = 3 };

struct Declarator {
  Range type;
  size_t name = 0;
  enum class Init { None, Paren, Brace, Assign } init_kind = Init::None;
  Range init;
  bool reference = false;  // T& or T* (does not own); `auto&&` / `const auto&` extend lifetimes
  bool forwarding = false;
  size_t end = 0;          // one past this declarator: r.end or the ',' before the next one
};

struct EventBuilder;

class FunctionLowerer {
 public:
  FunctionLowerer(const FileModel& model, const SymbolIndex& index, const FunctionDef& def,
                  std::vector<std::string>& problems);
  FunctionIR run();
  // Lambdas nested directly in this function, to be lowered on their own.
  const std::vector<FunctionDef>& nested() const { return nested_; }

 private:
  friend struct EventBuilder;
  const FileModel& m_;
  const std::vector<Token>& t_;
  const SymbolIndex& idx_;
  const FunctionDef& def_;
  std::vector<std::string>& problems_;
  FunctionIR fn_;
  std::vector<FunctionDef> nested_;
  std::vector<char> masked_;                         // tokens inside nested lambdas
  std::vector<std::map<std::string, int>> guards_;   // scope stack: guard variable -> slot
  std::vector<std::vector<int>*> scope_slots_;       // where new guard slots are scoped
  std::map<std::string, int> manual_slots_;          // mutex key -> slot
  std::map<std::string, std::string> local_types_;   // locals and parameters -> type
  std::map<size_t, size_t> lambda_at_;               // lambda '[' token -> index in nested_
  std::map<std::string, std::string> lambda_vars_;   // local variable -> the coroutine lambda it names
  int depth_ = 0;
  bool depth_reported_ = false;

  // Statements (lower.cc).
  Node block(Range r);
  Node sub_statement(size_t& i, size_t end);
  Node statement(size_t& i, size_t end);
  Node if_statement(size_t& i, size_t end);
  Node for_statement(size_t& i, size_t end);
  void refine(Node& n, Range cond);
  Node while_statement(size_t& i, size_t end);
  Node loop_condition(Node& loop, Range inside);
  struct ScopeFrame;
  Node do_statement(size_t& i, size_t end);
  Node switch_statement(size_t& i, size_t end);
  Node try_statement(size_t& i, size_t end);
  Node jump(Node::Kind kind, size_t& i, size_t end, size_t expr_begin);
  void parameters();
  size_t group_end(size_t i) const;
  size_t statement_end(size_t i, size_t end) const;
  size_t top_level(Range r, std::string_view what) const;  // index of a top-level token or r.end

 public:
  // Expressions (lower_events.cc).
  Node ops(Range r);
  std::optional<Declarator> declarator(Range r) const;
  bool declarator_rest(Range r, size_t after_name, Declarator& d) const;
  int guard_slot(const std::string& name) const;
  int manual_slot(const std::string& expr, LockKind kind, AcquireHow how, const Token& at, Range stmt);
  int new_slot(LockSlot slot);
  std::vector<std::string> mutex_keys(const std::string& expr) const;
  std::optional<LockKind> mutex_kind_of(const std::string& expr) const;
  std::optional<std::string> type_of(const std::string& name) const;
  std::string statement_text(Range r) const;
};


// A co_await whose operand is exactly a call that acquires a lock.
struct AwaitedAcquisition {
  std::string object;
  std::string method;
  size_t call_close = 0;
  size_t operand_end = 0;
};

// The events of one full expression or declaration, built in passes
// (lower_events.cc: suspensions and calls; lower_decls.cc: declarations and
// assignments) and then ordered.
struct EventBuilder {
  EventBuilder(FunctionLowerer& l, Range r) : L(l), t(l.t_), r(r) {}

  FunctionLowerer& L;
  const std::vector<Token>& t;
  Range r;
  std::vector<Event> events_;
  std::map<size_t, AwaitedAcquisition> awaited_;  // by call close paren
  std::set<size_t> consumed_;                     // call-name tokens already accounted for
  bool has_suspension_ = false;

  bool masked(size_t i) const { return L.masked_[i] != 0; }
  bool is(size_t i, std::string_view s) const { return i < r.end && t[i].is(s); }
  size_t group_end(size_t i) const { return L.group_end(i); }
  void emit(size_t pos, int order, Op op) { events_.push_back(Event{pos, order, op}); }

  Node build();
  size_t operand_end(size_t i) const;
  // The object a call at `name` is made on: "counter" in counter.lock_hits().
  // Returns the first token of the object chain, or `name` for a plain call.
  size_t object_begin(size_t name) const;
  std::string object_text(size_t begin, size_t name) const;
  void suspensions();
  // Which coroutine the operand calls, and whether it acquires a lock.
  void callee(size_t b, size_t e, Suspension& s);
  const AwaitedAcquisition* awaited_at(size_t close) const;
  // The single call spanning [b, e): its name token, or npos.
  size_t whole_call(size_t b, size_t e) const;
  void declaration();
  void declare_one(const Declarator& d);
  // auto [a, b] = folly::acquireLocked(x, y);
  bool structured_binding();
  // `g = ...` for a guard g: the old lock is released, the new value decides. True when handled.
  bool assignment();
  // lk.release()->unlock(): the mutex is unlocked at once.
  void released_then_unlocked();
  // The call whose argument list contains token `tok`: its name token (or npos) and the argument index.
  size_t enclosing_call(size_t tok, size_t* arg_index) const;
  // Declarations that are lambdas (named for deadlock lookups) or invoke one at once.
  bool lambda_declaration(const Declarator& d, LockSlot& s, const std::string& name);
  void guard_macro_statement();
  // A call to a plain function that leaves a mutex locked or unlocked for its caller.
  bool lock_effect_call(size_t name_tok, size_t close);
  void guard_arguments(size_t name_tok, size_t close);
  // The call's receiver has a known type that is not `cls`.
  bool object_is_not(size_t call, const std::string& cls) const;
  void guard_from_args(const GuardType& g, Range args, Declarator::Init init_kind, LockSlot& s, const std::string& name, size_t end);
  int declare(LockSlot& s, const std::string& name);
  void transfer(int from, LockSlot s, const std::string& name, size_t end);
  // std::move(g) spanning the whole range, for a guard g: its slot, else -1.
  int moved_guard(Range init);
  void calls();
  void member_call(size_t name_tok, size_t close);
  void guard_call(int slot, const std::string& method, size_t pos, int order, Range args);
  void free_call(size_t name_tok, size_t close);
  // Guard-typed temporaries live to the end of the full expression, so a
  // suspension anywhere in it happens while they hold their lock.
  void temporaries();
};

}  // namespace lockspan::cpp
