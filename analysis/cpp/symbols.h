// What all analyzed files together say about locks: type aliases, project
// guard classes (a class that locks in its constructor and unlocks in its
// destructor, or owns a guard), helpers that return guards, and the declared
// types of fields and variables, so a mutex can be classified by its type.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "analysis/cpp/parser.h"
#include "analysis/lock_catalog.h"

namespace lockspan::cpp {

struct GuardType {
  LockKind kind = LockKind::ThreadBound;
  bool generic = false;       // std::unique_lock & co: the kind follows the mutex
  bool project_class = false;  // recognized from its constructor/destructor or members
  std::string written;        // the type as written, aliases resolved
};

struct Helper {
  std::string name;
  std::string qualified;
  std::string path;
  int line = 0;
  std::string return_type;
  LockKind kind = LockKind::ThreadBound;
  std::string mutex;                    // the mutex it locks, as written in the helper
  std::vector<std::string> mutex_keys;
  bool defer = false;                   // returns a guard built with defer_lock: it owns nothing yet
  bool maybe = false;                   // returns std::optional<guard>: it may own one
  std::string class_name() const {
    size_t cut = qualified.rfind("::");
    return cut == std::string::npos ? "" : qualified.substr(0, cut);
  }
};

// A plain function that leaves a mutex locked (or unlocked) for its caller:
// begin_update() { mu.lock(); }  end_update() { mu.unlock(); }
struct LockEffect {
  std::string mutex;
  std::string key;
  bool acquires = true;
  std::string class_name;  // the function's class, "" for free functions
};

// A macro that expands to a guard declaration: LOCK_SCOPE(m) -> std::lock_guard<...> x(m).
struct GuardMacro {
  std::string type;
  size_t mutex_param = 0;
};

class SymbolIndex {
 public:
  explicit SymbolIndex(LockCatalog catalog) : catalog_(std::move(catalog)) {}

  void add_file(const FileModel& model);
  // Derives guard classes and helpers once every file has been added.
  void finish();

  const LockCatalog& catalog() const { return catalog_; }
  std::string resolve_alias(std::string type) const;
  std::optional<GuardType> guard_type(const std::string& type_text) const;
  std::optional<LockKind> mutex_kind(const std::string& type_text) const;
  bool is_semaphore(const std::string& type_text) const;
  const Helper* helper(const std::string& name) const;
  // The guard a function (or lambda) body returns, if any.
  std::optional<Helper> helper_for(const FileModel& model, const FunctionDef& f) const;
  const std::vector<std::string>* param_types(const std::string& function) const;
  const LockEffect* lock_effect(const std::string& function) const;
  // Per parameter of `function`: -1 it unlocks the guard passed by reference, +1 it locks it, 0 neither.
  const std::vector<int>* guard_param_effects(const std::string& function) const;
  bool is_suspension_macro(std::string_view name) const { return suspension_macros_.count(std::string(name)) > 0; }
  const GuardMacro* guard_macro(const std::string& name) const;
  // Declared type of a field of `cls` (or any class when cls has none), or of a global.
  std::optional<std::string> field_type(const std::string& cls, const std::string& name) const;
  bool has_field(const std::string& cls, const std::string& name) const;
  bool is_class(const std::string& name) const { return classes_.count(name) > 0; }

 private:
  struct ClassInfo {
    std::vector<std::string> bases;
    std::map<std::string, std::string> fields;
    bool ctor_locks = false;
    bool dtor_unlocks = false;
    std::string ctor_mutex;
  };
  struct PendingHelper {
    const FileModel* model;
    size_t function;
  };

  LockCatalog catalog_;
  std::map<std::string, std::string> aliases_;
  std::map<std::string, ClassInfo> classes_;
  std::map<std::string, std::string> globals_;
  std::map<std::string, std::string> any_field_;
  std::map<std::string, GuardType> guard_classes_;
  std::map<std::string, Helper> helpers_;
  std::set<std::string> learned_async_;
  std::vector<PendingHelper> pending_;
  std::map<std::string, std::vector<std::string>> params_;
  std::map<std::string, LockEffect> lock_effects_;
  std::map<std::string, std::vector<int>> guard_param_effects_;
  std::vector<PendingHelper> special_members_;  // constructors and destructors, read again in finish()
  std::set<std::string> suspension_macros_;
  std::map<std::string, GuardMacro> guard_macros_;
  std::vector<MacroDef> macro_defs_;
  // (class, object) pairs whose lock is acquired by a co_await somewhere: their
  // types are coroutine-aware whatever their names say.
  std::vector<std::pair<std::string, std::string>> awaited_objects_;

  void scan_special_members(const FileModel& model, const FunctionDef& f);
  void scan_lock_effect(const FileModel& model, const FunctionDef& f);
  void derive_macros();
  void derive_guard_param_effects();
  void rescan_special_members();
  void scan_awaited_acquisitions(const FileModel& model, const FunctionDef& f);
  void learn_async_types();
  void derive_guard_classes();
  void derive_helpers();
};

// The mutex expressions handed to a guard constructor, without tag arguments.
struct GuardArgs {
  std::vector<std::string> mutexes;  // as written
  bool adopt = false, defer = false, try_to = false;
};
GuardArgs split_guard_args(const std::vector<Token>& tokens, Range args);

// The identifier that names a mutex in an expression: "inv.mu" -> "mu",
// "*mu" -> "mu", "this->mu_" -> "mu_", "&m" -> "m".
std::string mutex_leaf(const std::string& expr);
// Strips "this->", "*", "&" and spaces: the expression that names the mutex.
std::string normalize_mutex(const std::string& expr);

}  // namespace lockspan::cpp
