// boost::shared_lock over a boost::shared_mutex, held while waiting on a channel.
#include <boost/asio/experimental/channel.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/thread/shared_mutex.hpp>
#include <map>
#include <string>

namespace asio = boost::asio;

class router {
 public:
  asio::awaitable<void> forward_loop() {
    for (;;) {
      boost::shared_lock<boost::shared_mutex> routes(routes_mu_);
      auto msg = co_await inbox_.async_receive(asio::use_awaitable);  // expect: lock-across-suspend
      if (auto it = routes_.find(msg.topic); it != routes_.end()) {
        it->second->deliver(std::move(msg));
      }
    }
  }

 private:
  boost::shared_mutex routes_mu_;
  std::map<std::string, subscriber*> routes_;
  asio::experimental::channel<void(boost::system::error_code, message)> inbox_;
};
