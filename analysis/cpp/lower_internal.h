// Shared between lower.cc (statements and control flow) and lower_events.cc
// (what one full expression does to locks). Not part of the public interface.
#pragma once

#include <map>
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
};

class FunctionLowerer {
 public:
  FunctionLowerer(const FileModel& model, const SymbolIndex& index, const FunctionDef& def,
                  std::vector<std::string>& problems);
  FunctionIR run();
  // Lambdas nested directly in this function, to be lowered on their own.
  const std::vector<FunctionDef>& nested() const { return nested_; }

 private:
  friend class EventBuilder;
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
  int depth_ = 0;
  bool depth_reported_ = false;

  // Statements (lower.cc).
  Node block(Range r);
  Node sub_statement(size_t& i, size_t end);
  Node statement(size_t& i, size_t end);
  Node if_statement(size_t& i, size_t end);
  Node for_statement(size_t& i, size_t end);
  Node while_statement(size_t& i, size_t end);
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
  int guard_slot(const std::string& name) const;
  int manual_slot(const std::string& expr, LockKind kind, AcquireHow how, const Token& at, Range stmt);
  int new_slot(LockSlot slot);
  std::vector<std::string> mutex_keys(const std::string& expr) const;
  std::optional<LockKind> mutex_kind_of(const std::string& expr) const;
  std::optional<std::string> type_of(const std::string& name) const;
  std::string statement_text(Range r) const;
};

}  // namespace lockspan::cpp
