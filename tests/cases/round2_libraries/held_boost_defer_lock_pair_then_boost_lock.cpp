// Two deferred boost::unique_locks declared in one statement, then locked
// together with boost::lock(); both are held at the await.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/thread/locks.hpp>
#include <boost/thread/mutex.hpp>

struct account {
  boost::mutex mtx;
  long balance = 0;
};

boost::asio::awaitable<void> transfer(account& from, account& to, long amount, notifier& n) {
  boost::unique_lock<boost::mutex> a(from.mtx, boost::defer_lock), b(to.mtx, boost::defer_lock);
  boost::lock(a, b);
  from.balance -= amount;
  to.balance += amount;
  co_await n.async_notify(amount, boost::asio::use_awaitable);  // expect: lock-across-suspend
}
