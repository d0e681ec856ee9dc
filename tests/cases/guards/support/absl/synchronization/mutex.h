// Stand-in for Abseil's mutex header (only what the test cases use).
#pragma once

namespace absl {

class Mutex {
 public:
  void Lock() {}
  void Unlock() {}
  void ReaderLock() {}
  void ReaderUnlock() {}
  bool TryLock() { return true; }
};

// Locks the mutex for the lifetime of the object.
class MutexLock {
 public:
  explicit MutexLock(Mutex* mu) : mu_(mu) { mu_->Lock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;
  ~MutexLock() { mu_->Unlock(); }

 private:
  Mutex* const mu_;
};

class ReaderMutexLock {
 public:
  explicit ReaderMutexLock(Mutex* mu) : mu_(mu) { mu_->ReaderLock(); }
  ReaderMutexLock(const ReaderMutexLock&) = delete;
  ~ReaderMutexLock() { mu_->ReaderUnlock(); }

 private:
  Mutex* const mu_;
};

}  // namespace absl
