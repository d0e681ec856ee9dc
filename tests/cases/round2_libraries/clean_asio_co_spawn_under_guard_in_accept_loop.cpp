// co_spawn() only schedules the session; the per-iteration guard dies before the
// next async_accept, so no suspension happens under the lock.
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/use_awaitable.hpp>
#include <mutex>

using asio::ip::tcp;

class server {
 public:
  asio::awaitable<void> listen() {
    auto ex = acceptor_.get_executor();
    for (;;) {
      tcp::socket sock = co_await acceptor_.async_accept(asio::use_awaitable);
      std::lock_guard<std::mutex> g(conn_mu_);
      if (++connections_ > limit_) {
        --connections_;
        continue;
      }
      asio::co_spawn(ex, session(std::move(sock)), asio::detached);
    }
  }

 private:
  asio::awaitable<void> session(tcp::socket sock);
  tcp::acceptor acceptor_;
  std::mutex conn_mu_;
  int connections_ = 0;
  int limit_ = 1024;
};
