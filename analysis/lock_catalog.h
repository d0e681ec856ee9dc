// Which types and calls are locks, as data. Names are written as in code,
// qualified or not; a written name matches an entry when one is a suffix of
// the other on a `::` boundary ("unique_lock" matches "std::unique_lock").
// Repository configuration adds entries; nothing else is special-cased.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/ir.h"

namespace lockspan {

struct LockCatalog {
  std::vector<std::string> blocking_mutexes;
  std::vector<std::string> async_mutexes;
  std::vector<std::string> blocking_semaphores;
  std::vector<std::string> async_semaphores;
  // Guards whose lock class follows their mutex (std::unique_lock<Async> is async).
  std::vector<std::string> generic_guards;
  std::vector<std::string> blocking_guards;
  std::vector<std::string> async_guards;

  // Member calls on a mutex object: acquire / may-acquire / release.
  std::vector<std::string> lock_methods;
  std::vector<std::string> try_lock_methods;
  std::vector<std::string> unlock_methods;
  // Member calls on a semaphore object.
  std::vector<std::string> acquire_methods;
  std::vector<std::string> try_acquire_methods;
  std::vector<std::string> release_methods;
  // Free functions taking the lock as first argument.
  std::vector<std::string> lock_functions;
  std::vector<std::string> try_lock_functions;
  std::vector<std::string> unlock_functions;

  // Awaited calls that acquire a coroutine-aware lock and need a manual unlock.
  std::vector<std::string> awaited_manual_acquire;
  // Awaited calls that return an RAII guard or permit.
  std::vector<std::string> awaited_guard_acquire;
  // Plain calls returning a thread-bound guard object (folly::Synchronized).
  std::vector<std::string> guard_returning_methods;

  static LockCatalog builtin();

  std::optional<LockKind> classify_mutex_type(std::string_view type_text) const;
  bool is_semaphore_type(std::string_view type_text) const;
  // For a guard type: nullopt when it is not a guard; else the kind it implies
  // on its own (generic guards report ThreadBound; callers refine by mutex).
  std::optional<LockKind> classify_guard_type(std::string_view type_text, bool* generic = nullptr) const;
};

// True when a written name and a catalog entry name the same thing.
bool names_match(std::string_view written, std::string_view entry);
bool in_list(const std::vector<std::string>& list, std::string_view written);
// "std::unique_lock<std::mutex>" -> "std::unique_lock"; drops leading "::", cv and refs.
std::string type_head(std::string_view type_text);
// Template arguments at the outermost level: "a<b, c<d>>" -> {"b", "c<d>"}.
std::vector<std::string> template_args(std::string_view type_text);

}  // namespace lockspan
