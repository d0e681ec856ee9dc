// Stand-in for seastar's semaphore and get_units (only what the test cases use).
#pragma once
#include <coroutine>
#include <cstddef>
#include <utility>

namespace seastar {

class semaphore;

// Permits taken from a semaphore; returned to it on destruction.
class semaphore_units {
 public:
  semaphore_units(semaphore& s, std::size_t n) noexcept : sem_(&s), n_(n) {}
  semaphore_units(semaphore_units&& o) noexcept : sem_(std::exchange(o.sem_, nullptr)), n_(o.n_) {}
  semaphore_units(const semaphore_units&) = delete;
  ~semaphore_units();

 private:
  semaphore* sem_;
  std::size_t n_;
};

class semaphore {
 public:
  explicit semaphore(std::size_t n) : avail_(n) {}
  struct wait_operation {
    semaphore& s;
    std::size_t n;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<>) noexcept {}
    void await_resume() noexcept { s.avail_ -= n; }
  };
  wait_operation wait(std::size_t n = 1) { return {*this, n}; }
  void signal(std::size_t n = 1) { avail_ += n; }
  std::size_t available_units() const { return avail_; }

 private:
  std::size_t avail_;
};

struct units_operation {
  semaphore& s;
  std::size_t n;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) noexcept {}
  semaphore_units await_resume() noexcept { return semaphore_units(s, n); }
};

inline units_operation get_units(semaphore& s, std::size_t n) { return {s, n}; }

inline semaphore_units::~semaphore_units() {
  if (sem_) sem_->signal(n_);
}

}  // namespace seastar
