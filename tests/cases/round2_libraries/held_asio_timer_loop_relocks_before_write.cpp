// The lock is dropped around every timer wait, but re-taken before the loop ends
// and still held at the websocket write after the loop.
#include <boost/asio.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <mutex>

namespace net = boost::asio;
using namespace std::chrono_literals;

class ticker_feed {
 public:
  net::awaitable<void> publish_when_ready() {
    std::unique_lock lk(mu_);
    while (!snapshot_ready_) {
      lk.unlock();
      timer_.expires_after(50ms);
      co_await timer_.async_wait(net::use_awaitable);
      lk.lock();
    }
    auto frame = encode(snapshot_);
    co_await ws_.async_write(net::buffer(frame), net::use_awaitable);  // expect: lock-across-suspend
  }

 private:
  std::mutex mu_;
  bool snapshot_ready_ = false;
  snapshot snapshot_;
  net::steady_timer timer_;
  boost::beast::websocket::stream<net::ip::tcp::socket> ws_;
};
