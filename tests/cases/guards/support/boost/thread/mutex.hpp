// Stand-in for Boost.Thread's mutex header (only what the test cases use).
#pragma once

namespace boost {

template <typename Mutex>
class unique_lock;

template <typename Mutex>
class lock_guard {
 public:
  explicit lock_guard(Mutex& m) : m_(m) { m_.lock(); }
  lock_guard(const lock_guard&) = delete;
  ~lock_guard() { m_.unlock(); }

 private:
  Mutex& m_;
};

class mutex {
 public:
  void lock() {}
  void unlock() {}
  bool try_lock() { return true; }
  typedef unique_lock<mutex> scoped_lock;
};

template <typename Mutex>
class unique_lock {
 public:
  explicit unique_lock(Mutex& m) : m_(&m), owns_(true) { m_->lock(); }
  unique_lock(const unique_lock&) = delete;
  ~unique_lock() { if (owns_) m_->unlock(); }
  void unlock() { m_->unlock(); owns_ = false; }
  void lock() { m_->lock(); owns_ = true; }
  bool owns_lock() const { return owns_; }

 private:
  Mutex* m_;
  bool owns_;
};

}  // namespace boost
