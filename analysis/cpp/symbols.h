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
  // (class, object) pairs whose lock is acquired by a co_await somewhere: their
  // types are coroutine-aware whatever their names say.
  std::vector<std::pair<std::string, std::string>> awaited_objects_;

  void scan_special_members(const FileModel& model, const FunctionDef& f);
  void scan_awaited_acquisitions(const FileModel& model, const FunctionDef& f);
  void learn_async_types();
  void derive_guard_classes();
  void derive_helpers();
  std::optional<Helper> helper_from(const FileModel& model, const FunctionDef& f) const;
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
