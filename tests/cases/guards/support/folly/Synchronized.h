// Stand-in for folly/Synchronized.h (only what the test cases use).
#pragma once
#include <mutex>
#include <shared_mutex>
#include <utility>

namespace folly {

template <typename T, typename Mutex = std::shared_mutex>
class Synchronized {
 public:
  class LockedPtr {
   public:
    explicit LockedPtr(Synchronized& s) : lock_(s.mutex_), value_(&s.datum_) {}
    T* operator->() const { return value_; }
    T& operator*() const { return *value_; }
    void unlock() { lock_.unlock(); value_ = nullptr; }

   private:
    std::unique_lock<Mutex> lock_;
    T* value_;
  };
  class ConstLockedPtr {
   public:
    explicit ConstLockedPtr(const Synchronized& s) : lock_(s.mutex_), value_(&s.datum_) {}
    const T* operator->() const { return value_; }
    const T& operator*() const { return *value_; }

   private:
    std::shared_lock<Mutex> lock_;
    const T* value_;
  };

  LockedPtr wlock() { return LockedPtr(*this); }
  ConstLockedPtr rlock() const { return ConstLockedPtr(*this); }

  template <typename F>
  auto withWLock(F&& f) {
    auto p = wlock();
    return std::forward<F>(f)(*p);
  }

 private:
  mutable Mutex mutex_;
  T datum_{};
};

}  // namespace folly
