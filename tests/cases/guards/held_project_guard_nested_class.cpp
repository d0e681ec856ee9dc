// A project guard class nested in the owner: its constructor locks, its destructor unlocks.
#include <mutex>
#include "coro.h"

class Account {
 public:
  class Hold {
   public:
    explicit Hold(Account& a) : acct_(a) { acct_.mu_.lock(); }
    ~Hold() { acct_.mu_.unlock(); }
    Hold(const Hold&) = delete;
    Hold& operator=(const Hold&) = delete;

   private:
    Account& acct_;
  };

  demo::Task<void> deposit(long amount) {
    Hold hold(*this);
    balance_ += amount;
    co_await demo::write_socket(static_cast<int>(balance_));  // expect: lock-across-suspend
  }

 private:
  std::mutex mu_;
  long balance_ = 0;
};
