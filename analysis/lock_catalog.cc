#include "analysis/lock_catalog.h"

#include <algorithm>
#include <cctype>

namespace lockspan {

LockCatalog LockCatalog::builtin() {
  LockCatalog c;
  c.blocking_mutexes = {
      "std::mutex", "std::recursive_mutex", "std::timed_mutex", "std::recursive_timed_mutex",
      "std::shared_mutex", "std::shared_timed_mutex", "absl::Mutex", "boost::mutex",
      "boost::recursive_mutex", "boost::timed_mutex", "boost::shared_mutex", "QMutex",
      "QRecursiveMutex", "QReadWriteLock", "pthread_mutex_t", "pthread_rwlock_t", "mtx_t",
      "folly::SharedMutex", "folly::Synchronized", "folly::DistributedMutex", "folly::MicroSpinLock",
      "folly::SpinLock", "winrt::slim_mutex", "wil::srwlock", "wil::critical_section", "CRITICAL_SECTION",
      "SRWLOCK", "tbb::spin_mutex", "tbb::mutex", "tbb::queuing_mutex",
  };
  c.async_mutexes = {
      "cppcoro::async_mutex", "folly::coro::Mutex", "folly::coro::SharedMutex",
      "folly::coro::SharedMutexFair", "seastar::shared_mutex", "seastar::rwlock",
      "seastar::basic_rwlock", "coro::mutex", "coro::shared_mutex", "concurrencpp::async_lock",
      "async_simple::coro::Mutex", "async_simple::coro::SharedMutex", "async_simple::coro::SpinLock",
      "tmc::mutex", "co_context::mutex", "coev::co_mutex", "coop::Mutex", "rod::async_mutex",
      "Co::Mutex", "cpp20::async_mutex", "asio::async_mutex", "folly::coro::Synchronized",
  };
  c.blocking_semaphores = {
      "std::counting_semaphore", "std::binary_semaphore", "QSemaphore", "sem_t",
      "boost::interprocess::interprocess_semaphore", "boost::sync::semaphore",
  };
  c.async_semaphores = {
      "seastar::semaphore", "seastar::basic_semaphore", "seastar::named_semaphore", "ss::semaphore",
      "ssx::semaphore", "ssx::named_semaphore", "adjustable_semaphore", "coro::semaphore",
      "folly::fibers::Semaphore", "async_simple::coro::Semaphore",
      "async_simple::coro::CountingSemaphore", "tmc::semaphore", "cppcoro::async_semaphore",
  };
  c.generic_guards = {
      "std::lock_guard", "std::unique_lock", "std::scoped_lock", "std::shared_lock",
      "boost::lock_guard", "boost::unique_lock", "boost::shared_lock", "boost::upgrade_lock",
  };
  c.blocking_guards = {
      "absl::MutexLock", "absl::ReaderMutexLock", "absl::WriterMutexLock",
      "absl::ReleasableMutexLock", "QMutexLocker", "QReadLocker", "QWriteLocker",
      "boost::mutex::scoped_lock", "boost::recursive_mutex::scoped_lock",
      "winrt::slim_lock_guard", "winrt::slim_shared_lock_guard", "folly::SharedMutex::ReadHolder",
      "folly::SharedMutex::WriteHolder", "folly::SharedMutex::UpgradeHolder", "folly::LockedPtr",
      "wil::rwlock_release_exclusive_scope_exit", "wil::rwlock_release_shared_scope_exit",
      "wil::cs_leave_scope_exit", "tbb::spin_mutex::scoped_lock", "tbb::mutex::scoped_lock",
  };
  c.async_guards = {
      "cppcoro::async_mutex_lock", "folly::coro::SharedLock", "folly::coro::UpgradeLock",
      "seastar::semaphore_units", "ss::semaphore_units", "ssx::semaphore_units",
      "seastar::rwlock::holder", "ss::rwlock::holder", "coro::scoped_lock",
      "concurrencpp::scoped_async_lock", "async_simple::coro::ScopedLock", "mutex::units",
      "rod::async_lock_guard", "async_mutex_lock",
  };
  c.lock_methods = {"lock", "lock_shared", "lock_upgrade", "Lock", "ReaderLock", "WriterLock",
                    "lockForRead", "lockForWrite", "lock_exclusive", "relock"};
  c.try_lock_methods = {"try_lock", "try_lock_shared", "try_lock_for", "try_lock_until",
                        "try_lock_shared_for", "try_lock_shared_until", "TryLock",
                        "ReaderTryLock", "tryLock", "tryLockForRead", "tryLockForWrite"};
  // absl::ReleasableMutexLock::Release() unlocks; lower-case release() detaches instead.
  c.unlock_methods = {"unlock", "unlock_shared", "unlock_upgrade", "Unlock", "ReaderUnlock",
                      "WriterUnlock", "unlock_exclusive", "Release"};
  c.acquire_methods = {"acquire"};
  c.try_acquire_methods = {"try_acquire", "try_acquire_for", "try_acquire_until", "tryAcquire"};
  c.release_methods = {"release", "signal", "post"};
  c.lock_functions = {"pthread_mutex_lock", "pthread_rwlock_rdlock", "pthread_rwlock_wrlock",
                      "sem_wait", "mtx_lock", "EnterCriticalSection", "AcquireSRWLockExclusive",
                      "AcquireSRWLockShared"};
  c.try_lock_functions = {"pthread_mutex_trylock", "pthread_rwlock_tryrdlock",
                          "pthread_rwlock_trywrlock", "sem_trywait", "mtx_trylock",
                          "TryEnterCriticalSection"};
  c.unlock_functions = {"pthread_mutex_unlock", "pthread_rwlock_unlock", "sem_post", "mtx_unlock",
                        "LeaveCriticalSection", "ReleaseSRWLockExclusive", "ReleaseSRWLockShared"};
  c.awaited_manual_acquire = {"lock", "lock_shared", "lock_async", "lock_shared_async", "co_lock",
                              "co_lock_shared", "co_lock_upgrade", "coLock", "coLockShared",
                              "acquire", "wait", "co_wait", "async_lock"};
  c.awaited_guard_acquire = {
      "scoped_lock_async", "scoped_lock", "scoped_lock_shared", "scoped_lock_shared_async",
      "co_scoped_lock", "co_scoped_lock_shared", "co_scoped_lock_upgrade", "coScopedLock",
      "coScopedLockShared", "async_scoped_lock", "wLock", "rLock", "get_units", "consume_units",
      "get_unique_lock", "get_shared_lock", "hold_read_lock", "hold_write_lock", "obtain_permit",
      "lock", "lock_shared", "lock_async", "acquire", "async_lock", "co_lock", "coLock"};
  c.guard_returning_methods = {"wlock", "rlock", "ulock", "contextualLock", "contextualRLock"};
  return c;
}

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool suffix_on_boundary(std::string_view longer, std::string_view shorter) {
  if (shorter.size() > longer.size()) return false;
  if (longer.substr(longer.size() - shorter.size()) != shorter) return false;
  if (shorter.size() == longer.size()) return true;
  return longer.substr(0, longer.size() - shorter.size()).ends_with("::");
}

bool looks_async(std::string_view head) {
  std::string lower(head);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return lower.find("async") != std::string::npos || head.find("coro::") != std::string_view::npos ||
         head.starts_with("cppcoro");
}

}  // namespace

bool names_match(std::string_view written, std::string_view entry) {
  written = trim(written);
  if (written.starts_with("::")) written.remove_prefix(2);
  if (written.empty()) return false;
  return suffix_on_boundary(entry, written) || suffix_on_boundary(written, entry);
}

bool in_list(const std::vector<std::string>& list, std::string_view written) {
  return std::any_of(list.begin(), list.end(),
                     [&](const std::string& e) { return names_match(written, e); });
}

std::string type_head(std::string_view text) {
  std::string out;
  int depth = 0;
  for (char ch : text) {
    if (ch == '<') ++depth;
    else if (ch == '>') --depth;
    else if (depth == 0 && !std::isspace(static_cast<unsigned char>(ch)) && ch != '&' && ch != '*')
      out += ch;
  }
  for (std::string_view cv : {"const", "volatile", "typename", "struct", "class"}) {
    if (out.starts_with(cv) && out.size() > cv.size() && out[cv.size()] != ':' && out[cv.size()] != '_')
      out.erase(0, cv.size());
  }
  if (out.starts_with("::")) out.erase(0, 2);
  return out;
}

std::vector<std::string> template_args(std::string_view text) {
  std::vector<std::string> args;
  int depth = 0;
  std::string cur;
  for (char ch : text) {
    if (ch == '<') {
      if (depth++ > 0) cur += ch;
    } else if (ch == '>') {
      if (--depth > 0) cur += ch;
      else if (depth == 0) { args.emplace_back(trim(cur)); cur.clear(); }
    } else if (ch == ',' && depth == 1) {
      args.emplace_back(trim(cur));
      cur.clear();
    } else if (depth > 0) {
      cur += ch;
    }
  }
  return args;
}

std::optional<LockKind> LockCatalog::classify_mutex_type(std::string_view type_text) const {
  // Smart pointers and references wrap the mutex: look through template arguments.
  std::string head = type_head(type_text);
  if (head.empty()) return std::nullopt;
  // Exact (qualified) matches beat bare-name matches so that "mutex" means std::mutex.
  if (in_list(async_mutexes, head) && head.find("::") != std::string::npos) return LockKind::Async;
  if (in_list(async_semaphores, head) && head.find("::") != std::string::npos) return LockKind::Async;
  if (in_list(blocking_mutexes, head) || in_list(blocking_semaphores, head)) {
    if (looks_async(head)) return LockKind::Async;
    return LockKind::ThreadBound;
  }
  if (in_list(async_mutexes, head) || in_list(async_semaphores, head)) return LockKind::Async;
  for (const auto& arg : template_args(type_text))
    if (auto kind = classify_mutex_type(arg)) return kind;
  std::string lower = head;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  bool lockish = false;
  for (std::string_view word : {"mutex", "semaphore", "spinlock", "rwlock", "critical_section"})
    lockish |= lower.find(word) != std::string::npos;
  if (lockish) return looks_async(head) ? LockKind::Async : LockKind::ThreadBound;
  return std::nullopt;
}

bool LockCatalog::is_semaphore_type(std::string_view type_text) const {
  std::string head = type_head(type_text);
  if (in_list(blocking_semaphores, head) || in_list(async_semaphores, head)) return true;
  for (const auto& arg : template_args(type_text))
    if (is_semaphore_type(arg)) return true;
  std::string lower = head;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return lower.find("semaphore") != std::string::npos;
}

std::optional<LockKind> LockCatalog::classify_guard_type(std::string_view type_text,
                                                         bool* generic) const {
  std::string head = type_head(type_text);
  if (generic) *generic = false;
  if (head.empty()) return std::nullopt;
  bool qualified = head.find("::") != std::string::npos;
  // A bare "scoped_lock" is std::scoped_lock, not libcoro's coro::scoped_lock.
  if (qualified && in_list(async_guards, head) && !in_list(generic_guards, head)) return LockKind::Async;
  if (in_list(generic_guards, head)) {
    if (generic) *generic = true;
    return LockKind::ThreadBound;
  }
  if (in_list(blocking_guards, head)) return LockKind::ThreadBound;
  if (in_list(async_guards, head)) return LockKind::Async;
  return std::nullopt;
}

}  // namespace lockspan
