// Order book shared by the round2_realistic cases: the class, a guard-returning
// helper, a free helper and a RAII latch that wraps the book mutex.
#pragma once
#include <cstdio>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "coro.h"

namespace trading {

struct Order {
  std::string id;
  std::string account;
  int qty = 0;
  long price_ticks = 0;
  bool buy = true;
};

class ExchangeGateway {
 public:
  demo::IoResult cancel(const std::string& id) { return demo::write_socket(static_cast<int>(id.size())); }
  demo::IoResult replace(const Order& o) { return demo::write_socket(o.qty); }
  demo::IoResult publish(int depth) { return demo::write_socket(depth); }
};

// RAII latch: locks the book mutex for its whole lifetime.
class BookLatch {
 public:
  explicit BookLatch(std::mutex& m) : m_(m) { m_.lock(); }
  ~BookLatch() { m_.unlock(); }
  BookLatch(const BookLatch&) = delete;
  BookLatch& operator=(const BookLatch&) = delete;

 private:
  std::mutex& m_;
};

class OrderBook {
 public:
  demo::Task<int> cancel_all(const std::string& account);
  demo::Task<void> publish_snapshot();
  demo::Task<bool> amend(const std::string& id, int new_qty);

  std::unique_lock<std::mutex> lock_book() { return std::unique_lock<std::mutex>(mu_); }
  std::mutex& book_mutex() { return mu_; }

 private:
  std::mutex mu_;
  std::map<std::string, Order> orders_;
  std::vector<std::string> audit_;
  ExchangeGateway gateway_;
  long sequence_ = 0;
};

inline std::mutex g_risk_mu;
inline long g_open_exposure = 0;

// Free helper: the caller holds the risk mutex until the guard dies.
inline std::unique_lock<std::mutex> lock_risk() { return std::unique_lock<std::mutex>(g_risk_mu); }

}  // namespace trading
