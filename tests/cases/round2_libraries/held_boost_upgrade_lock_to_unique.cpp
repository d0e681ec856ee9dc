// boost::upgrade_lock promoted with upgrade_to_unique_lock; the mutex is held
// (exclusively) at the await.
#include <boost/asio/awaitable.hpp>
#include <boost/thread/locks.hpp>
#include <boost/thread/shared_mutex.hpp>
#include <map>
#include <string>

class dns_cache {
 public:
  boost::asio::awaitable<address> resolve(std::string host) {
    boost::upgrade_lock<boost::shared_mutex> read(mtx_);
    if (auto it = entries_.find(host); it != entries_.end()) co_return it->second;
    boost::upgrade_to_unique_lock<boost::shared_mutex> write(read);
    address a = co_await resolver_.async_lookup(host);  // expect: lock-across-suspend
    entries_.emplace(host, a);
    co_return a;
  }

 private:
  boost::shared_mutex mtx_;
  std::map<std::string, address> entries_;
  async_resolver resolver_;
};
